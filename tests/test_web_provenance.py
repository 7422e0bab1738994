"""Where a cell came from, on the report page (issue 12): its place in words as the cell's tooltip
and in the source panel, and for a PDF its page rendered as an image with the cell's box drawn
over it; a PDF no longer where it was ingested gives the page and box with the reason."""

from __future__ import annotations

import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongkai.api import parse_file
from gongkai.corpus import ingest
from gongkai.model.labels import source_place
from gongkai.render.docx import render_docx
from gongkai.web.app import create_app
from gongkai.web.source_pages import SCALE

from conftest import SEEDS_DIR, SHARED

HUAIAN = SHARED / "samples" / "huaian-2024.pdf"
HONGZE = SHARED / "samples" / "hongze-2024.pdf"
SEED = SEEDS_DIR / "003_32e8e180e59a5afa.txt"  # rendered as a DOCX
TEXT = SEEDS_DIR / "000_ac4c29f1373e55a6.txt"  # another agency: no edition of the DOCX's report

pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in (HUAIAN, HONGZE, SEED, TEXT)), reason="../shared not present"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A corpus of a PDF, a PDF deleted after ingest, a DOCX and a text report; name → path."""
    folder = tmp_path_factory.mktemp("provenance")
    gone = folder / "moved-away.pdf"
    shutil.copy(HONGZE, gone)  # into the test's own folder: the original stays where it is
    docx = folder / "seed-003.docx"
    docx.write_bytes(render_docx(parse_file(SEED)))
    db = folder / "corpus.sqlite"
    summary = ingest([HUAIAN, gone, docx, TEXT], db, jobs=1)
    assert summary.added == 4 and not summary.failed
    gone.unlink()
    return {"db": db, "pdf": HUAIAN, "gone": gone, "docx": docx, "text": TEXT}


@pytest.fixture(scope="module")
def client(corpus: dict[str, Path]) -> Iterator[TestClient]:
    with TestClient(create_app(corpus["db"])) as c:
        yield c


def _id(client: TestClient, path: Path) -> int:
    items = client.get("/api/reports", params={"per_page": 50}).json()["items"]
    return next(int(i["id"]) for i in items if i["source_path"] == str(path))


def _tooltip(html: str, path: str) -> str:
    cell = re.search(rf'<td [^>]*data-path="{re.escape(path)}"[^>]*>', html)
    assert cell is not None, path
    title = re.search(r'title="([^"]*)"', cell[0])
    assert title is not None, cell[0]
    return title[1]


def test_the_report_page_says_which_pdf_page_a_cell_is_on(
    client: TestClient, corpus: dict[str, Path]
) -> None:
    rid = _id(client, corpus["pdf"])
    assert "来源：第4页" in _tooltip(client.get(f"/reports/{rid}").text, "table3.received.6")
    panel = client.get(f"/reports/{rid}/cells/table3.received.6").text
    assert "位置：第4页" in panel
    assert f'href="/reports/{rid}/cells/table3.received.6/page"' in panel
    cell = client.get(f"/api/reports/{rid}/cells/table3.received.6").json()
    assert cell["place"] == "第4页" and cell["page"] == 4 and len(cell["bbox"]) == 4


def test_the_report_page_says_which_docx_table_row_and_column(
    client: TestClient, corpus: dict[str, Path]
) -> None:
    rid = _id(client, corpus["docx"])
    src = parse_file(corpus["docx"]).provenance["table3.received.0"]
    words = source_place(src, "docx")
    assert re.fullmatch(r"第\d+张表 第\d+行 第\d+列", words)
    assert f"来源：{words}" in _tooltip(client.get(f"/reports/{rid}").text, "table3.received.0")
    cell = client.get(f"/api/reports/{rid}/cells/table3.received.0").json()
    assert cell["place"] == words and cell["page_view"] is None
    assert (cell["table_no"], cell["row_no"], cell["col_no"]) == (
        src.table_no,
        src.row_no,
        src.col_no,
    )


def test_the_page_image_is_a_png_of_the_page(client: TestClient, corpus: dict[str, Path]) -> None:
    rid = _id(client, corpus["pdf"])
    page = client.get(f"/api/reports/{rid}/cells/table3.received.6/page").json()
    assert page["reason"] is None and page["image"] == f"/api/reports/{rid}/pages/4"
    response = client.get(page["image"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    png = response.content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    x0, top, x1, bottom = page["page_box"]
    assert abs(width - (x1 - x0) * SCALE) <= 1 and abs(height - (bottom - top) * SCALE) <= 1


def test_the_cell_page_draws_the_box_over_the_image(
    client: TestClient, corpus: dict[str, Path]
) -> None:
    rid = _id(client, corpus["pdf"])
    bbox = client.get(f"/api/reports/{rid}/cells/table3.received.6").json()["bbox"]
    html = client.get(f"/reports/{rid}/cells/table3.received.6/page").text
    assert f'<img src="/api/reports/{rid}/pages/4"' in html
    assert 'viewBox="0.0 0.0 595.0 842.0"' in html
    assert f'<rect x="{bbox[0]}" y="{bbox[1]}"' in html


def test_a_pdf_no_longer_there_gives_page_and_box_and_why(
    client: TestClient, corpus: dict[str, Path]
) -> None:
    rid = _id(client, corpus["gone"])
    page = client.get(f"/api/reports/{rid}/cells/table3.received.0/page").json()
    assert page["image"] is None and page["page"] >= 1 and len(page["bbox"]) == 4
    assert "原文件已不在" in page["reason"] and str(corpus["gone"]) in page["reason"]
    html = client.get(f"/reports/{rid}/cells/table3.received.0/page").text
    assert "无法显示页面图像：原文件已不在" in html and "<img" not in html
    assert f"第 {page['page']} 页上的方框" in html and f"左 {page['bbox'][0]:.1f}" in html
    missing = client.get(f"/api/reports/{rid}/pages/{page['page']}")
    assert missing.status_code == 404 and "原文件已不在" in missing.json()["detail"]


def test_no_page_image_for_what_is_not_a_pdf(client: TestClient, corpus: dict[str, Path]) -> None:
    rid = _id(client, corpus["text"])
    assert client.get(f"/reports/{rid}/cells/table3.received.0/page").status_code == 404
    image = client.get(f"/api/reports/{rid}/pages/1")
    assert image.status_code == 404 and "不是 PDF" in image.json()["detail"]
    assert "来源：第" in _tooltip(client.get(f"/reports/{rid}").text, "table3.received.0")


def test_a_page_the_pdf_does_not_have(client: TestClient, corpus: dict[str, Path]) -> None:
    rid = _id(client, corpus["pdf"])
    response = client.get(f"/api/reports/{rid}/pages/9")
    assert response.status_code == 404 and "没有第 9 页（共 6 页）" in response.json()["detail"]
