"""Table rules in a scanned page image, rebuilt into cell grids (for ocr.py).

Rules are long ink runs that are not strokes inside a text box OCR found; runs on nearby pixel rows
stack into one rule, bridging the breaks of a faint scan. Crossing rules make a grid; a missing
wall between two grid cells merges them, as a merged cell of the table. Positions are in points.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # numpy comes with the extra
    import numpy as np
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]

_DARK = 70  # grey levels below the paper: ink; light cell shading stays above it
_SMOOTH = 3.0  # points: averaging along a rule bridges the specks a noisy scan breaks it into
_RULE_MIN = 20.0  # points: longer than any character stroke, shorter than any table rule
_STUB_MIN = 8.0  # points: vertical rules as short as one thin table row
_TOL = 3.0  # points: rule thickness plus anti-aliasing


class TextBox(NamedTuple):  # one OCR box, in points
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class Rule(NamedTuple):  # a ruling segment: `pos` across it, `lo`..`hi` along it (points)
    pos: float
    lo: float
    hi: float


def _ink(gray: Gray, pt: float) -> npt.NDArray[np.bool_]:
    """Ink pixels after averaging along the rows, relative to the paper's grey."""
    import numpy as np

    width = max(1, round(_SMOOTH / pt))
    sums = np.cumsum(gray, axis=1, dtype=np.int32)
    sums[:, width:] = sums[:, width:] - sums[:, :-width]
    return sums < (float(np.median(gray[::8, ::8])) - _DARK) * width  # the median grey is paper


def _runs(mask: npt.NDArray[np.bool_], min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of ink along the rows at least `min_len` pixels long."""
    import numpy as np

    steps = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(steps == 1)
    _rows, ends = np.nonzero(steps == -1)  # row-major order pairs every start with its end
    keep = ends - starts >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _segments(runs: list[tuple[int, int, int]], pt: float) -> list[Rule]:
    """Stack runs on nearby pixel rows into one rule, bridging the breaks of a faint scan."""
    gap = round(_SMOOTH / pt)
    open_: list[list[int]] = []  # [first row, last row, start, end]
    done: list[list[int]] = []
    for row, start, end in runs:
        for seg in open_:
            if seg[1] >= row - 2 and start <= seg[3] + gap and end >= seg[2] - gap:
                seg[1], seg[2], seg[3] = row, min(seg[2], start), max(seg[3], end)
                break
        else:
            open_.append([row, row, start, end])
        done += [s for s in open_ if s[1] < row - 2]
        open_ = [s for s in open_ if s[1] >= row - 2]
    return [Rule((a + b + 1) / 2 * pt, lo * pt, hi * pt) for a, b, lo, hi in done + open_]


def rulings(gray: Gray, pt: float, boxes: list[TextBox]) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) table rules of a page image (`pt` points per pixel): ink runs that
    are not strokes inside a text box (a big `1` or `0` can be as tall as a tight row), with
    verticals crossing a horizontal."""
    runs = _segments(_runs(_ink(gray, pt), round(_RULE_MIN / pt)), pt)
    horizontal = [h for h in runs if not any(_in_text(h, box, vertical=False) for box in boxes)]
    stubs = _segments(_runs(_ink(gray.T, pt), round(_STUB_MIN / pt)), pt)
    stubs = [v for v in stubs if not any(_in_text(v, box, vertical=True) for box in boxes)]
    # One end is enough: a table broken by a page has no rule at its open end.
    vertical = [v for v in stubs if any(_crosses(v, h) for h in horizontal)]
    framed = [h for h in horizontal if sum(_crosses(v, h) for v in vertical) >= 2]
    return framed, vertical


def _in_text(rule: Rule, box: TextBox, *, vertical: bool) -> bool:
    """A stroke of the box's text. A rule never runs through a box (boxes sit inside cells), so
    the rule's length may exceed the box by the tolerance: strokes stick out of tight boxes."""
    across = (box.x0, box.x1) if vertical else (box.top, box.bottom)
    along = (box.top - _TOL, box.bottom + _TOL) if vertical else (box.x0 - _TOL, box.x1 + _TOL)
    return across[0] < rule.pos < across[1] and along[0] <= rule.lo and rule.hi <= along[1]


def _crosses(v: Rule, h: Rule) -> bool:
    return h.lo - _TOL <= v.pos <= h.hi + _TOL and v.lo - _TOL <= h.pos <= v.hi + _TOL


class Grid(NamedTuple):
    ys: list[float]
    xs: list[float]
    horizontal: list[Rule]
    vertical: list[Rule]

    def wall(self, i: int, j: int, *, right: bool) -> bool:
        """Whether a rule separates grid cell (i, j) from its neighbour (right or below)."""
        rules, pos, mid = (
            (self.vertical, self.xs[j + 1], (self.ys[i] + self.ys[i + 1]) / 2)
            if right
            else (self.horizontal, self.ys[i + 1], (self.xs[j] + self.xs[j + 1]) / 2)
        )
        return any(abs(r.pos - pos) <= _TOL and r.lo - _TOL <= mid <= r.hi + _TOL for r in rules)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        i, j = bisect.bisect_right(self.ys, y) - 1, bisect.bisect_right(self.xs, x) - 1
        return (i, j) if 0 <= i < len(self.ys) - 1 and 0 <= j < len(self.xs) - 1 else None


def _find(parent: dict[Any, Any], a: Any) -> Any:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _positions(rules: list[Rule]) -> list[float]:
    """Rule positions, with rules closer than the tolerance counted once."""
    out: list[float] = []
    for pos in sorted(r.pos for r in rules):
        if not out or pos - out[-1] > 2 * _TOL:
            out.append(pos)
    return out


def grids(horizontal: list[Rule], vertical: list[Rule]) -> list[Grid]:
    """One grid per group of crossing rules with at least two rules each way."""
    parent: dict[Any, Any] = {r: r for r in (*horizontal, *vertical)}
    for h in horizontal:
        for v in vertical:
            if _crosses(v, h):
                parent[_find(parent, h)] = _find(parent, v)
    groups: dict[Any, tuple[list[Rule], list[Rule]]] = {}
    for h in horizontal:
        groups.setdefault(_find(parent, h), ([], []))[0].append(h)
    for v in vertical:
        groups.setdefault(_find(parent, v), ([], []))[1].append(v)
    return [
        Grid(_edges(_positions(hs), vs), _edges(_positions(vs), hs), hs, vs)
        for hs, vs in groups.values()
        if len(hs) >= 2 and len(vs) >= 2
    ]


def _edges(positions: list[float], across: list[Rule]) -> list[float]:
    """Close open sides (a table cut by a page break): it ends where the rules across it end."""
    lo, hi = min(r.lo for r in across), max(r.hi for r in across)
    head = [lo] if lo < positions[0] - 2 * _TOL else []
    tail = [hi] if hi > positions[-1] + 2 * _TOL else []
    return head + positions + tail


def anchors(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """Each grid cell → the first grid cell of the merged cell it belongs to."""
    cells = [(i, j) for i in range(len(grid.ys) - 1) for j in range(len(grid.xs) - 1)]
    parent: dict[Any, Any] = {c: c for c in cells}
    for i, j in cells:
        if j + 1 < len(grid.xs) - 1 and not grid.wall(i, j, right=True):
            parent[_find(parent, (i, j + 1))] = _find(parent, (i, j))
        if i + 1 < len(grid.ys) - 1 and not grid.wall(i, j, right=False):
            parent[_find(parent, (i + 1, j))] = _find(parent, (i, j))
    first: dict[Any, tuple[int, int]] = {}
    for cell in cells:  # row-major, so the first cell seen is the top-left one
        first.setdefault(_find(parent, cell), cell)
    return {cell: first[_find(parent, cell)] for cell in cells}
