"""Cells by location, their labels as printed on the form, and the tables' geometry.

A location is a tuple such as ("table3", "received", 0), ("table4", "review", 4) or
("table2", "punishment", "decisions"). Cross-year rules read last year's cells under the prefix
"previous": ("previous", "table3", "carried_forward", 6).
"""

from __future__ import annotations

from collections.abc import Iterator

from gongkai.model.keys import (
    SUBTOTAL_SUFFIX,
    T2_LAYOUT,
    T3_COLUMNS,
    T3_LABELS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    TEMPLATE_2021,
    t2_field_label,
    t2_item_label,
)
from gongkai.model.labels import template_of
from gongkai.model.report import Report
from gongkai.validate.codes import CellRef

Value = int | float | None

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
T4_LABELS = dict(T4_GROUPS)
# Extra table-3 rows some third-party templates carry (R4); extraction does not keep them yet.
SUBTOTAL_LABELS = {
    "denied": "（三）不予公开 小计",
    "unavailable": "（四）无法提供 小计",
    "declined": "（五）不予处理 小计",
    "other": "（六）其他处理 小计",
}


def t3_template(report: Report) -> str:
    """The table-3 format (model/labels.py: as detected, else from the rows present)."""
    return template_of(report, "table3")


def t2_template(report: Report) -> str:
    return template_of(report, "table2")


def _row(report: Report, table: str, row: str) -> list[Value] | None:
    if table == "table2":
        values = (report.table2 or {}).get(row)
        return None if values is None else list(values.values())
    data = report.table3 if table == "table3" else report.table4
    return None if data is None else data.get(row)


def value(report: Report, ref: CellRef) -> Value:
    """The value at `ref`; None for a blank cell or a cell that is not there."""
    table, row, col = ref
    if table == "table2":
        return (report.table2 or {}).get(str(row), {}).get(str(col))
    values = _row(report, str(table), str(row))
    if values is None or not isinstance(col, int) or col >= len(values):
        return None
    return values[col]


def _lines(report: Report, ref: CellRef) -> list[list[Value]]:
    """The other cells of the row and of the column that `ref` lies in.

    Table 4's three groups are different proceedings (复议, two kinds of 诉讼): a column across
    them says nothing about a blank, so there only the group counts.
    """
    table, row, col = ref
    if table == "table2":
        data = report.table2 or {}
        row_cells = [v for f, v in data.get(str(row), {}).items() if f != col]
        col_cells = [fields.get(str(col)) for item, fields in data.items() if item != row]
        return [row_cells, col_cells]
    data3 = (report.table3 if table == "table3" else report.table4) or {}
    at = int(col)
    row_cells = [v for c, v in enumerate(data3.get(str(row)) or []) if c != at]
    if table == "table4":
        return [row_cells]
    return [row_cells, [vals[at] for key, vals in data3.items() if key != row and len(vals) > at]]


def zero_like(report: Report, ref: CellRef) -> bool:
    """Lenient mode (RULES.md): a blank counts as 0 when the rest of its row or column is 0 or blank."""
    if value(report, ref) is not None:
        return False
    return any(line and all(not v for v in line) for line in _lines(report, ref))


def row_label(table: str, row: str, template: str = TEMPLATE_2021) -> str:
    if table == "table3":
        return T3_LABELS.get(row) or SUBTOTAL_LABELS.get(row.removesuffix(SUBTOTAL_SUFFIX), row)
    if table == "table4":
        return T4_LABELS.get(row, row)
    return t2_item_label(row, template)


def label(report: Report, ref: CellRef) -> str:
    """表三“（一）予以公开”行“自然人”列 — the words a clerk finds on the paper form."""
    table, row, col = (str(ref[0]), str(ref[1]), ref[2])
    if table == "table3" and isinstance(col, int):
        return f"表三“{row_label(table, row)}”行“{T3_COLUMNS[col]}”列"
    if table == "table4" and isinstance(col, int):
        return f"表四“{row_label(table, row)}”的“{T4_COLUMNS[col]}”"
    template = t2_template(report)
    return f"表二“{row_label(table, row, template)}”的“{t2_field_label(str(col), template)}”"


def t3_row_refs(row: str) -> list[CellRef]:
    return [("table3", row, c) for c in range(len(T3_COLUMNS))]


def expected_rows(report: Report) -> Iterator[tuple[str, str, list[CellRef]]]:
    """(table, row, cells) for every row the report's formats print, present or not."""
    if report.table2 is not None:
        for _caption, items, fields in T2_LAYOUT[t2_template(report)]:
            for item in items:
                yield "table2", item, [("table2", item, f) for f in fields]
    if report.table3 is not None:
        for key, _label in T3_ROWS[t3_template(report)]:
            yield "table3", key, t3_row_refs(key)
    if report.table4 is not None:
        for key, _label in T4_GROUPS:
            yield "table4", key, [("table4", key, c) for c in range(len(T4_COLUMNS))]


def all_cells(report: Report) -> Iterator[tuple[CellRef, Value]]:
    """Every cell the report holds, in form order within each table."""
    for item, fields in (report.table2 or {}).items():
        for field, v in fields.items():
            yield ("table2", item, field), v
    for table, data in (("table3", report.table3), ("table4", report.table4)):
        for row, values in (data or {}).items():
            for col, v in enumerate(values):
                yield (table, row, col), v
