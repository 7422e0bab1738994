"""One row's values from the tokens that follow its label (the reading-order strategy, stream.py).

The form says how many values a row has. Exactly that many written values are the row, in their
order (by column where a laid-out source gives each one's x). More is a number split over two lines
(`1` / `62` for 162) or a stray: a split is joined only where exactly one way of joining satisfies
the form's arithmetic. Fewer is a lost or blank cell: placed only where the document keeps its empty
cells as empty lines (tokens.py), else the row is not read. Never a guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from gongkai.extract.tokens import Token
from gongkai.extract.values import MAX_DIGITS, Cell

Check = Callable[[Sequence[int | float | None]], bool]
_MAX_JOINS = 3  # split numbers a row may hold; more is not a row that was split, it is noise


@dataclass(frozen=True, slots=True)
class Reading:
    """A row as read: its cells (None: a blank), or no cells and the reason."""

    cells: tuple[Cell | None, ...] | None
    note: str | None = None  # why it was not read, or what was repaired
    lost: bool = False  # not read because cells are missing (else: too many to place)
    placed: bool = False  # blanks placed by empty lines: to be confirmed by the arithmetic

    @property
    def values(self) -> list[int | float | None] | None:
        return None if self.cells is None else [None if c is None else c.value for c in self.cells]


def _by_column(tokens: list[Token]) -> list[Token]:
    """Values on several lines of a laid-out source, ordered by their x: a value a tall cell
    centres on another line than its neighbours still stands in its column."""
    if len({t.line for t in tokens}) < 2 or any(t.x is None for t in tokens):
        return tokens
    ordered = sorted(tokens, key=lambda t: t.x[0] if t.x else 0.0)
    spans = [t.x for t in ordered if t.x is not None]
    if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
        return tokens  # two values over one column: the x says nothing about their order
    return ordered


def _value(cell: Cell | None) -> int | float | None:
    return None if cell is None else cell.value


def _plain(token: Token) -> bool:
    return token.kind == "number" and token.text.isascii() and token.text.isdigit()


def _splittable(first: Token, second: Token) -> bool:
    """Two plain numbers on two lines that may be one number wrapped: a number does not begin
    with 0, so "0" then "5" is two values (and the two make no number longer than a value may be)."""
    return (
        _plain(first)
        and _plain(second)
        and first.line != second.line
        and first.text[0] != "0"
        and len(first.text) + len(second.text) <= MAX_DIGITS
    )


def _joined(tokens: list[Token], at: Sequence[int]) -> list[Cell | None]:
    out: list[Cell | None] = []
    skip = set()
    for i, token in enumerate(tokens):
        if i in skip:
            continue
        cell = token.cell
        if i in at and cell is not None:
            nxt = tokens[i + 1].cell
            text = cell.text + (nxt.text if nxt is not None else "")
            cell = replace(cell, text=text, value=int(text))
            skip.add(i + 1)
        out.append(None if token.kind == "blank" else cell)
    return out


def _joins(tokens: list[Token], width: int, check: Check | None) -> Reading:
    need = len(tokens) - width
    spots = [i for i in range(len(tokens) - 1) if _splittable(tokens[i], tokens[i + 1])]
    message = f"该行有 {len(tokens)} 个数值（应为 {width} 个）"
    if check is None or need > _MAX_JOINS or len(spots) < need or len(spots) > 12:
        return Reading(None, f"{message}，无法确定对应的列，未读取")
    passing = []
    for at in itertools.combinations(spots, need):
        if any(b - a < 2 for a, b in itertools.pairwise(at)):
            continue  # one number split in three is not two splits
        cells = _joined(tokens, at)
        if check([None if c is None else c.value for c in cells]):
            passing.append(cells)
    if len(passing) != 1:
        return Reading(None, f"{message}，无法确定对应的列，未读取")
    return Reading(tuple(passing[0]), f"{message}，其中一个数被拆成两行，仅有一种合并满足表内合计")


def _with_gaps(run: list[Token], width: int) -> Reading | None:
    """A short row of a capture that keeps empty cells as empty lines: its first `width` tokens
    are its cells, when every value lies among them and only empty lines follow."""
    window, rest = run[:width], run[width:]
    if len(window) < width or any(t.kind != "gap" for t in rest):
        return None
    cells = tuple(None if t.kind in ("gap", "blank") else t.cell for t in window)
    return Reading(cells, placed=any(t.kind == "gap" for t in window))


def read_values(
    run: Sequence[Token],
    width: int,
    check: Check | None = None,
    gaps: bool = False,
    per_line: bool = False,
) -> Reading:
    """The `width` values of a row from the tokens after its label (numbers, blanks, gaps);
    `gaps`: this document's empty lines are cells; `per_line`: it sets every cell on a line of
    its own (else values on several lines are a wrapped row, or a row and a stray: only the
    form's arithmetic can say they belong together)."""
    values = [t for t in run if t.kind in ("number", "blank")]
    if len(values) == width:
        ordered = _by_column(values)
        cells = tuple(None if t.kind == "blank" else t.cell for t in ordered)
        spread = not per_line and len({t.line for t in values}) > 1
        if spread and check is not None and not check([_value(c) for c in cells]):
            message = f"该行的 {width} 个数值分在几行，且不满足该行合计，无法确定都属于该行，未读取"
            return Reading(None, message)
        return Reading(cells)
    if len(values) > width:
        return _joins(values, width, check)
    if gaps:
        found = _with_gaps(list(run), width)
        if found is not None:
            return found
    message = f"该行有 {len(values)} 个数值（应为 {width} 个），无法确定缺失的是哪一列，未读取"
    return Reading(None, message, lost=True)
