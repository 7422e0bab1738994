"""Cross-year rules over two reports of the same agency: X_CARRY, X_IN_FORCE, X_ITEMS, X_COPY,
X_JUMP, and the cases where no comparison is made."""

from __future__ import annotations

from gongkai.model.report import Report
from gongkai.validate import check_pair
from gongkai.validate.crossyear import similarity, x_carry, x_copy, x_in_force, x_items, x_jump

from rulekit import cells_of, clean, codes, only, sections, set_row

COPIED = (
    "2021年，我镇政务公开工作存在以下问题：一是公开内容不够全面，部分栏目更新不及时；"
    "二是政策解读形式单一，图解、视频解读较少；三是工作人员业务水平有待提高。"
    "下一步，我镇将加强培训，完善审核制度，丰富解读形式，提升公开质量。"
)


def _pair(template: str = "2021") -> tuple[Report, Report]:
    year = 2022 if template == "2021" else 2020
    return clean(template, year=year - 1), clean(template, year=year)


def test_matching_years_give_no_finding() -> None:
    for template in ("2019", "2021"):
        previous, current = _pair(template)
        assert check_pair(previous, current) == []


def test_carry_mismatch_is_an_error_per_column() -> None:
    previous, current = _pair()
    set_row(previous, "carried_forward", [3, 0, 0, 0, 0, 0, 3])
    set_row(current, "carried_over", [1, 0, 0, 0, 0, 0, 1])
    found = x_carry(previous, current)
    assert [f.cells for f in found] == [
        [["previous", "table3", "carried_forward", 0], ["table3", "carried_over", 0]],
        [["previous", "table3", "carried_forward", 6], ["table3", "carried_over", 6]],
    ]
    assert all(f.severity == "error" for f in found)
    assert (found[1].expected, found[1].actual) == (3, 1) and "上年报告" in found[1].message


def test_carry_equal_passes() -> None:
    previous, current = _pair()
    set_row(previous, "carried_forward", [2, 1, 0, 0, 0, 0, 3])
    set_row(current, "carried_over", [2, 1, 0, 0, 0, 0, 3])
    assert x_carry(previous, current) == []


def test_carry_not_checked_for_2019_reports() -> None:
    previous, current = clean("2019", year=2018), clean("2019", year=2019)
    set_row(current, "carried_over", [1, 0, 0, 0, 0, 0, 1])
    assert x_carry(previous, current) == []


def test_blank_carry_cell_is_unverifiable() -> None:
    previous, current = _pair()
    set_row(previous, "carried_forward", [0, 0, 0, 0, 0, 0, None])
    found = check_pair(previous, current)
    assert codes(found) == ["UNVERIFIABLE"] and found[0].lenient_pass is True


def _docs(report: Report, **fields: int) -> None:
    assert report.table2 is not None
    report.table2["normative_documents"].update(fields)


def test_in_force_continues_last_year() -> None:
    previous, current = _pair()
    _docs(previous, in_force=10)
    _docs(current, issued=3, repealed=1, in_force=12)
    assert x_in_force(previous, current) == []
    _docs(current, in_force=13)
    found = x_in_force(previous, current)
    assert len(found) == 1 and found[0].severity == "warning"
    assert (found[0].expected, found[0].actual) == (12, 13) and "行政规范性文件" in found[0].message
    assert ("previous", "table2", "normative_documents", "in_force") in cells_of(found[0])


def test_in_force_not_chained_across_formats() -> None:
    previous, current = clean("2019", year=2020), clean("2021", year=2021)
    _docs(current, issued=3, in_force=40)
    assert x_in_force(previous, current) == []


def test_items_continue_last_year() -> None:
    previous, current = _pair("2019")
    assert previous.table2 is not None and current.table2 is not None
    previous.table2["punishment"].update(prior_items=133, change=-13)
    current.table2["punishment"].update(prior_items=120)
    assert x_items(previous, current) == []
    current.table2["punishment"].update(prior_items=133)
    found = x_items(previous, current)
    assert len(found) == 1 and "行政处罚" in found[0].message
    assert (found[0].expected, found[0].actual) == (120, 133)


def test_copied_section_is_flagged_with_its_similarity() -> None:
    previous, current = _pair()
    previous.sections = sections(s5=COPIED)
    current.sections = sections(s5=COPIED.replace("2021", "2022"))
    found = x_copy(previous, current)
    assert len(found) == 1 and found[0].cells == [["sections", 5]]
    assert "相似度 100%" in found[0].message and found[0].actual == 1.0


def test_rewritten_section_is_not_a_copy() -> None:
    previous, current = _pair()
    previous.sections = sections(s5=COPIED)
    current.sections = sections(
        s5="本年度依申请公开办理流程仍不够规范，个别答复超出法定期限。"
        "针对这些问题，我们修订了办理规程，建立了台账和时限提醒，并对承办人员开展了专题培训。"
    )
    assert x_copy(previous, current) == []
    assert similarity(COPIED, current.sections[4].text) < 0.3


def test_short_identical_sections_are_not_judged() -> None:
    assert similarity("无。", "无。") == 0.0


def test_jump_by_a_large_factor_is_info() -> None:
    previous, current = _pair()
    assert previous.table2 is not None and current.table2 is not None
    previous.table2["punishment"]["decisions"] = 5
    current.table2["punishment"]["decisions"] = 2393
    found = x_jump(previous, current)
    assert codes(found) == ["X_JUMP"] and found[0].severity == "info"
    assert found[0].cells == [["table2", "punishment", "decisions"]]
    assert "由上年的 5 变为 2393" in found[0].message


def test_jump_from_zero_to_many_and_ordinary_changes() -> None:
    previous, current = _pair()
    set_row(current, "received", [25, 0, 0, 0, 0, 0, 25])
    set_row(current, "total", [25, 0, 0, 0, 0, 0, 25])
    assert {f.cells[0][1] for f in x_jump(previous, current)} == {"received", "total"}
    set_row(previous, "received", [12, 0, 0, 0, 0, 0, 12])
    set_row(previous, "total", [12, 0, 0, 0, 0, 0, 12])
    assert x_jump(previous, current) == []


def test_other_agency_or_a_gap_year_skips_the_comparison() -> None:
    previous, current = _pair()
    set_row(current, "carried_over", [9, 0, 0, 0, 0, 0, 9])
    previous.meta.agency = "另一个县人民政府"
    found = check_pair(previous, current)
    assert codes(found) == ["UNVERIFIABLE"] and "发布机关不同" in found[0].message
    previous.meta.agency, previous.meta.year = current.meta.agency, 2019
    found = check_pair(previous, current)
    assert codes(found) == ["UNVERIFIABLE"] and "不是相邻年度" in found[0].message


def test_check_pair_reports_errors_first() -> None:
    previous, current = _pair()
    set_row(previous, "carried_forward", [30, 0, 0, 0, 0, 0, 30])
    found = check_pair(previous, current)
    assert codes(found)[0] == "X_CARRY" and set(codes(found)) == {"X_CARRY", "X_JUMP"}
    assert only(found, "X_JUMP")[0].severity == "info"


def test_agency_names_written_differently_are_the_same_organ() -> None:
    previous, current = _pair()
    previous.meta.agency = "宁夏中宁县新堡镇人民政府"
    current.meta.agency = "宁夏回族自治区中宁县新堡镇政府"
    set_row(current, "carried_over", [1, 0, 0, 0, 0, 0, 1])
    assert set(codes(check_pair(previous, current))) == {"X_CARRY"}


def test_a_repeated_one_sentence_fee_statement_is_not_a_copy() -> None:
    # Regression: the yearly 信息处理费 sentence (hongze 2023/2024) was flagged as 内容雷同.
    previous, current = _pair()
    fee = "{}年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。"
    previous.sections = sections(s6=fee.format(2021))
    current.sections = sections(s6=fee.format(2022))
    assert x_copy(previous, current) == []
