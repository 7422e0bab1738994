"""Scans (image-only PDF pages, PNG, JPEG) → raw document through OCR (the optional `ocr` extra).

rapidocr ships its PP-OCR models inside the wheel and runs them with onnxruntime, offline
(notes/dependencies.md §4). OCR yields text boxes; the layout is rebuilt here:

- Ruled tables are found from the bitmap: long dark horizontal runs are candidate rules, and
  vertical runs count only when both ends meet one, which text strokes never do. The rules give a
  cell grid; a missing wall between two grid cells makes them one merged cell, whose text goes to its
  first grid cell while the others stay empty, as in the PDF and text readers.
- Boxes outside ruled tables are clustered into lines. A line whose boxes stand apart by wide gaps
  and hold a number is a `spaced` table row (its blanks are lost); other lines become paragraphs
  exactly as the text-layer PDF reader joins them.

Coordinates are kept in PDF points (1/72 inch) so the PDF reader's thresholds apply unchanged.
The document is marked `ocr=True`: its numbers are readings, to be trusted only once the form's
arithmetic holds.
"""

from __future__ import annotations

import importlib
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gongkai.errors import NotAReport, UnreadableInput
from gongkai.readers.charfix import fix_radicals

# The PDF reader's paragraph rules, reused so scans and text PDFs join lines the same way.
from gongkai.readers.pdf import _PAGE_NO, _Line, _line_block, _margins, _paragraphs, _running_lines
from gongkai.readers.raw import Block, RawCell, RawDocument, Table, TableRow

if TYPE_CHECKING:  # numpy comes with the `ocr` extra: imported where used, so that this module
    # loads without it and ocr_available() can answer.
    import numpy as np
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]

DPI = 200  # measured in bench/bench_ocr.py: exact on the samples and ~2× faster than 300 dpi
_MAX_SIDE = 3300  # larger scans are scaled down: OCR time grows with area, accuracy does not
_DARK = 70  # grey levels below the paper: ink; light cell shading stays above it
_SMOOTH = 3.0  # points: averaging along a rule bridges the specks a noisy scan breaks it into
_RULE_MIN = 20.0  # points: longer than any character stroke, shorter than any table rule
_STUB_MIN = 8.0  # points: vertical rules as short as one thin table row
_TOL = 3.0  # points: rule thickness plus anti-aliasing
_COLUMN_GAP = 1.5  # line heights: a wider gap between boxes separates table columns
_CONFUSABLE = str.maketrans(
    {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8", "，": ","}
    | dict.fromkeys("—–－", "-")
)
_NUMERICISH = re.compile(r"^[-—–－]?[\dOolI|SB,，]+(\.[\dOolI|SB]+)?$")


@dataclass(frozen=True, slots=True)
class _Box:
    """One OCR box in points."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class _Rule:
    """A ruling segment: `pos` across it, `lo`..`hi` along it (points)."""

    pos: float
    lo: float
    hi: float


@dataclass(frozen=True, slots=True)
class _Page:
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
    params = {
        "Global.log_level": "error",
        "Global.max_side_len": _MAX_SIDE,
        "Global.use_cls": False,
    }
    return RapidOCR(params=params)


def _ocr(page: _Page) -> list[_Box]:
    result = _engine()(page.gray)
    if result.boxes is None:
        return []
    boxes = []
    for quad, text in zip(result.boxes, result.txts, strict=True):
        xs, ys = quad[:, 0] * page.pt, quad[:, 1] * page.pt
        text = fix_radicals(text).strip()
        if text:
            boxes.append(
                _Box(text, float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            )
    return boxes


# --- rulings -----------------------------------------------------------------------------------


def _ink(page: _Page, gray: Gray) -> npt.NDArray[np.bool_]:
    """Ink pixels after averaging along the rows, relative to the paper's grey."""
    import numpy as np

    width = max(1, round(_SMOOTH / page.pt))
    sums = np.cumsum(gray, axis=1, dtype=np.int32)
    sums[:, width:] = sums[:, width:] - sums[:, :-width]
    paper = float(np.median(gray[::8, ::8]))
    return sums < (paper - _DARK) * width


def _runs(mask: npt.NDArray[np.bool_], min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of ink along the rows at least `min_len` pixels long."""
    import numpy as np

    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    _rows, ends = np.nonzero(steps == -1)  # row-major order pairs every start with its end
    keep = ends - starts >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _segments(runs: list[tuple[int, int, int]], pt: float) -> list[_Rule]:
    """Stack runs on neighbouring pixel rows into one rule (rules are several pixels thick), and
    bridge the short breaks a faint scanned rule has."""
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


def _meets(rule: _Rule, pos: float, along: float) -> bool:
    return abs(rule.pos - pos) <= _TOL and rule.lo - _TOL <= along <= rule.hi + _TOL


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


# --- ruled tables → grid rows ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Grid:
    ys: list[float]
    xs: list[float]
    horizontal: list[_Rule]
    vertical: list[_Rule]

    def wall_right(self, i: int, j: int) -> bool:
        mid = (self.ys[i] + self.ys[i + 1]) / 2
        return any(_meets(v, self.xs[j + 1], mid) for v in self.vertical)

    def wall_below(self, i: int, j: int) -> bool:
        mid = (self.xs[j] + self.xs[j + 1]) / 2
        return any(_meets(h, self.ys[i + 1], mid) for h in self.horizontal)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        i = next((k for k in range(len(self.ys) - 1) if self.ys[k] <= y < self.ys[k + 1]), None)
        j = next((k for k in range(len(self.xs) - 1) if self.xs[k] <= x < self.xs[k + 1]), None)
        return None if i is None or j is None else (i, j)


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
    """Close an open side: a table cut by a page break (or drawn without side borders) ends
    where the rules across it end."""
    lo, hi = min(r.lo for r in across), max(r.hi for r in across)
    head = [lo] if lo < positions[0] - 2 * _TOL else []
    tail = [hi] if hi > positions[-1] + 2 * _TOL else []
    return head + positions + tail


def _anchors(grid: _Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """Each grid cell → the first grid cell of the merged cell it belongs to."""
    cells = [(i, j) for i in range(len(grid.ys) - 1) for j in range(len(grid.xs) - 1)]
    parent: dict[Any, Any] = {c: c for c in cells}
    for i, j in cells:
        if j + 1 < len(grid.xs) - 1 and not grid.wall_right(i, j):
            parent[_find(parent, (i, j + 1))] = _find(parent, (i, j))
        if i + 1 < len(grid.ys) - 1 and not grid.wall_below(i, j):
            parent[_find(parent, (i + 1, j))] = _find(parent, (i, j))
    first: dict[Any, tuple[int, int]] = {}
    for cell in cells:  # row-major, so the first cell seen is the top-left one
        first.setdefault(_find(parent, cell), cell)
    return {cell: first[_find(parent, cell)] for cell in cells}


def _grid_rows(
    grid: _Grid, boxes: list[_Box], page: int
) -> tuple[list[tuple[int, float, Block]], list[_Box]]:
    """(table rows as blocks, boxes left for the text path): a row with one filled cell is text."""
    anchors = _anchors(grid)
    held: dict[tuple[int, int], list[_Box]] = {}
    free = []
    for box in boxes:
        cell = grid.cell_at(box.cx, box.cy)
        if cell is None:
            free.append(box)
        else:
            held.setdefault(anchors[cell], []).append(box)
    rows: list[tuple[int, float, Block]] = []
    for i in range(len(grid.ys) - 1):
        filled = [(j, held[(i, j)]) for j in range(len(grid.xs) - 1) if (i, j) in held]
        if len(filled) < 2:
            free += [box for _j, cell_boxes in filled for box in cell_boxes]
            continue
        texts = {j: _digits(_text(cell_boxes)) for j, cell_boxes in filled}
        cells = tuple(RawCell(texts.get(j, ""), page=page) for j in range(len(grid.xs) - 1))
        rows.append((page, grid.ys[i], Table((TableRow(cells),))))
    return rows, free


# --- text lines --------------------------------------------------------------------------------


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes clustered into lines by vertical overlap with the line's shortest box, each line
    left to right. The shortest box, because a vertical label's tall box spans many lines."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
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
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and part[:1].isascii()
            and part[:1].isalnum()
        ):
            out += " "
        out += part
    return out


def _text(boxes: list[_Box]) -> str:
    return _join([_join([b.text for b in line]) for line in _lines(boxes)])


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


def _free_lines(boxes: list[_Box], page: int) -> tuple[list[_Line], list[tuple[int, float, Block]]]:
    """(text lines, spaced table rows) from the boxes outside ruled tables."""
    lines: list[_Line] = []
    rows: list[tuple[int, float, Block]] = []
    for line in _lines(boxes):
        cells = [_digits(_join([b.text for b in group])) for group in _columns(line)]
        top = min(line, key=lambda b: b.bottom - b.top).top  # a tall label box starts higher
        if len(cells) >= 2 and any(_NUMERICISH.match(c) for c in cells):
            raw = tuple(RawCell(c, page=page) for c in cells)
            rows.append((page, top, Table((TableRow(raw, spaced=True),))))
        else:
            text = _join([b.text for b in line])
            lines.append(_Line(text, line[0].x0, max(b.x1 for b in line), top, page))
    return lines, rows


# --- pages → document --------------------------------------------------------------------------

_PageItems = tuple[list[_Line], list[tuple[int, float, Block]]]


def _read_page(page: _Page) -> _PageItems:
    boxes = _ocr(page)
    rows: list[tuple[int, float, Block]] = []
    for grid in _grids(*_rulings(page, boxes)):
        grid_rows, boxes = _grid_rows(grid, boxes, page.number)
        rows += grid_rows
    lines, spaced = _free_lines(boxes, page.number)
    return lines, rows + spaced


def _document(pages: list[_PageItems], path: str, fmt: str) -> RawDocument:
    if not any(lines or rows for lines, rows in pages):
        raise NotAReport(path, "扫描件中没有识别出文字")
    running = _running_lines([lines for lines, _rows in pages])
    text_lines = [
        ln
        for lines, _rows in pages
        for ln in lines
        if ln.text not in running and not _PAGE_NO.match(ln.text)
    ]
    left, right = _margins(text_lines)
    items = [(p.page, p.top, _line_block(p)) for p in _paragraphs(text_lines, left, right)]
    items += [item for _lines, rows in pages for item in rows]
    blocks = [block for _page, _top, block in sorted(items, key=lambda it: (it[0], it[1]))]
    return RawDocument(path=path, format=fmt, blocks=blocks, ocr=True)


def _rendered(data: bytes, path: str) -> Iterator[_Page]:
    import numpy as np
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableInput(path, "PDF 无法解析") from exc
    try:
        for index in range(len(pdf)):
            bitmap = pdf[index].render(scale=DPI / 72, grayscale=True)
            gray = np.array(bitmap.to_numpy(), dtype=np.uint8).reshape(bitmap.height, bitmap.width)
            yield _Page(index + 1, gray, 72 / DPI)
    finally:
        pdf.close()


def read_scanned_pdf(data: bytes, path: str) -> RawDocument:
    """A PDF whose pages are images: render each page and read it by OCR."""
    return _document([_read_page(page) for page in _rendered(data, path)], path, "pdf")


def _decoded(data: bytes, path: str) -> _Page:
    import numpy as np
    from PIL import Image, ImageOps

    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
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
    pt = 72 / dpi if dpi >= 100 else 595 / gray.width
    if max(gray.size) > _MAX_SIDE:
        factor = _MAX_SIDE / max(gray.size)
        gray = gray.resize((round(gray.width * factor), round(gray.height * factor)))
        pt /= factor
    return _Page(1, np.asarray(gray, dtype=np.uint8), pt)


def read_image(data: bytes, path: str) -> RawDocument:
    """A PNG or JPEG scan of one page."""
    return _document([_read_page(_decoded(data, path))], path, "image")
