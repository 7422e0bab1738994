"""Text lines of a PDF page, shared by the text-layer reader (pdf.py) and OCR (ocr.py), so scans
and text PDFs join lines the same way: a line and its pieces, page furniture dropped at a page's
edges, wrapped lines joined into paragraphs by indentation, a line as a raw block."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.readers.furniture import is_furniture
from gongkai.readers.pdf_grid import Piece
from gongkai.readers.raw import Block, Paragraph, RawCell, Table, TableRow

_PAGE_NO = re.compile(
    r"^[-—–－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*(共\s*)?\d{1,4}\s*页?)?[-—–－\s]*$"
)
_STANDALONE = re.compile(
    r"^(#|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第二十条|信息内容)"
)
_TRAILING_NUMBERS = re.compile(r"\S\s+-?\d[\d,.]*\s+-?\d[\d,.]*\s*$")
_SENTENCE_END = "。；！？：:"
INDENT = 12.0  # points: Chinese paragraphs start two characters (about 24 pt) in


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    page: int
    size: float = 0.0  # line height: a change of font size starts a new paragraph (titles)
    pieces: tuple[Piece, ...] = ()  # the pieces between column-wide gaps, when there are several
    cells: tuple[str, ...] | None = None  # the pieces on their run's grid (pdf_grid.py)
    columns: tuple[tuple[float, float], ...] = ()  # that grid's value columns, in points
    frame: int | None = None  # one per run: a borderless table's columns are its own


def _running_lines(pages: list[list[Line]]) -> set[str]:
    """Text that repeats at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    # A set per page: a page holding one line must not count it as both top and bottom.
    edges = Counter(text for lines in pages for text in {ln.text for ln in lines[:1] + lines[-1:]})
    return {text for text, n in edges.items() if n >= max(2, len(pages) // 2)}


def paragraphs(lines: list[Line], left: float, right: float) -> Iterator[Line]:
    """Join wrapped lines. A paragraph starts indented or with a heading mark, and a line that
    stops short of the right margin ends it."""
    current: Line | None = None
    for line in lines:
        if line.pieces:  # a table row drawn without rulings stands alone
            if current is not None:
                yield current
            current = None
            yield line
            continue
        # Tolerances scale with the type: a two-character indent, and Chinese line breaking may
        # leave a full line one character short of the margin.
        em = max(line.size, INDENT)
        starts = bool(_STANDALONE.match(line.text)) or line.x0 > left + 0.9 * em
        resized = current is not None and abs(current.size - line.size) > 1.5
        if current is not None and (starts or resized or current.x1 < right - 1.5 * em):
            yield current
            current = None
        if current is None:
            current = Line(line.text, line.x0, line.x1, line.top, line.page, line.size)
        else:
            current.text, current.x1 = current.text + line.text, line.x1
    if current is not None:
        yield current


def margins(lines: list[Line]) -> tuple[float, float]:
    """(left, right) text margins: the most common line start and end."""
    if not lines:
        return 0.0, 0.0
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    right = Counter(round(ln.x1) for ln in lines).most_common(1)[0][0]
    return float(left), float(right)


def line_block(line: Line) -> Block:
    if line.cells is not None:  # on a grid: every cell in its column, blanks kept
        label, *values = line.cells
        placed = [RawCell(label, page=line.page)] + [
            RawCell(text, page=line.page, x0=x0, x1=x1)
            for text, (x0, x1) in zip(values, line.columns, strict=True)
        ]
        return Table((TableRow(tuple(placed), frame=line.frame),))
    if line.pieces:  # no frame: the pieces' x orders them, it places none under a header
        cells = tuple(RawCell(p.text, page=line.page, x0=p.x0, x1=p.x1) for p in line.pieces)
        return Table((TableRow(cells, spaced=True, shifting=True),))
    cell = RawCell(line.text, page=line.page)
    if _TRAILING_NUMBERS.search(line.text) and not line.text.endswith(tuple(_SENTENCE_END)):
        return Table((TableRow((cell,), spaced=True),))
    return Paragraph(cell)


def body_lines(pages: list[list[Line]]) -> list[Line]:
    """The text lines of every page without running headers and footers, and without page
    numbers, which are only looked for at a page's top and bottom: in the body a lone number
    can be a table value that wrapped onto a line of its own."""
    running = _running_lines(pages)
    body = []
    for lines in pages:
        # A browser's print furniture (date and title, address and page count) sits in the
        # margins: dropped there even on a two-page report, where nothing repeats often enough.
        margins = {id(ln) for ln in lines[:2] + lines[-2:] if is_furniture(ln.text)}
        kept = [ln for ln in lines if ln.text not in running and id(ln) not in margins]
        edges = {id(ln) for ln in kept[:1] + kept[-1:] if _PAGE_NO.match(ln.text)}
        body += [ln for ln in kept if id(ln) not in edges]
    return body
