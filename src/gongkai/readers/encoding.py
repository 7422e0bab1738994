"""Decode report text: UTF-8 (with or without BOM), UTF-16/32, GB18030/GBK, detected from bytes."""

from __future__ import annotations

import codecs

from gongkai.errors import UnreadableInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _plausible(text: str) -> bool:
    """Decoded text with no control characters but tab and newlines."""
    bad = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n")
    return bad == 0


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes (high bytes of ASCII) sit mostly at one parity."""
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(data) % 2 or max(even, odd) < 4 or min(even, odd) * 2 > max(even, odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if _plausible(text) else None


def _detected(data: bytes) -> str | None:
    # Imported here: charset-normalizer costs ~50 ms to import and is rarely needed.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises UnreadableInput for binary or undecodable bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec
            except UnicodeDecodeError as exc:
                raise UnreadableInput(path, f"{codec} 编码损坏") from exc
    text = _utf16_without_bom(data)
    if text is not None:
        return text, "utf-16"
    if b"\x00" in data:
        raise UnreadableInput(path, "二进制文件，不是文本")
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    detected = _detected(data)
    if detected is None:
        raise UnreadableInput(path, "无法识别文本编码")
    return detected, "detected"
