"""TEMPLATE_MISMATCH, SECTION_MISSING, SECTION_ORDER, SECTION_EMPTY."""

from __future__ import annotations

import pytest

from gongkai.model.report import Templates
from gongkai.validate.structure import (
    section_empty,
    section_missing,
    section_order,
    template_mismatch,
)

from rulekit import clean, codes, sections


@pytest.mark.parametrize(
    ("template", "year"), [("2021", 2021), ("2021", 2023), ("2019", 2019), ("2019", 2020)]
)
def test_format_of_its_year_passes(template: str, year: int) -> None:
    assert template_mismatch(clean(template, year=year)) == []


def test_2021_report_with_a_2019_table3_is_flagged_once() -> None:
    report = clean("2021", year=2021)
    report.meta.templates = Templates(table2="2021", table3="2019")
    found = template_mismatch(report)
    assert len(found) == 1 and found[0].cells == [["table3"]]
    assert "2021" in found[0].message and "国办公开办函〔2021〕30号" in found[0].message


def test_2020_report_in_the_2021_format_is_flagged_per_table() -> None:
    found = template_mismatch(clean("2021", year=2020))
    assert [f.cells for f in found] == [[["table2"]], [["table3"]]]


def test_mixed_tables_without_a_year_are_flagged() -> None:
    report = clean("2021")
    report.meta.year = None
    report.meta.templates = Templates(table2="2019", table3="2021")
    found = template_mismatch(report)
    assert len(found) == 1 and "不一致" in found[0].message


def test_reports_before_2019_are_not_judged() -> None:
    assert template_mismatch(clean("2019", year=2018)) == []


def test_all_six_sections_pass() -> None:
    report = clean()
    assert section_missing(report) == section_order(report) == section_empty(report) == []


def test_missing_section_names_it() -> None:
    found = section_missing(clean(sections=sections([1, 2, 3, 4, 5])))
    assert codes(found) == ["SECTION_MISSING"] and "其他需要报告的事项" in found[0].message
    assert found[0].cells == [["sections", 6]]


def test_duplicated_section_is_an_order_finding() -> None:
    found = section_order(clean(sections=sections([1, 1, 2, 3, 4, 5, 6])))
    assert codes(found) == ["SECTION_ORDER"] and "出现了 2 次" in found[0].message


def test_sections_out_of_order() -> None:
    found = section_order(clean(sections=sections([1, 2, 4, 3, 5, 6])))
    assert codes(found) == ["SECTION_ORDER"] and "一、二、四、三、五、六" in found[0].message


@pytest.mark.parametrize("text", ["", "无", "无。", " 暂无。\n", "无其他需要报告事项。"])
def test_empty_or_nil_section_five_is_flagged(text: str) -> None:
    found = section_empty(clean(sections=sections(s5=text)))
    assert [f.cells for f in found] == [[["sections", 5]]]


@pytest.mark.parametrize("text", ["无", "无其他需要报告事项。", "本单位按时报送了年报。"])
def test_2021_section_six_must_state_the_fee(text: str) -> None:
    found = section_empty(clean("2021", year=2022, sections=sections(s6=text)))
    assert [f.cells for f in found] == [[["sections", 6]]] and "信息处理费" in found[0].message


@pytest.mark.parametrize(
    "text", ["政府信息公开申请收费情况：无政府信息公开申请收费。", "本年度未收取信息处理费。"]
)
def test_2021_section_six_stating_the_fee_passes(text: str) -> None:
    assert section_empty(clean("2021", year=2022, sections=sections(s6=text))) == []


def test_section_six_nil_is_accepted_before_2021() -> None:
    assert section_empty(clean("2019", year=2020, sections=sections(s6="无。"))) == []


def test_absent_section_is_missing_not_empty() -> None:
    report = clean("2021", sections=sections([1, 2, 3, 4, 5]))
    assert section_empty(report) == [] and codes(section_missing(report)) == ["SECTION_MISSING"]


def test_long_section_five_starting_with_wu_is_content() -> None:
    text = (
        "无论是公开内容还是公开形式，都存在不足：一是更新不及时；二是解读不够。下一步将加强培训。"
    )
    assert section_empty(clean(sections=sections(s5=text))) == []
