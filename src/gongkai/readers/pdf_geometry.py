"""Page geometry from PDFium: characters with their boxes, and ruling edges from painted paths.

pdfplumber's own page model comes from pdfminer, which interprets content streams in Python: about
90% of the PDF reader's time, and three times more on Chromium's Type 3 fonts. PDFium does the same
in C. The dicts built here use pdfplumber's keys and top-left coordinates, so pdf.py can hand them
to pdfplumber's pure table and text functions unchanged.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

Obj = dict[str, Any]
# PDFium must not be entered from two threads at once (pypdfium2's documentation); Dask workers
# parse in threads. Every use of it in gongkai holds this lock.
PDFIUM_LOCK = threading.RLock()
_FLAT = 0.01  # points: a segment this close to level (or plumb) is a ruling
_MAX_DEPTH = 8  # form XObjects nest; a loop of them must not recurse forever


@dataclass(slots=True)
class PageGeometry:
    number: int
    chars: list[Obj]
    edges: list[Obj]
    bbox: tuple[float, float, float, float]


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _painted(obj: Any) -> bool:
    # An unpainted path ('n') only clips; pdfminer does not report it either.
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    return bool(fill.value or stroke.value)


def _subpaths(obj: Any, m: Matrix) -> Iterator[list[tuple[float, float]]]:
    """Straight-line runs of a path, in page space; a curve segment ends a run."""
    x, y = ctypes.c_float(), ctypes.c_float()
    run: list[tuple[float, float]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        point = (m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind != pdfium_c.FPDF_SEGMENT_LINETO:
            if len(run) > 1:
                yield run
            run = [] if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO else [point]
            continue
        run.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            yield [*run, run[0]]
            run = [point]
    if len(run) > 1:
        yield run


def _edge(p: tuple[float, float], q: tuple[float, float], top: float) -> Obj | None:
    x0, x1 = sorted((p[0], q[0]))
    y0, y1 = sorted((top - p[1], top - q[1]))
    if y1 - y0 <= _FLAT:
        orientation = "h"
    elif x1 - x0 <= _FLAT:
        orientation = "v"
    else:
        return None  # diagonal: never a table ruling
    return {
        "x0": x0, "x1": x1, "top": y0, "bottom": y1, "width": x1 - x0, "height": y1 - y0,
        "orientation": orientation, "object_type": "edge",
    }  # fmt: skip


def _path_edges(obj: Any, m: Matrix, top: float) -> Iterator[Obj]:
    if not _painted(obj):
        return
    for run in _subpaths(obj, m):
        for p, q in itertools.pairwise(run):
            edge = _edge(p, q, top)
            if edge is not None:
                yield edge


def _edges(objects: Iterator[Any], outer: Matrix, top: float, depth: int) -> Iterator[Obj]:
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue  # text and images: Chromium makes one text object per glyph
        m = _compose(_matrix(obj), outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield from _path_edges(obj, m, top)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_DEPTH:
            children = (
                pdfium_c.FPDFFormObj_GetObject(obj, i)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            )
            yield from _edges(children, m, top, depth + 1)


@dataclass(slots=True)
class _Glyph:
    text: str
    left: float
    right: float
    top: float  # PDF space: y grows upwards
    bottom: float
    x: float  # the origin, on the baseline
    y: float
    em: float  # the font size in page space
    loose: bool  # the box is PDFium's loose box (advance width × em), not a stand-in
    generated: bool = False


def _em(textpage: Any, i: int) -> float:
    m = pdfium_c.FS_MATRIX()
    size = pdfium_c.FPDFText_GetFontSize(textpage, i)
    if not pdfium_c.FPDFText_GetMatrix(textpage, i, ctypes.byref(m)):
        return float(size)
    # The scale of the text's x axis: |a| for upright text, |b| when the text is turned 90°.
    return float(size * (math.hypot(m.a, m.b) or math.hypot(m.c, m.d) or 1.0))


def _glyph(textpage: Any, i: int, code: int, generated: bool) -> _Glyph | None:
    rect, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    if not pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect):
        return None
    pdfium_c.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y))
    em = _em(textpage, i)
    box = (rect.left, rect.right, rect.top, rect.bottom)
    loose = _trustworthy(box, x.value, em)
    if not loose:
        box = _ink_box(textpage, i)
    return _Glyph(chr(code), *box, x.value, y.value, em, loose, generated)


def _trustworthy(box: tuple[float, float, float, float], x: float, em: float) -> bool:
    """Whether a loose box (left, right, top, bottom) is advance width × em from the origin x.
    PDFium falls back to the ink box for fonts without ascent/descent (Chromium's Type 3 fallback
    fonts: a flat 一 then floats above its line) and mis-scales some vertical-writing fonts (a
    199-point-wide box for a 10-point character in Word's vertical cell labels). Loose boxes may
    be taller than an em (Times New Roman's), which _settle evens out."""
    left, right, top, bottom = box
    return abs(left - x) < 0.01 and top - bottom <= 1.6 * em and right - left <= 1.5 * em


def _ink_box(textpage: Any, i: int) -> tuple[float, float, float, float]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(
        textpage,
        i,
        ctypes.byref(left),
        ctypes.byref(right),
        ctypes.byref(bottom),
        ctypes.byref(top),
    )
    return left.value, right.value, top.value, bottom.value


def _codes(textpage: Any) -> list[tuple[int, int]]:
    """(index, code point) of every character. PDFium gives a character beyond the BMP (CJK
    Extension B, as in some place names: 𠮷) as two UTF-16 halves at two indices; they are joined
    at the first, and a half without its partner becomes U+FFFD."""
    raw = [
        pdfium_c.FPDFText_GetUnicode(textpage, i)
        for i in range(pdfium_c.FPDFText_CountChars(textpage))
    ]
    return join_surrogates(raw)


def join_surrogates(raw: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(raw):
        code, step = raw[i], 1
        if 0xD800 <= code <= 0xDBFF and i + 1 < len(raw) and 0xDC00 <= raw[i + 1] <= 0xDFFF:
            code, step = 0x10000 + ((code - 0xD800) << 10) + (raw[i + 1] - 0xDC00), 2
        elif 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        out.append((i, code))
        i += step
    return out


def _glyphs(textpage: Any) -> list[_Glyph]:
    glyphs = []
    for i, code in _codes(textpage):
        # PDFium turns space glyphs into "generated" spaces of its own (see _spaces) and adds
        # generated line breaks between text objects, which pdfminer never had: dropped.
        generated = pdfium_c.FPDFText_IsGenerated(textpage, i) == 1
        if code in (0, 0xFFFE, 0xFFFF) or (generated and code != 0x20):
            continue
        glyph = _glyph(textpage, i, code, generated)
        if glyph is not None:
            glyphs.append(glyph)
    return glyphs


def _descents(glyphs: list[_Glyph]) -> dict[float, float]:
    """em → the most common descent below the baseline among loose boxes."""
    seen: dict[float, Counter[float]] = {}
    for g in glyphs:
        if g.loose:
            seen.setdefault(round(g.em, 2), Counter())[_descent(g)] += 1
    return {em: counts.most_common(1)[0][0] for em, counts in seen.items()}


def _descent(g: _Glyph) -> float:
    return round(min(max(g.y - g.bottom, 0.0), 0.3 * g.em), 2)


def _settle(glyphs: list[_Glyph]) -> None:
    """Shape every box as pdfminer does: one em tall, from just below the baseline, the same
    descent for every glyph of one size. (PDFium's loose boxes follow each font's ascent and
    descent, so a line mixing a CJK font with Times New Roman digits would get uneven tops and
    heights, and split into paragraphs or even into two lines.) A stand-in box also runs
    from the origin to the next glyph's origin (at most an em), else an em for CJK, else to the
    ink's right edge."""
    descents = _descents(glyphs)
    for g, after in zip(glyphs, [*glyphs[1:], None], strict=False):
        g.bottom = g.y - descents.get(round(g.em, 2), 0.12 * g.em)
        g.top = g.bottom + g.em
        if g.loose:
            continue
        if after is not None and _same_line(g, after) and 0 < after.x - g.x <= 1.05 * g.em:
            g.right = max(g.right, after.x)
        elif _cjk(g.text):  # ideographs and full-width punctuation advance one em
            g.right = max(g.right, g.x + g.em)
        g.left = g.x


def _cjk(text: str) -> bool:
    return text >= "\u2e80"


def _spaces(glyphs: list[_Glyph]) -> list[_Glyph]:
    """Keep a generated space only where it separates two non-CJK glyphs of one line: there it
    can be meaningful ("6 0 0 0" in a table drawn as text, where the gap may be under pdfplumber's
    3-point word break). Next to CJK a space is typography, and PDFium also invents one wherever
    a producer widened the gap (LibreOffice's Asian/Western autospacing, letter-spaced cells).
    The space spans the gap: PDFium puts it at a point that may lie inside the next glyph, which
    would sort it into the middle of a number."""
    kept = []
    for before, g, after in zip([None, *glyphs], glyphs, [*glyphs[1:], None], strict=False):
        if not g.generated:
            kept.append(g)
        elif before is not None and after is not None and _separates(before, after):
            # Just left of the next glyph even where the two touch: chars sort by x0.
            g.left = min(before.right, after.left) - 0.001
            g.right = max(before.right, after.left)
            g.top, g.bottom, g.y = before.top, before.bottom, before.y
            kept.append(g)
    return kept


def _separates(before: _Glyph, after: _Glyph) -> bool:
    return (
        not (before.generated or after.generated or _cjk(before.text) or _cjk(after.text))
        and _same_line(before, after)
        and after.left >= before.right - 0.5
    )


def _same_line(a: _Glyph, b: _Glyph) -> bool:
    return abs(a.y - b.y) < 0.5


def _chars(textpage: Any, top: float) -> list[Obj]:
    glyphs = _glyphs(textpage)
    _settle([g for g in glyphs if not g.generated])
    glyphs = _spaces(glyphs)
    return [_char(g, top) for g in glyphs]


def _char(g: _Glyph, top: float) -> Obj:
    y0, y1 = top - g.top, top - g.bottom
    return {
        "text": g.text, "x0": g.left, "x1": g.right, "top": y0, "bottom": y1, "doctop": y0,
        "width": g.right - g.left, "height": y1 - y0, "size": g.em, "upright": True,
        "object_type": "char",
    }  # fmt: skip


def _upright(page: Any) -> tuple[float, float, float, float]:
    """Turn the content of a page stored rotated (/Rotate) the way a viewer shows it, as pdfminer
    does, and return the box it is shown in: (left, bottom, right, top)."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    turns = {90: (0, -1, 1, 0, -bottom, right), 180: (-1, 0, 0, -1, right, top)}
    turns[270] = (0, 1, -1, 0, top, -left)
    if rotation not in turns:
        return left, bottom, right, top
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        pdfium_c.FPDFPageObj_Transform(pdfium_c.FPDFPage_GetObject(page, i), *turns[rotation])
    width, height = right - left, top - bottom
    return (0.0, 0.0, height, width) if rotation in (90, 270) else (0.0, 0.0, width, height)


def shown_box(page: Any) -> tuple[float, float, float, float]:
    """The page as a viewer shows it (and PDFium renders it), as (x0, top, x1, bottom) in the
    coordinates of the characters read here: the box `_page` gives, without turning anything."""
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    rotation = page.get_rotation() % 360
    if rotation in (90, 270):
        return 0.0, 0.0, height, width
    if rotation == 180:
        return 0.0, 0.0, width, height
    return left, 0.0, right, height


def _page(page: Any, number: int) -> PageGeometry:
    left, bottom, right, top = _upright(page)
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, top)
    finally:
        textpage.close()
    objects = (
        pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))
    )
    edges = list(_edges(objects, _IDENTITY, top, 0))
    return PageGeometry(number, chars, edges, (left, 0.0, right, top - bottom))


# Pages a PDF may have: an annual report has tens (the longest seen, with annexes, under 60). A
# PDF of thousands (a whole gazette, a crafted file) would hold a worker for minutes: refused.
MAX_PAGES = 300


def too_many_pages(count: int, limit: int = MAX_PAGES) -> str | None:
    """Why a PDF of `count` pages is not read, or None when it is within `limit`."""
    if count <= limit:
        return None
    return f"共 {count} 页，超过 {limit} 页的上限，不像一份年度报告，未读取"


def open_document(data: bytes) -> Any:
    """The PDFium document; raises pdfium.PdfiumError for broken or encrypted files."""
    return pdfium.PdfDocument(data)


def pages(document: Any) -> Iterator[PageGeometry]:
    for index in range(len(document)):
        page = document[index]
        try:
            yield _page(page, index + 1)
        finally:
            page.close()


PdfiumError = pdfium.PdfiumError
