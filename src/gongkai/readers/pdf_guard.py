"""A PDF's drawing work, bounded before PDFium does it.

PDFium parses a page's content when the page is loaded, form XObjects included, with no limit a
caller can set: a 645-byte PDF whose form draws itself, or a chain of forms each drawing the next ten
times (10⁸ operations), makes it eat gigabytes and abort the process. So before a page is handed to
PDFium, its content streams and the forms they draw are read here (pdfminer's object parser only,
no interpretation): how many operations the page would run, counting each form as often as it is
drawn, and whether any form draws itself. A page over the limits is refused with a reason.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterator
from typing import Any

from gongkai.errors import UnreadableInput
from gongkai.readers.pdf_geometry import MAX_PAGES

# Operations one page may run. The densest report pages seen (Chromium and LibreOffice output of
# the real reports, the published samples) run about 5,000; 40 times that is still a page of text.
MAX_PAGE_OPERATIONS = 200_000
# Forms drawn inside forms: Word and LibreOffice nest two or three deep.
MAX_FORM_DEPTH = 12
# Decoded bytes of one content stream: a page of text is tens of KB. Inflated in bounded steps, so a
# stream that deflates a thousandfold is stopped at the limit, not expanded whole.
MAX_STREAM_BYTES = 32 * 2**20

# An operator: a bare word of one to three letters (`Tj`, `re`, `BT`, `'`), not part of a name
# (`/F1`) or a number. Words inside strings count too: an over-count is on the safe side.
_OPERATOR = re.compile(rb"(?<![\w/.+\-])[A-Za-z'\"][A-Za-z*]{0,2}(?!\w)")
_DRAW = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*Do(?!\w)")
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are about damage


class _Refused(Exception):
    """The page would run more work than the limits allow; the message says which."""


def check_drawing_work(data: bytes, path: str) -> None:
    """Raise UnreadableInput when a page of the PDF exceeds the limits above.

    A file pdfminer cannot parse is left to PDFium, which says what is wrong with it.
    """
    try:
        pages = list(_pages(data))
    except Exception:  # damaged, encrypted, unusual: not this guard's question
        return
    for number, page in enumerate(pages, 1):
        try:
            _page_work(page)
        except _Refused as exc:
            raise UnreadableInput(path, f"第 {number} 页{exc}，未读取") from None
        except Exception:  # a damaged object in one page: PDFium decides
            continue


def _pages(data: bytes) -> Iterator[Any]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    for index, page in enumerate(PDFPage.create_pages(document)):
        if index >= MAX_PAGES:  # the page limit itself is PDFium's reader's to say
            return
        yield page


def _page_work(page: Any) -> None:
    from pdfminer.pdftypes import PDFStream, resolve1

    resources = resolve1(page.resources) or {}
    forms: dict[int, int] = {}
    total = 0
    for ref in page.contents or []:
        stream = resolve1(ref)
        if isinstance(stream, PDFStream):  # anything else is damage: PDFium's to judge
            total += _stream_work(stream, resources, forms, ())
            _bounded(total)


def _stream_work(
    stream: Any, resources: dict[str, Any], forms: dict[int, int], drawing: tuple[int, ...]
) -> int:
    """Operations of one content stream, each form it draws counted as often as it is drawn."""
    from pdfminer.pdftypes import PDFObjRef, resolve1

    content = _decoded(stream)
    total = len(_OPERATOR.findall(content))
    _bounded(total)
    xobjects = resolve1(resources.get("XObject")) or {}
    for name, times in _draw_counts(content).items():
        ref = xobjects.get(name)
        if not isinstance(ref, PDFObjRef):
            continue
        total += times * _form_work(ref, resources, forms, drawing)
        _bounded(total)
    return total


def _form_work(
    ref: Any, resources: dict[str, Any], forms: dict[int, int], drawing: tuple[int, ...]
) -> int:
    from pdfminer.pdftypes import PDFStream, resolve1

    objid = ref.objid
    if objid in drawing:
        raise _Refused("的图形对象（XObject）引用自身，形成循环")
    if len(drawing) >= MAX_FORM_DEPTH:
        raise _Refused(f"的图形对象嵌套超过 {MAX_FORM_DEPTH} 层")
    if objid not in forms:
        form = resolve1(ref)
        if not isinstance(form, PDFStream) or _name(form.get("Subtype")) != "Form":
            forms[objid] = 0  # an image: drawn once, no operations of its own
        else:  # a form without resources of its own uses its caller's (older PDFs)
            own = resolve1(form.get("Resources")) or resources
            forms[objid] = _stream_work(form, own, forms, (*drawing, objid))
    return forms[objid]


def _draw_counts(content: bytes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for match in _DRAW.finditer(content):
        name = match.group(1).decode("latin-1")
        counts[name] = counts.get(name, 0) + 1
    return counts


def _decoded(stream: Any) -> bytes:
    """The stream's bytes, inflated at most to MAX_STREAM_BYTES."""
    filters = [_name(f) for f in stream.get_filters()]
    if filters == ["FlateDecode"] and not stream.get("DecodeParms"):
        inflater = zlib.decompressobj()
        data = inflater.decompress(stream.rawdata or b"", MAX_STREAM_BYTES)
        if inflater.unconsumed_tail:
            raise _Refused(f"的内容流解压后超过 {MAX_STREAM_BYTES // 2**20} MB")
        return data
    # Filter chains are rare in content streams; what they expand to is bounded by the watchdog's
    # memory cap (see gongkai.watchdog), and the size checked here.
    data = stream.get_data()
    if len(data) > MAX_STREAM_BYTES:
        raise _Refused(f"的内容流超过 {MAX_STREAM_BYTES // 2**20} MB")
    return bytes(data)


def _name(value: Any) -> str:
    from pdfminer.psparser import PSLiteral

    if isinstance(value, tuple) and value:
        value = value[0]
    if not isinstance(value, PSLiteral):
        return str(value or "")
    name = value.name
    return name.decode("latin-1") if isinstance(name, bytes) else name


def _bounded(total: int) -> None:
    if total > MAX_PAGE_OPERATIONS:
        raise _Refused(f"的绘图操作超过 {MAX_PAGE_OPERATIONS:,} 个")
