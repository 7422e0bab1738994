"""Readers: one module per input format; each turns bytes into a RawDocument.

Only readers import format libraries, and only when a file of their format arrives. Format
detection looks at content first (magic bytes, then HTML markup in the first KB), then at the file
name. A name that promises a binary format the bytes do not have is an error, not text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePath

from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.readers.raw import RawDocument
from gongkai.readers.text import read_text

Reader = Callable[[bytes, str], RawDocument]

_MAGIC = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"{\\rtf", "rtf"),
)
_HTML_MARK = re.compile(rb"<(!doctype\s+html|html[\s>]|table[\s>]|body[\s>]|head[\s>])", re.I)
_HTML_NAMES = frozenset({".htm", ".html", ".shtml", ".xhtml"})
# What each binary extension should start with; bytes that do not are a damaged or renamed file.
_BINARY_NAMES = {
    ".pdf": "PDF",
    ".docx": "DOCX",
    ".doc": "DOC",
    ".wps": "WPS",
    ".odt": "ODT",
    ".rtf": "RTF",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".xls": "XLS",
    ".xlsx": "XLSX",
}
_ODT_MIME = b"application/vnd.oasis.opendocument.text"


def _looks_html(data: bytes) -> bool:
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("ascii", "ignore")
    return bool(_HTML_MARK.search(head))


def sniff(data: bytes, path: str = "") -> str:
    """The format from the bytes, then the name: pdf, zip, ole, image, rtf, html or text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if _looks_html(data) or PurePath(path).suffix.lower() in _HTML_NAMES:
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


def _pdf(path: str) -> Reader:
    from gongkai.readers.pdf import read_pdf  # imports pypdfium2 lazily, on first PDF

    return read_pdf


def _image(path: str) -> Reader:
    try:  # the OCR extra is optional: without it a scan gets a clear message, never a crash
        from gongkai.readers.ocr import ocr_available, read_image

        available = ocr_available()
    except ImportError:
        available = False
    if not available:
        raise UnsupportedFormat(path, "扫描件：未安装 OCR 组件（pip install 'gongkai[ocr]'）")
    return read_image


def _office(fmt: str) -> Reader:
    from gongkai.readers.office import convert_and_read

    return lambda data, path: convert_and_read(data, path, fmt)


def _reader(kind: str, data: bytes, path: str) -> Reader:
    suffix = PurePath(path).suffix.lower()
    if kind == "zip":
        kind = _zip_kind(data, path)
    if kind == "docx":
        from gongkai.readers.docx import read_docx

        return read_docx
    if kind == "xlsx":
        from gongkai.readers.xlsx import read_xlsx

        return read_xlsx
    if kind in {"odt", "rtf"}:
        return _office("doc")  # the schema has no odt/rtf; they are word-processor files too
    if kind == "ole":
        return _office("wps" if suffix == ".wps" else "doc")
    if kind == "html":
        from gongkai.readers.html import read_html

        return read_html
    return {"pdf": _pdf, "image": _image}[kind](path)


def read_bytes(data: bytes, path: str) -> RawDocument:
    kind = sniff(data, path)
    expected = _BINARY_NAMES.get(PurePath(path).suffix.lower())
    if kind == "text" and expected is not None:
        raise UnreadableInput(
            path, f"扩展名是 {expected}，但内容不是 {expected} 文件（已损坏或被改名）"
        )
    if kind == "text":
        return read_text(data, path)
    try:
        return _reader(kind, data, path)(data, path)
    except ModuleNotFoundError as exc:  # an optional extra (lxml, python-docx …) is missing
        raise UnsupportedFormat(path, f"缺少 Python 组件 {exc.name}，请安装 gongkai[all]") from exc


def load(path: str | Path) -> bytes:
    """The bytes of a file, or UnreadableInput naming it and the reason."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInput(str(path), exc.strerror or type(exc).__name__) from exc


def read_path(path: str | Path) -> tuple[RawDocument, bytes]:
    """Read a file into a raw document; also return its bytes (for hashing)."""
    data = load(path)
    return read_bytes(data, str(path)), data


__all__ = ["RawDocument", "load", "read_bytes", "read_path", "sniff"]
