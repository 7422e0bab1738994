"""Title, agency (发布机关) and year from the lines before the first section."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai.extract.normalize import norm
from gongkai.readers.raw import Row

_TITLE = re.compile(r"(年度报告|年报|工作报告)")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_AGENCY_BEFORE = re.compile(r"^(?P<agency>.+?)(?:19|20)\d{2}年")
_AGENCY_AFTER = re.compile(r"^(?:19|20)\d{2}年度?(?P<agency>.+?)(?:政府信息公开|政务公开|信息公开)")
_PERIOD = re.compile(r"(?:统计|数据).{0,20}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_ORG_END = re.compile(r"(政府|局|委员会|委|办公室|办|厅|院|署|中心|镇|乡|街道|处|所|站|会|部)$")
_MAX_TITLE = 80


def _texts(rows: Sequence[Row], limit: int) -> list[tuple[str, str]]:
    """(as written, matching key) of the opening lines."""
    out = []
    for row in rows[:limit]:
        raw = " ".join(t.strip() for t in row.texts() if t.strip())
        # Long paragraphs are never titles; only their statistics period may give the year.
        key = norm(raw) if len(raw) <= 2 * _MAX_TITLE else raw[:200]
        if key:
            out.append((raw, key))
    return out


def _title(texts: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(title as written, its key); a preceding line that only names the agency is prepended."""
    for i, (raw, key) in enumerate(texts[:8]):
        if _TITLE.search(key) and len(key) <= _MAX_TITLE:
            before = texts[i - 1] if i > 0 else None
            if before is not None and len(before[1]) <= 40 and _ORG_END.search(before[1]):
                return before[0] + raw, before[1] + key
            return raw, key
    return None


def _agency(title: str) -> str | None:
    for pattern in (_AGENCY_BEFORE, _AGENCY_AFTER):
        match = pattern.match(title)
        if match and match["agency"].strip("《》“”\"'"):
            return match["agency"].strip("《》“”\"'")
    return None


def extract_meta(rows: Sequence[Row]) -> tuple[str | None, str | None, int | None]:
    """(title, agency, year) from the opening lines."""
    texts = _texts(rows, 40)
    title = _title(texts)
    agency = _agency(title[1]) if title else None
    year_match = _YEAR.search(title[1]) if title else None
    if year_match is None:
        year_match = next((m for _raw, key in texts for m in [_PERIOD.search(key)] if m), None)
    year = int(year_match.group(1)) if year_match else None
    return (title[0] if title else None), agency, year
