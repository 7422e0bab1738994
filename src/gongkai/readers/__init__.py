"""Readers: one module per input format; each turns bytes into a RawDocument.

Only readers import format libraries, and only when a file of their format arrives. Format
detection looks at content first (magic bytes, then HTML markup in the first KB), then at the file
name. A name that promises a binary format the bytes do not have is an error, not text. The
formats, their suffixes, sniffing and readers are one table (formats.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePath

from gongkai.errors import OCR_MISSING, UnreadableInput, UnsupportedFormat
from gongkai.readers.files import read_file
from gongkai.readers.formats import BINARY_SUFFIXES, FORMATS, HTML_SUFFIXES, MAGIC, Format
from gongkai.readers.raw import RawDocument
from gongkai.readers.text import read_text

Reader = Callable[[bytes, str], RawDocument]

_HTML_MARK = re.compile(rb"<(!doctype\s+html|html[\s>]|table[\s>]|body[\s>]|head[\s>])", re.I)
_ODT_MIME = b"application/vnd.oasis.opendocument.text"


def _looks_html(data: bytes) -> bool:
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("ascii", "ignore")
    return bool(_HTML_MARK.search(head))


def sniff(data: bytes, path: str = "") -> str:
    """The format from the bytes, then the name: pdf, zip, ole, image, rtf, html or text."""
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    if _looks_html(data) or PurePath(path).suffix.lower() in HTML_SUFFIXES:
        return "html"
    return "text"


def _zip_kind(data: bytes, path: str) -> str:
    """docx, xlsx or odt, from the members of the archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mime = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # bounded: the member may be a bomb
                    mime = member.read(64)
    except Exception as exc:  # zipfile raises BadZipFile, NotImplementedError, zlib.error …
        raise UnreadableInput(path, "ZIP 压缩包损坏，无法打开") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if mime.startswith(_ODT_MIME):
        return "odt"
    raise UnsupportedFormat(path, "ZIP 压缩包中没有 Word、Excel 或 ODT 文档")


def _pdf(path: str, _fmt: Format) -> Reader:
    from gongkai.readers.pdf import read_pdf  # imports pypdfium2 lazily, on first PDF

    return read_pdf


def _image(path: str, _fmt: Format) -> Reader:
    try:  # the OCR extra is optional: without it a scan gets a clear message, never a crash
        from gongkai.readers.ocr import ocr_available, read_image

        available = ocr_available()
    except ImportError:
        available = False
    if not available:
        raise UnsupportedFormat(path, OCR_MISSING)
    return read_image


def _office(_path: str, fmt: Format) -> Reader:
    from gongkai.readers.office import convert_and_read

    # The schema has no odt/rtf/xls: word-processor files converted by LibreOffice, read as DOC.
    return lambda data, path: convert_and_read(data, path, fmt.produces[0])


def _docx(_path: str, _fmt: Format) -> Reader:
    from gongkai.readers.docx import read_docx

    return read_docx


def _xlsx(_path: str, _fmt: Format) -> Reader:
    from gongkai.readers.xlsx import read_xlsx

    return read_xlsx


def _html(_path: str, _fmt: Format) -> Reader:
    from gongkai.readers.html import read_html

    return read_html


def _text(_path: str, _fmt: Format) -> Reader:
    return read_text


# The reader of each format (formats.py `reader`), imported when a file of it arrives.
READERS: dict[str, Callable[[str, Format], Reader]] = {
    "pdf": _pdf,
    "image": _image,
    "office": _office,
    "docx": _docx,
    "xlsx": _xlsx,
    "html": _html,
    "text": _text,
}


def _format(kind: str, data: bytes, path: str) -> Format:
    """The format of bytes sniffing called `kind`: a ZIP by its members, an OLE file or an image
    by its name among the formats that come so, anything else by the kind alone."""
    if kind == "zip":
        kind = _zip_kind(data, path)
        return next(f for f in FORMATS if f.reader == kind or f.label == kind.upper())
    suffix = PurePath(path).suffix.lower()
    same = [f for f in FORMATS if f.sniffed == kind]
    return next((f for f in same if suffix in f.suffixes), same[0])


def read_bytes(data: bytes, path: str) -> RawDocument:
    kind = sniff(data, path)
    expected = BINARY_SUFFIXES.get(PurePath(path).suffix.lower())
    if kind == "text" and expected is not None:
        raise UnreadableInput(
            path, f"扩展名是 {expected}，但内容不是 {expected} 文件（已损坏或被改名）"
        )
    if kind == "text":
        return read_text(data, path)
    try:
        fmt = _format(kind, data, path)
        return READERS[fmt.reader](path, fmt)(data, path)
    except ModuleNotFoundError as exc:  # an optional extra (lxml, python-docx …) is missing
        raise UnsupportedFormat(path, f"缺少 Python 组件 {exc.name}，请安装 gongkai[all]") from exc


def load(path: str | Path) -> bytes:
    """The bytes of a regular file within the size limit, or UnreadableInput naming it and the
    reason in Chinese (files.py)."""
    return read_file(path)


def read_path(path: str | Path) -> tuple[RawDocument, bytes]:
    """Read a file into a raw document; also return its bytes (for hashing)."""
    data = load(path)
    return read_bytes(data, str(path)), data


__all__ = ["RawDocument", "load", "read_bytes", "read_path", "sniff"]
