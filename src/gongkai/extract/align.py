"""The one column aligner of tables 2, 3 and 4: data cells placed by the header's column intervals.

A laid-out table keeps each cell's horizontal interval (readers/raw.py). The columns of the form
are the intervals of the header cells that name them; a data cell goes to the column its interval
lies in. This survives what breaks reading by position: a header cell spanning two grid columns
over a value that spans one (本年增/减), a spacer column present in every row, merged label columns
of any width. An empty column is no column at all: it names nothing and holds nothing.

Doubt is never resolved by a guess: a number over two columns, over none, or two numbers in one
column leave the columns concerned blank and say why (`Aligned.problems`). Rows without
intervals, or of another frame than the header's, are not aligned here (fit.py reads them).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongkai.extract.values import Cell

# A cell belongs to a column when most of it lies there; a second column holding at least this
# share of it makes the cell stand over two columns (points of PDF rulings are never exact).
_MAJOR = 0.5
_MINOR = 0.25


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    x0: float
    x1: float


@dataclass(slots=True)
class Aligned:
    """Each column's cell (None: nothing there), and what could not be placed."""

    cells: dict[str, Cell | None]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def has_geometry(cell: Cell) -> bool:
    return cell.src.x0 is not None and cell.src.x1 is not None


def column(key: str, cell: Cell) -> Column | None:
    """The column a header cell names, where the cell has an interval."""
    x0, x1 = cell.src.x0, cell.src.x1
    return None if x0 is None or x1 is None or x1 <= x0 else Column(key, x0, x1)


Candidates = tuple[list[int], float]  # the columns a cell may be in, the largest share of it


def _candidates(cell: Cell, columns: Sequence[Column]) -> Candidates:
    """The columns a cell may be in: the one holding most of it, and a second that holds a fair
    share too (a value spanning two grid columns under a header that splits them differently);
    and the largest share of it one column holds. (Hot: one loop, no helper calls.)"""
    x0, x1 = cell.src.x0, cell.src.x1
    assert x0 is not None and x1 is not None
    width = max(x1 - x0, 1e-9)
    options, best = [], 0.0
    for i, c in enumerate(columns):
        if c.x1 <= x0 or c.x0 >= x1:
            continue
        share = (min(x1, c.x1) - max(x0, c.x0)) / width
        if share >= _MINOR:
            options.append(i)
            best = max(best, share)
    return options, best


def _monotone(options: list[list[int]]) -> list[list[int]]:
    """Every way to give each cell (left to right) one of its columns, columns strictly left to
    right; at most two are returned (two already means doubt)."""
    if all(len(o) == 1 for o in options):  # the common case: each cell under one column
        cols = [o[0] for o in options]
        return [cols] if all(a < b for a, b in itertools.pairwise(cols)) else []
    found: list[list[int]] = []

    def walk(k: int, after: int, chosen: list[int]) -> None:
        if len(found) >= 2:
            return
        if k == len(options):
            found.append(chosen)
            return
        for col in options[k]:
            if col > after:
                walk(k + 1, col, [*chosen, col])

    walk(0, -1, [])
    return found


def _problem(cell: Cell, columns: Sequence[Column], options: list[int]) -> str:
    if not options:
        return f"“{cell.text}”不在任何一列之下"
    names = "、".join(columns[i].key for i in options)
    return f"“{cell.text}”跨在两列（{names}）之间"


def _x0(cell: Cell) -> float:
    return cell.src.x0 or 0.0


def align(
    columns: Sequence[Column],
    cells: Sequence[Cell],
    memo: dict[tuple[float, float], Candidates] | None = None,
) -> Aligned | None:
    """Place the cells of a row under `columns` (`memo`: candidates already worked out for these
    columns); None when a written value has no interval (the row cannot be aligned). Empty and
    covered cells place nothing; a label outside the columns is the row's own label, and a label
    inside one is that column's (unreadable) content.

    A cell over two columns is placed only when the order of the row leaves it one: cells stand
    left to right as their columns do, one cell a column. Anything else is a problem, named."""
    written = [c for c in cells if not c.src.covered and not c.empty]
    if any(c.kind != "label" and not has_geometry(c) for c in written):
        return None
    placed: list[tuple[Cell, list[int]]] = []
    for cell in sorted((c for c in written if has_geometry(c)), key=_x0):
        if memo is None:
            options, best = _candidates(cell, columns)
        else:  # `memo` belongs to these columns: the intervals of one table's rows recur
            at = (cell.src.x0 or 0.0, cell.src.x1 or 0.0)
            if at not in memo:
                memo[at] = _candidates(cell, columns)
            options, best = memo[at]
        if cell.kind == "label" and (len(options) != 1 or best < _MAJOR):
            continue  # a row label in the label columns (or one straddling them): not a value
        placed.append((cell, options))
    out = Aligned(dict.fromkeys((c.key for c in columns), None))
    ways = _monotone([options for _cell, options in placed])
    if len(ways) == 1:
        for (cell, _options), col in zip(placed, ways[0], strict=True):
            out.cells[columns[col].key] = cell
        return out
    for cell, options in placed:
        if len(options) != 1:
            out.problems.append(_problem(cell, columns, options))
    if not out.problems:  # each cell has one column, but two cells share it
        out.problems.append("同一列中有两个数值：" + "、".join(f"“{c.text}”" for c, _ in placed))
    return out
