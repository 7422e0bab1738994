"""Report → Excel workbook (openpyxl): the form sheet by sheet, plus a flat sheet of every cell.

Sheets, in reading order: 一 (title and section 一), 二/三/四 (heading and table, merged cells as on
the form), 五、六 (their texts), then `数据明细` (one row per cell, for pivoting). The reader in
readers/xlsx.py walks the sheets in this order, so a workbook reads back as the report it came
from. Values are written as numbers; a blank cell stays empty (never 0).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.model.keys import (
    T2_HEADERS,
    T2_LAYOUT,
    T3_COLUMNS,
    T3_LABELS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    t2_item_label,
)
from gongkai.model.labels import paragraphs, template_of
from gongkai.model.report import Report
from gongkai.render.layout import Grid, GridCell, grids, heading, title

FLAT_SHEET = "数据明细"
GUIDE_SHEET = "填写说明"
NON_FORM_SHEETS = frozenset({FLAT_SHEET, GUIDE_SHEET})
SHEET_NAMES = {
    1: "一、总体情况",
    2: "二、主动公开",
    3: "三、依申请公开",
    4: "四、复议诉讼",
    5: "五、六",
}
TEXT_WIDTH = 10  # columns a text cell spans on the text sheets
SECTION_HINTS = {
    1: "（文字描述）",
    5: "（文字描述）",
    6: "（文字描述，收取信息处理费情况在此处报告。）",
}

FONT = "宋体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FILL_IN = PatternFill("solid", fgColor="FFF7D6")  # the cells a clerk fills in
_COLUMN_WIDTHS = {
    "table2": [26.0, 18.0, 18.0, 18.0],
    "table3": [6.0, 11.0, 34.0] + [9.0] * 7,
    "table4": [7.5] * 15,
}
_CHARS_PER_LINE = 48  # CJK characters across TEXT_WIDTH columns of default width


def _style(cell_range: Iterable[tuple[Cell | MergedCell, ...]], gc: GridCell, fill: bool) -> None:
    # Every position of a merged range gets the border, or Excel draws the range half-framed.
    horizontal = "left" if gc.kind in ("label", "caption") else "center"
    for row in cell_range:
        for cell in row:
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
            cell.font = Font(name=FONT, size=10, bold=gc.kind == "caption")
            if fill and gc.kind == "value":
                cell.fill = FILL_IN


# Where each fill-in cell went: "table3.received.0" or "section.1" → (sheet, cell coordinate).
Positions = dict[str, tuple[str, str]]


def write_grid(ws: Worksheet, grid: Grid, top: int, positions: Positions, fill_in: bool) -> None:
    """Lay `grid` out from row `top` (1-based)."""
    for gc in grid.cells:
        row, col = top + gc.row, 1 + gc.col
        cell = ws.cell(row=row, column=col, value=gc.value if gc.kind == "value" else gc.text)
        if gc.path is not None:
            positions[".".join(map(str, gc.path))] = (ws.title, cell.coordinate)
        last_row, last_col = row + gc.rowspan - 1, col + gc.colspan - 1
        if gc.rowspan > 1 or gc.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
        _style(ws.iter_rows(row, last_row, col, last_col), gc, fill_in)
    for i, width in enumerate(_COLUMN_WIDTHS[grid.table], 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _line(ws: Worksheet, row: int, text: str, *, size: int = 11, bold: bool = False) -> None:
    """A text line across the sheet: one merged, wrapped cell (a paragraph when read back)."""
    ws.cell(row=row, column=1, value=text or None).font = Font(name=FONT, size=size, bold=bold)
    ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=TEXT_WIDTH)
    lines = sum(max(1, math.ceil(len(part) / _CHARS_PER_LINE)) for part in text.split("\n"))
    ws.row_dimensions[row].height = max(18, 16 * lines)


def _text_section(
    ws: Worksheet, row: int, report: Report, no: int, positions: Positions | None
) -> int:
    """Heading and text of section `no` from `row`; with `positions`, one shaded cell to fill."""
    _line(ws, row, heading(no), bold=True)
    row += 1
    if positions is not None:
        _line(ws, row, "")
        cell = ws.cell(row=row, column=1)
        ws.row_dimensions[row].height = 160
        cell.fill = FILL_IN
        cell.comment = Comment(SECTION_HINTS[no], "gongkai")
        positions[f"section.{no}"] = (ws.title, cell.coordinate)
        return row + 2
    for text in paragraphs(report, no):
        _line(ws, row, text)
        row += 1
    return row + 1


def _table_sheet(
    wb: Workbook, report: Report, no: int, grid: Grid, positions: Positions, fill_in: bool
) -> None:
    ws = wb.create_sheet(SHEET_NAMES[no])
    _line(ws, 1, heading(no), bold=True)
    row = 2
    for text in paragraphs(report, no):
        _line(ws, row, text)
        row += 1
    write_grid(ws, grid, row + 1, positions, fill_in)


def form_sheets(wb: Workbook, report: Report, *, fill_in: bool = False) -> Positions:
    """The form, sheet by sheet, in reading order; returns where each fill-in cell is."""
    positions: Positions = {}
    texts = positions if fill_in else None
    first = wb.active if wb.active is not None else wb.create_sheet()
    first.title = SHEET_NAMES[1]
    _line(first, 1, title(report), size=16, bold=True)
    first.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    _text_section(first, 3, report, 1, texts)
    for no, grid in grids(report).items():
        _table_sheet(wb, report, no, grid, positions, fill_in)
    last = wb.create_sheet(SHEET_NAMES[5])
    row = _text_section(last, 1, report, 5, texts)
    _text_section(last, row, report, 6, texts)
    return positions


# The flat sheet ---------------------------------------------------------------------------------

FLAT_HEADER = ("表格", "行键", "行", "列键", "列", "数值")
Flat = tuple[str, str, str, str, str, int | float | None]


def flat_rows(report: Report) -> list[Flat]:
    """Every cell of tables 2–4 as (table, row key, row label, column key, column label, value)."""
    out: list[Flat] = []
    t2 = template_of(report, "table2")
    for _caption, items, fields in T2_LAYOUT[t2]:
        for item in items:
            values = (report.table2 or {}).get(item) or {}
            label = t2_item_label(item, t2)
            out += [("表二", item, label, f, T2_HEADERS[t2][f], values.get(f)) for f in fields]
    for key, _label in T3_ROWS[template_of(report, "table3")]:
        row = (report.table3 or {}).get(key) or [None] * 7
        out += [("表三", key, T3_LABELS[key], str(c), T3_COLUMNS[c], v) for c, v in enumerate(row)]
    for key, label in T4_GROUPS:
        row = (report.table4 or {}).get(key) or [None] * 5
        out += [("表四", key, label, str(c), T4_COLUMNS[c], v) for c, v in enumerate(row)]
    return out


def flat_sheet(wb: Workbook, report: Report) -> None:
    ws = wb.create_sheet(FLAT_SHEET)
    ws.append(FLAT_HEADER)
    for flat in flat_rows(report):
        ws.append(flat)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (6, 26, 44, 16, 26, 12), strict=True):
        ws.column_dimensions[letter].width = width


def save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    form_sheets(wb, report)
    flat_sheet(wb, report)
    return save(wb)
