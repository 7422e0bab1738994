"""The rules a reviewer checks beyond the form (issue 14), each on a real report with one
deliberate change, and the unchanged original giving no such finding.

PUBLISHED_LATE, S1_ASPECTS_MISSING, S5_NO_FOLLOW_UP, SIGNOFF_MISSING, SIGNOFF_DATE,
TEXT_RATE_IMPOSSIBLE, and MISSING_VALUE messages that say why a cell is blank.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.api import Policy, check_file, check_report, parse_file
from gongkai.cli import app
from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate import STATUTORY, check_pair
from gongkai.validate.deadline import organ_kind

from conftest import SEEDS_DIR, SHARED, needs_shared
from rulekit import only

pytestmark = needs_shared
REAL = SHARED / "real"
SAMPLES = SHARED / "samples"
runner = CliRunner()


def _seed(prefix: str) -> Path:
    return next(SEEDS_DIR.glob(prefix + "_*"))


def _edited(tmp_path: Path, source: Path, old: str, new: str, count: int = 1) -> Path:
    """A copy of `source` with `old` replaced: the one deliberate change."""
    text = source.read_text("utf-8")
    assert text.count(old) >= count, old  # the change must really happen
    out = tmp_path / source.name
    out.write_text(text.replace(old, new, count), "utf-8")
    return out


def _found(path: Path, code: str, policy: Policy | None = None) -> list[Finding]:
    return only(check_file(path, policy=policy).findings or [], code)


def _deadline_note(path: Path, policy: Policy | None = None) -> list[Finding]:
    findings = check_file(path, policy=policy).findings or []
    return [f for f in findings if f.code == "UNVERIFIABLE" and "发布期限" in f.message]


# PUBLISHED_LATE -----------------------------------------------------------------------------------


def test_published_late_from_a_sign_off_dated_after_the_deadline(tmp_path: Path) -> None:
    """201 (莆田市城市管理局, a 市 department, 2024) is signed 2025年1月10日: within 1月31日."""
    original = REAL / "201.html"
    assert _found(original, "PUBLISHED_LATE") == []
    assert _deadline_note(original)  # no publication date: said, not guessed
    late = _edited(tmp_path, original, "2025年1月10日", "2025年2月10日")
    (found,) = _found(late, "PUBLISHED_LATE")
    assert found.severity == "warning" and found.actual == 10
    assert "2025年1月31日" in found.message and "落款" in found.message


def test_published_late_from_the_saved_pages_metadata(tmp_path: Path) -> None:
    page = tmp_path / "201-page.html"
    head = '<html><head><meta charset="utf-8"><meta name="PubDate" content="{}"></head><body>'
    body = (REAL / "201.html").read_text("utf-8")
    page.write_text(head.format("2025-01-20 10:30") + body + "</body></html>", "utf-8")
    assert parse_file(page).meta.published is not None
    assert _found(page, "PUBLISHED_LATE") == [] and not _deadline_note(page)
    page.write_text(head.format("2025-02-03 10:30") + body + "</body></html>", "utf-8")
    (found,) = _found(page, "PUBLISHED_LATE")
    assert found.actual == 3 and "网页元数据" in found.message


def test_published_late_from_the_cms_line_above_the_article(tmp_path: Path) -> None:
    source = _seed("004")  # 泾源县人民政府 2020: the 本级政府 report, due 2021年3月31日
    late = tmp_path / source.name
    late.write_text("发布时间：2021-04-02 09:00\n" + source.read_text("utf-8"), "utf-8")
    assert _found(source, "PUBLISHED_LATE") == []
    (found,) = _found(late, "PUBLISHED_LATE")
    assert found.actual == 2 and "2021年3月31日" in found.message


def test_a_date_the_user_gives_overrides_and_deadlines_are_settable() -> None:
    township = _seed("000")  # 中宁县新堡镇人民政府 2021: no statutory deadline
    assert _found(township, "PUBLISHED_LATE") == []
    (note,) = _deadline_note(township)
    assert "地方规定" in note.message
    local = STATUTORY.with_setting("乡镇=02-20")
    assert _found(township, "PUBLISHED_LATE", Policy("2022-02-20", local)) == []
    (found,) = _found(township, "PUBLISHED_LATE", Policy("2022-02-21", local))
    assert found.actual == 1 and "地方规定" in found.message


def test_malformed_deadline_settings_are_refused_in_chinese() -> None:
    for text in ("乡=02-20", "乡镇=02-30", "部门"):
        with pytest.raises(ValueError, match="期限设置"):
            STATUTORY.with_setting(text)
    result = runner.invoke(app, ["check", "--deadline", "乡镇=13-01", str(_seed("000"))])
    assert result.exit_code == 2 and "期限设置" in result.stdout
    result = runner.invoke(app, ["check", "--published", "2025/13/01", str(_seed("000"))])
    assert result.exit_code == 2 and "发布日期" in result.stdout


def test_the_cli_takes_the_publication_date_and_the_local_deadline() -> None:
    args = ["check", "--json", "--published", "2022-03-01", "--deadline", "乡镇=02-20"]
    result = runner.invoke(app, [*args, str(_seed("000"))])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "PUBLISHED_LATE"]
    assert len(found) == 1 and found[0]["actual"] == 9


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("中宁县新堡镇人民政府", "township"),
        ("某某街道办事处", "township"),
        ("新堡镇财政所", "township"),
        ("淮安市洪泽区人民政府", "government"),
        ("镇江市人民政府", "government"),  # 镇 of a city's name is no township
        ("莆田市城市管理局", "department"),
        ("某某县住房和城乡建设局", "department"),
        ("某某县乡村振兴局", "department"),
        ("某某市人民政府办公室", "department"),
        ("莆田", None),
    ],
)
def test_the_kind_of_organ_comes_from_its_name(name: str, kind: str | None) -> None:
    assert organ_kind(name) == kind


# SIGNOFF_MISSING and SIGNOFF_DATE -----------------------------------------------------------------


def test_sign_off_is_read_from_the_end_of_a_real_report() -> None:
    signoff = parse_file(REAL / "201.html").meta.signoff
    assert signoff is not None
    assert (signoff.agency, signoff.date) == ("莆田市城市管理局", "2025-01-10")
    assert _found(REAL / "201.html", "SIGNOFF_MISSING") == []
    assert _found(REAL / "201.html", "SIGNOFF_DATE") == []


def test_signoff_missing_when_the_end_lacks_it(tmp_path: Path) -> None:
    cut = _edited(tmp_path, REAL / "201.html", "2025年1月10日", "")
    (found,) = _found(cut, "SIGNOFF_MISSING")
    assert "日期" in found.message


def test_signoff_missing_when_the_name_is_not_the_full_one(tmp_path: Path) -> None:
    # The title names 莆田市城市管理局; the sign-off's last occurrence is the one to shorten.
    text = (REAL / "201.html").read_text("utf-8")
    at = text.rindex("莆田市城市管理局")
    short = tmp_path / "201.html"
    short.write_text(text[:at] + "市城管局" + text[at + len("莆田市城市管理局") :], "utf-8")
    (found,) = _found(short, "SIGNOFF_MISSING")
    assert "市城管局" in found.message and "全称" in found.message


def test_signoff_date_before_the_year_ended_is_an_error(tmp_path: Path) -> None:
    stale = _edited(tmp_path, REAL / "201.html", "2025年1月10日", "2024年1月10日")
    (found,) = _found(stale, "SIGNOFF_DATE")
    assert found.severity == "error" and "2024 年度" in found.message


def test_signoff_date_that_does_not_exist(tmp_path: Path) -> None:
    impossible = _edited(tmp_path, REAL / "201.html", "2025年1月10日", "2025年2月30日")
    (found,) = _found(impossible, "SIGNOFF_DATE")
    assert "2025年2月30日" in found.message


def test_signoff_in_chinese_numerals_is_read(tmp_path: Path) -> None:
    numerals = _edited(tmp_path, REAL / "201.html", "2025年1月10日", "二〇二五年一月十日")
    signoff = parse_file(numerals).meta.signoff
    assert signoff is not None and signoff.date == "2025-01-10"


# S1_ASPECTS_MISSING -------------------------------------------------------------------------------


def test_section_one_without_oversight_misses_an_aspect(tmp_path: Path) -> None:
    """Seed 001's section 一 has the five sub-headings; without its （五）监督保障 paragraph, the
    report says nothing of oversight."""
    source = _seed("001")
    assert _found(source, "S1_ASPECTS_MISSING") == []
    lines = source.read_text("utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("（五）监督保障方面")]
    assert len(kept) == len(lines) - 1
    edited = tmp_path / source.name
    edited.write_text("\n".join(kept), "utf-8")
    (found,) = _found(edited, "S1_ASPECTS_MISSING")
    assert found.message.startswith("第一部分“总体情况”没有涉及监督保障。")


def test_section_one_is_not_read_against_the_2021_list_before_2021() -> None:
    report = parse_file(_seed("004"))  # 2020, the 2019 format
    report.sections = [s for s in report.sections if s.no != 1] + [
        s.model_copy(update={"text": "本年度工作有序开展。"}) for s in report.sections if s.no == 1
    ]
    assert only(check_report(report).findings or [], "S1_ASPECTS_MISSING") == []


# S5_NO_FOLLOW_UP ----------------------------------------------------------------------------------


def _section5(report: Report) -> str:
    return next(s.text for s in report.sections if s.no == 5)


def _with_section5(report: Report, text: str) -> Report:
    report.sections = [
        s.model_copy(update={"text": text}) if s.no == 5 else s for s in report.sections
    ]
    return report


def test_section_five_repeating_last_years_problems() -> None:
    """洪泽区 2023 and 2024 (the published PDFs): 2024's section 五 is its own. Given one of
    2023's sentences word for word, it repeats last year's problems."""
    previous = parse_file(SAMPLES / "hongze-2023.pdf")
    current = parse_file(SAMPLES / "hongze-2024.pdf")
    assert only(check_pair(previous, current), "S5_NO_FOLLOW_UP") == []
    copied = max(_section5(previous).replace("\n", "").split("。"), key=len)
    assert len(copied) >= 20
    _with_section5(current, copied + "。" + _section5(current))
    (found,) = only(check_pair(previous, current), "S5_NO_FOLLOW_UP")
    assert found.severity == "warning" and found.actual == 1
    assert found.cells == [["sections", 5], ["previous", "sections", 5]]


def test_section_five_naming_no_improvement() -> None:
    previous = parse_file(SAMPLES / "hongze-2023.pdf")
    current = parse_file(SAMPLES / "hongze-2024.pdf")
    _with_section5(current, "信息公开的及时性有待提高的问题仍然存在，个别栏目内容更新不够及时。")
    assert only(check_pair(previous, current), "S5_NO_FOLLOW_UP") == []  # 提高 names one
    _with_section5(current, "个别栏目内容更新不够及时，公开内容不够全面。")
    (found,) = only(check_pair(previous, current), "S5_NO_FOLLOW_UP")
    assert "没有说明改进情况" in found.message


# TEXT_RATE_IMPOSSIBLE -----------------------------------------------------------------------------


def test_a_rate_above_one_hundred_percent(tmp_path: Path) -> None:
    source = _seed("000")  # …政务服务累计办件 4736 件，办结率达到 100%
    assert _found(source, "TEXT_RATE_IMPOSSIBLE") == []
    edited = _edited(tmp_path, source, "办结率达到 100%", "办结率达到 120%")
    (found,) = _found(edited, "TEXT_RATE_IMPOSSIBLE")
    assert found.severity == "error" and found.actual == 120 and "办结率" in found.message


def test_a_share_above_one_hundred_percent_but_not_growth(tmp_path: Path) -> None:
    source = _seed("000")
    share = _edited(tmp_path, source, "办结率达到 100%", "占全部办件的 130%")
    assert len(_found(share, "TEXT_RATE_IMPOSSIBLE")) == 1
    growth = _edited(tmp_path, source, "办结率达到 100%", "同比增长 130%，占上年的 230%")
    assert _found(growth, "TEXT_RATE_IMPOSSIBLE") == []


# MISSING_VALUE: why a cell is blank ---------------------------------------------------------------


def _review_cell_line(path: Path) -> int:
    """The source line holding table 4's 行政复议 结果纠正 cell of 201 (its `<p>`)."""
    report = parse_file(path)
    where = report.provenance["table4.review.1"]
    assert where.raw == "0" and where.line is not None
    return where.line + 1


def _replace_on_line(tmp_path: Path, source: Path, line: int, new: str) -> Path:
    lines = source.read_text("utf-8").split("\n")
    assert lines[line - 1].count(">0<") == 1
    lines[line - 1] = lines[line - 1].replace(">0<", f">{new}<")
    out = tmp_path / source.name
    out.write_text("\n".join(lines), "utf-8")
    return out


def _blank_messages(path: Path) -> list[str]:
    return [f.message for f in _found(path, "MISSING_VALUE")]


def test_a_cell_left_empty_in_a_web_page_is_the_units_to_fill(tmp_path: Path) -> None:
    source = REAL / "201.html"
    assert _blank_messages(source) == []
    edited = _replace_on_line(tmp_path, source, _review_cell_line(source), "")
    (message,) = _blank_messages(edited)
    assert "原表中这些单元格就是空的" in message and "结果纠正" in message


def test_a_dash_is_named_as_written(tmp_path: Path) -> None:
    source = REAL / "201.html"
    edited = _replace_on_line(tmp_path, source, _review_cell_line(source), "—")
    (message,) = _blank_messages(edited)
    assert "填写的是“—”" in message


def test_blanks_a_conversion_may_have_lost_say_so() -> None:
    """Seed 003: the text lost the 自然人 column's empty cells; extraction cannot tell."""
    messages = _blank_messages(_seed("003"))
    assert any("无法确定是原表未填写还是表格转换丢失" in m for m in messages)
    assert not any("原表中这些单元格就是空的" in m for m in messages)


def test_blanks_of_a_scan_say_ocr_may_have_missed_them() -> None:
    report = parse_file(_seed("000"))
    assert report.source is not None
    report.source = report.source.model_copy(update={"ocr": True})
    messages = [f.message for f in only(check_report(report).findings or [], "MISSING_VALUE")]
    assert messages and all("扫描件" in m for m in messages)


def test_a_report_stored_without_its_sign_off_reads_it_from_its_text() -> None:
    """Reports stored by a parser before 0.2.0 have no recorded sign-off; their last section
    still holds it, so a re-check gives no false SIGNOFF_MISSING (regression)."""
    report = parse_file(REAL / "201.html")
    report.meta.signoff = None
    assert only(check_report(report).findings or [], "SIGNOFF_MISSING") == []
