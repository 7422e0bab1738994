"""The Word rendering: page, fonts, and the form's merged cells; LibreOffice turns it into a PDF
whose tables still have the form's rows, columns and spans."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from gongkai.model.report import Report
from gongkai.render.docx import render_docx
from gongkai.render.layout import Grid, grids

from synthetic import synth_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def report(t2: str = "2021", t3: str = "2021", blanks: int = 0) -> Report:
    rng = random.Random(f"docx-{t2}-{t3}")
    return synth_report(rng, table2_template=t2, table3_template=t3, blanks=blanks)  # type: ignore[arg-type]


def spans(table: Any) -> list[tuple[int, int, int, int, str]]:
    """(row, column, rowspan, colspan, text) of every anchor cell, read from the DOCX markup."""
    out: dict[tuple[int, int], list[Any]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                above = next(k for k in out if k[1] == col and k[0] + out[k][0] == r)
                out[above][0] += 1
            else:
                out[(r, col)] = [1, span, tc.xpath("string(.)")]
            col += span
    return sorted((r, c, v[0], v[1], v[2]) for (r, c), v in out.items())


def expected(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells)


@pytest.mark.parametrize(("t2", "t3"), [("2021", "2021"), ("2019", "2019"), ("2021", "2019")])
def test_tables_merge_exactly_as_the_form(t2: str, t3: str) -> None:
    r = report(t2, t3, blanks=6)
    document = Document(io.BytesIO(render_docx(r)))
    tables = document.tables
    assert len(tables) == 3
    for table, grid in zip(tables, grids(r).values(), strict=True):
        assert (len(table.rows), len(table.columns)) == (grid.n_rows, grid.n_cols)
        assert spans(table) == expected(grid)


def test_structure_counts_from_format_md() -> None:
    t2, t3, t4 = Document(io.BytesIO(render_docx(report()))).tables
    assert (len(t2.rows), len(t2.columns)) == (14, 4)
    assert (len(t3.rows), len(t3.columns)) == (28, 10)  # 25 data rows + 3 header rows
    assert (len(t4.rows), len(t4.columns)) == (4, 15)
    results = next(s for s in spans(t3) if s[4] == "三、本年度办理结果")
    assert results[2] == 22


def test_page_fonts_and_headings() -> None:
    document = Document(io.BytesIO(render_docx(report())))
    section = document.sections[0]
    # A4, to the twip Word stores.
    assert abs((section.page_width or 0) - Cm(21.0)) < Cm(0.01)
    assert abs((section.page_height or 0) - Cm(29.7)) < Cm(0.01)
    normal: Any = document.styles["Normal"].element
    assert normal.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    texts = [p.text for p in document.paragraphs]
    for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert heading in texts
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    assert all(r._r.xpath("string(./w:rPr/w:rFonts/@w:eastAsia)") for r in runs)
    langs = {lang.get(qn("w:eastAsia")) for lang in document.element.body.iter(f"{W}lang")}
    assert langs == {"zh-CN"}


def test_missing_faces_fall_back_by_declared_class() -> None:
    from lxml import etree  # type: ignore[import-untyped]

    document = Document(io.BytesIO(render_docx(report())))
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")
    )
    fonts = {
        f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val")
        for f in etree.fromstring(part.blob).iter(f"{W}font")
        if f.find(f"{W}altName") is not None
    }
    assert fonts["宋体"] == "SimSun" and fonts["黑体"] == "SimHei"


def test_blank_cells_are_empty_not_zero() -> None:
    r = report(blanks=9)
    document = Document(io.BytesIO(render_docx(r)))
    t3 = document.tables[1]
    blanks = [(k, c) for k, row in (r.table3 or {}).items() for c, v in enumerate(row) if v is None]
    assert blanks
    keys = [k for k, _ in (r.table3 or {}).items()]
    for key, col in blanks:
        assert t3.cell(3 + keys.index(key), 3 + col).text == ""


# LibreOffice ---------------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, workdir: Path) -> bytes:
    source = workdir / "report.docx"
    source.write_bytes(docx)
    profile = (workdir / "profile").as_uri()  # a private profile: other soffice runs may be live
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}  # LibreOffice then substitutes 宋体 with a serif
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=240, env=env,
    )  # fmt: skip
    return (workdir / "report.pdf").read_bytes()


def pdf_tables(pdf: bytes) -> dict[int, list[list[int]]]:
    """Per column count, the anchor cells per row of the tables found, pages joined in order."""
    import pdfplumber

    out: dict[int, list[list[int]]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for table in page.find_tables():
                width = max(len(row.cells) for row in table.rows)
                rows = [[sum(c is not None for c in row.cells)] for row in table.rows]
                out.setdefault(width, []).extend(rows)
    return out


def anchors_per_row(grid: Grid) -> list[list[int]]:
    return [[sum(c.row == r for c in grid.cells)] for r in range(grid.n_rows)]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize(("t2", "t3"), [("2021", "2021"), ("2019", "2019")])
def test_libreoffice_pdf_keeps_the_form(t2: str, t3: str, tmp_path: Path) -> None:
    r = report(t2, t3)
    found = pdf_tables(to_pdf(render_docx(r), tmp_path))
    layout = grids(r)
    # Rows and columns as FORMAT.md gives them, and in each row as many cells as the form has
    # after merging: a lost or extra merge changes the count. Table 3 starts a page, so no
    # table is cut by a page break here.
    assert found == {g.n_cols: anchors_per_row(g) for g in layout.values()}
    assert len(found[10]) == (28 if t3 == "2021" else 26)
