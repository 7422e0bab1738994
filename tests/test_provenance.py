"""Provenance a person can follow (issue 12): a PDF cell's page and box, checked by cropping the page
with pdfplumber at the box; a DOCX cell's table, row and column, checked by counting them again
with python-docx; the words for both; the round trip through the store; the page image."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest

from gongkai.api import parse_bytes, parse_file
from gongkai.corpus import ingest
from gongkai.errors import UnreadableInput
from gongkai.model.labels import source_place
from gongkai.model.report import CellSource, Report
from gongkai.readers.docx import read_docx
from gongkai.readers.html import read_html
from gongkai.readers.pdf_render import MAX_RENDER_PIXELS, page_box, render_page
from gongkai.render.docx import render_docx
from gongkai.store import Filters, list_reports, load_report, open_db

from conftest import SEEDS_DIR, SHARED

SAMPLES = SHARED / "samples"
PDFS = sorted(SAMPLES.glob("*.pdf"))
HUAIAN = SAMPLES / "huaian-2024.pdf"
TEMPLATE = SAMPLES / "template-2021-blank.docx"
SEED = SEEDS_DIR / "003_32e8e180e59a5afa.txt"

pytestmark = pytest.mark.skipif(
    not (HUAIAN.is_file() and SEED.is_file()), reason="../shared not present"
)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# PDF ----------------------------------------------------------------------------------------------


def test_a_known_pdf_cell_names_its_page_and_box() -> None:
    src = parse_file(HUAIAN).provenance["table3.received.6"]  # 总计 of 本年新收: 3119, page 4
    assert (src.raw, src.page) == ("3119", 4)
    assert src.bbox is not None and src.bbox[0] < src.bbox[2] and src.bbox[1] < src.bbox[3]
    assert source_place(src, "pdf") == "第4页"


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_every_pdf_cell_box_holds_exactly_its_text(pdf: Path) -> None:
    import pdfplumber

    report = parse_file(pdf)
    assert len(report.provenance) > 150
    with pdfplumber.open(pdf) as document:
        for path, src in report.provenance.items():
            assert src.page is not None and src.bbox is not None, path
            page = document.pages[src.page - 1]
            assert (page.crop(src.bbox).extract_text() or "").strip() == src.raw, path


def test_the_box_is_measured_in_the_frame_pdfplumber_uses() -> None:
    import pdfplumber

    data = HUAIAN.read_bytes()
    with pdfplumber.open(HUAIAN) as document:
        assert page_box(data, 4) == tuple(document.pages[3].bbox)


def test_a_page_renders_as_a_png_at_the_scale_asked() -> None:
    data = HUAIAN.read_bytes()
    x0, top, x1, bottom = page_box(data, 4)
    width, height = _png_size(render_page(data, 4, scale=1.5))
    assert (width, height) == (
        pytest.approx((x1 - x0) * 1.5, abs=1),
        pytest.approx((bottom - top) * 1.5, abs=1),
    )


def test_rendering_a_page_the_pdf_does_not_have_says_so() -> None:
    with pytest.raises(UnreadableInput, match="没有第 7 页（共 6 页）"):
        render_page(HUAIAN.read_bytes(), 7)


def test_a_poster_sized_page_is_drawn_smaller_not_refused() -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument.new()
    document.new_page(5000, 5000)  # points: 1.76 m square
    out = io.BytesIO()
    document.save(out)
    document.close()
    width, height = _png_size(render_page(out.getvalue(), 1, scale=4))
    assert width * height <= MAX_RENDER_PIXELS and width == height > 2000


# DOCX ---------------------------------------------------------------------------------------------


def _tc_text(tc: Any) -> str:
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()


def _find_row(document: Any, label: str) -> tuple[int, int, list[Any]]:
    """(table, row, the row's w:tc cells) of the row whose label starts so, counted as Word does:
    top-level tables in order, every w:tr, every w:tc (python-docx's own row.cells repeats a
    merged cell once per grid column, so the elements are counted instead)."""
    for t, table in enumerate(document.tables, 1):
        for r, tr in enumerate(table._tbl.tr_lst, 1):
            tcs = list(tr.tc_lst)
            if any(_tc_text(tc).startswith(label) for tc in tcs):
                return t, r, tcs
    raise AssertionError(label)


@pytest.fixture(scope="module")
def rendered_docx() -> tuple[bytes, Report]:
    data = render_docx(parse_file(SEED))
    return data, parse_bytes(data, "seed-003.docx")


def test_a_docx_cell_names_table_row_and_column_as_word_counts_them(
    rendered_docx: tuple[bytes, Report],
) -> None:
    import docx

    data, report = rendered_docx
    document = docx.Document(io.BytesIO(data))
    assert not any(cell.tables for t in document.tables for r in t.rows for cell in r.cells)
    # 本年新收, 自然人: the cell after the row's label.
    t, r, tcs = _find_row(document, "一、本年新收政府信息公开申请数量")
    label = next(i for i, tc in enumerate(tcs, 1) if _tc_text(tc).startswith("一、本年新收"))
    src = report.provenance["table3.received.0"]
    assert source_place(src, "docx") == f"第{t}张表 第{r}行 第{label + 1}列"
    assert _tc_text(tcs[label]) == src.raw
    # 总计 of （七）总计: the row's last cell, after the continuation of 三、本年度办理结果 that Word
    # shows in this row and the label.
    t, r, tcs = _find_row(document, "（七）总计")
    src = report.provenance["table3.total.6"]
    assert (src.table_no, src.row_no, src.col_no) == (t, r, len(tcs))
    assert _tc_text(tcs[-1]) == src.raw


def test_every_cell_of_the_blank_template_names_the_word_cell_holding_its_text() -> None:
    import docx

    raw = read_docx(TEMPLATE.read_bytes(), str(TEMPLATE))
    document = docx.Document(str(TEMPLATE))
    placed = [c for row in raw.rows() for c in row.cells if c.place and c.text and not c.covered]
    assert len(placed) > 50
    for cell in placed:
        assert cell.place is not None
        t, r, c = cell.place
        tc = document.tables[t - 1]._tbl.tr_lst[r - 1].tc_lst[c - 1]
        assert _tc_text(tc).replace(" ", "") == cell.text.replace(" ", ""), cell.place


def test_html_cells_count_spanning_cells_once_as_drawn() -> None:
    page = """<html><body><p>前言</p><table><tr><td>甲</td></tr></table>
    <table>
      <tr><td rowspan="2">三、结果</td><td colspan="2">（一）予以公开</td><td>5</td></tr>
      <tr><td>1.</td><td>国家秘密</td><td>7</td></tr>
    </table></body></html>"""
    raw = read_html(page.encode(), "t.html")
    places = {c.text: c.place for row in raw.rows() for c in row.cells if c.text and c.place}
    assert places["5"] == (2, 1, 3)  # the label spanning two columns counts once
    assert places["国家秘密"] == (2, 2, 3)  # the cell spanning down from row 1 counts here too
    assert places["7"] == (2, 2, 4)


# Words and JSON -----------------------------------------------------------------------------------


def test_places_in_words() -> None:
    assert source_place(CellSource(raw="5", page=2, bbox=[1, 2, 3, 4]), "pdf") == "第2页"
    docx_cell = CellSource(raw="5", line=40, table_no=3, row_no=5, col_no=2)
    assert source_place(docx_cell, "docx") == "第3张表 第5行 第2列"
    assert source_place(CellSource(raw="5", line=40), "docx") == "第40段"
    assert source_place(CellSource(raw="5", line=7, page=1), "xlsx") == "第1张工作表 第7行"
    assert source_place(CellSource(raw="5", line=12), "text") == "第12行"
    assert source_place(CellSource(raw="5", line=12), "html") == "网页源代码第12行"
    assert source_place(CellSource(raw="5")) == "原文未记录位置"


def test_json_names_a_place_only_where_the_format_has_one() -> None:
    text = parse_file(SEED).to_json(provenance=True)["provenance"]["table3.received.0"]
    assert set(text) == {"raw", "unit", "line", "start", "end", "page"}
    pdf = parse_file(HUAIAN).to_json(provenance=True)["provenance"]["table3.received.0"]
    assert "bbox" in pdf and "table_no" not in pdf
    Report.model_validate({"provenance": {"table3.received.0": pdf}})  # reads back


# Store --------------------------------------------------------------------------------------------


def test_places_survive_the_store(tmp_path: Path, rendered_docx: tuple[bytes, Report]) -> None:
    docx_path = tmp_path / "seed-003.docx"
    docx_path.write_bytes(rendered_docx[0])
    db = tmp_path / "corpus.sqlite"
    summary = ingest([HUAIAN, docx_path, SEED], db, jobs=1)
    assert summary.added == 3 and not summary.failed
    con = open_db(db)
    try:
        for row in list_reports(con, Filters()):
            stored = load_report(con, row.id).to_json(provenance=True)["provenance"]
            assert stored == parse_file(row.source_path).to_json(provenance=True)["provenance"]
        by_path = {r.source_path: r.id for r in list_reports(con, Filters())}
        pdf = load_report(con, by_path[str(HUAIAN)]).provenance["table3.received.6"]
        assert pdf.page == 4 and pdf.bbox == parse_file(HUAIAN).provenance["table3.received.6"].bbox
        docx_cell = load_report(con, by_path[str(docx_path)]).provenance["table3.received.0"]
        assert docx_cell.table_no is not None and docx_cell.col_no is not None
    finally:
        con.close()
