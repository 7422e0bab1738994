"""Text normalisation for label matching (FORMAT.md §5.1)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# CJK Radicals Supplement code points that PDF producers emit for ordinary ideographs; NFKC maps the
# Kangxi Radicals block (⼀ → 一) but leaves these alone.
_RADICALS = str.maketrans(
    {
        "⺠": "民",
        "⻓": "长",
        "⻔": "门",
        "⻩": "黄",
        "⻅": "见",
        "⻆": "角",
        "⻢": "马",
        "⻋": "车",
        "⻜": "飞",
        "⻛": "风",
        "⻄": "西",
        "⺟": "母",
        "⻉": "贝",
        "⻚": "页",
        "⻝": "食",
        "⻥": "鱼",
        "⻦": "鸟",
        "⻬": "齐",
        "⻮": "齿",
        "⻰": "龙",
        "⻳": "龟",
        "⻘": "青",
        "⻨": "麦",
        "⻤": "鬼",
        "⺐": "兀",
        "⺓": "幺",
        "⺮": "竹",
        "⻁": "虎",
        "⺫": "目",
        "⺲": "罒",
        "⻈": "讠",
        "⻠": "饣",
    }
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]"})
_SPACE = re.compile(r"\s+")
_RESIDUE = re.compile(r"</?[a-zA-Z][^<>]{0,40}>|\*\*|^#+")


def ideographs(text: str) -> str:
    """NFKC plus the radical look-alikes NFKC misses: what a reader must apply to PDF text."""
    return unicodedata.normalize("NFKC", text).translate(_RADICALS)


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """The matching key of a label: NFKC, ASCII brackets and quotes, no whitespace or residue.

    Cached: the same labels recur in every report. Callers skip long narrative text, which is
    never a label and would only churn the cache.
    """
    text = ideographs(text).translate(_QUOTES)
    return _SPACE.sub("", _RESIDUE.sub("", text))
