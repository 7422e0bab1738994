"""Dates a reviewer checks: the sign-off (落款) at the end and the publication date (发布日期).

The sign-off is the organ's name and the date closing the report, after the last section:

    莆田市城市管理局
    2025年1月10日
    （此件主动公开）

It is read from the end of the last section's text (the section reader keeps it there), skipping the
disclosure note and page numbers. A date may be written in figures (2025年1月10日, 2025-01-10) or in
Chinese numerals (二〇二五年一月十日). A date that does not exist (2月30日) is kept as written with
no ISO date, so the rule can say so instead of losing it.

The publication date is what a CMS prints above a crawled article ("发布时间：2025-01-10 16:30") or
what a saved page's metadata says (readers keep it on the raw document). A date anywhere else in
the text is never taken for it: a wrong date would make a false 逾期 finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from gongkai.extract.normalize import ideographs
from gongkai.model.report import Signoff
from gongkai.readers.raw import Row

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3}
_CN_DIGITS |= {"四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十"

_FIGURES = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*|[-./])(\d{1,2})\s*(?:月\s*|[-./])(\d{1,2})\s*日?"
)
_NUMERALS = re.compile(rf"([{_CN}O0]{{4}})\s*年\s*([{_CN}]{{1,3}})\s*月\s*([{_CN}]{{1,3}})\s*日")
_DATE_LINE = re.compile(rf"^(?:{_FIGURES.pattern}|{_NUMERALS.pattern})$")

# Lines after the sign-off that are not part of it: the disclosure note, a page number.
_TRAILER = re.compile(
    r"^(?:[(（]\s*此件[^()（）]{0,10}[)）]|[(（]?\s*(?:公开方式|公开属性)[^()（）]{0,12}[)）]?"
    r"|[-‐‑‒–—―−－]?\s*\d{1,3}\s*[-‐‑‒–—―−－]?|第\s*\d{1,4}\s*页.*)$"
)
_ORG_END = re.compile(
    r"(政府|局|委员会|委|办公室|办|厅|院|署|中心|镇|乡|街道|办事处|处|所|站|会|部|司|馆|队)$"
)
_NOT_ORG = re.compile(r"[,，。;；:：!！?？、0-9]")
_MAX_TAIL_LINES = 6
_MAX_ORG = 40

_PUBLISHED = re.compile(r"(?:发布|公开|发文|成文|印发)(?:日期|时间)\s*[:：]\s*")
_MAX_PUBLISHED_ROWS = 12


def _numeral(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31."""
    if "十" not in text:
        digits = [_CN_DIGITS.get(ch) for ch in text]
        if None in digits or not digits:
            return None
        return int("".join(str(d) for d in digits))
    tens, _, units = text.partition("十")
    high = 1 if not tens else _CN_DIGITS.get(tens)
    low = 0 if not units else _CN_DIGITS.get(units)
    if high is None or low is None or len(tens) > 1 or len(units) > 1:
        return None
    return high * 10 + low


def _parts(match: re.Match[str]) -> tuple[int, int, int] | None:
    groups = [g for g in match.groups() if g is not None]
    if len(groups) != 3:
        return None
    if groups[0].isdigit() and groups[0].isascii():
        return int(groups[0]), int(groups[1]), int(groups[2])
    values = [_numeral(g) for g in groups]
    if any(v is None for v in values):
        return None
    year, month, day = values
    return year, month, day  # type: ignore[return-value]


def iso_date(year: int, month: int, day: int) -> str | None:
    """The ISO date, or None when no such day exists (2月30日)."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def read_date(text: str) -> tuple[str, str | None] | None:
    """(as written, ISO date or None when the day does not exist) of the first date in `text`."""
    text = ideographs(text)
    found = [m for m in (_FIGURES.search(text), _NUMERALS.search(text)) if m is not None]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    parts = _parts(match)
    if parts is None:
        return None
    return match.group(0).strip(), iso_date(*parts)


def _clean_line(line: str) -> str:
    return "".join(ideographs(line).split())


def _is_org(line: str) -> bool:
    return 2 <= len(line) <= _MAX_ORG and bool(_ORG_END.search(line)) and not _NOT_ORG.search(line)


def _split_org_date(line: str) -> tuple[str, str] | None:
    """莆田市林业局2020年1月6日 on one line: (organ, date)."""
    for pattern in (_FIGURES, _NUMERALS):
        match = pattern.search(line)
        if match and match.end() == len(line) and match.start() > 0:
            org = line[: match.start()]
            if _is_org(org):
                return org, match.group(0)
    return None


def _tail(text: str) -> list[str]:
    """The last lines of a section that may hold the sign-off, trailers removed, last first."""
    lines = [_clean_line(line) for line in text.splitlines()[-(_MAX_TAIL_LINES + 4) :]]
    lines = [line for line in lines if line]
    while lines and _TRAILER.match(lines[-1]):
        lines.pop()
    return lines[::-1][:_MAX_TAIL_LINES]


def read_signoff(text: str) -> Signoff | None:
    """The sign-off closing `text` (the last section's), or None when it ends without one."""
    tail = _tail(text)
    if not tail:
        return None
    last = tail[0]
    if _DATE_LINE.match(last):
        dated = read_date(last)
        org = tail[1] if len(tail) > 1 and _is_org(tail[1]) else None
        if dated is None:
            return None
        written = f"{org}\n{last}" if org else last
        return Signoff(agency=org, date=dated[1], date_text=dated[0], text=written)
    both = _split_org_date(last)
    if both is not None:
        dated = read_date(both[1])
        if dated is not None:
            return Signoff(agency=both[0], date=dated[1], date_text=dated[0], text=last)
    if _is_org(last) and len(tail) > 1:  # the organ without a date
        return Signoff(agency=last, date=None, date_text=None, text=last)
    return None


def published_date(rows: Sequence[Row]) -> str | None:
    """The ISO publication date a CMS printed above the article (发布时间：2025-01-10)."""
    for row in rows[:_MAX_PUBLISHED_ROWS]:
        text = " ".join(row.texts())
        label = _PUBLISHED.search(text)
        if label is None:
            continue
        dated = read_date(text[label.end() : label.end() + 40])
        if dated is not None and dated[1] is not None:
            return dated[1]
    return None
