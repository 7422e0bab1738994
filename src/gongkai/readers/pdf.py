"""Text-layer PDFs → raw document (PDFium geometry, pdfplumber's table finder).

Ruled tables are found from their lines. A table row whose only content is one spanning cell (a
caption, a heading, or a page of narrative framed by a border) is text, not data: it is read as text
lines. Text lines are joined into paragraphs by indentation; page numbers and running headers are
dropped. Tables without rulings still reach the text path of extract/: a line with gaps of a
column's width is cut there into a `spaced`, `shifting` table row (a borderless web table printed
to PDF, a Word table without borders), and a line that ends in two or more numbers is a `spaced`
row.

Every cell keeps its page and box (raw.py): a ruled cell the box its rulings draw (a merged cell's
whole box), a cut line's piece or an uncut line the extent of its characters.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gongkai.errors import OCR_MISSING, UnreadableInput, UnsupportedFormat
from gongkai.readers.charfix import fix_radicals
from gongkai.readers.pdf_geometry import (
    PDFIUM_LOCK,
    PageGeometry,
    PdfiumError,
    open_document,
    too_many_pages,
)
from gongkai.readers.pdf_geometry import pages as geometry_pages
from gongkai.readers.pdf_grid import Piece, cut, runs, value_columns
from gongkai.readers.pdf_grid import grid as on_one_grid
from gongkai.readers.pdf_guard import check_drawing_work
from gongkai.readers.pdf_lines import (
    INDENT,
    Box,
    Line,
    bbox,
    body_lines,
    line_block,
    margins,
    paragraphs,
)
from gongkai.readers.raw import Block, RawCell, RawDocument, Table, TableRow

_COLUMN_GAP = 1.5  # ems: wider than any gap inside a sentence, narrower than a tab stop's
_WRAPPED = 30  # characters: at most this long, an uncut line in a table is a wrapped label
# Every table cell of a PDF has its x-interval in page points: one frame for the whole document,
# so a table continued on the next page keeps its header's columns.
_POINTS = 0


@dataclass(slots=True)
class _Grid:
    """One row of a ruled table: each cell's text and box (None: merged away)."""

    cells: list[tuple[str, Box | None]]
    top: float
    page: int


def _cell_text(text: str | None) -> str:
    # Wrapped and vertical labels come back with newlines; Chinese needs no space there.
    return "" if text is None else fix_radicals(text.replace("\n", "")).strip()


def _is_data_row(cells: list[str | None]) -> bool:
    return sum(c is not None for c in cells) >= 2 and sum(bool(c) for c in cells) >= 2


def _tables(edges: list[dict[str, Any]]) -> list[Any]:
    """pdfplumber's default "lines" table finder, fed with PDFium's edges."""
    from pdfplumber import table as finder  # pure geometry: no pdfminer parsing happens here
    from pdfplumber.utils.geometry import filter_edges

    merged = finder.merge_edges(filter_edges(edges, min_length=1), 3, 3, 3, 3)
    points = finder.edges_to_intersections(filter_edges(merged, min_length=3), 3, 3)
    cells = finder.intersections_to_cells(points)
    return [finder.Table(None, group) for group in finder.cells_to_tables(cells)]  # type: ignore[arg-type]


def _in_box(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    # pdfplumber's rule for a cell's characters: the centre, half-open on the far sides.
    x: float = (char["x0"] + char["x1"]) / 2
    y: float = (char["top"] + char["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _in_band(char: dict[str, Any], band: tuple[float, float]) -> bool:
    """Whether a character's centre stands in a row's height (half-open, as _in_box)."""
    y: float = (char["top"] + char["bottom"]) / 2
    return band[0] <= y < band[1]


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _band(cells: list[Any]) -> tuple[float, float]:
    """A row's own height: that of its lowest cell (a taller one is merged over rows below)."""
    lowest = min((c for c in cells if c is not None), key=lambda c: c[3] - c[1])
    return lowest[1], lowest[3]


def _overlapping(cells: list[Any]) -> set[tuple[float, ...]]:
    """Cells the finder made over other cells: a ruling missing under a merged label merges it
    with the labels below into one cell that also covers their own cells."""
    boxes = [tuple(c) for c in cells]
    out = set()
    for a, b in itertools.combinations(boxes, 2):
        if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1:
            out.add(a if _area(a) > _area(b) else b)
    return out


def _row_texts(
    cells: list[Any], chars: list[dict[str, Any]], band: tuple[float, float], broken: set[Any]
) -> tuple[list[str | None], list[dict[str, Any]]]:
    """(each cell's text, None for a position merged away; the characters of a cell the finder
    made over other cells that stand outside this row's band). A character goes to the smallest
    cell that holds it."""
    from pdfplumber.utils.text import extract_text

    inside: list[list[dict[str, Any]]] = [[] for _ in cells]
    elsewhere = []
    boxes = [(i, box) for i, box in enumerate(cells) if box is not None]
    for char in chars:
        holding = [(i, box) for i, box in boxes if _in_box(char, box)]
        if not holding:
            continue
        i, box = min(holding, key=lambda h: _area(h[1]))
        if tuple(box) in broken and not _in_band(char, band):
            elsewhere.append(char)
        else:
            inside[i].append(char)
    texts = [
        None if cell is None else extract_text(found) if found else ""
        for cell, found in zip(cells, inside, strict=True)
    ]
    return texts, elsewhere


def _stranded(
    cells: list[tuple[str, Box | None]],
    row: Any,
    band: tuple[float, float],
    elsewhere: list[dict[str, Any]],
) -> list[tuple[str, Box | None]]:
    """A row's label that the table finder merged into a cell above (a ruling missing under a
    merged label): the characters of that cell standing in this row's band, as a cell at the
    row's first merged-away position, so a row never loses its label."""
    from pdfplumber.utils.text import extract_text

    mine = [
        c
        for c in elsewhere
        if _in_band(c, band) and not any(box is not None and _in_box(c, box) for box in row.cells)
    ]
    free = [i for i, (_text, box) in enumerate(cells) if box is None]
    if not mine or not free:
        return cells
    out = list(cells)
    out[free[0]] = (_cell_text(extract_text(mine)), None)
    return out


def _page_items(page: PageGeometry) -> tuple[list[Line], list[_Grid]]:
    grids, boxes = [], []
    for table in _tables(page.edges):
        elsewhere: list[dict[str, Any]] = []
        found = []
        broken = _overlapping(table.cells)
        for row in table.rows:
            band = _band(row.cells)
            row_chars = [c for c in page.chars if _in_box(c, row.bbox)]
            raw, away = _row_texts(row.cells, row_chars, band, broken)
            elsewhere += away
            found.append((row, raw, band))
        for row, raw, band in found:
            if _is_data_row(raw):
                cells = [
                    (_cell_text(text), None if box is None else (box[0], box[1], box[2], box[3]))
                    for text, box in zip(raw, row.cells, strict=True)
                ]
                grids.append(
                    _Grid(_stranded(cells, row, band, elsewhere), row.bbox[1], page.number)
                )
                boxes.append(row.bbox)
    # The same rule as for cells, so no character is both left out of its cell and of the text.
    text = [c for c in page.chars if not any(_in_box(c, box) for box in boxes)]
    return _text_lines(text, page), grids


def _text_lines(chars: list[dict[str, Any]], page: PageGeometry) -> list[Line]:
    from pdfplumber.utils.text import chars_to_textmap

    width, height = page.bbox[2] - page.bbox[0], page.bbox[3] - page.bbox[1]
    textmap = chars_to_textmap(
        chars, layout_bbox=page.bbox, layout_width=width, layout_height=height
    )
    lines = [_line(ln, page.number) for ln in textmap.extract_text_lines(return_chars=True)]
    return [ln for ln in lines if ln.text]


def _line(found: dict[str, Any], page: int) -> Line:
    size = found["bottom"] - found["top"]
    text = fix_radicals(found["text"]).strip()
    pieces = cut(found["chars"], _COLUMN_GAP * max(size, INDENT))
    line = Line(text, found["x0"], found["x1"], found["top"], page, size, _several(pieces))
    line.box = (found["x0"], found["top"], found["x1"], found["bottom"])
    return line


def _several(pieces: list[Piece]) -> tuple[Piece, ...]:
    kept = tuple(p for p in pieces if p.text)
    return kept if len(kept) > 1 else ()


def _segments(lines: list[Line]) -> list[tuple[list[Line], bool]]:
    """Runs of consecutive cut lines, each with whether only short uncut lines on the same page
    (labels wrapped in their cells) lie between it and the run before."""
    segments: list[tuple[list[Line], bool]] = []
    current: list[Line] | None = None
    joinable, page = False, None
    for line in lines:
        if line.page != page:
            current, joinable, page = None, False, line.page
        if not line.pieces:
            current, joinable = None, joinable and len(line.text) <= _WRAPPED
            continue
        if current is None:
            current = []
            segments.append((current, joinable))
            joinable = True
        current.append(line)
    return segments


def _on_grids(lines: list[Line]) -> None:
    """Cut lines put back on their tables' grids (see pdf_grid.py)."""
    segments = _segments(lines)
    cut_lines = iter([line for segment, _ in segments for line in segment])  # the tables' order
    tables = runs([([line.pieces for line in seg], join) for seg, join in segments])
    for frame, table in enumerate(tables, _POINTS + 1):
        placed = on_one_grid(table)
        columns = tuple(value_columns(table)) if placed else ()
        for line in [next(cut_lines) for _ in table]:
            line.cells = placed.pop(0) if placed else None
            line.columns, line.frame = columns, frame


def _grid_cell(text: str, box: Box | None, page: int) -> RawCell:
    if box is None:  # a position a merged cell covers (or a stranded label: no interval)
        return RawCell(text, page=page, covered=not text)
    return RawCell(text, page=page, x0=box[0], x1=box[2], bbox=bbox(*box))


def _blocks(pages: list[tuple[list[Line], list[_Grid]]]) -> Iterator[Block]:
    text_lines = body_lines([lines for lines, _ in pages])
    _on_grids(text_lines)
    left, right = margins(text_lines)
    items: list[tuple[int, float, Block]] = [
        (p.page, p.top, line_block(p)) for p in paragraphs(text_lines, left, right)
    ]
    for _lines, grids in pages:
        for grid in grids:
            cells = tuple(_grid_cell(text, box, grid.page) for text, box in grid.cells)
            items.append((grid.page, grid.top, Table((TableRow(cells, frame=_POINTS),))))
    for _page, _top, block in sorted(items, key=lambda item: (item[0], item[1])):
        yield block


def _broken(path: str, exc: Exception) -> UnreadableInput:
    message = str(exc).lower()
    if "password" in message:
        return UnreadableInput(path, "PDF 已加密，需要密码才能读取")
    if "format" in message or "file" in message:
        return UnreadableInput(path, "PDF 文件损坏或不完整")
    return UnreadableInput(path, f"PDF 无法解析（{exc}）")


def _truncated(data: bytes) -> bool:
    """PDFium rebuilds a lost cross-reference table and would read half a file without a word.
    A file cut short has lost its closing %%EOF, or, cut inside an incremental update, has PDF
    objects after the last one it kept; bytes a server appended after %%EOF do not count."""
    end = data.rfind(b"%%EOF")
    tail = data[end + 5 :] if end >= 0 else b""
    return end < 0 or b"endobj" in tail or b"startxref" in tail


def _read_pages(data: bytes, path: str) -> list[tuple[list[Line], list[_Grid]]]:
    try:
        document = open_document(data)
    except PdfiumError as exc:
        raise _broken(path, exc) from exc
    refused = too_many_pages(len(document))
    if refused is not None:
        document.close()
        raise UnreadableInput(path, refused)
    try:
        return [_page_items(page) for page in geometry_pages(document)]
    except Exception as exc:  # a damaged page can fail anywhere in PDFium or the table finder
        raise UnreadableInput(path, "PDF 页面内容无法解析") from exc
    finally:
        document.close()


def read_pdf(data: bytes, path: str) -> RawDocument:
    if _truncated(data):
        raise UnreadableInput(path, "PDF 文件损坏或不完整")
    check_drawing_work(data, path)  # before PDFium, which has no limit of its own
    with PDFIUM_LOCK:
        pages = _read_pages(data, path)
    if pages and not any(lines or grids for lines, grids in pages):
        from gongkai.readers.ocr import ocr_available, read_scanned_pdf  # the optional extra

        if not ocr_available():
            raise UnsupportedFormat(path, OCR_MISSING)
        return read_scanned_pdf(data, path)
    return RawDocument(path=path, format="pdf", blocks=list(_blocks(pages)))
