"""Fit the value cells of a row to the form's columns without guessing a shift (FORMAT.md §5.3).

Conversions leave empty cells where merged label columns were, lose cells, and add stray ones. The
rules: while there are too many cells, drop empty ones at the end, then at the start;
with too many cells, accept the reading only when every alignment gives the same numbers, or when
exactly one alignment satisfies the form's arithmetic (a repair, flagged as such); otherwise leave
the row blank and say why.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from gongkai.extract.values import Cell

Check = Callable[[Sequence[int | float | None]], bool]
FitStatus = Literal["ok", "stray", "repaired", "ambiguous", "lost"]


@dataclass(frozen=True, slots=True)
class Fit:
    cells: tuple[Cell | None, ...]
    status: FitStatus
    seen: int

    @property
    def values(self) -> list[int | float | None]:
        return [None if c is None else c.value for c in self.cells]


def _trim(cells: Sequence[Cell], width: int) -> list[Cell]:
    """Drop empty cells beyond the form's width: first at the end (trailing separators), then at
    the start (merged label columns). Within the width an empty cell is a blank, e.g. a 总计
    left unfilled, and stays."""
    out = list(cells)
    while len(out) > width and out[-1].empty:
        out.pop()
    while len(out) > width and out[0].empty:
        out.pop(0)
    return out


_MAX_STRAYS = 3  # cells a row may carry beyond the form's; more is not a row with a stray


def _windows(cells: list[Cell], width: int) -> list[list[Cell]]:
    """Every way to keep `width` of the cells in order (a stray may stand anywhere in the row,
    not only at its ends), as long as there are few strays to leave out."""
    if len(cells) - width > _MAX_STRAYS:
        return [cells[i : i + width] for i in range(len(cells) - width + 1)]
    return [list(kept) for kept in itertools.combinations(cells, width)]


def _vals(cells: Sequence[Cell]) -> tuple[int | float | None, ...]:
    return tuple(c.value for c in cells)


def fit(cells: Sequence[Cell], width: int, check: Check | None = None) -> Fit:
    """Align `cells` (the value part of a row) to `width` columns."""
    trimmed = _trim(cells, width)
    seen = len(trimmed)
    if seen == width:
        return Fit(tuple(trimmed), "ok", seen)
    if seen < width:
        return Fit((None,) * width, "lost", seen)
    windows = _windows(trimmed, width)
    if len({_vals(w) for w in windows}) == 1:
        return Fit(tuple(windows[0]), "stray", seen)
    passing = [w for w in windows if check is not None and check(_vals(w))]
    if len({_vals(w) for w in passing}) == 1:
        return Fit(tuple(passing[0]), "repaired", seen)
    return Fit((None,) * width, "ambiguous", seen)


_KINDS = {"stray": "stray_cells", "repaired": "stray_cells", "ambiguous": "ambiguous_cells"}


def describe(fitted: Fit, width: int, what: str) -> tuple[str, str] | None:
    """(anomaly kind, Chinese message) for a fit that was not exact; None when it was."""
    if fitted.status == "ok":
        return None
    seen = f"{what}有 {fitted.seen} 个数值单元格（应为 {width} 个）"
    messages = {
        "stray": f"{seen}，多出的单元格不影响取值",
        "repaired": f"{seen}，仅有一种对齐方式满足表内合计，已按其读取",
        "ambiguous": f"{seen}，无法确定错位方式，未读取",
        "lost": f"{seen}，无法确定缺失的是哪一列，未读取",
    }
    return _KINDS.get(fitted.status, "lost_cells"), messages[fitted.status]
