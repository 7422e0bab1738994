"""The narrative as sentences a rule can read: normalised, line breaks joined, tables left out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gongkai.model.report import Report

# After NFKC: ，→,  ；→;  ：→:  （）→()  ％→%; 。and 、 stay.
_SENTENCE_END = re.compile(r"[。;!?]")
CLAUSE_SEP = re.compile(r"[,:]")
_SPACE_BY_CJK = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
NUMERALS = "一二三四五六"
_SNIPPET = 80


@dataclass(frozen=True, slots=True)
class Sentence:
    section: int
    text: str

    def snippet(self, start: int = 0, end: int | None = None) -> str:
        """The sentence, or a window of it around [start, end) when it is long."""
        end = len(self.text) if end is None else end
        if len(self.text) <= _SNIPPET:
            return self.text
        lo = max(0, start - 25)
        hi = min(len(self.text), max(end + 25, lo + _SNIPPET // 2))
        return ("…" if lo else "") + self.text[lo:hi] + ("…" if hi < len(self.text) else "")

    def where(self) -> str:
        return f"第{NUMERALS[self.section - 1]}部分"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # PDF conversion wraps lines anywhere, even inside a word or a number: join them.
    text = text.replace("\r", "").replace("\n", "")
    text = _SPACE_BY_CJK.sub("", text)
    return _THOUSANDS.sub("", text)


def _prose(text: str) -> str:
    # Table rows (tab-separated cells) are the tables themselves, not statements about them.
    return "\n".join(line for line in text.split("\n") if "\t" not in line)


def sentences(report: Report) -> list[Sentence]:
    """The narrative's sentences. Three rules read them for each report: split once (cached by
    the sections' texts, so a changed report is split again)."""
    return list(_split(tuple((s.no, s.text) for s in report.sections)))


@lru_cache(maxsize=8)
def _split(sections: tuple[tuple[int, str], ...]) -> tuple[Sentence, ...]:
    out = []
    for no, text in sections:
        for part in _SENTENCE_END.split(normalise(_prose(text))):
            if part.strip():
                out.append(Sentence(no, part.strip()))
    return tuple(out)


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The [start, end) of the clause (between commas or colons) that holds `pos`."""
    starts = [m.end() for m in CLAUSE_SEP.finditer(text, 0, pos)]
    nxt = CLAUSE_SEP.search(text, pos)
    return (starts[-1] if starts else 0), (nxt.start() if nxt else len(text))


def other_year(text: str, year: int | None) -> bool:
    """The text names a year other than the report's (a comparison with last year, a typo)."""
    return year is not None and any(int(y) != year for y in _YEAR.findall(text))


def clause_index(text: str, pos: int) -> int:
    """How many clause separators come before `pos`."""
    return len(CLAUSE_SEP.findall(text, 0, pos))
