"""The text reader: encodings, separators, residue, and never a crash on arbitrary input."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError
from gongkai.extract import extract
from gongkai.readers.raw import Paragraph, Table
from gongkai.readers.text import read_text


def test_tab_row_keeps_empty_cells_and_spans() -> None:
    doc = read_text("行政许可\t5\t\t\n".encode(), "t.txt")
    table = doc.blocks[0]
    assert isinstance(table, Table)
    cells = table.rows[0].cells
    assert [c.text for c in cells] == ["行政许可", "5", "", ""]
    assert (cells[1].line, cells[1].start, cells[1].end) == (1, 5, 6)


def test_markdown_and_html_residue_removed_from_text() -> None:
    doc = read_text(
        "## 一、总体情况\n<b>第二十条第（六）项</b>\t\t\n**加粗**正文\n".encode(), "t.md"
    )
    texts = [
        b.cell.text if isinstance(b, Paragraph) else b.rows[0].cells[0].text for b in doc.blocks
    ]
    assert texts == ["一、总体情况", "第二十条第（六）项", "加粗正文"]
    assert doc.format == "markdown"


def test_space_separated_rows_are_marked_spaced() -> None:
    doc = read_text("规章  0   0  0\n".encode(), "t.txt")
    table = doc.blocks[0]
    assert isinstance(table, Table) and table.rows[0].spaced
    assert [c.text for c in table.rows[0].cells] == ["规章", "0", "0", "0"]


def test_pipe_table_rows_read_as_cells() -> None:
    doc = read_text(
        "| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 行政许可 | 5 |\n".encode(), "t.md"
    )
    table = doc.blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "5"],
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(GongkaiError):
        extract(read_text(data, "fuzz.txt"))


_ALPHABET = st.sampled_from(
    list(
        "一二三四、（）()0123456789-\t \n.总计本年新收结转其他处理行政复议第二十条信息内容规章万条件"
    )
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=600).map("".join))
def test_report_like_text_never_crashes(text: str) -> None:
    report = extract(read_text(text.encode(), "fuzz.txt"))
    for row in (report.table3 or {}).values():
        assert len(row) == 7
    for group in (report.table4 or {}).values():
        assert len(group) == 5
