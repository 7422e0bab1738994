"""Text normalisation for label matching (FORMAT.md §5.1)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from gongkai.readers.charfix import fix_radicals

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]"})
_SPACE = re.compile(r"\s+")
_RESIDUE = re.compile(r"</?[a-zA-Z][^<>]{0,40}>|\*\*|^#+")


def ideographs(text: str) -> str:
    """NFKC plus the radical look-alikes NFKC misses: what a reader must apply to PDF text."""
    return unicodedata.normalize("NFKC", fix_radicals(text))


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """The matching key of a label: NFKC, ASCII brackets and quotes, no whitespace or residue.

    Cached: the same labels recur in every report. Callers skip long narrative text, which is
    never a label and would only churn the cache.
    """
    text = ideographs(text).translate(_QUOTES)
    return _SPACE.sub("", _RESIDUE.sub("", text))
