"""Cell values: numbers, units, blanks (FORMAT.md §4.6, §5.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.extract.values import parse_number, read_cell, read_row
from gongkai.readers.raw import RawCell, Row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", (0, None)),
        ("-139 条", (-139, "条")),
        ("960 万", (960, "万")),
        ("251000元", (251000, "元")),
        ("0.11", (0.11, None)),
        ("96171.6", (96171.6, None)),
        ("1,234", (1234, None)),
        ("１２３", (123, None)),  # full-width digits
        ("－5", (-5, None)),  # full-width minus
        ("−7", (-7, None)),  # U+2212 minus sign
        ("+3", (3, None)),
        ("12 件", (12, "件")),
    ],
)
def test_numbers_with_units(text: str, expected: tuple[float, str | None]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "-", "—", "/", "无", " ", "——"])
def test_blank_marks_are_blank_not_zero(text: str) -> None:
    cell = read_cell(RawCell(text))
    assert cell.kind == "blank" and cell.value is None


@pytest.mark.parametrize("text", ["结果维持", "1.属于国家秘密", "12a", "1.2.3", "见附件"])
def test_labels_are_not_numbers(text: str) -> None:
    assert read_cell(RawCell(text)).kind == "label"


def test_decimal_stays_float_and_integer_stays_int() -> None:
    assert isinstance(read_cell(RawCell("5")).value, int)
    assert isinstance(read_cell(RawCell("5.0")).value, float)


def test_single_spaced_numbers_split_into_cells() -> None:
    row = Row((RawCell("一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119", 1, 0, 40),), True)
    cells = read_row(row)
    assert [c.value for c in cells[1:]] == [3001, 53, 0, 0, 61, 4, 3119]
    assert cells[0].text == "一、本年新收政府信息公开申请数量"


def test_split_cells_keep_their_spans() -> None:
    text = "规章 12 -3"
    cells = read_row(Row((RawCell(text, 9, 0, len(text)),), True))
    assert [(c.src.line, text[c.src.start : c.src.end]) for c in cells] == [  # type: ignore[misc]
        (9, "规章"),
        (9, "12"),
        (9, "-3"),
    ]


@pytest.mark.parametrize(
    ("text", "label", "values"),
    [
        ("行政规范性文件0 4 0", "行政规范性文件", [0, 4, 0]),
        ("(一) 予以公开0", "(一) 予以公开", [0]),
        ("行政事业性收费1.5", "行政事业性收费", [1.5]),
        ("3.危及“三安全一稳定”0 0", "3.危及“三安全一稳定”", [0, 0]),
    ],
)
def test_first_number_glued_to_an_ideograph_splits_off(
    text: str, label: str, values: list[float]
) -> None:
    """A PDF table without rulings can put the first number right at the label's end."""
    cells = read_row(Row((RawCell(text, 1, 0, len(text)),), True))
    assert cells[0].text == label and [c.value for c in cells[1:]] == values
    assert [text[c.src.start : c.src.end] for c in cells[1:]] == [str(v) for v in values]  # type: ignore[misc]


def test_a_numbering_mark_touching_a_number_is_not_label_and_value() -> None:
    # "（三）5 0 1 2": the 5 may belong to a leaf label; the cell stays whole.
    assert [c.text for c in read_row(Row((RawCell("（三）5 0 1 2"),), True))] == ["（三）5 0 1 2"]


def test_digits_after_a_latin_letter_are_not_split_off() -> None:
    # Only an ideograph or a closing bracket may touch the first number ("APP2" is a name).
    assert [c.text for c in read_row(Row((RawCell("APP2"),), True))] == ["APP2"]


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_integers_round_trip(n: int) -> None:
    assert parse_number(str(n)) == (n, None)
    assert parse_number(f"{n:,}") == (n, None)
