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
    """(title as written, its key). A title may run over up to three short lines: the agency on
    its own line, or a centred title wrapped before 报告."""
    for start in range(min(8, len(texts))):
        for end in range(start + 1, min(start + 3, len(texts)) + 1):
            window = texts[start:end]
            key = "".join(k for _raw, k in window)
            if any(len(k) > 40 for _raw, k in window[:-1]) or len(key) > _MAX_TITLE:
                break
            if _TITLE.search(key) and (
                end - start == 1 or _ORG_END.search(window[0][1]) or _YEAR.search(key)
            ):
                return "".join(raw for raw, _k in window), key
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
