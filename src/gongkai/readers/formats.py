"""The input formats, in one table: adding a format means a line here and its reader module.

Each format says what users call it (in messages), the file suffixes that name it, what sniffing
the bytes calls it (`sniffed`: its own magic bytes, or the container it comes in, a ZIP or an OLE
compound file, told apart by members or name), the reader that reads it, and the names the raw
document then carries (`produces`: the schema's SourceFormat where it lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Format:
    label: str  # in messages: “扩展名是 PDF，但内容不是 PDF 文件”
    suffixes: tuple[str, ...]
    sniffed: str  # what `sniff` calls the bytes (one of SNIFFED)
    reader: str  # which reader reads it (readers/__init__.py `_READERS`)
    produces: tuple[str, ...]  # the raw document's `format` it may carry


# How bytes begin, and what sniffing then calls them; markup in the first KB makes "html", and
# anything else is "text".
MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"{\\rtf", "rtf"),
)
SNIFFED: Final = frozenset({name for _magic, name in MAGIC} | {"html", "text"})

FORMATS: Final[tuple[Format, ...]] = (
    Format("PDF", (".pdf",), "pdf", "pdf", ("pdf",)),
    Format("DOCX", (".docx",), "zip", "docx", ("docx",)),
    Format("XLSX", (".xlsx",), "zip", "xlsx", ("xlsx",)),
    Format("ODT", (".odt",), "zip", "office", ("doc",)),  # converted, then read as Word
    Format("DOC", (".doc",), "ole", "office", ("doc",)),
    Format("WPS", (".wps",), "ole", "office", ("wps",)),
    Format("XLS", (".xls",), "ole", "office", ("doc",)),
    Format("RTF", (".rtf",), "rtf", "office", ("doc",)),
    Format("PNG", (".png",), "image", "image", ("image",)),
    Format("JPEG", (".jpg", ".jpeg"), "image", "image", ("image",)),
    Format("HTML", (".htm", ".html", ".shtml", ".xhtml"), "html", "html", ("html",)),
    Format("文本", (".txt", ".text", ".md", ".markdown"), "text", "text", ("text", "markdown")),
)

# A name that promises bytes of a binary format: bytes that are not are a damaged or renamed file.
BINARY_SUFFIXES: Final[dict[str, str]] = {
    suffix: f.label for f in FORMATS if f.sniffed not in ("html", "text") for suffix in f.suffixes
}
HTML_SUFFIXES: Final = frozenset(s for f in FORMATS if f.sniffed == "html" for s in f.suffixes)
