"""Code points PDF producers emit in place of ordinary ideographs (notes/dependencies.md §1).

Chromium/Skia PDFs map 一 二 人 民 … to Kangxi Radicals (U+2F00–U+2FDF) and CJK Radicals Supplement
(U+2E80–U+2EFF) code points; others use CJK Compatibility Ideographs (U+F900–U+FAFF). NFKC fixes the
first and last blocks but not the supplement, and NFKC of the whole text would also turn （： into
(:, so only these blocks are mapped.
"""

from __future__ import annotations

import re
import unicodedata

_SUPPLEMENT = {
    "⺠": "民", "⻓": "长", "⻔": "门", "⻩": "黄", "⻅": "见", "⻆": "角", "⻢": "马", "⻋": "车",
    "⻜": "飞", "⻛": "风", "⻄": "西", "⺟": "母", "⻉": "贝", "⻚": "页", "⻝": "食", "⻥": "鱼",
    "⻦": "鸟", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟", "⻘": "青", "⻨": "麦", "⻤": "鬼",
    "⺐": "兀", "⺓": "幺", "⺮": "竹", "⻁": "虎", "⺫": "目", "⻈": "讠", "⻠": "饣",
}  # fmt: skip
_LOOKALIKE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


def _fix(match: re.Match[str]) -> str:
    ch = match[0]
    return _SUPPLEMENT.get(ch) or unicodedata.normalize("NFKC", ch)


def fix_radicals(text: str) -> str:
    """Map radical and compatibility look-alikes back to the ideographs they stand for."""
    return _LOOKALIKE.sub(_fix, text) if _LOOKALIKE.search(text) else text
