"""Table 4 (复议/诉讼): one data row of 15 cells, no row labels (FORMAT.md §2.6).

Where the header's leaf cells (结果维持 … 总计, three times) have intervals, the data row is read
by them (align.py): a blank cell stays in its own column. Otherwise the row is fitted (fit.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.extract.align import Column, align, column
from gongkai.extract.fit import Fit, describe, fit
from gongkai.extract.normalize import norm
from gongkai.extract.values import Cell
from gongkai.model.keys import T4_COLUMNS
from gongkai.model.report import Anomaly

WIDTH = 15
_LEAVES = frozenset(norm(name) for name in T4_COLUMNS)


@dataclass(frozen=True, slots=True)
class T4Row:
    cells: list[Cell]
    line: int | None = None
    frame: int | None = None


def groups_ok(values: Sequence[int | float | None]) -> bool:
    for g in range(3):
        part = values[g * 5 : g * 5 + 5]
        if any(v is None for v in part) or sum(v for v in part[:4] if v is not None) != part[4]:
            return False
    return True


def is_data_row(cells: Sequence[Cell]) -> bool:
    """A row of numbers and blanks only, with at least one number."""
    return all(c.kind != "label" for c in cells) and any(c.kind == "number" for c in cells)


def header_columns(rows: Sequence[T4Row]) -> tuple[tuple[Column, ...], int | None] | None:
    """The fifteen leaf columns, left to right, when the header rows (one frame) name exactly
    fifteen that do not overlap; the form fixes their order (复议, 直接起诉, 复议后起诉)."""
    frames = {row.frame for row in rows}
    if len(frames) != 1 or None in frames:
        return None
    leaves = [
        col
        for row in rows
        for cell in row.cells
        if not cell.src.covered and norm(cell.text) in _LEAVES
        for col in [column(norm(cell.text), cell)]
        if col is not None
    ]
    leaves.sort(key=lambda c: c.x0)
    if len(leaves) != WIDTH or any(a.x1 > b.x0 for a, b in itertools.pairwise(leaves)):
        return None
    keyed = tuple(Column(str(i), c.x0, c.x1) for i, c in enumerate(leaves))
    return keyed, frames.pop()


def _by_header(row: T4Row, header: tuple[tuple[Column, ...], int | None] | None) -> Fit | None:
    if header is None or row.frame != header[1]:
        return None
    placed = align(header[0], row.cells)
    if placed is None:
        return None
    cells = tuple(placed.cells[str(i)] for i in range(WIDTH))
    if not placed.ok:
        return Fit((None,) * WIDTH, "ambiguous", sum(c is not None for c in cells))
    return Fit(cells, "ok", WIDTH)


def parse_table4(rows: Sequence[T4Row]) -> tuple[Fit | None, list[Anomaly]]:
    """Read the first data row of the table-4 region (its rows in document order)."""
    at = next((i for i, row in enumerate(rows) if is_data_row(row.cells)), None)
    if at is None:
        return None, []
    row = rows[at]
    header = header_columns([r for r in rows[:at] if r.cells])
    fitted = _by_header(row, header) or fit(row.cells, WIDTH, groups_ok)
    described = describe(fitted, WIDTH, "表四数据行")
    if described is None:
        return fitted, []
    kind, message = described
    texts = [c.text for c in row.cells]
    note = {"kind": kind, "table": "table4", "message": message, "cells": texts, "line": row.line}
    return fitted, [Anomaly.model_validate(note)]
