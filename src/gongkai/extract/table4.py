"""Table 4 (复议/诉讼): one data row of 15 cells, no row labels (FORMAT.md §2.6)."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.extract.fit import Fit, fit
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
    if fitted.status == "ok":
        return fitted, []
    messages = {
        "stray": f"表四数据行有 {fitted.seen} 个单元格（应为 15 个），多出的单元格不影响取值",
        "repaired": f"表四数据行有 {fitted.seen} 个单元格（应为 15 个），仅有一种对齐方式满足合计，已按其读取",
        "ambiguous": f"表四数据行有 {fitted.seen} 个单元格（应为 15 个），无法确定错位方式，未读取",
        "lost": f"表四数据行只有 {fitted.seen} 个单元格（应为 15 个），无法确定缺失的是哪几列，未读取",
    }
    kind = {"stray": "stray_cells", "repaired": "stray_cells", "ambiguous": "ambiguous_cells"}
    note = Anomaly.model_validate(
        {
            "kind": kind.get(fitted.status, "lost_cells"),
            "table": "table4",
            "row": None,
            "message": messages[fitted.status],
            "cells": [c.text for c in cells],
            "line": line,
        }
    )
    return fitted, [note]
