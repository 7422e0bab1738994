"""Form-level rules: TEMPLATE_MISMATCH, SECTION_MISSING, SECTION_ORDER, SECTION_EMPTY."""

from __future__ import annotations

import itertools
import re
import unicodedata

from gongkai.model.finding import Finding
from gongkai.model.keys import SECTION_HEADINGS, TEMPLATE_2019, TEMPLATE_2021
from gongkai.model.report import Report
from gongkai.validate.codes import finding

NUMERALS = "一二三四五六"
_NOTICE = {
    TEMPLATE_2019: "国办公开办函〔2019〕60号的试行格式",
    TEMPLATE_2021: "国办公开办函〔2021〕30号的格式",
}
_FIRST_YEAR_2021 = 2021
_FIRST_YEAR_2019 = 2019
# "无", "无其他需要报告事项。", "暂无": a section that says nothing.
_NIL = re.compile(r"^(无|没有|暂无|暂未|本年度无|本年无)")
_NIL_MAX_CHARS = 20
_FEE = re.compile(r"收费|处理费|收取.{0,6}费")


def _expected_template(year: int | None) -> str | None:
    if year is None or year < _FIRST_YEAR_2019:
        return None  # earlier reports predate both national formats
    return TEMPLATE_2021 if year >= _FIRST_YEAR_2021 else TEMPLATE_2019


def _year_mismatches(report: Report) -> list[Finding]:
    want = _expected_template(report.meta.year)
    out = []
    for table, name in (("table2", "表二"), ("table3", "表三")):
        used = getattr(report.meta.templates, table)
        if want is None or used is None or used == want:
            continue
        message = (
            f"这是 {report.meta.year} 年度的报告，应使用{_NOTICE[want]}，"
            f"但{name}使用的是{_NOTICE[used]}。"
        )
        out.append(finding("TEMPLATE_MISMATCH", message, [[table]]))
    return out


def template_mismatch(report: Report) -> list[Finding]:
    """A table in the format of another year, or table 2 and table 3 in different formats."""
    out = _year_mismatches(report)
    t2, t3 = report.meta.templates.table2, report.meta.templates.table3
    if not out and t2 is not None and t3 is not None and t2 != t3:
        message = f"表二使用{_NOTICE[t2]}，表三却使用{_NOTICE[t3]}，两张表的格式不一致。"
        out.append(finding("TEMPLATE_MISMATCH", message, [["table2"], ["table3"]]))
    return out


def _heading(no: int) -> str:
    return SECTION_HEADINGS[no - 1]


def section_missing(report: Report) -> list[Finding]:
    present = {s.no for s in report.sections}
    return [
        finding(
            "SECTION_MISSING",
            f"报告缺少第{NUMERALS[no - 1]}部分“{_heading(no)}”。",
            [["sections", no]],
        )
        for no in range(1, 7)
        if no not in present
    ]


def _duplicates(report: Report) -> list[Finding]:
    nos = [s.no for s in report.sections]
    return [
        finding(
            "SECTION_ORDER",
            f"第{NUMERALS[no - 1]}部分“{_heading(no)}”出现了 {nos.count(no)} 次，应只有一次。",
            [["sections", no]],
        )
        for no in sorted(set(nos))
        if nos.count(no) > 1
    ]


def section_order(report: Report) -> list[Finding]:
    """Sections duplicated, or out of the order 一 … 六."""
    out = _duplicates(report)
    nos = [s.no for s in report.sections]
    if any(b < a for a, b in itertools.pairwise(nos)):
        seen = "、".join(NUMERALS[n - 1] for n in nos)
        message = f"报告各部分应按一至六的顺序排列，实际顺序为：{seen}。"
        out.append(finding("SECTION_ORDER", message, [["sections", n] for n in sorted(set(nos))]))
    return out


def _body(report: Report, no: int) -> str | None:
    texts = [s.text for s in report.sections if s.no == no]
    return None if not texts else "\n".join(texts)


def _compact(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] == "P"))


def _is_nil(text: str) -> bool:
    core = _compact(text)
    return not core or (len(core) <= _NIL_MAX_CHARS and bool(_NIL.match(core)))


def _wants_fee_statement(report: Report) -> bool:
    year = report.meta.year
    if year is not None:
        return year >= _FIRST_YEAR_2021
    return report.meta.templates.table2 == TEMPLATE_2021


def section_empty(report: Report) -> list[Finding]:
    """五 empty or only "无"; for 2021+ reports, 六 that does not state the 信息处理费 collected."""
    out = []
    five, six = _body(report, 5), _body(report, 6)
    if five is not None and _is_nil(five):
        message = "第五部分“存在的主要问题及改进情况”没有实际内容，应写明存在的问题和改进措施。"
        out.append(finding("SECTION_EMPTY", message, [["sections", 5]]))
    if six is not None and _wants_fee_statement(report) and not _FEE.search(_compact(six)):
        said = "没有实际内容" if _is_nil(six) else "没有提到收费"
        message = (
            f"第六部分“其他需要报告的事项”{said}：2021 年起的年报应在此说明"
            "政府信息公开信息处理费的收取情况，未收费也应写明。"
        )
        out.append(finding("SECTION_EMPTY", message, [["sections", 6]]))
    return out
