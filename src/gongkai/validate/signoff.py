"""SIGNOFF_MISSING and SIGNOFF_DATE: the organ's formal name and the date closing the report.

A report, like any official document, ends with the issuing organ's full name and the date it was
written (落款). Extraction reads them from the end of the last section (extract/dates.py).
"""

from __future__ import annotations

from gongkai.extract.dates import read_signoff
from gongkai.extract.normalize import norm
from gongkai.model.finding import Finding
from gongkai.model.report import Report, Signoff
from gongkai.validate.codes import day, finding

_WHERE = [["meta", "signoff"]]


def signoff_of(report: Report) -> Signoff | None:
    """The sign-off extraction found, or read again from the last section: a report stored by a
    parser that did not record it (before 0.2.0) still has it in its text."""
    if report.meta.signoff is not None or not report.sections:
        return report.meta.signoff
    return read_signoff(report.sections[-1].text)


def _not_formal(written: str, agency: str | None) -> bool:
    """The sign-off names the organ otherwise than the title does, and not as its full name
    without the higher region (淮安市洪泽区人民政府 may sign 洪泽区人民政府; 市城管局 is short)."""
    if agency is None:
        return False
    signed, titled = norm(written), norm(agency)
    return signed != titled and not titled.endswith(signed) and not signed.endswith(titled)


def signoff_missing(report: Report) -> list[Finding]:
    """No sign-off at the end, or one without the organ, its date, or the organ's full name."""
    if not report.sections:
        return []  # no text at all: SECTION_MISSING says so
    signoff = signoff_of(report)
    if signoff is None:
        message = (
            "报告末尾没有落款（发布机关全称和成文日期）。若原件有落款而转换后丢失，请对照原件核实。"
        )
        return [finding("SIGNOFF_MISSING", message, _WHERE)]
    if signoff.agency is None:
        message = f"报告末尾的落款“{signoff.text}”缺少发布机关名称，应写明机关全称。"
        return [finding("SIGNOFF_MISSING", message, _WHERE)]
    if signoff.date_text is None:
        message = f"报告末尾的落款“{signoff.agency}”缺少成文日期。"
        return [finding("SIGNOFF_MISSING", message, _WHERE)]
    if _not_formal(signoff.agency, report.meta.agency):
        message = (
            f"落款机关名称“{signoff.agency}”与报告标题中的“{report.meta.agency}”不一致，"
            "落款应使用机关全称。"
        )
        return [finding("SIGNOFF_MISSING", message, _WHERE)]
    return []


def signoff_date(report: Report) -> list[Finding]:
    """A sign-off date that does not exist, or falls before the reporting year ended."""
    signoff, year = signoff_of(report), report.meta.year
    if signoff is None or signoff.date_text is None:
        return []
    if signoff.date is None:
        message = f"落款日期“{signoff.date_text}”不是一个存在的日期，请核对。"
        return [finding("SIGNOFF_DATE", message, _WHERE)]
    if year is not None and int(signoff.date[:4]) <= year:
        message = (
            f"落款日期为 {day(signoff.date)}，而报告是 {year} 年度的年度报告，"
            f"应在该年度结束后（{year + 1} 年）成文；可能沿用了往年的日期。"
        )
        return [finding("SIGNOFF_DATE", message, _WHERE)]
    return []
