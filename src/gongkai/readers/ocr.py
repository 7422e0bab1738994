"""Scans (image-only PDF pages, PNG, JPEG) → raw document by OCR (the optional `ocr` extra).

rapidocr runs the PP-OCR models shipped in its wheel with onnxruntime, offline. Ruled tables are
rebuilt from long ink runs that are not strokes inside a text box (ocr_rules.py): the rules give a
cell grid, and a missing wall merges grid cells, whose text goes to the first one (the others stay
empty, as in the PDF and text readers). Other boxes form lines: `spaced` table rows when wide gaps split off a
number, else paragraphs joined by the PDF reader's rules, in points like its thresholds. The
document is marked `ocr=True`: its numbers are readings, trusted once the form's arithmetic holds.
Every cell keeps the box of the text OCR found for it (raw.py), in the text-layer reader's
coordinates, so a scanned page highlights the same way as a text PDF.
"""

from __future__ import annotations

import importlib
import io
import itertools
import re
import warnings
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from gongkai.errors import NotAReport, UnreadableInput
from gongkai.readers.charfix import fix_radicals
from gongkai.readers.ocr_rules import Grid, TextBox, anchors, grids, rulings
from gongkai.readers.pdf_geometry import PDFIUM_LOCK, shown_box, too_many_pages

# The PDF reader's paragraph rules, reused so scans and text PDFs join lines the same way.
from gongkai.readers.pdf_lines import Box, Line, bbox, body_lines, line_block, margins, paragraphs
from gongkai.readers.raw import Block, RawCell, RawDocument, Table, TableRow

if TYPE_CHECKING:  # numpy comes with the extra: imported where used, so ocr_available() can answer
    import numpy as np
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]

DPI = 200  # measured in bench/bench_ocr.py: exact on the samples and ~2× faster than 300 dpi
# Pages of a scan OCR reads: about two seconds a page on one core; a scanned report has tens.
MAX_SCANNED_PAGES = 100
# Pixels of an image scan, checked from its header before it is decoded: an A4 page at 600 dpi is
# 35 million. A 12000×12000 image (144 million) took 2 GB and 46 s to decode only to be scaled down.
MAX_IMAGE_PIXELS = 50_000_000
_MAX_SIDE = 3300  # larger scans are scaled down: OCR time grows with area, accuracy does not
_COLUMN_GAP = 1.5  # line heights: a wider gap between boxes separates table columns
_CONFUSABLE = str.maketrans("OolI|SB，—–－", "0011158,---")
_LATIN = re.compile(r"[0-9A-Za-z]")
_NUMERICISH = re.compile(r"^[-—–－]?[\dOolI|SB,，]+(\.[\dOolI|SB]+)?$")


_Item = tuple[int, float, Block]  # (page, top, block): blocks are ordered by page and top


class _Page(NamedTuple):
    number: int
    gray: Gray
    pt: float  # points per pixel
    # The page's left edge in the text-layer reader's x (pdf_geometry.shown_box): OCR measures
    # from the image's edge, a cell's box from the PDF's origin.
    left: float = 0.0


@lru_cache(maxsize=1)
def ocr_available() -> bool:
    """Whether the `ocr` extra is installed and importable (onnxruntime is loaded with it)."""
    try:
        for name in ("numpy", "onnxruntime", "rapidocr"):
            importlib.import_module(name)
    except Exception:  # a broken native library raises OSError or worse, not only ImportError
        return False
    return True


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr import RapidOCR

    # Only the default models are shipped in the wheel; any other choice would download. The
    # angle classifier is off: it turns lone digits upside down (a table cell's 9 read as 6).
    params = {"Global.log_level": "error", "Global.use_cls": False}
    return RapidOCR(params={**params, "Global.max_side_len": _MAX_SIDE})


def _ocr(page: _Page) -> list[TextBox]:
    result = _engine()(page.gray)
    if result.boxes is None:
        return []
    found = zip(result.boxes, result.txts, strict=True)
    corners = [(t, (*q.min(0), *q.max(0))) for q, t in found if t.strip()]  # x0, top, x1, bottom
    return [TextBox(fix_radicals(t).strip(), *(float(v) * page.pt for v in c)) for t, c in corners]


def _extent(boxes: Sequence[TextBox], left: float) -> Box:
    """The box around some OCR boxes, in the coordinates of a cell's box (raw.py)."""
    x0, x1 = min(b.x0 for b in boxes) + left, max(b.x1 for b in boxes) + left
    return bbox(x0, min(b.top for b in boxes), x1, max(b.bottom for b in boxes))


def _grid_rows(grid: Grid, boxes: list[TextBox], page: _Page) -> tuple[list[_Item], list[TextBox]]:
    """(table rows, boxes left for the text path): a row with one filled cell is a caption."""
    first, width = anchors(grid), len(grid.xs) - 1
    held: dict[tuple[int, int], list[TextBox]] = {}
    for box in boxes:
        cell = grid.cell_at((box.x0 + box.x1) / 2, (box.top + box.bottom) / 2)
        if cell is not None:
            held.setdefault(first[cell], []).append(box)
    rows, used = [], set()
    for i in range(len(grid.ys) - 1):
        filled = {j: held[(i, j)] for j in range(width) if (i, j) in held}
        if len(filled) >= 2:
            used |= {id(box) for cell_boxes in filled.values() for box in cell_boxes}
            rows.append((page.number, grid.ys[i], _table_row(filled, width, page)))
    return rows, [box for box in boxes if id(box) not in used]


def _table_row(filled: dict[int, list[TextBox]], width: int, page: _Page) -> Block:
    texts = {
        j: _digits(_join([_join([b.text for b in ln]) for ln in _lines(bs)]))
        for j, bs in filled.items()
    }
    cells = tuple(
        RawCell(texts[j], page=page.number, bbox=_extent(filled[j], page.left))
        if j in filled
        else RawCell("", page=page.number)
        for j in range(width)
    )
    return Table((TableRow(cells),))


def _lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes clustered into lines by vertical overlap with the line's shortest box, each line
    left to right. The shortest box, because a vertical label's tall box spans many lines."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.top + b.bottom):
        if lines:
            ref = min(lines[-1], key=lambda b: b.bottom - b.top)
            overlap = min(ref.bottom, box.bottom) - max(ref.top, box.top)
            if overlap >= 0.5 * min(ref.bottom - ref.top, box.bottom - box.top):
                lines[-1].append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _join(parts: Sequence[str]) -> str:
    """Chinese needs no space between boxes; two numbers or words side by side do."""
    out = ""
    for part in parts:
        out += " " + part if _LATIN.match(out[-1:]) and _LATIN.match(part) else part
    return out


def _digits(text: str) -> str:
    """Fix OCR letter-for-digit confusions (O/0, l/1, S/5, B/8, —/-), only in a cell that is
    otherwise a number: in a label they are real letters. A lone 一 is a dash read as a
    character (or a 1): kept as the blank mark, so no number is invented."""
    text = text.strip()
    if text == "一":
        return "—"
    has_digit = any(ch.isdigit() for ch in text)
    if not _NUMERICISH.match(text) or (not has_digit and len(text) > 1):
        return text
    return text.translate(_CONFUSABLE)


def _columns(line: list[TextBox]) -> list[list[TextBox]]:
    """Split a line where the gap between boxes is wider than a column gap."""
    height = sorted(b.bottom - b.top for b in line)[len(line) // 2]
    groups = [[line[0]]]
    for prev, box in itertools.pairwise(line):
        if box.x0 - prev.x1 > _COLUMN_GAP * height:
            groups.append([])
        groups[-1].append(box)
    return groups


def _free_lines(boxes: list[TextBox], page: _Page) -> tuple[list[Line], list[_Item]]:
    """(text lines, spaced table rows) from the boxes outside ruled tables."""
    lines: list[Line] = []
    rows: list[_Item] = []
    for line in _lines(boxes):
        groups = _columns(line)
        cells = [_digits(_join([b.text for b in group])) for group in groups]
        top = min(line, key=lambda b: b.bottom - b.top).top  # a tall label box starts higher
        if len(cells) >= 2 and any(_NUMERICISH.match(c) for c in cells):
            raw = tuple(
                RawCell(c, page=page.number, bbox=_extent(g, page.left))
                for c, g in zip(cells, groups, strict=True)
            )
            rows.append((page.number, top, Table((TableRow(raw, spaced=True),))))
        else:
            text = _join([b.text for b in line])
            found = Line(text, line[0].x0, max(b.x1 for b in line), top, page.number)
            found.box = _extent(line, page.left)
            lines.append(found)
    return lines, rows


_PageItems = tuple[list[Line], list[_Item]]


def _read_page(page: _Page) -> _PageItems:
    boxes = _ocr(page)
    rows: list[_Item] = []
    for grid in grids(*rulings(page.gray, page.pt, boxes)):
        grid_rows, boxes = _grid_rows(grid, boxes, page)
        rows += grid_rows
    lines, spaced = _free_lines(boxes, page)
    return lines, rows + spaced


def _document(pages: list[_PageItems], path: str, fmt: str) -> RawDocument:
    if not any(lines or rows for lines, rows in pages):
        raise NotAReport(path, "扫描件中没有识别出文字")
    text_lines = body_lines([lines for lines, _rows in pages])
    left, right = margins(text_lines)
    items = [(p.page, p.top, line_block(p)) for p in paragraphs(text_lines, left, right)]
    items += [item for _lines, rows in pages for item in rows]
    blocks = [block for _page, _top, block in sorted(items, key=lambda it: (it[0], it[1]))]
    return RawDocument(path=path, format=fmt, blocks=blocks, ocr=True)


def _rendered(data: bytes, path: str) -> Iterator[_Page]:
    import numpy as np
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    # PDFium is locked page by page (see PDFIUM_LOCK), not while a page is read by OCR.
    try:
        with PDFIUM_LOCK:
            pdf = pdfium.PdfDocument(data)
            count = len(pdf)
    except pdfium.PdfiumError as exc:
        raise UnreadableInput(path, "PDF 无法解析") from exc
    refused = too_many_pages(count, MAX_SCANNED_PAGES)
    if refused is not None:
        raise UnreadableInput(path, f"扫描件{refused}")
    try:
        for index in range(count):
            with PDFIUM_LOCK:
                page = pdf[index]
                scale = min(DPI / 72, _MAX_SIDE / max(page.get_size()))  # posters: fewer dpi
                bitmap = page.render(scale=scale, grayscale=True)
                gray = np.array(bitmap.to_numpy(), np.uint8).reshape(bitmap.height, bitmap.width)
                left = shown_box(page)[0]
            yield _Page(index + 1, gray, 1 / scale, left)
    except pdfium.PdfiumError as exc:
        raise UnreadableInput(path, "PDF 无法解析") from exc
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def read_scanned_pdf(data: bytes, path: str) -> RawDocument:
    """A PDF whose pages are images: render each page and read it by OCR."""
    return _document([_read_page(page) for page in _rendered(data, path)], path, "pdf")


def _decoded(data: bytes, path: str) -> _Page:
    import numpy as np
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():  # Pillow's own bomb warning: our limit below says it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            header = Image.open(io.BytesIO(data))  # reads the header only
        _within_pixels(header.width, header.height, path)
        image = ImageOps.exif_transpose(header)
        if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
            # Transparent pixels are black underneath; scans are read on white paper.
            image = Image.alpha_composite(
                Image.new("RGBA", image.size, "white"), image.convert("RGBA")
            )
        gray = image.convert("L")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadableInput(path, "图片无法解码") from exc
    dpi = float(image.info.get("dpi", (0, 0))[0] or 0)
    # 72 and 96 dpi are screen defaults, not scan resolutions; then assume an A4-wide page.
    pt, width = (72 / dpi if dpi >= 100 else 595 / gray.width), gray.width
    gray.thumbnail((_MAX_SIDE, _MAX_SIDE))  # in place; a larger scan would only cost time
    return _Page(1, np.asarray(gray, dtype=np.uint8), pt * width / gray.width)


def _within_pixels(width: int, height: int, path: str) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise UnreadableInput(
            path,
            f"图片 {width}×{height} 像素，超过 {MAX_IMAGE_PIXELS // 10**6} 百万像素的上限，未识别",
        )


def read_image(data: bytes, path: str) -> RawDocument:
    """A PNG or JPEG scan of one page."""
    return _document([_read_page(_decoded(data, path))], path, "image")
