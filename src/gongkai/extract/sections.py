"""Section headings and table regions.

Table 3 rows start with 一、二、三、四 like the section headings (FORMAT.md §0 item 6), so a heading
is matched on its full wording, only on a line that carries nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from gongkai.extract.normalize import norm
from gongkai.readers.raw import Row

_SEP = r"[、.,，．:：]?"
_HEADINGS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^一{_SEP}.{{0,12}}(总体情况|概述|基本情况)")),
    (2, re.compile(rf"^二{_SEP}.{{0,8}}主动公开")),
    (3, re.compile(rf"^三{_SEP}.{{0,12}}(收到和处理|依申请|申请情况|申请办理)")),
    (4, re.compile(rf"^四{_SEP}.{{0,24}}(行政复议|行政诉讼)")),
    (5, re.compile(rf"^五{_SEP}.{{0,12}}(问题|改进)")),
    (6, re.compile(rf"^六{_SEP}.{{0,6}}(其他|其它)")),
)
_MAX_HEADING = 40

Region = Literal["table2", "table3", "table4"]


@dataclass(frozen=True, slots=True)
class Heading:
    no: int
    text: str
    index: int  # position in the row list


def _only_text(row: Row) -> str | None:
    found = None
    for cell in row.cells:
        if cell.text.strip():
            if found is not None:
                return None
            found = cell.text
    return found


def heading_no(row: Row) -> int | None:
    text = _only_text(row)
    if text is None or len(text) > 2 * _MAX_HEADING:
        return None
    key = norm(text)
    if len(key) > _MAX_HEADING:
        return None
    return next((no for no, pattern in _HEADINGS if pattern.match(key)), None)


def find_headings(rows: Sequence[Row]) -> list[Heading]:
    found = []
    for i, row in enumerate(rows):
        no = heading_no(row)
        if no is not None:
            found.append(Heading(no, (_only_text(row) or "").strip(), i))
    return found


def _row_text(row: Row) -> str:
    return "\t".join(row.texts()).strip()


def section_bodies(rows: Sequence[Row], headings: Sequence[Heading]) -> list[tuple[Heading, str]]:
    """Each heading with the text up to the next heading (table rows kept, tab-separated)."""
    out = []
    for k, head in enumerate(headings):
        end = headings[k + 1].index if k + 1 < len(headings) else len(rows)
        body = [_row_text(r) for r in rows[head.index + 1 : end]]
        out.append((head, "\n".join(t for t in body if t)))
    return out


_T2_START = re.compile(r"第二十条|信息内容|本年制发件数|本年新制作数量")
_T3_START = re.compile(r"勾稽关系|申请人情况|本年新收")
_T4_START = re.compile(r"行政复议")
_T4_CONFIRM = re.compile(r"行政诉讼|结果维持|直接起诉")
_SECTION_REGION: dict[int, Region | None] = {
    1: None,
    2: "table2",
    3: "table3",
    4: "table4",
    5: None,
    6: None,
}


def _anchor(row: Row) -> Region | None:
    if not row.is_table and not row.cells[0].text.lstrip("#* ").startswith("第二十条"):
        return None  # narrative mentioning 行政复议 or 第二十条 does not open a table
    key = norm("".join(row.texts()))
    if _T4_START.search(key) and _T4_CONFIRM.search(key):
        return "table4"
    if _T3_START.search(key):
        return "table3"
    if _T2_START.search(key):
        return "table2"
    return None


def regions(rows: Sequence[Row], headings: Sequence[Heading] | None = None) -> list[Region | None]:
    """The table each row belongs to, walking headings (found by find_headings, if given) and
    table anchors in order."""
    numbers = (
        [heading_no(row) for row in rows] if headings is None else _numbers(len(rows), headings)
    )
    current: Region | None = None
    out: list[Region | None] = []
    for row, no in zip(rows, numbers, strict=True):
        current = _SECTION_REGION[no] if no is not None else _anchor(row) or current
        out.append(current)
    return out


def _numbers(count: int, headings: Sequence[Heading]) -> list[int | None]:
    out: list[int | None] = [None] * count
    for head in headings:
        out[head.index] = head.no
    return out
