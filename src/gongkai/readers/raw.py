"""The raw document every reader produces and `extract/` consumes.

A raw document is an ordered list of blocks: paragraphs of text and table grids. Table grids keep
empty cells (an empty cell is information), and every cell keeps where it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RawCell:
    """One cell of text with its place in the source (1-based line, 0-based character span)."""

    text: str
    line: int | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    cell: RawCell


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of a table grid. `spaced` rows were separated by runs of spaces, so blanks are lost.
    `shifting` rows come from text whose columns drift against the header (tab-separated text
    from PDF conversions), so a cell's position says little about its column."""

    cells: tuple[RawCell, ...]
    spaced: bool = False
    shifting: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[TableRow, ...]


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Row:
    """The uniform view `extract/` walks: a paragraph is a row of one cell."""

    cells: tuple[RawCell, ...]
    is_table: bool
    spaced: bool = False
    shifting: bool = False

    @property
    def line(self) -> int | None:
        return self.cells[0].line if self.cells else None

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(slots=True)
class RawDocument:
    path: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    # Read by OCR: every number is a reading, to be trusted only once the form's arithmetic holds.
    ocr: bool = False

    def rows(self) -> Iterator[Row]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield Row((block.cell,), is_table=False)
            else:
                for row in block.rows:
                    yield Row(row.cells, True, row.spaced, row.shifting)
