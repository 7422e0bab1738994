"""Cell values: numbers with units, blanks, labels (FORMAT.md §4.6, §5.3–5.4)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from gongkai.extract.normalize import norm
from gongkai.readers.raw import RawCell, Row

CellKind = Literal["label", "number", "blank"]

# Digits a value may have: 10^15 requests, or 万元, is beyond any report. Longer digit strings are
# no value (the cell reads as text, its row then unread with a reason): SQLite's integers stop at
# 2^63 (19 digits), Python refuses int() of 4300 digits, and float() of 400 gives infinity.
MAX_DIGITS = 15

_NUM = r"[-+−]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_UNIT = r"(?:万元|亿元|万|元|条|件|项|个|次|户|人|%)"
_VALUE = re.compile(rf"^\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?\s*$")
_VALUE_SEQ = re.compile(rf"(?:{_NUM})\s*{_UNIT}?")
# A label then values: after a space, or glued to an ideograph or a closing bracket or quote (a
# PDF table without rulings whose first number sits right at the label's end: "行政规范性文件0 4 0",
# "3.危及“三安全一稳定”0 0").
_TRAILING_VALUES = re.compile(
    rf"^(?P<label>.*?(?:\D(?=\s)|[\u4e00-\u9fff）)”’」』》〕】\]](?=[-+−]?\d)))\s*"
    rf"(?P<vals>(?:{_NUM}\s*{_UNIT}?\s+)*{_NUM}\s*{_UNIT}?)$"
)
_DIGIT = re.compile(r"\d")
# "（三）5": a numbering mark touching a number is a label of its own making, not label + value.
_BARE_NUMBERING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]$")
# Marks that mean "nothing written here": kept as blank, never as 0.
_BLANK_MARKS = frozenset({"", "-", "—", "——", "--", "–", "/", "无", "空", "—-", "-—"})


@dataclass(slots=True)  # not frozen, for speed (see readers/raw.py RawCell); never mutated
class Cell:
    """A table cell after reading: a label, a number (with its unit) or a blank."""

    kind: CellKind
    text: str
    value: int | float | None
    unit: str | None
    src: RawCell
    # Split off a numbering mark it was glued to ("13." → 1 and "3.", tokens.py): a reading
    # that holds it stands only where the form's arithmetic confirms the split.
    glued: bool = False

    @property
    def empty(self) -> bool:
        """Nothing at all in the cell (as opposed to a written blank mark such as `-`)."""
        return self.kind == "blank" and not self.text


def parse_number(text: str) -> tuple[int | float, str | None] | None:
    """`-139 条` → (-139, "条"); `1,234.5` → (1234.5, None); anything else → None."""
    match = _VALUE.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    num = match["num"].replace(" ", "").replace(",", "").replace("−", "-").lstrip("+")
    if sum(c.isdigit() for c in num) > MAX_DIGITS:
        return None
    value: int | float = float(num) if "." in num else int(num)
    return value, match["unit"]


def read_cell(src: RawCell) -> Cell:
    text = src.text.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:  # most cells: no regex
        return Cell("number", text, int(text), None, src)
    if len(text) <= 4 and norm(text) in _BLANK_MARKS:
        return Cell("blank", text, None, None, src)
    number = parse_number(text)
    if number is not None:
        return Cell("number", text, number[0], number[1], src)
    return Cell("label", text, None, None, src)


def read_cell_as_label(src: RawCell) -> Cell:
    """A paragraph in a table region: text only, whatever digits it holds."""
    return Cell("label", src.text.strip(), None, None, src)


def _sub(src: RawCell, text: str, offset: int) -> RawCell:
    start = None if src.start is None else src.start + offset
    end = None if start is None else start + len(text)
    if src.x0 is not None and src.x0 == src.start and start is not None and end is not None:
        # Character-column geometry (text laid out with spaces): each part keeps its own columns.
        return RawCell(text, src.line, start, end, src.page, x0=start, x1=end)
    # A grid cell holding several values: where each one stands within the cell is unknown. Each
    # still stands in the cell's box and table position, which is where a person finds it.
    return RawCell(text, src.line, start, end, src.page, bbox=src.bbox, place=src.place)


def _split_values(src: RawCell) -> list[Cell] | None:
    """A cell holding `label 3001 53 0` or `3001 53 0` (single spaces) → several cells."""
    text = unicodedata.normalize("NFKC", src.text)
    if len(text) != len(src.text):
        return None  # offsets would not survive; such cells are rare enough to read whole
    match = _TRAILING_VALUES.match(text)
    if (
        match
        and _BARE_NUMBERING.match(match["label"])
        and match.end("label") == match.start("vals")
    ):
        return None
    label, vals, base = (
        (match["label"], match["vals"], match.start("vals")) if match else ("", text, 0)
    )
    tokens = list(_VALUE_SEQ.finditer(vals))
    if len(tokens) < (1 if label.strip() else 2) or "".join(t[0] for t in tokens).replace(
        " ", ""
    ) != vals.replace(" ", ""):
        return None
    cells = [read_cell(_sub(src, label.strip(), 0))] if label.strip() else []
    cells += [read_cell(_sub(src, t[0].strip(), base + t.start())) for t in tokens]
    return cells


def read_row(row: Row) -> list[Cell]:
    """Read every cell of a table row, splitting cells that hold several space-separated values."""
    cells: list[Cell] = []
    for src in row.cells:
        cell = read_cell(src)
        if cell.kind == "label" and _DIGIT.search(src.text):
            cells.extend(_split_values(src) or [cell])
        else:
            cells.append(cell)
    return cells


def split_label(cells: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(label cells, value cells): the values are every cell after the last label."""
    last = max((i for i, c in enumerate(cells) if c.kind == "label"), default=-1)
    return [c for c in cells[: last + 1] if c.kind == "label"], cells[last + 1 :]
