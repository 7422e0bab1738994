"""Readers: one module per input format; each turns bytes into a RawDocument.

Only readers import format libraries. Format detection looks at content first (magic bytes), then
at the file name.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.readers.raw import RawDocument
from gongkai.readers.text import read_text

_MAGIC = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"{\\rtf", "rtf"),
)


def sniff(data: bytes) -> str:
    """The container format from the first bytes; "text" when nothing binary is recognised."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return "text"


def read_bytes(data: bytes, path: str) -> RawDocument:
    kind = sniff(data)
    if kind != "text":
        raise UnsupportedFormat(path, f"{kind.upper()} 文件暂不支持，目前只能读取文本")
    return read_text(data, path)


def read_path(path: str | Path) -> tuple[RawDocument, bytes]:
    """Read a file into a raw document; also return its bytes (for hashing)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInput(name, exc.strerror or type(exc).__name__) from exc
    return read_bytes(data, name), data


__all__ = ["RawDocument", "read_bytes", "read_path", "sniff"]
