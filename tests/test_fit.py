"""fit(): align a row's value cells without guessing a column shift."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.extract.fit import fit
from gongkai.extract.values import Cell, read_cell
from gongkai.readers.raw import RawCell


def cells(*texts: str) -> list[Cell]:
    return [read_cell(RawCell(t)) for t in texts]


def row_sum(values: Sequence[int | float | None]) -> bool:
    return None not in values and sum(v or 0 for v in values[:6]) == values[6]


def test_exact_count_keeps_a_blank_first_cell() -> None:
    got = fit(cells("", "0", "0", "0", "0", "0", "0"), 7)
    assert got.status == "ok" and got.values == [None, 0, 0, 0, 0, 0, 0]


def test_leading_empties_dropped_only_when_too_many() -> None:
    got = fit(cells("", "", "2", "0", "0", "0", "0", "0", "2", ""), 7)
    assert got.status == "ok" and got.values == [2, 0, 0, 0, 0, 0, 2]


def test_stray_cell_that_changes_nothing_is_accepted_and_flagged() -> None:
    got = fit(cells(*["0"] * 8), 7)
    assert got.status == "stray" and got.values == [0] * 7


def test_stray_cell_resolved_only_by_a_unique_arithmetic_fit() -> None:
    got = fit(cells("9", "1", "2", "0", "0", "0", "0", "3"), 7, row_sum)
    assert got.status == "repaired" and got.values == [1, 2, 0, 0, 0, 0, 3]


def test_stray_cell_never_guessed_when_ambiguous() -> None:
    got = fit(cells("1", "2", "3", "4", "5", "6", "7", "8"), 7, row_sum)
    assert got.status == "ambiguous" and got.values == [None] * 7


def test_lost_cells_leave_the_row_blank() -> None:
    got = fit(cells("1", "0", "0", "0", "0", "1"), 7)
    assert got.status == "lost" and got.values == [None] * 7 and got.seen == 6
