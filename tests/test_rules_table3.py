"""Table-3 rules R1 (T3_BALANCE), R2 (T3_TOTAL_ROW), R3 (T3_ROW_SUM), R4 (T3_SUBTOTAL), R7."""

from __future__ import annotations

import pytest

from gongkai.validate import check
from gongkai.validate.table3 import (
    t3_balance,
    t3_row_sum,
    t3_subtotal,
    t3_total_row,
    t3_zero_intake,
)

from rulekit import cells_of, clean, codes, consistent_t3, only, set_row


def _busy(template: str = "2021"):  # type: ignore[no-untyped-def]
    leaves = {"granted": [3, 1, 0, 0, 0, 0], "denied_third_party": [2, 0, 0, 0, 0, 1]}
    table = consistent_t3(template, leaves, forward=[1, 0, 0, 0, 0, 0], carried=[2, 0, 0, 0, 0, 0])
    return clean(template, table3=table)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_consistent_table_passes_every_table3_rule(template: str) -> None:
    report = _busy(template)
    assert t3_balance(report) == t3_total_row(report) == t3_row_sum(report) == []
    assert codes(check(report), "error") == []


def test_balance_fails_in_the_column_that_does_not_add_up() -> None:
    report = _busy()
    assert report.table3 is not None
    report.table3["received"][0] = 9  # 自然人 only; the 总计 column is left as it was
    found = t3_balance(report)
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and "自然人" in f.message and "本年新收" in f.message
    assert ("table3", "received", 0) in cells_of(f) and ("table3", "total", 0) in cells_of(f)
    assert (f.expected, f.actual) == (9 + 2, 5 + 1)


def test_total_row_fails_where_the_leaves_do_not_add_up() -> None:
    report = _busy()
    assert report.table3 is not None
    report.table3["partial"] = [0, 0, 0, 0, 0, 1, 1]  # a leaf the （七） total does not count
    found = t3_total_row(report)
    assert [f.cells[-1] for f in found] == [["table3", "total", 5], ["table3", "total", 6]]
    assert found[1].expected == 8 and found[1].actual == 7


def test_row_sum_names_the_row() -> None:
    report = set_row(_busy(), "granted", [3, 1, 0, 0, 0, 0, 5])
    found = t3_row_sum(report)
    assert len(found) == 1 and "（一）予以公开" in found[0].message
    assert (found[0].expected, found[0].actual) == (4, 5)
    assert len(found[0].cells) == 7


def test_blank_operand_is_unverifiable_in_strict_mode() -> None:
    report = set_row(clean(), "granted", [None, 0, 0, 0, 0, 0, 0])
    assert t3_row_sum(report) == t3_total_row(report) == []
    notes = only(check(report), "UNVERIFIABLE")
    assert notes and all(f.severity == "info" and f.lenient_pass is True for f in notes)
    assert any(("table3", "granted", 0) in cells_of(f) for f in notes)


def test_lenient_mode_fills_a_blank_whose_row_is_otherwise_zero() -> None:
    report = set_row(clean(), "granted", [None, 0, 0, 0, 0, 0, 0])
    assert only(check(report, lenient=True), "UNVERIFIABLE") == []
    assert codes(check(report, lenient=True), "error") == []


def test_lenient_mode_reports_a_failure_it_can_evaluate() -> None:
    # （一）予以公开 其他 is blank in an all-zero row, so lenient mode reads it as 0; then the
    # 其他 column's leaves add up to 0 while （七） says 3.
    report = set_row(clean(), "granted", [0, 0, 0, 0, 0, None, 0])
    set_row(report, "received", [0, 0, 0, 0, 0, 3, 3])
    set_row(report, "total", [0, 0, 0, 0, 0, 3, 3])
    blank = ("table3", "granted", 5)
    strict = [f for f in check(report) if blank in cells_of(f)]
    assert sorted(codes(strict)) == ["MISSING_VALUE", "UNVERIFIABLE", "UNVERIFIABLE"]
    # R2 in the 其他 column would fail, R3 in the row would hold.
    assert {f.lenient_pass for f in only(strict, "UNVERIFIABLE")} == {False, True}
    lenient = [f for f in check(report, lenient=True) if blank in cells_of(f)]
    assert sorted(codes(lenient)) == ["MISSING_VALUE", "T3_TOTAL_ROW"]
    error = only(lenient, "T3_TOTAL_ROW")[0]
    assert "空白单元格已按 0 计算" in error.message and error.lenient_pass is False
    assert (error.expected, error.actual) == (0, 3)


def test_blank_that_lenient_mode_cannot_fill_stays_unverifiable() -> None:
    report = _busy()
    assert report.table3 is not None
    report.table3["granted"][6] = None  # 总计 blank while 自然人 and 商业企业 are not zero
    for lenient in (False, True):
        notes = [
            f
            for f in only(check(report, lenient=lenient), "UNVERIFIABLE")
            if ("table3", "granted", 6) in cells_of(f)
        ]
        assert notes and all(f.lenient_pass is None for f in notes)
    assert codes(check(report, lenient=True), "error") == []


def test_subtotal_row_equal_to_its_leaves_passes() -> None:
    report = _busy()
    assert t3_subtotal(report, subtotals={"denied": [2, 0, 0, 0, 0, 1, 3]}) == []


def test_subtotal_row_that_differs_is_an_error_at_that_cell() -> None:
    report = _busy()
    found = t3_subtotal(report, subtotals={"denied": [2, 0, 0, 0, 0, 1, 4]})
    assert len(found) == 1 and found[0].severity == "error"
    assert ("table3", "denied_subtotal", 6) in cells_of(found[0])
    assert "（三）不予公开 小计" in found[0].message and found[0].actual == 4


def test_subtotal_of_the_single_2019_other_row() -> None:
    report = set_row(_busy("2019"), "other", [0] * 7)
    assert t3_subtotal(report, subtotals={"other": [0] * 7}) == []
    assert len(t3_subtotal(report, subtotals={"other": [1, 0, 0, 0, 0, 0, 1]})) == 2


def test_subtotal_without_subtotal_rows_is_silent() -> None:
    # Extraction does not keep subtotal rows yet: `check` gives the rule none.
    assert t3_subtotal(_busy()) == []


def test_zero_intake_with_an_outcome_is_a_warning() -> None:
    report = set_row(clean(), "granted", [1, 0, 0, 0, 0, 0, 1])
    found = t3_zero_intake(report)
    assert len(found) == 1 and found[0].severity == "warning"
    assert ("table3", "granted", 0) in cells_of(found[0])


def test_zero_intake_silent_when_something_was_received() -> None:
    assert t3_zero_intake(_busy()) == [] and t3_zero_intake(clean()) == []


def test_zero_intake_silent_when_intake_is_blank() -> None:
    report = set_row(clean(), "received", [0, 0, 0, 0, 0, 0, None])
    set_row(report, "granted", [1, 0, 0, 0, 0, 0, 1])
    assert t3_zero_intake(report) == []
