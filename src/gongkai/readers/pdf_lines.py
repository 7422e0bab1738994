"""Text lines of a PDF page, shared by the text-layer reader (pdf.py) and OCR (ocr.py), so scans
and text PDFs join lines the same way: a line and its pieces, page furniture dropped at a page's
edges, wrapped lines joined into paragraphs by indentation, a line as a raw block whose cells keep
their boxes on the page (raw.py)."""

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
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points (raw.py RawCell.bbox)


def bbox(x0: float, top: float, x1: float, bottom: float) -> Box:
    # Hundredths of a point: finer than any glyph edge means, and the JSON stays short.
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def union(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


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
    box: Box | None = None  # the text's extent on its page; a paragraph's, over its lines there


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
            current.box = line.box
        else:
            current.text, current.x1 = current.text + line.text, line.x1
            if line.page == current.page:  # a box is on one page: the paragraph's start shows
                current.box = union(current.box, line.box)
    if current is not None:
        yield current


def margins(lines: list[Line]) -> tuple[float, float]:
    """(left, right) text margins: the most common line start and end."""
    if not lines:
        return 0.0, 0.0
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    right = Counter(round(ln.x1) for ln in lines).most_common(1)[0][0]
    return float(left), float(right)


def _piece_box(line: Line, pieces: list[Piece]) -> Box | None:
    if line.box is None or not pieces:
        return None
    x0, x1 = min(p.x0 for p in pieces), max(p.x1 for p in pieces)
    return bbox(x0, line.box[1], x1, line.box[3])


def _grid_boxes(line: Line) -> list[Box | None]:
    """The box of each cell of a line on its run's grid (label first): the pieces pdf_grid._place
    put there, each in the column it overlaps most, the others in the label."""
    held: list[list[Piece]] = [[] for _ in range(len(line.columns) + 1)]
    for piece in line.pieces:
        overlaps = [min(piece.x1, c[1]) - max(piece.x0, c[0]) for c in line.columns]
        best = max(range(len(overlaps)), key=overlaps.__getitem__, default=-1)
        held[best + 1 if best >= 0 and overlaps[best] > 0 else 0].append(piece)
    return [_piece_box(line, pieces) for pieces in held]


def line_block(line: Line) -> Block:
    if line.cells is not None:  # on a grid: every cell in its column, blanks kept
        label, *values = line.cells
        label_box, *boxes = _grid_boxes(line)
        placed = [RawCell(label, page=line.page, bbox=label_box)] + [
            RawCell(text, page=line.page, x0=x0, x1=x1, bbox=box)
            for text, (x0, x1), box in zip(values, line.columns, boxes, strict=True)
        ]
        return Table((TableRow(tuple(placed), frame=line.frame),))
    if line.pieces:  # no frame: the pieces' x orders them, it places none under a header
        cells = tuple(
            RawCell(p.text, page=line.page, x0=p.x0, x1=p.x1, bbox=_piece_box(line, [p]))
            for p in line.pieces
        )
        return Table((TableRow(cells, spaced=True, shifting=True),))
    box = None if line.box is None else bbox(*line.box)
    cell = RawCell(line.text, page=line.page, bbox=box)
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
