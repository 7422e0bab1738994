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
from dataclasses import replace
from typing import Literal, NamedTuple

from gongkai.extract.normalize import norm
from gongkai.extract.values import MAX_DIGITS, Cell, read_cell
from gongkai.readers.raw import RawCell, Row

TokenKind = Literal["label", "number", "blank", "gap", "barrier"]

_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"[。；;！？!?]")
_INNER_MARK = re.compile(r"\s(?:\d[.、．]|[（(][一二三四五六七][）)]|[一二三四]、)")
_PROSE_LENGTH = 60  # characters: longer than any label of the form (normalised)
_MAX_TOKENS = 20_000
_CJK_BLANKS = frozenset(
    {"无", "空"}
)  # a table region holds a few hundred; beyond this it is not a table


class Token(NamedTuple):  # a tuple: a region makes hundreds, and a dataclass costs 3× to build
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


def _row_tokens(cells: list[Cell], line: int) -> list[Token]:
    out = []
    for cell in cells:
        src = cell.src
        if src.covered or cell.empty:
            continue
        # A label cell holding a row's numbering after other words ("处理 3.其他": the tail of a
        # group label, then a row) is cut there, as a paragraph's words are.
        if cell.kind == "label" and _INNER_MARK.search(cell.text):
            x = _interval(src)
            out += [Token(_kind(c), c, line, _interval(c.src) or x) for c in _words(src)]
        else:  # CellKind and TokenKind share these names
            out.append(Token(cell.kind, cell, line, _interval(src)))
    return out


# A value glued to the numbering after it: "03." is 0, then the next label's "3.".
_VALUE_MARK = re.compile(rf"^(?P<value>\d{{1,{MAX_DIGITS}}})(?P<mark>[1-9][.．])$")


def _unglue(token: Token) -> list[Token]:
    """Tables 3 and 4 count requests: a label that is a count glued to a numbering mark is the
    two (laid-out text sets a wrapped label's mark right after a value)."""
    match = _VALUE_MARK.match(token.text) if token.kind == "label" and token.cell else None
    if match is None or token.cell is None:
        return [token]
    value = replace(
        token.cell, kind="number", text=match["value"], value=int(match["value"]), glued=True
    )
    label = replace(token.cell, text=match["mark"])
    return [token._replace(kind="number", cell=value), token._replace(cell=label)]


def _paragraph_tokens(row: Row, line: int) -> list[Token]:
    src = row.cells[0]
    gaps = [Token("gap", None, line) for _ in range(min(row.gap, 50))]
    if is_prose(src.text):
        return [*gaps, Token("barrier", None, line)]
    return gaps + [Token(_kind(c), c, line, _interval(c.src)) for c in _words(src)]


def tokenize(rows: Sequence[tuple[Row, list[Cell] | None]], counts: bool = False) -> list[Token]:
    """The tokens of a region's rows (each with its cells as read, None for a paragraph), in
    order (bounded: a hostile region is cut short); `counts`: the table holds counts only
    (tables 3 and 4)."""
    out: list[Token] = []
    for line, (row, cells) in enumerate(rows):
        found = _paragraph_tokens(row, line) if cells is None else _row_tokens(cells, line)
        glued = (
            counts
            and any(  # the cheap half of _VALUE_MARK: a label "…3." or "…3．"
                t.kind == "label" and t.cell is not None and t.cell.text[-1:] in (".", "．")
                for t in found
            )
        )
        out += [t for token in found for t in _unglue(token)] if glued else found
        if len(out) > _MAX_TOKENS:
            break
    return out[:_MAX_TOKENS]


def one_per_line(tokens: Sequence[Token]) -> bool:
    """Every number stands alone on its line: a one-cell-per-line capture. (A line's tokens are
    contiguous, so the first line with a number among other words decides.)"""
    any_number = number = False
    line, count = -1, 0
    for t in tokens:
        if t.kind not in ("number", "label", "blank"):
            continue
        if t.line != line:
            if number and count > 1:
                return False
            line, count, number = t.line, 0, False
        count += 1
        if t.kind == "number":
            number = any_number = True
    return any_number and not (number and count > 1)
