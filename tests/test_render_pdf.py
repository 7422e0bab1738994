"""The PDF rendering (WeasyPrint): embedded CID fonts with true Unicode, A4, page numbers."""

from __future__ import annotations

import io
import random

import pytest

from gongkai.render.pdf import render_pdf

from synthetic import synth_report

pypdf = pytest.importorskip("pypdf")

KANGXI = range(0x2F00, 0x2FE0)  # the radical look-alikes that Type 3 fonts of browser PDFs yield


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(synth_report(random.Random("pdf-fonts"), year=2023))


def fonts(data: bytes) -> set[tuple[str, str]]:
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            obj = font.get_object()
            found.add((str(obj["/Subtype"]), str(obj["/BaseFont"])))
    return found


def test_fonts_are_embedded_cjk_not_type3(pdf: bytes) -> None:
    found = fonts(pdf)
    assert not any(subtype == "/Type3" for subtype, _ in found)
    assert any("CJK-SC" in name or "CJKsc" in name for _, name in found), found


def test_text_extracts_as_real_ideographs(pdf: bytes) -> None:
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "收到和处理政府信息公开申请情况" in text
    assert not any(ord(ch) in KANGXI for ch in text)


def test_a4_with_page_numbers(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 2.54, 1), round(float(box.height) / 72 * 2.54, 1)) == (
        21.0,
        29.7,
    )
    assert "- 1 -" in reader.pages[0].extract_text()
