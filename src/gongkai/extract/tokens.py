"""A table region as a stream of tokens in reading order: labels, numbers and blanks.

The second reading strategy (stream.py) does not need a grid. Each table row contributes its cells
(labels and values; empty cells say nothing, because a drifting or merged grid puts empties where
no value was), each paragraph its whitespace-separated words. A written blank mark (`-`, `/`, `无`)
is a blank token wherever it stands. In a one-cell-per-line capture an empty line may be an empty
cell: the paragraph's `gap` becomes that many `gap` tokens, which stream.py trusts only when the
document proves it keeps its empty cells (`gaps_are_cells`).

A sentence is a barrier, not tokens: numbers inside narrative are never table values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from gongkai.extract.normalize import norm
from gongkai.extract.values import Cell, read_cell, read_row
from gongkai.readers.raw import RawCell, Row

TokenKind = Literal["label", "number", "blank", "gap", "barrier"]

_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"[。；;！？!?]")
_PROSE_LENGTH = 60  # characters: longer than any label of the form (normalised)
_MAX_TOKENS = 20_000
_CJK_BLANKS = frozenset(
    {"无", "空"}
)  # a table region holds a few hundred; beyond this it is not a table


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    cell: Cell | None  # None for gap and barrier tokens
    line: int  # index of the source row in the region: tokens of one row share it
    x: tuple[float, float] | None = None  # horizontal interval, where the source has one

    @property
    def text(self) -> str:
        return "" if self.cell is None else self.cell.text

    @property
    def value(self) -> int | float | None:
        return None if self.cell is None else self.cell.value


def is_prose(text: str) -> bool:
    """A sentence of narrative: never a label of the form, and its numbers are no values."""
    key = norm(text) if len(text) <= 4 * _PROSE_LENGTH else text
    return bool(_SENTENCE.search(key)) or len(key) > _PROSE_LENGTH


def _interval(src: RawCell) -> tuple[float, float] | None:
    return None if src.x0 is None or src.x1 is None else (src.x0, src.x1)


def _kind(cell: Cell) -> TokenKind:
    return "number" if cell.kind == "number" else "label" if cell.kind == "label" else "blank"


def _words(src: RawCell) -> list[Cell]:
    """The words of a paragraph as cells, each with its own character span (and columns). Among
    other words, 无 or 空 is a character of a label spaced out (（四） 无 法 提 供), not a blank."""
    base = src.start or 0
    geometric = src.x0 is not None and src.x0 == src.start
    out = []
    for match in _WORD.finditer(src.text):
        start, end = base + match.start(), base + match.end()
        x0, x1 = (start, end) if geometric else (None, None)
        out.append(read_cell(replace(src, text=match[0], start=start, end=end, x0=x0, x1=x1)))
    if len(out) > 1:
        out = [replace(c, kind="label") if c.text in _CJK_BLANKS else c for c in out]
    return out


def _row_tokens(row: Row, line: int) -> list[Token]:
    out = []
    for cell in read_row(row):
        if cell.empty or cell.src.covered:
            continue
        # A label cell's words are tokens of their own, as a paragraph's are: "处理 3.其他" is the
        # tail of a group label and the start of a row.
        words = list(_words(cell.src)) if cell.kind == "label" and " " in cell.text else [cell]
        out += [Token(_kind(c), c, line, _interval(c.src) or _interval(cell.src)) for c in words]
    return out


# A value glued to the numbering after it: "03." is 0, then the next label's "3.".
_VALUE_MARK = re.compile(r"^(?P<value>\d+)(?P<mark>[1-9][.．])$")


def _unglue(token: Token) -> list[Token]:
    """Tables 3 and 4 count requests: a label that is a count glued to a numbering mark is the
    two (laid-out text sets a wrapped label's mark right after a value)."""
    match = _VALUE_MARK.match(token.text) if token.kind == "label" and token.cell else None
    if match is None or token.cell is None:
        return [token]
    value = replace(token.cell, kind="number", text=match["value"], value=int(match["value"]))
    label = replace(token.cell, text=match["mark"])
    return [replace(token, kind="number", cell=value), replace(token, cell=label)]


def _paragraph_tokens(row: Row, line: int) -> list[Token]:
    src = row.cells[0]
    gaps = [Token("gap", None, line) for _ in range(min(row.gap, 50))]
    if is_prose(src.text):
        return [*gaps, Token("barrier", None, line)]
    return gaps + [Token(_kind(c), c, line, _interval(c.src)) for c in _words(src)]


def tokenize(rows: Sequence[Row], counts: bool = False) -> list[Token]:
    """The tokens of a region's rows, in order (bounded: a hostile region is cut short);
    `counts`: the table holds counts only (tables 3 and 4)."""
    out: list[Token] = []
    for line, row in enumerate(rows):
        found = _row_tokens(row, line) if row.is_table else _paragraph_tokens(row, line)
        out += [t for token in found for t in _unglue(token)] if counts else found
        if len(out) > _MAX_TOKENS:
            break
    return out[:_MAX_TOKENS]


def one_per_line(tokens: Sequence[Token]) -> bool:
    """Every number stands alone on its line: a one-cell-per-line capture."""
    numbers = [t for t in tokens if t.kind == "number"]
    per_line: dict[int, int] = {}
    for t in tokens:
        if t.kind in ("number", "label", "blank"):
            per_line[t.line] = per_line.get(t.line, 0) + 1
    return bool(numbers) and all(per_line[t.line] == 1 for t in numbers)
