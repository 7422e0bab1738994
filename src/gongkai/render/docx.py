"""Report → Word document (python-docx): A4, the six headings, the form tables with merged cells.

Typography follows the blank national template (宋体 12pt text, 18pt title, 10pt tables) with 黑体
headings. Word and WPS resolve a missing face through the font table, so each CJK face is declared
there with its English name, GB2312 charset and PANOSE class: a machine without 宋体 substitutes
another serif CJK face instead of a random one.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from gongkai.model.labels import paragraphs
from gongkai.model.report import Report
from gongkai.render.html import WIDTHS
from gongkai.render.layout import Grid, GridCell, grids, heading, title

SERIF = "宋体"
SANS = "黑体"
LATIN = "Times New Roman"
TEXT_WIDTH_CM = 15.6
_MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
_TABLE_PT = {"table2": 10.0, "table3": 9.0, "table4": 9.0}
# (name, English name, PANOSE-1): what Word needs to pick a look-alike when the face is missing.
_FONTS = (
    ("宋体", "SimSun", "02010600030101010101"),
    ("黑体", "SimHei", "02010609060101010101"),
    ("仿宋", "FangSong", "02010609060101010101"),
)


def _east_asian(rpr_owner: Any, face: str) -> None:
    """Set the CJK face of a run or style: `font.name` alone only sets the Latin face."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), face)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")  # keeps renderers on SC glyphs, not JP ones


def write_run(paragraph: Paragraph, text: str, size: float, face: str, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._r, face)


def setup_page(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side, cm in _MARGINS_CM.items():
        setattr(section, f"{side}_margin", Cm(cm))
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal.element, SERIF)
    _page_numbers(section)
    _font_table(document)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (here PAGE): begin, instruction, end."""
    for kind, text in (("begin", None), ("instr", code), ("end", None)):
        run = paragraph.add_run()
        if text is None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _page_numbers(section: Any) -> None:
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    _field(footer, " PAGE ")
    footer.add_run(" -")


def _font_table(document: Any) -> None:
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")
    )
    root = etree.fromstring(part.blob)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name, alt, panose in _FONTS:
        font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
        for tag, value in (("altName", alt), ("panose1", panose), ("charset", "86")):
            etree.SubElement(font, f"{w}{tag}", {f"{w}val": value})
        etree.SubElement(font, f"{w}family", {f"{w}val": "auto"})
        etree.SubElement(font, f"{w}pitch", {f"{w}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_text(document: Any, text: str, *, indent: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters
    write_run(paragraph, text, 12, SERIF)


def write_heading(document: Any, text: str, *, new_page: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.page_break_before = new_page
    paragraph.paragraph_format.first_line_indent = Pt(24)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    write_run(paragraph, text, 12, SANS)


def write_title(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    write_run(paragraph, text, 18, SERIF, bold=True)


# Tables -------------------------------------------------------------------------------------------


def _fill(cell: _Cell, grid_cell: GridCell, size: float) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    left = grid_cell.kind in ("label", "caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    if grid_cell.text:
        write_run(paragraph, grid_cell.text, size, SERIF, bold=grid_cell.kind == "caption")


def _widths(table: Table, grid: Grid) -> None:
    widths = [Cm(TEXT_WIDTH_CM * w / 100) for w in WIDTHS[grid.table]]
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for i, cell in enumerate(table._cells):  # Word reads each cell's width, LibreOffice the grid's
        cell.width = widths[i % grid.n_cols]


def add_grid(document: Any, grid: Grid) -> Table:
    """The grid as a Word table; each merged range is merged exactly as on the form."""
    table: Table = document.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, grid)
    # One lookup of the whole grid: `table.cell()` rebuilds it on every call. The merged ranges
    # are disjoint, so merging one never moves the corner cells of another.
    cells = table._cells
    size = _TABLE_PT[grid.table]
    for gc in grid.cells:
        cell = cells[gc.row * grid.n_cols + gc.col]
        if gc.rowspan > 1 or gc.colspan > 1:
            last = (gc.row + gc.rowspan - 1) * grid.n_cols + gc.col + gc.colspan - 1
            cell = cell.merge(cells[last])
        _fill(cell, gc, size)
    _keep_together(table)
    return table


def _keep_together(table: Table) -> None:
    """Rows never split, and each keeps with the next: the form stays on one page if it fits."""
    rows = table._tbl.tr_lst
    for i, tr in enumerate(rows):
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if i < len(rows) - 1:
            for p in tr.xpath("./w:tc/w:p"):
                Paragraph(p, table).paragraph_format.keep_with_next = True


def render_docx(report: Report) -> bytes:
    document = Document()
    setup_page(document)
    doc_title = title(report)
    document.core_properties.title = doc_title
    document.core_properties.author = report.meta.agency or ""
    write_title(document, doc_title)
    tables = grids(report)
    for no in range(1, 7):
        # Table 3 is nearly a page tall: it starts one, so it is never cut in two.
        write_heading(document, heading(no), new_page=no == 3)
        for text in paragraphs(report, no):
            write_text(document, text)
        if no in tables:
            add_grid(document, tables[no])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
