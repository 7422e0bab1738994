"""Borderless tables: a run of cut PDF lines put back on one grid (readers/pdf_grid.py)."""

from __future__ import annotations

from gongkai.readers.pdf_grid import Piece, grid, runs


def _row(*pieces: tuple[str, float]) -> list[Piece]:
    """Pieces 10 points wide per character, each starting at its x."""
    return [Piece(text, x, x + 10 * len(text)) for text, x in pieces]


def test_a_blank_cell_keeps_its_column() -> None:
    """Each line alone loses its blank cell; the run's other lines say where it was."""
    rows = [
        _row(("信息内容", 50), ("本年制发件数", 200), ("本年废止件数", 300), ("现行有效件数", 400)),
        _row(("规章", 50), ("0", 250), ("1", 350), ("3", 450)),
        _row(("行政规范性文件", 50), ("2", 250), ("4", 450)),
    ]
    assert grid(rows) == [
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "1", "3"),
        ("行政规范性文件", "2", "", "4"),
    ]


def test_numbers_that_do_not_line_up_are_left_as_read() -> None:
    """A number between two columns has no single place: nothing is guessed."""
    rows = [
        _row(("规章", 50), ("0", 250), ("1", 350)),
        _row(("行政规范性文件", 50), ("2", 250), ("4", 350)),
        _row(("其他", 50), ("7", 300)),
    ]
    assert grid(rows) is None


def test_a_word_over_a_number_column_in_a_data_row_is_refused() -> None:
    rows = [
        _row(("规章", 50), ("0", 250), ("1", 350)),
        _row(("行政规范性文件", 50), ("2", 250), ("4", 350)),
        _row(("其他", 50), ("另见附件说明", 230), ("5", 350)),
    ]
    assert grid(rows) is None


def test_two_lines_are_not_enough_to_place_columns() -> None:
    rows = [_row(("行政处罚", 50), ("7", 250)), _row(("行政强制", 50), ("1", 250))]
    assert grid(rows) is None


def test_a_numbered_label_is_not_a_number() -> None:
    """ "3.其他" once made a column of its own and no row of table 3 could be placed."""
    assert not Piece("3.其他", 0, 30).numeric
    assert Piece("-139条", 0, 30).numeric and Piece("960万", 0, 30).numeric


def test_tables_with_other_columns_stay_apart_and_a_header_joins_its_data() -> None:
    one = [_row(("规章", 50), ("0", 250), ("1", 350))]
    header = [_row(("信息内容", 50), ("本年处理决定数量", 400))]
    two = [_row(("行政处罚", 50), ("7", 450)), _row(("行政强制", 50), ("1", 450))]
    more = [_row(("规范性文件", 50), ("2", 250), ("4", 350))]
    tables = runs([(one, False), (more, True), (header, True), (two, True)])
    assert tables == [one + more, header + two]


def test_segments_are_not_joined_across_a_break() -> None:
    one = [_row(("规章", 50), ("0", 250), ("1", 350))]
    more = [_row(("规范性文件", 50), ("2", 250), ("4", 350))]
    assert runs([(one, False), (more, False)]) == [one, more]
