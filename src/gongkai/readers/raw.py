"""The raw document every reader produces and `extract/` consumes.

A raw document is an ordered list of blocks: paragraphs of text and table grids. Table grids keep
empty cells (an empty cell is information), and every cell keeps where it came from.

Table geometry. A cell of a laid-out table keeps its horizontal interval `[x0, x1)` in its row's
frame: grid columns for HTML, DOCX and XLSX (a cell spanning two columns from column 3 is
`[3, 5)`), points for PDF, character columns for text laid out with spaces. Positions a spanning
cell covers are kept as `covered` cells with no text, so a position-based reader still sees a full
grid while an interval-based one (extract/align.py) skips them. Rows of one frame share their
coordinates: a header's columns apply to the data rows of the same frame only.

Where a person finds a cell. A PDF cell (text layer or OCR of a scan) keeps its `bbox` on its page:
(x0, top, x1, bottom) in points from the page's top-left corner as shown, the coordinates
pdfplumber uses (the cell's rulings for a ruled table, its text's extent otherwise). A DOCX or HTML
table cell keeps its `place`: (table, row, column), 1-based, as a person counts them in Word or
the browser; see the readers for how they count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)  # not frozen: built once per cell, and frozen's __init__ cost a tenth
class RawCell:  # of a text parse; treat it as immutable (dataclasses.replace makes a new one)
    """One cell of text with its place in the source (1-based line, 0-based character span) and,
    in a laid-out table, its horizontal interval (see the module's docstring)."""

    text: str
    line: int | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None
    x0: float | None = None
    x1: float | None = None
    covered: bool = False  # a position covered by a spanning cell: no text of its own
    bbox: tuple[float, float, float, float] | None = None  # PDF: the box on `page`, in points
    place: tuple[int, int, int] | None = None  # DOCX, HTML: (table, row, column) as counted


@dataclass(frozen=True, slots=True)
class Paragraph:
    cell: RawCell
    # Empty lines just before it in a text source. In a one-cell-per-line capture an empty line is
    # an empty cell; extract/stream.py decides whether this document's empty lines can be trusted.
    gap: int = 0


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of a table grid. `spaced` rows were separated by runs of spaces, so blanks are lost.
    `shifting` rows come from text whose columns drift against the header (tab-separated text
    from PDF conversions), so a cell's position says little about its column."""

    cells: tuple[RawCell, ...]
    spaced: bool = False
    shifting: bool = False
    # Rows with the same frame share the coordinates of their cells' intervals; None when the
    # cells have no intervals.
    frame: int | None = None


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
    frame: int | None = None
    gap: int = 0  # empty source lines before a paragraph (Paragraph.gap)

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
    # The publication date the file's own metadata states (a saved page's PubDate meta tag), ISO.
    published: str | None = None

    def rows(self) -> Iterator[Row]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield Row((block.cell,), is_table=False, gap=block.gap)
            else:
                for row in block.rows:
                    yield Row(row.cells, True, row.spaced, row.shifting, row.frame)
