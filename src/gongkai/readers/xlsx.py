"""Excel workbooks → raw document (openpyxl): ours (render/xlsx.py) or a clerk's filled-in form.

Visible sheets are read in order, rows top to bottom. A row with a single text cell in its first
column is a paragraph (a cell holding several lines gives one paragraph per line); any other row
with content is a table row, one cell per column, so the blank cells of the form keep their
places. The positions a merged range covers are empty `covered` cells, as in the other readers,
and every cell keeps its column interval (a merged range's columns) in the sheet's frame. Hidden
sheets and our own data sheets (数据明细, 填写说明) are not part of the form and are skipped.
Formulas are read as the values Excel or LibreOffice last computed; a formula never computed
(a workbook written by a program and not opened since) reads as blank.

Provenance: `line` is the row number in the sheet and `page` the sheet's position (1-based).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from gongkai.errors import UnreadableInput
from gongkai.readers.docx import check_zip
from gongkai.readers.raw import Block, Paragraph, RawCell, RawDocument, Table, TableRow

# The names render/xlsx.py gives its non-form sheets (kept here: readers import no renderer).
NON_FORM_SHEETS = frozenset({"数据明细", "填写说明"})


def cell_text(value: Any) -> str:
    """A cell value as the text a printed form would show."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # exact and never in exponent form
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _row_block(cells: list[RawCell]) -> Table | list[Paragraph] | None:
    filled = [i for i, c in enumerate(cells) if c.text]
    if not filled:
        return None
    if filled == [0] and not _is_number(cells[0].text):
        src = cells[0]
        return [
            Paragraph(RawCell(part.strip(), src.line, page=src.page))
            for part in src.text.split("\n")
            if part.strip()
        ]
    return Table((TableRow(tuple(cells)),))


def _merges(ws: Any) -> dict[tuple[int, int], tuple[int, int, bool]]:
    """(row, column) → (first, last column, covered) for every position of a merged range."""
    out: dict[tuple[int, int], tuple[int, int, bool]] = {}
    for rng in ws.merged_cells.ranges:
        if (rng.max_row - rng.min_row + 1) * (rng.max_col - rng.min_col + 1) > 10_000:
            continue  # a hostile range; its positions stay plain cells
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                covered = (r, c) != (rng.min_row, rng.min_col)
                out[(r, c)] = (rng.min_col, rng.max_col, covered)
    return out


def _cell(
    value: Any, r: int, c: int, merges: dict[Any, tuple[int, int, bool]], page: int
) -> RawCell:
    """A sheet cell with its column interval (a merged range's columns), frame = the sheet."""
    first, last, covered = merges.get((r, c), (c, c, False))
    text = "" if covered else cell_text(value)
    return RawCell(text, line=r, page=page, x0=first, x1=last + 1, covered=covered)


# Positions a sheet's used range may span: a filled-in form is about 40 rows × 12 columns. A
# single far cell (XFD1048576) makes the range billions of positions that reading would walk.
MAX_SHEET_CELLS = 1_000_000


def _span(ws: Any) -> int:
    return int((ws.max_row - ws.min_row + 1) * (ws.max_column - ws.min_column + 1))


def _sheet_blocks(ws: Any, page: int) -> Iterator[Block]:
    pending: list[TableRow] = []
    merges = _merges(ws)
    # From the first used row and column: a form placed at C5 reads like one placed at A1.
    rows = ws.iter_rows(min_row=ws.min_row, min_col=ws.min_column, values_only=True)
    for r, row in enumerate(rows, ws.min_row):
        cells = [_cell(v, r, c, merges, page) for c, v in enumerate(row, ws.min_column)]
        block = _row_block(cells)
        if isinstance(block, Table):
            pending.extend(TableRow(row.cells, frame=page) for row in block.rows)
            continue
        if pending:
            yield Table(tuple(pending))
            pending = []
        yield from block or []
    if pending:
        yield Table(tuple(pending))


def _open(data: bytes, path: str) -> Any:
    from openpyxl import load_workbook  # a format library: imported only by this reader

    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl raise many unrelated types
        raise UnreadableInput(path, "Excel 文件无法解析") from exc


def read_xlsx(data: bytes, path: str) -> RawDocument:
    check_zip(data, path, "XLSX")  # the package's parts are bounded before openpyxl inflates them
    workbook = _open(data, path)
    blocks: list[Block] = []
    for page, ws in enumerate(workbook.worksheets, 1):
        if ws.title in NON_FORM_SHEETS or ws.sheet_state != "visible":
            continue
        if _span(ws) > MAX_SHEET_CELLS:
            detail = f"工作表“{ws.title}”的范围达 {ws.max_row} 行 × {ws.max_column} 列"
            raise UnreadableInput(path, f"{detail}，远超一份报告的表格，未读取")
        blocks.extend(_sheet_blocks(ws, page))
    return RawDocument(path=path, format="xlsx", blocks=blocks)
