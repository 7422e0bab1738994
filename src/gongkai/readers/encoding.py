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


def _utf16_without_bom(data: bytes) -> str | None:
    """Chinese UTF-16 text has a NUL in most ASCII code units; GB/UTF-8 text has none."""
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 8:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    codec = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


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
