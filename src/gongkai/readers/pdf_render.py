"""A PDF page as a PNG image, and the page's box: what a person needs to see where a cell was read
(the web app draws the cell's box, raw.py `RawCell.bbox`, over the image).

Rendering runs PDFium on a file that may have changed since it was read, so it keeps the reader's
limits: the drawing work of every page is bounded before PDFium loads one (pdf_guard.py), a PDF
of more than MAX_PAGES pages is refused (pdf_geometry.py), and the image is at most
MAX_RENDER_PIXELS (a poster-sized page is drawn at a smaller scale). Wall-clock time is the
caller's to bound: the web app renders in a watchdog child (web/source_pages.py).
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

from gongkai.errors import UnreadableInput
from gongkai.readers.pdf_geometry import (
    PDFIUM_LOCK,
    PdfiumError,
    open_document,
    shown_box,
    too_many_pages,
)
from gongkai.readers.pdf_guard import check_drawing_work
from gongkai.readers.pdf_lines import Box

# Pixels of one rendered page: an A4 page at scale 2 (144 dpi, sharp enough to read a table's
# figures) is 2.0 million; the cap leaves room for A3 at that scale and stops a 200-inch page.
MAX_RENDER_PIXELS = 8_000_000
MIN_SCALE, MAX_SCALE = 0.25, 4.0
_PNG_LEVEL = 6  # zlib's default: a text page compresses about 20×, and faster than level 9

T = TypeVar("T")


def page_box(data: bytes, page: int, path: str = "") -> Box:
    """Page `page` (1-based) as shown, as (x0, top, x1, bottom) in points: the frame of the
    cells' boxes, so a box at (x0, top) stands at ((x0 - box.x0) × scale, top × scale) pixels."""
    return _with_page(data, page, path, shown_box)


def render_page(data: bytes, page: int, scale: float = 2.0, path: str = "") -> bytes:
    """Page `page` (1-based) as an RGB PNG, `scale` pixels per point (1 = 72 dpi), lowered
    where the image would exceed MAX_RENDER_PIXELS. UnreadableInput names the reason."""
    scale = min(max(scale, MIN_SCALE), MAX_SCALE)
    return _with_page(data, page, path, lambda p: _png(p, scale))


def _with_page(data: bytes, number: int, path: str, use: Callable[[Any], T]) -> T:
    check_drawing_work(data, path)  # before PDFium, which has no limit of its own
    with PDFIUM_LOCK:
        try:
            document = open_document(data)
        except PdfiumError as exc:
            raise UnreadableInput(path, "PDF 文件损坏、已加密或不完整，无法显示页面") from exc
        try:
            count = len(document)
            refused = too_many_pages(count)
            if refused is not None:
                raise UnreadableInput(path, refused)
            if not 1 <= number <= count:
                raise UnreadableInput(path, f"没有第 {number} 页（共 {count} 页）")
            page = document[number - 1]
            try:
                return use(page)
            finally:
                page.close()
        except PdfiumError as exc:
            raise UnreadableInput(path, f"第 {number} 页无法显示（{exc}）") from exc
        finally:
            document.close()


def _png(page: Any, scale: float) -> bytes:
    width, height = page.get_size()
    scale = min(scale, math.sqrt(MAX_RENDER_PIXELS / max(width * height, 1.0)))
    while math.ceil(width * scale) * math.ceil(height * scale) > MAX_RENDER_PIXELS:
        scale *= 0.99  # PDFium's bitmap rounds each side up
    bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, 3 bytes a pixel
    try:
        return encode_png(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride)
    finally:
        bitmap.close()


def encode_png(rgb: bytes, width: int, height: int, stride: int) -> bytes:
    """RGB rows (`stride` bytes apart) as a PNG. Written here rather than through Pillow, which
    the `pdf` extra does not bring."""
    row = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride : y * stride + row] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, _PNG_LEVEL))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
