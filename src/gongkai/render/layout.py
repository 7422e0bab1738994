"""The form's tables as grids of merged cells, shared by every document renderer.

Each table is laid out once here, exactly as the national form prints it (FORMAT.md §2.4–2.6,
§3.2–3.3: the same spans as template-2021-blank.docx), so HTML, DOCX, XLSX and Markdown cannot
drift apart. A grid lists only the anchor cell of each merged range; renderers that need every
position (Markdown, the XLSX reader's view) expand it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from gongkai.model.keys import (
    SECTION_HEADINGS,
    T2_HEADERS,
    T2_LAYOUT,
    T3_COLUMNS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    TEMPLATE_2021,
    t2_item_label,
)
from gongkai.model.labels import template_of
from gongkai.model.report import Report

CellKind = Literal["note", "head", "caption", "label", "value"]
Value = int | float | None

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_WIDTH = 10  # three label columns and seven value columns
T2_WIDTH = 4
T4_WIDTH = 15


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    text: str
    kind: CellKind
    rowspan: int = 1
    colspan: int = 1
    path: tuple[str, str, int | str] | None = None  # ("table3", "received", 0) for value cells
    value: Value = None


@dataclass(frozen=True, slots=True)
class Grid:
    table: str
    template: str
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]

    def expanded(self) -> list[list[GridCell | None]]:
        """Every position; the positions a merged cell covers (other than its anchor) are None."""
        out: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell
        return out


def fmt_value(value: Value) -> str:
    """A cell as printed: blank stays blank (never 0); decimals exactly, never in exponent form."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


# Table 2 ------------------------------------------------------------------------------------------


def _spans(n_fields: int) -> list[int]:
    """How the fields of a block share the three value columns: the last one takes the rest."""
    return [1] * (n_fields - 1) + [T2_WIDTH - n_fields]


T2Block = tuple[str, tuple[str, ...], tuple[str, ...]]


def _t2_block(
    cells: list[GridCell],
    row: int,
    block: T2Block,
    template: str,
    data: dict[str, dict[str, Value]],
) -> int:
    caption, items, fields = block
    cells.append(GridCell(row, 0, caption, "caption", colspan=T2_WIDTH))
    cells.append(GridCell(row + 1, 0, "信息内容", "head"))
    spans = _spans(len(fields))
    col = 1
    for fld, span in zip(fields, spans, strict=True):
        cells.append(GridCell(row + 1, col, T2_HEADERS[template][fld], "head", colspan=span))
        col += span
    for r, item in enumerate(items, row + 2):
        cells.append(GridCell(r, 0, t2_item_label(item, template), "label"))
        values = data.get(item) or {}
        col = 1
        for fld, span in zip(fields, spans, strict=True):
            value, path = values.get(fld), ("table2", item, fld)
            cells.append(GridCell(r, col, fmt_value(value), "value", 1, span, path, value))
            col += span
    return row + 2 + len(items)


def table2_grid(report: Report) -> Grid:
    template = template_of(report, "table2")
    cells: list[GridCell] = []
    row = 0
    for block in T2_LAYOUT[template]:
        row = _t2_block(cells, row, block, template, report.table2 or {})
    return Grid("table2", template, row, T2_WIDTH, tuple(cells))


# Table 3 ------------------------------------------------------------------------------------------

# Printed leaf labels where keys.py keeps a shorter form; group labels of the merged column.
_T3_PRINTED = {
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
}
_T3_GROUPS = {
    "denied": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "declined": "（五）不予处理",
    "other": "（六）其他处理",
}
T3_RESULTS = "三、本年度办理结果"
_T3_HEADER_ROWS = 3


def t3_printed_label(key: str, label: str) -> str:
    """The label of the row's own (rightmost) label cell."""
    return _T3_PRINTED.get(key, label.split(" ", 1)[-1])


def _group_of(key: str) -> str | None:
    if key == "other":
        return None  # the 2019 （六） is a single row spanning both label columns
    prefix = key.split("_", 1)[0]
    return prefix if prefix in _T3_GROUPS and "_" in key else None


def _t3_header() -> list[GridCell]:
    return [
        GridCell(0, 0, T3_NOTE, "note", rowspan=3, colspan=3),
        GridCell(0, 3, "申请人情况", "head", colspan=7),
        GridCell(1, 3, T3_COLUMNS[0], "head", rowspan=2),
        GridCell(1, 4, "法人或其他组织", "head", colspan=5),
        GridCell(1, 9, T3_COLUMNS[6], "head", rowspan=2),
        *(GridCell(2, 4 + i, T3_COLUMNS[1 + i], "head") for i in range(5)),
    ]


def _t3_labels(rows: tuple[tuple[str, str], ...]) -> list[GridCell]:
    """The label columns: spans of 三、本年度办理结果 and of blocks （三）…（六）."""
    cells: list[GridCell] = []
    outcome_rows = len(rows) - 3  # all but 一、二 and 四
    group_seen: set[str] = set()
    for r, (key, label) in enumerate(rows, _T3_HEADER_ROWS):
        if key in ("received", "carried_over", "carried_forward"):
            cells.append(GridCell(r, 0, label, "label", colspan=3))
            continue
        if key == "granted":
            cells.append(GridCell(r, 0, T3_RESULTS, "label", rowspan=outcome_rows))
        group = _group_of(key)
        if group is None:
            cells.append(GridCell(r, 1, t3_printed_label(key, label), "label", colspan=2))
            continue
        if group not in group_seen:
            group_seen.add(group)
            size = sum(_group_of(k) == group for k, _ in rows)
            cells.append(GridCell(r, 1, _T3_GROUPS[group], "label", rowspan=size))
        cells.append(GridCell(r, 2, t3_printed_label(key, label), "label"))
    return cells


def table3_grid(report: Report) -> Grid:
    template = template_of(report, "table3")
    rows = T3_ROWS[template]
    data = report.table3 or {}
    cells = _t3_header() + _t3_labels(rows)
    for r, (key, _label) in enumerate(rows, _T3_HEADER_ROWS):
        values = data.get(key) or [None] * 7
        for c, value in enumerate(values):
            path = ("table3", key, c)
            cells.append(GridCell(r, 3 + c, fmt_value(value), "value", path=path, value=value))
    return Grid("table3", template, _T3_HEADER_ROWS + len(rows), T3_WIDTH, tuple(cells))


# Table 4 ------------------------------------------------------------------------------------------


def table4_grid(report: Report) -> Grid:
    data = report.table4 or {}
    cells = [
        GridCell(0, 0, "行政复议", "head", colspan=5),
        GridCell(0, 5, "行政诉讼", "head", colspan=10),
        *(GridCell(1, i, T4_COLUMNS[i], "head", rowspan=2) for i in range(5)),
        GridCell(1, 5, "未经复议直接起诉", "head", colspan=5),
        GridCell(1, 10, "复议后起诉", "head", colspan=5),
        *(GridCell(2, 5 + i, T4_COLUMNS[i % 5], "head") for i in range(10)),
    ]
    for g, (key, _label) in enumerate(T4_GROUPS):
        values = data.get(key) or [None] * 5
        for c, value in enumerate(values):
            path = ("table4", key, c)
            cells.append(GridCell(3, g * 5 + c, fmt_value(value), "value", path=path, value=value))
    return Grid("table4", TEMPLATE_2021, 4, T4_WIDTH, tuple(cells))


# Templates, sections, title ---------------------------------------------------------------------


def grids(report: Report) -> dict[int, Grid]:
    """The table of each table section (二、三、四)."""
    return {2: table2_grid(report), 3: table3_grid(report), 4: table4_grid(report)}


def heading(no: int) -> str:
    """The form's heading: a correct report prints the standard wording, whatever the input had."""
    return SECTION_HEADINGS[no - 1]


def title(report: Report) -> str:
    meta = report.meta
    if meta.agency and meta.year:
        return f"{meta.agency}{meta.year}年政府信息公开工作年度报告"
    return meta.title or "政府信息公开工作年度报告"
