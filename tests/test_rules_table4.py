"""Table-4 rule T1 (T4_GROUP_SUM) in strict and lenient mode."""

from __future__ import annotations

from gongkai.validate import check
from gongkai.validate.table4 import t4_group_sum

from rulekit import cells_of, clean, only


def _with(group: str, values: list[int | float | None]):  # type: ignore[no-untyped-def]
    report = clean()
    assert report.table4 is not None
    report.table4[group] = values
    return report


def test_group_that_adds_up_passes() -> None:
    assert t4_group_sum(_with("review", [1, 2, 0, 1, 4])) == []


def test_group_total_that_differs_is_an_error_naming_the_group() -> None:
    found = t4_group_sum(_with("litigation_after_review", [1, 2, 0, 0, 2]))
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and "复议后起诉" in f.message and "总计" in f.message
    assert (f.expected, f.actual) == (3, 2)
    assert cells_of(f) == {("table4", "litigation_after_review", c) for c in range(5)}


def test_blank_group_is_unverifiable_and_lenient_passes() -> None:
    # Seed 000's case: the five 行政复议 cells are empty.
    report = _with("review", [None] * 5)
    assert t4_group_sum(report) == []
    notes = only(check(report), "UNVERIFIABLE")
    assert len(notes) == 1 and notes[0].lenient_pass is True
    assert only(check(report, lenient=True), "UNVERIFIABLE") == []


def test_blank_total_with_nonzero_parts_cannot_be_filled() -> None:
    report = _with("review", [1, 0, 0, 0, None])
    for lenient in (False, True):
        assert t4_group_sum(report, lenient) == []
        notes = only(check(report, lenient=lenient), "UNVERIFIABLE")
        assert len(notes) == 1 and notes[0].lenient_pass is None


def test_other_groups_do_not_make_a_blank_fillable() -> None:
    # The three groups are different proceedings: zeros in 诉讼 say nothing about a blank 复议 cell.
    report = _with("review", [1, 0, 0, None, 2])
    for lenient in (False, True):
        assert t4_group_sum(report, lenient) == []
        notes = only(check(report, lenient=lenient), "UNVERIFIABLE")
        assert len(notes) == 1 and notes[0].lenient_pass is None
