"""The workbook: form sheets with the form's merges, the flat sheet, the fill-in workbook of
`gongkai new`, and reading workbooks back (readers/xlsx.py)."""

from __future__ import annotations

import io
import json
import random

import jsonschema
import pytest
from openpyxl import Workbook, load_workbook

from gongkai.errors import UnreadableInput
from gongkai.extract import extract
from gongkai.model.report import Report
from gongkai.readers.raw import Paragraph, Table
from gongkai.readers.xlsx import read_xlsx
from gongkai.render.layout import grids
from gongkai.render.workbook import fill_in_workbook, new_workbook, skeleton
from gongkai.render.xlsx import FLAT_HEADER, FLAT_SHEET, SHEET_NAMES, flat_rows, render_xlsx, save

from conftest import SHARED, needs_shared
from synthetic import synth_report


def report(t2: str = "2021", t3: str = "2021", blanks: int = 0) -> Report:
    rng = random.Random(f"xlsx-{t2}-{t3}-{blanks}")
    return synth_report(rng, table2_template=t2, table3_template=t3, blanks=blanks)  # type: ignore[arg-type]


@pytest.mark.parametrize(("t2", "t3"), [("2021", "2021"), ("2019", "2019")])
def test_form_sheets_merge_as_the_form(t2: str, t3: str) -> None:
    r = report(t2, t3)
    wb = load_workbook(io.BytesIO(render_xlsx(r)))
    assert wb.sheetnames == [*SHEET_NAMES.values(), FLAT_SHEET]
    for no, grid in grids(r).items():
        ws = wb[SHEET_NAMES[no]]
        top = 3  # heading, blank row, then the table
        merged = {
            (m.min_row - top, m.min_col - 1, m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
            for m in ws.merged_cells.ranges
            if m.min_row >= top
        }
        spans = {
            (c.row, c.col, c.rowspan, c.colspan) for c in grid.cells if c.rowspan * c.colspan > 1
        }
        assert merged == spans


def test_values_are_numbers_and_blanks_are_empty() -> None:
    r = report(blanks=7)
    ws = load_workbook(io.BytesIO(render_xlsx(r)))[SHEET_NAMES[3]]
    keys = list((r.table3 or {}).keys())
    for key, row in (r.table3 or {}).items():
        for col, value in enumerate(row):
            assert ws.cell(row=3 + 3 + keys.index(key), column=4 + col).value == value


def test_flat_sheet_has_every_cell() -> None:
    r = report(blanks=3)
    rows = list(load_workbook(io.BytesIO(render_xlsx(r)))[FLAT_SHEET].iter_rows(values_only=True))
    assert rows[0] == FLAT_HEADER
    assert len(rows) - 1 == 10 + 25 * 7 + 15 == len(flat_rows(r))
    t3 = [row for row in rows[1:] if row[0] == "表三"]
    assert [row[5] for row in t3] == [v for values in (r.table3 or {}).values() for v in values]


# Authoring -----------------------------------------------------------------------------------------


def test_unfilled_workbook_reads_back_blank() -> None:
    back = extract(read_xlsx(new_workbook("青山县人民政府", 2024), "new.xlsx"))
    assert (back.meta.agency, back.meta.year) == ("青山县人民政府", 2024)
    assert [s.no for s in back.sections] == [1, 2, 3, 4, 5, 6]
    # Nothing filled in is nothing reported: no table, and certainly no zeros.
    assert (back.table2, back.table3, back.table4) == (None, None, None)


def test_filled_workbook_renders_the_report() -> None:
    source = report(blanks=4)
    wb, positions = fill_in_workbook("青山县人民政府", 2024)
    for path, (sheet, cell) in positions.items():
        table, key, col = [*path.split("."), ""][:3]
        if table == "section":
            text = next(s.text for s in source.sections if s.no == int(key))
            wb[sheet][cell] = text or None
        elif table == "table2":
            wb[sheet][cell] = (source.table2 or {})[key][col]
        else:
            wb[sheet][cell] = getattr(source, table)[key][int(col)]
    back = extract(read_xlsx(save(wb), "filled.xlsx"))
    assert (back.table2, back.table3, back.table4) == (source.table2, source.table3, source.table4)
    for no in (1, 5, 6):
        assert next(s.text for s in back.sections if s.no == no) == next(
            s.text for s in source.sections if s.no == no
        )
    assert back.anomalies == []


def test_fill_in_positions_cover_the_form() -> None:
    _wb, positions = fill_in_workbook("青山县人民政府", 2024)
    assert len(positions) == 3 + 10 + 175 + 15  # three texts and every cell of the 2021 form


@needs_shared
def test_json_skeleton_is_a_valid_report() -> None:
    doc = skeleton("青山县人民政府", 2024).to_json()
    schema = json.loads((SHARED / "spec" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert Report.model_validate(doc).to_json() == doc


# Reading other people's workbooks -----------------------------------------------------------------


def test_reader_takes_a_form_placed_anywhere_and_skips_hidden_sheets() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["C5"] = "青山县人民政府2024年政府信息公开工作年度报告"
    ws["C7"], ws["D7"], ws["F7"] = "一、本年新收政府信息公开申请数量", 3, 4
    ws["C8"] = "第一行\n第二行"
    hidden = wb.create_sheet("草稿")
    hidden["A1"] = "不应读到"
    hidden.sheet_state = "hidden"
    blocks = read_xlsx(save(wb), "x.xlsx").blocks
    assert isinstance(blocks[0], Paragraph) and blocks[0].cell.text.startswith("青山县")
    assert (blocks[0].cell.line, blocks[0].cell.page) == (5, 1)
    assert isinstance(blocks[1], Table)
    row = ["一、本年新收政府信息公开申请数量", "3", "", "4"]  # the empty E7 keeps its place
    assert [c.text for c in blocks[1].rows[0].cells] == row
    assert [b.cell.text for b in blocks[2:] if isinstance(b, Paragraph)] == ["第一行", "第二行"]
    assert "不应读到" not in str(blocks)


def test_uncomputed_formula_reads_blank_not_zero() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["规章", 1, "=B1+1"])
    row = read_xlsx(save(wb), "x.xlsx").blocks[0]
    assert isinstance(row, Table)
    assert [c.text for c in row.rows[0].cells] == ["规章", "1", ""]


def test_broken_workbook_is_one_clear_error() -> None:
    with pytest.raises(UnreadableInput, match="XLSX 文件损坏"):
        read_xlsx(b"PK\x03\x04 not really a zip", "broken.xlsx")
