"""Scans (image-only PDF pages, PNG, JPEG) → raw document by OCR (the optional `ocr` extra).

rapidocr runs the PP-OCR models shipped in its wheel with onnxruntime, offline. Ruled tables are
rebuilt from long ink runs that are not strokes inside a text box: the rules give a cell grid, and a
missing wall merges grid cells, whose text goes to the first one (the others stay empty, as in the
PDF and text readers). Other boxes form lines: `spaced` table rows when wide gaps split off a
number, else paragraphs joined by the PDF reader's rules, in points like its thresholds. The
document is marked `ocr=True`: its numbers are readings, trusted once the form's arithmetic holds.
"""

from __future__ import annotations

import bisect
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
from gongkai.readers.pdf_geometry import PDFIUM_LOCK, too_many_pages

# The PDF reader's paragraph rules, reused so scans and text PDFs join lines the same way.
from gongkai.readers.pdf_lines import Line, body_lines, line_block, margins, paragraphs
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
_DARK = 70  # grey levels below the paper: ink; light cell shading stays above it
_SMOOTH = 3.0  # points: averaging along a rule bridges the specks a noisy scan breaks it into
_RULE_MIN = 20.0  # points: longer than any character stroke, shorter than any table rule
_STUB_MIN = 8.0  # points: vertical rules as short as one thin table row
_TOL = 3.0  # points: rule thickness plus anti-aliasing
_COLUMN_GAP = 1.5  # line heights: a wider gap between boxes separates table columns
_CONFUSABLE = str.maketrans("OolI|SB，—–－", "0011158,---")
_LATIN = re.compile(r"[0-9A-Za-z]")
_NUMERICISH = re.compile(r"^[-—–－]?[\dOolI|SB,，]+(\.[\dOolI|SB]+)?$")


class _Box(NamedTuple):  # one OCR box, in points
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class _Rule(NamedTuple):  # a ruling segment: `pos` across it, `lo`..`hi` along it (points)
    pos: float
    lo: float
    hi: float


_Item = tuple[int, float, Block]  # (page, top, block): blocks are ordered by page and top


class _Page(NamedTuple):
    number: int
    gray: Gray
    pt: float  # points per pixel


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


def _ocr(page: _Page) -> list[_Box]:
    result = _engine()(page.gray)
    if result.boxes is None:
        return []
    found = zip(result.boxes, result.txts, strict=True)
    corners = [(t, (*q.min(0), *q.max(0))) for q, t in found if t.strip()]  # x0, top, x1, bottom
    return [_Box(fix_radicals(t).strip(), *(float(v) * page.pt for v in c)) for t, c in corners]


def _ink(page: _Page, gray: Gray) -> npt.NDArray[np.bool_]:
    """Ink pixels after averaging along the rows, relative to the paper's grey."""
    import numpy as np

    width = max(1, round(_SMOOTH / page.pt))
    sums = np.cumsum(gray, axis=1, dtype=np.int32)
    sums[:, width:] = sums[:, width:] - sums[:, :-width]
    return sums < (float(np.median(gray[::8, ::8])) - _DARK) * width  # the median grey is paper


def _runs(mask: npt.NDArray[np.bool_], min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of ink along the rows at least `min_len` pixels long."""
    import numpy as np

    steps = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(steps == 1)
    _rows, ends = np.nonzero(steps == -1)  # row-major order pairs every start with its end
    keep = ends - starts >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _segments(runs: list[tuple[int, int, int]], pt: float) -> list[_Rule]:
    """Stack runs on nearby pixel rows into one rule, bridging the breaks of a faint scan."""
    gap = round(_SMOOTH / pt)
    open_: list[list[int]] = []  # [first row, last row, start, end]
    done: list[list[int]] = []
    for row, start, end in runs:
        for seg in open_:
            if seg[1] >= row - 2 and start <= seg[3] + gap and end >= seg[2] - gap:
                seg[1], seg[2], seg[3] = row, min(seg[2], start), max(seg[3], end)
                break
        else:
            open_.append([row, row, start, end])
        done += [s for s in open_ if s[1] < row - 2]
        open_ = [s for s in open_ if s[1] >= row - 2]
    return [_Rule((a + b + 1) / 2 * pt, lo * pt, hi * pt) for a, b, lo, hi in done + open_]


def _rulings(page: _Page, boxes: list[_Box]) -> tuple[list[_Rule], list[_Rule]]:
    """(horizontal, vertical) table rules: ink runs that are not strokes inside a text box (a big
    `1` or `0` can be as tall as a tight row), with verticals crossing a horizontal."""
    runs = _segments(_runs(_ink(page, page.gray), round(_RULE_MIN / page.pt)), page.pt)
    horizontal = [h for h in runs if not any(_in_text(h, box, vertical=False) for box in boxes)]
    stubs = _segments(_runs(_ink(page, page.gray.T), round(_STUB_MIN / page.pt)), page.pt)
    stubs = [v for v in stubs if not any(_in_text(v, box, vertical=True) for box in boxes)]
    # One end is enough: a table broken by a page has no rule at its open end.
    vertical = [v for v in stubs if any(_crosses(v, h) for h in horizontal)]
    framed = [h for h in horizontal if sum(_crosses(v, h) for v in vertical) >= 2]
    return framed, vertical


def _in_text(rule: _Rule, box: _Box, *, vertical: bool) -> bool:
    """A stroke of the box's text. A rule never runs through a box (boxes sit inside cells), so
    the rule's length may exceed the box by the tolerance: strokes stick out of tight boxes."""
    across = (box.x0, box.x1) if vertical else (box.top, box.bottom)
    along = (box.top - _TOL, box.bottom + _TOL) if vertical else (box.x0 - _TOL, box.x1 + _TOL)
    return across[0] < rule.pos < across[1] and along[0] <= rule.lo and rule.hi <= along[1]


def _crosses(v: _Rule, h: _Rule) -> bool:
    return h.lo - _TOL <= v.pos <= h.hi + _TOL and v.lo - _TOL <= h.pos <= v.hi + _TOL


class _Grid(NamedTuple):
    ys: list[float]
    xs: list[float]
    horizontal: list[_Rule]
    vertical: list[_Rule]

    def wall(self, i: int, j: int, *, right: bool) -> bool:
        """Whether a rule separates grid cell (i, j) from its neighbour (right or below)."""
        rules, pos, mid = (
            (self.vertical, self.xs[j + 1], (self.ys[i] + self.ys[i + 1]) / 2)
            if right
            else (self.horizontal, self.ys[i + 1], (self.xs[j] + self.xs[j + 1]) / 2)
        )
        return any(abs(r.pos - pos) <= _TOL and r.lo - _TOL <= mid <= r.hi + _TOL for r in rules)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        i, j = bisect.bisect_right(self.ys, y) - 1, bisect.bisect_right(self.xs, x) - 1
        return (i, j) if 0 <= i < len(self.ys) - 1 and 0 <= j < len(self.xs) - 1 else None


def _find(parent: dict[Any, Any], a: Any) -> Any:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _positions(rules: list[_Rule]) -> list[float]:
    """Rule positions, with rules closer than the tolerance counted once."""
    out: list[float] = []
    for pos in sorted(r.pos for r in rules):
        if not out or pos - out[-1] > 2 * _TOL:
            out.append(pos)
    return out


def _grids(horizontal: list[_Rule], vertical: list[_Rule]) -> list[_Grid]:
    """One grid per group of crossing rules with at least two rules each way."""
    parent: dict[Any, Any] = {r: r for r in (*horizontal, *vertical)}
    for h in horizontal:
        for v in vertical:
            if _crosses(v, h):
                parent[_find(parent, h)] = _find(parent, v)
    groups: dict[Any, tuple[list[_Rule], list[_Rule]]] = {}
    for h in horizontal:
        groups.setdefault(_find(parent, h), ([], []))[0].append(h)
    for v in vertical:
        groups.setdefault(_find(parent, v), ([], []))[1].append(v)
    return [
        _Grid(_edges(_positions(hs), vs), _edges(_positions(vs), hs), hs, vs)
        for hs, vs in groups.values()
        if len(hs) >= 2 and len(vs) >= 2
    ]


def _edges(positions: list[float], across: list[_Rule]) -> list[float]:
    """Close open sides (a table cut by a page break): it ends where the rules across it end."""
    lo, hi = min(r.lo for r in across), max(r.hi for r in across)
    head = [lo] if lo < positions[0] - 2 * _TOL else []
    tail = [hi] if hi > positions[-1] + 2 * _TOL else []
    return head + positions + tail


def _anchors(grid: _Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """Each grid cell → the first grid cell of the merged cell it belongs to."""
    cells = [(i, j) for i in range(len(grid.ys) - 1) for j in range(len(grid.xs) - 1)]
    parent: dict[Any, Any] = {c: c for c in cells}
    for i, j in cells:
        if j + 1 < len(grid.xs) - 1 and not grid.wall(i, j, right=True):
            parent[_find(parent, (i, j + 1))] = _find(parent, (i, j))
        if i + 1 < len(grid.ys) - 1 and not grid.wall(i, j, right=False):
            parent[_find(parent, (i + 1, j))] = _find(parent, (i, j))
    first: dict[Any, tuple[int, int]] = {}
    for cell in cells:  # row-major, so the first cell seen is the top-left one
        first.setdefault(_find(parent, cell), cell)
    return {cell: first[_find(parent, cell)] for cell in cells}


def _grid_rows(grid: _Grid, boxes: list[_Box], page: int) -> tuple[list[_Item], list[_Box]]:
    """(table rows, boxes left for the text path): a row with one filled cell is a caption."""
    anchors, width = _anchors(grid), len(grid.xs) - 1
    held: dict[tuple[int, int], list[_Box]] = {}
    for box in boxes:
        cell = grid.cell_at((box.x0 + box.x1) / 2, (box.top + box.bottom) / 2)
        if cell is not None:
            held.setdefault(anchors[cell], []).append(box)
    rows, used = [], set()
    for i in range(len(grid.ys) - 1):
        filled = {j: held[(i, j)] for j in range(width) if (i, j) in held}
        if len(filled) >= 2:
            used |= {id(box) for cell_boxes in filled.values() for box in cell_boxes}
            rows.append((page, grid.ys[i], _table_row(filled, width, page)))
    return rows, [box for box in boxes if id(box) not in used]


def _table_row(filled: dict[int, list[_Box]], width: int, page: int) -> Block:
    texts = {
        j: _digits(_join([_join([b.text for b in ln]) for ln in _lines(bs)]))
        for j, bs in filled.items()
    }
    return Table((TableRow(tuple(RawCell(texts.get(j, ""), page=page) for j in range(width))),))


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes clustered into lines by vertical overlap with the line's shortest box, each line
    left to right. The shortest box, because a vertical label's tall box spans many lines."""
    lines: list[list[_Box]] = []
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


def _columns(line: list[_Box]) -> list[list[_Box]]:
    """Split a line where the gap between boxes is wider than a column gap."""
    height = sorted(b.bottom - b.top for b in line)[len(line) // 2]
    groups = [[line[0]]]
    for prev, box in itertools.pairwise(line):
        if box.x0 - prev.x1 > _COLUMN_GAP * height:
            groups.append([])
        groups[-1].append(box)
    return groups


def _free_lines(boxes: list[_Box], page: int) -> tuple[list[Line], list[_Item]]:
    """(text lines, spaced table rows) from the boxes outside ruled tables."""
    lines: list[Line] = []
    rows: list[_Item] = []
    for line in _lines(boxes):
        cells = [_digits(_join([b.text for b in group])) for group in _columns(line)]
        top = min(line, key=lambda b: b.bottom - b.top).top  # a tall label box starts higher
        if len(cells) >= 2 and any(_NUMERICISH.match(c) for c in cells):
            raw = tuple(RawCell(c, page=page) for c in cells)
            rows.append((page, top, Table((TableRow(raw, spaced=True),))))
        else:
            text = _join([b.text for b in line])
            lines.append(Line(text, line[0].x0, max(b.x1 for b in line), top, page))
    return lines, rows


_PageItems = tuple[list[Line], list[_Item]]


def _read_page(page: _Page) -> _PageItems:
    boxes = _ocr(page)
    rows: list[_Item] = []
    for grid in _grids(*_rulings(page, boxes)):
        grid_rows, boxes = _grid_rows(grid, boxes, page.number)
        rows += grid_rows
    lines, spaced = _free_lines(boxes, page.number)
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
            yield _Page(index + 1, gray, 1 / scale)
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
