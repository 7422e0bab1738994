"""Text-layer PDFs → raw document (pdfplumber).

Ruled tables are found from their lines. A table row whose only content is one spanning cell (a
caption, a heading, or a page of narrative framed by a border) is text, not data: it is read as text
lines. Text lines are joined into paragraphs by indentation; page numbers and running headers are
dropped. Lines outside ruled tables that end in two or more numbers become `spaced` table rows, so
tables without rulings still reach the text path of extract/.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.readers.charfix import fix_radicals
from gongkai.readers.raw import Block, Paragraph, RawCell, RawDocument, Table, TableRow

_PAGE_NO = re.compile(
    r"^[-—–－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*(共\s*)?\d{1,4}\s*页?)?[-—–－\s]*$"
)
_STANDALONE = re.compile(
    r"^(#|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第二十条|信息内容)"
)
_TRAILING_NUMBERS = re.compile(r"\S\s+-?\d[\d,.]*\s+-?\d[\d,.]*\s*$")
_SENTENCE_END = "。；！？：:"
_INDENT = 12.0  # points: Chinese paragraphs start two characters (about 24 pt) in


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    page: int
    size: float = 0.0  # line height: a change of font size starts a new paragraph (titles)


@dataclass(slots=True)
class _Grid:
    rows: list[list[str]]
    top: float
    page: int


def _cell_text(text: str | None) -> str:
    # Wrapped and vertical labels come back with newlines; Chinese needs no space there.
    return "" if text is None else fix_radicals(text.replace("\n", "")).strip()


def _is_data_row(cells: list[str | None]) -> bool:
    return sum(c is not None for c in cells) >= 2 and sum(bool(c) for c in cells) >= 2


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _page_items(page: Any, number: int) -> tuple[list[_Line], list[_Grid]]:
    grids, boxes = [], []
    for table in page.find_tables():
        raw_rows = table.extract()
        for raw, row in zip(raw_rows, table.rows, strict=False):
            if _is_data_row(raw):
                grids.append(_Grid([[_cell_text(c) for c in raw]], row.bbox[1], number))
                boxes.append(row.bbox)
    kept = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    lines = [
        _Line(
            fix_radicals(ln["text"]).strip(),
            ln["x0"],
            ln["x1"],
            ln["top"],
            number,
            ln["bottom"] - ln["top"],
        )
        for ln in kept.extract_text_lines(return_chars=False)
    ]
    return [ln for ln in lines if ln.text], grids


def _running_lines(pages: list[list[_Line]]) -> set[str]:
    """Text that repeats at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    # A set per page: a page holding one line must not count it as both top and bottom.
    edges = Counter(text for lines in pages for text in {ln.text for ln in lines[:1] + lines[-1:]})
    return {text for text, n in edges.items() if n >= max(2, len(pages) // 2)}


def _paragraphs(lines: list[_Line], left: float, right: float) -> Iterator[_Line]:
    """Join wrapped lines. A paragraph starts indented or with a heading mark, and a line that
    stops short of the right margin ends it."""
    current: _Line | None = None
    for line in lines:
        # Tolerances scale with the type: a two-character indent, and Chinese line breaking may
        # leave a full line one character short of the margin.
        em = max(line.size, _INDENT)
        starts = bool(_STANDALONE.match(line.text)) or line.x0 > left + 0.9 * em
        resized = current is not None and abs(current.size - line.size) > 1.5
        if current is not None and (starts or resized or current.x1 < right - 1.5 * em):
            yield current
            current = None
        if current is None:
            current = _Line(line.text, line.x0, line.x1, line.top, line.page, line.size)
        else:
            current.text, current.x1 = current.text + line.text, line.x1
    if current is not None:
        yield current


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """(left, right) text margins: the most common line start and end."""
    if not lines:
        return 0.0, 0.0
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    right = Counter(round(ln.x1) for ln in lines).most_common(1)[0][0]
    return float(left), float(right)


def _line_block(line: _Line) -> Block:
    cell = RawCell(line.text, page=line.page)
    if _TRAILING_NUMBERS.search(line.text) and not line.text.endswith(tuple(_SENTENCE_END)):
        return Table((TableRow((cell,), spaced=True),))
    return Paragraph(cell)


def _blocks(pages: list[tuple[list[_Line], list[_Grid]]]) -> Iterator[Block]:
    running = _running_lines([lines for lines, _ in pages])
    text_lines = [
        ln
        for lines, _ in pages
        for ln in lines
        if ln.text not in running and not _PAGE_NO.match(ln.text)
    ]
    left, right = _margins(text_lines)
    items: list[tuple[int, float, Block]] = [
        (p.page, p.top, _line_block(p)) for p in _paragraphs(text_lines, left, right)
    ]
    for _lines, grids in pages:
        for grid in grids:
            cells = tuple(RawCell(text, page=grid.page) for text in grid.rows[0])
            items.append((grid.page, grid.top, Table((TableRow(cells),))))
    for _page, _top, block in sorted(items, key=lambda item: (item[0], item[1])):
        yield block


def _open(data: bytes, path: str) -> Any:
    import pdfplumber  # a format library: imported only by this reader, only when needed

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise _broken(path, exc) from exc


def _broken(path: str, exc: Exception) -> UnreadableInput:
    # pdfplumber wraps pdfminer's error as the first argument of PdfminerException.
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if "password" in name.lower() or "encrypt" in str(inner).lower():
        return UnreadableInput(path, "PDF 已加密，需要密码才能读取")
    if name in {"PSEOF", "PDFSyntaxError", "PDFNoValidXRef"}:
        return UnreadableInput(path, "PDF 文件损坏或不完整")
    return UnreadableInput(path, f"PDF 无法解析（{name}）")


def read_pdf(data: bytes, path: str) -> RawDocument:
    with _open(data, path) as pdf:
        try:
            pages = [_page_items(page, i) for i, page in enumerate(pdf.pages, 1)]
        except Exception as exc:
            raise _broken(path, exc) from exc
    if pages and not any(lines or grids for lines, grids in pages):
        from gongkai.readers.ocr import ocr_available, read_scanned_pdf  # imports this module

        if not ocr_available():
            raise UnsupportedFormat(path, "扫描件：未安装 OCR 组件（pip install 'gongkai[ocr]'）")
        return read_scanned_pdf(data, path)
    return RawDocument(path=path, format="pdf", blocks=list(_blocks(pages)))
