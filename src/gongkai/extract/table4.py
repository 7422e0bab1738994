"""Table 4 (复议/诉讼): one data row of 15 cells, no row labels (FORMAT.md §2.6)."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.extract.fit import Fit, describe, fit
from gongkai.extract.values import Cell
from gongkai.model.report import Anomaly

WIDTH = 15


def _groups_ok(values: Sequence[int | float | None]) -> bool:
    for g in range(3):
        part = values[g * 5 : g * 5 + 5]
        if any(v is None for v in part) or sum(v for v in part[:4] if v is not None) != part[4]:
            return False
    return True


def is_data_row(cells: Sequence[Cell]) -> bool:
    """A row of numbers and blanks only, with at least one number."""
    return all(c.kind != "label" for c in cells) and any(c.kind == "number" for c in cells)


def parse_table4(rows: Sequence[tuple[list[Cell], int | None]]) -> tuple[Fit | None, list[Anomaly]]:
    """Read the first data row; the rows are (cells, line) in the table-4 region."""
    data = [(cells, line) for cells, line in rows if is_data_row(cells)]
    if not data:
        return None, []
    cells, line = data[0]
    fitted = fit(cells, WIDTH, _groups_ok)
    described = describe(fitted, WIDTH, "表四数据行")
    if described is None:
        return fitted, []
    kind, message = described
    texts = [c.text for c in cells]
    note = {"kind": kind, "table": "table4", "message": message, "cells": texts, "line": line}
    return fitted, [Anomaly.model_validate(note)]
