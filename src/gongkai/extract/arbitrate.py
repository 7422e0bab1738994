"""Arbitration between the two readings of a table: by its grid (table2/3/4.py) and in reading
order (stream.py, stream_t2.py).

Where only one strategy reads a row, its reading stands. Where the grid could not read a row (cells
lost or ambiguous, or a row the grid saw only as blank cells while numbers follow its label in
reading order: a row a page break cut in two), the reading-order values are taken. Where both read
a row and disagree, the form's arithmetic decides: a reading that breaks a relation the other one
keeps is rejected. Where the arithmetic cannot tell, the row stays blank and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gongkai.extract.fit import Fit
from gongkai.extract.reading import Reading
from gongkai.model.keys import T3_OUTCOME_KEYS, TEMPLATE_2019, TEMPLATE_2021
from gongkai.model.report import Anomaly

Values = Sequence[int | float | None]
_FAILED = frozenset({"ambiguous", "lost"})
# Anomalies a grid reading leaves on a row the other reading then read: no longer true.
_SUPERSEDED = frozenset({"lost_cells", "ambiguous_cells", "unreadable_value", "uncertain_blank"})
DISAGREE = "按表格结构与按阅读顺序读出的数值不一致"


@dataclass(slots=True)
class Merged:
    rows: dict[str, Fit] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, row, message)
    superseded: set[str] = field(default_factory=set)  # rows whose grid anomalies no longer hold


def _weak(fit: Fit | None, theirs: Fit) -> bool:
    """A grid reading the stream may replace: none, failed, or blank where the stream read
    numbers and equal where both did (a row a page break cut in two: the grid saw a part)."""
    if fit is None or fit.status in _FAILED or all(v is None for v in fit.values):
        return True
    if len(fit.values) != len(theirs.values):
        return False
    return all(a is None or a == b for a, b in zip(fit.values, theirs.values, strict=True))


def _as_fit(reading: Reading, width: int) -> Fit:
    cells = reading.cells or (None,) * width
    return Fit(tuple(cells), "ok", sum(c is not None for c in cells))


def merge(
    grid: dict[str, Fit],
    stream: dict[str, Reading],
    width: int,
    violations: ViolationCount | None = None,
) -> Merged:
    """Row by row; `violations(rows, key, values)` counts the form's relations involving row
    `key` that `values` break, the other rows as settled (None: no arithmetic to decide by)."""
    out = Merged(dict(grid))
    disputed: list[tuple[str, Fit, Fit]] = []
    doubted: list[tuple[str, Reading]] = []
    placed: list[str] = []
    for key, reading in stream.items():
        if reading.cells is None:
            if key not in grid and reading.note is not None:  # the row is there, unread: why
                kind = "lost_cells" if reading.lost else "ambiguous_cells"
                out.notes.append((kind, key, reading.note))
            elif not reading.lost and violations is not None:
                doubted.append((key, reading))
            continue
        mine, theirs = grid.get(key), _as_fit(reading, width)
        if mine is not None and mine.status not in _FAILED and mine.values == theirs.values:
            continue  # both read the same: the grid's reading, with its provenance, stands
        if (_weak(mine, theirs) and any(v is not None for v in theirs.values)) or mine is None:
            out.rows[key] = theirs
            out.superseded.add(key)
            if reading.note is not None:  # read, but only after a repair: say which
                out.notes.append(("stray_cells", key, reading.note))
            if reading.placed:
                placed.append(key)
        elif mine is not None and list(mine.values) != list(theirs.values):
            disputed.append((key, mine, theirs))
    for key, _mine, _theirs in disputed:
        out.rows.pop(key, None)
    settled = {k: list(f.values) for k, f in out.rows.items()}
    for key, mine, theirs in disputed:
        _decide(out, settled, key, mine, theirs, violations)
    for key, reading in doubted:
        _doubt(out, settled, key, reading, violations)
    for key in placed:
        _confirm(out, settled, key, violations)
    return out


def _confirm(
    out: Merged,
    settled: dict[str, list[int | float | None]],
    key: str,
    violations: ViolationCount | None,
) -> None:
    """A row whose blanks were placed by empty lines stands only where the form's relations it
    can be checked by hold (an empty line that was a separator, not a cell, shifts values)."""
    row = out.rows[key]
    if violations is not None and violations(settled, key, row.values) == 0:
        return
    message = "该行缺少数值，按空行确定空白单元格的位置后不满足表内勾稽关系，无法确定缺失的是哪一列，未读取"
    _unread(out, key, len(row.cells), message, lost=True)


def _doubt(
    out: Merged,
    settled: dict[str, list[int | float | None]],
    key: str,
    reading: Reading,
    violations: ViolationCount | None,
) -> None:
    """In reading order the row has more values than the form (a stray, or digits stacked over
    two lines): the grid's reading of it stands only where it keeps the form's arithmetic."""
    mine = out.rows.get(key)
    if mine is None or mine.status in _FAILED or violations is None:
        return
    if violations(settled, key, mine.values) == 0:
        return
    message = f"按阅读顺序{reading.note or '该行数值多于表格的列'}；按表格结构读出的数值又不满足表内勾稽关系"
    _unread(out, key, len(mine.cells), message)


def _decide(
    out: Merged,
    settled: dict[str, list[int | float | None]],
    key: str,
    mine: Fit,
    theirs: Fit,
    violations: ViolationCount | None,
) -> None:
    shown = f"{DISAGREE}（{_show(mine.values)} 与 {_show(theirs.values)}）"
    if violations is not None:
        a, b = violations(settled, key, mine.values), violations(settled, key, theirs.values)
        if a == 0 < b or b == 0 < a:
            out.rows[key] = mine if a == 0 else theirs
            out.superseded.add(key)
            out.notes.append(
                (
                    "stray_cells",
                    key,
                    f"{shown}，仅前者满足表内勾稽关系，已采用"
                    if a == 0
                    else f"{shown}，仅后者满足表内勾稽关系，已采用",
                )
            )
            return
    _unread(out, key, len(mine.cells), f"{shown}，无法确定，未读取")


def _unread(out: Merged, key: str, width: int, message: str, lost: bool = False) -> None:
    """The row left blank, and why (lost: cells are missing; else: the readings cannot be told
    apart)."""
    out.rows[key] = Fit((None,) * width, "lost" if lost else "ambiguous", 0 if lost else width)
    out.superseded.add(key)
    out.notes.append(("lost_cells" if lost else "ambiguous_cells", key, message))


def _show(values: Values) -> str:
    return "[" + ", ".join("空" if v is None else f"{v:g}" for v in values) + "]"


class ViolationCount:
    """The relations of table 3 (FORMAT.md §4.1: R1 balance, R2 outcome total, R3 row total)
    that a row's candidate values break, given the other rows; unverifiable ones do not count."""

    def __init__(self, template: str | None) -> None:
        self.outcomes = T3_OUTCOME_KEYS[template or TEMPLATE_2021]
        if template is None:
            self.outcomes = tuple(
                dict.fromkeys(T3_OUTCOME_KEYS[TEMPLATE_2021] + T3_OUTCOME_KEYS[TEMPLATE_2019])
            )

    def __call__(self, rows: dict[str, list[int | float | None]], key: str, values: Values) -> int:
        table = {**rows, key: list(values)}
        broken = int(_row_total_broken(values))
        for col in range(len(values)):
            if key in ("received", "carried_over", "total", "carried_forward"):
                broken += _balance_broken(table, col)
            if key == "total" or key in self.outcomes:
                broken += self._outcomes_broken(table, col)
        return broken

    def _outcomes_broken(self, table: dict[str, list[int | float | None]], col: int) -> int:
        parts = [table.get(k) for k in self.outcomes if k in table]
        total = table.get("total")
        cells = [p[col] for p in parts if p is not None]
        if total is None or total[col] is None or None in cells or not cells:
            return 0
        return int(sum(c for c in cells if c is not None) != total[col])


def _row_total_broken(values: Values) -> bool:
    if len(values) != 7 or None in values:
        return False
    return sum(v for v in values[:6] if v is not None) != values[6]


def _balance_broken(table: dict[str, list[int | float | None]], col: int) -> int:
    cells = [table.get(k) for k in ("received", "carried_over", "total", "carried_forward")]
    if any(c is None or c[col] is None for c in cells):
        return 0
    a, b, c, d = (x[col] for x in cells if x is not None)
    assert a is not None and b is not None and c is not None and d is not None
    return int(a + b != c + d)


def superseded(anomalies: list[Anomaly], table: str, rows: set[str]) -> list[Anomaly]:
    """The anomalies minus a grid's complaints about rows the other reading has read."""
    return [
        a for a in anomalies if not (a.table == table and a.row in rows and a.kind in _SUPERSEDED)
    ]
