"""The OCR reader on scans made here from the real sample PDFs (never downloaded).

The scans are rendered from ../shared/samples with pypdfium2 at 200 dpi (a common scanner setting),
given grey noise and JPEG compression, and saved by Pillow as image-only PDFs or PNGs. OCR costs
seconds per page, so each scan is read once per session.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from gongkai.errors import NotAReport, UnreadableInput
from gongkai.extract import extract
from gongkai.model.report import Report
from gongkai.readers.ocr import _digits, ocr_available, read_image, read_scanned_pdf
from gongkai.readers.pdf import read_pdf
from gongkai.readers.raw import RawDocument, Table

from conftest import SHARED, differences, load

HUAIAN = SHARED / "samples" / "huaian-2024.pdf"
SCAN_DPI = 200

pytestmark = [
    pytest.mark.skipif(
        not ocr_available(), reason="OCR extra (rapidocr, onnxruntime) not installed"
    ),
    pytest.mark.skipif(not HUAIAN.is_file(), reason="../shared/samples not present"),
]


def _pages(pdf: Path, indexes: list[int] | None = None) -> list[np.ndarray]:
    """Grey page images as a scanner would give them: sensor noise, nothing else changed."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(str(pdf))
    rng = np.random.default_rng(2024)
    pages = []
    for index in indexes if indexes is not None else range(len(doc)):
        grey = doc[index].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
        noisy = np.asarray(grey, dtype=np.int16) + rng.normal(0, 8, (grey.height, grey.width))
        pages.append(np.clip(noisy, 0, 255).astype(np.uint8))
    doc.close()
    return pages


def _scanned_pdf(pdf: Path, indexes: list[int] | None = None) -> bytes:
    from PIL import Image

    images = [Image.fromarray(page) for page in _pages(pdf, indexes)]
    out = io.BytesIO()
    # Pillow stores "L" images in a PDF as JPEG (DCTDecode), as scanners do.
    images[0].save(
        out, "PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI, quality=80
    )
    return out.getvalue()


def _png(page: np.ndarray) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(page).save(out, "PNG", dpi=(SCAN_DPI, SCAN_DPI))
    return out.getvalue()


def _without_rules(page: np.ndarray) -> np.ndarray:
    """The page with its table rules painted out: pixel rows and columns that are mostly ink."""
    clean = page.copy()
    ink = page < 160
    clean[ink.mean(axis=1) > 0.3, :] = 255
    clean[:, ink.mean(axis=0) > 0.3] = 255
    return clean


@pytest.fixture(scope="session")
def scanned() -> RawDocument:
    return read_scanned_pdf(_scanned_pdf(HUAIAN), "huaian-2024-scan.pdf")


@pytest.fixture(scope="session")
def table_page() -> np.ndarray:
    return _pages(HUAIAN, [3])[0]  # page 4: the end of table 2 and the first 13 rows of table 3


def _expected_table3_rows(report: Report, keys: list[str]) -> list[str]:
    """Table-3 rows of `keys` that differ from the expected file."""
    table3 = load(HUAIAN.with_suffix(".expected.json"))["table3"]
    got = report.table3 or {}
    return [key for key in keys if got.get(key) != table3[key]]


PAGE4_ROWS = [
    "received",
    "carried_over",
    "granted",
    "partial",
    "denied_state_secret",
    "denied_law",
    "denied_security",
    "denied_third_party",
    "denied_internal",
    "denied_process",
    "denied_enforcement",
    "denied_query",
    "unavailable_not_held",
]


def test_scanned_pdf_parses_to_the_expected_values(scanned: RawDocument) -> None:
    report = extract(scanned)
    assert differences(load(HUAIAN.with_suffix(".expected.json")), report.to_json()) == []
    assert [s.no for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.anomalies == []


def test_scanned_pdf_is_marked_as_ocr_with_pages(scanned: RawDocument) -> None:
    assert scanned.ocr and scanned.format == "pdf"
    report = extract(scanned)
    assert report.provenance["table3.received.0"].page == 4
    assert report.provenance["table4.review.0"].page == 5


def test_scanned_cells_keep_the_box_of_their_text(scanned: RawDocument) -> None:
    """Each cell OCR read keeps the box of the text it found, in the text-layer reader's frame:
    inside the ruled cell the text layer of the same PDF gives (2 points for the scan's blur)."""
    report = extract(scanned)
    ruled = extract(read_pdf(HUAIAN.read_bytes(), str(HUAIAN))).provenance
    assert len(report.provenance) > 150
    for path, src in report.provenance.items():
        cell = ruled[path]
        assert src.page == cell.page and src.bbox is not None and cell.bbox is not None, path
        (x0, top, x1, bottom), (cx0, ctop, cx1, cbottom) = src.bbox, cell.bbox
        assert cx0 - 2 <= x0 < x1 <= cx1 + 2 and ctop - 2 <= top < bottom <= cbottom + 2, path


def test_ruled_table_keeps_empty_and_merged_cells(scanned: RawDocument) -> None:
    rows = [row.texts() for row in scanned.rows() if row.is_table]
    received = next(r for r in rows if r[0].startswith("一、本年新收"))
    assert received == [
        "一、本年新收政府信息公开申请数量",
        "",
        "",
        *["3001", "53", "0", "0", "61", "4", "3119"],
    ]
    licensing = next(r for r in rows if r[0] == "行政许可")
    assert licensing == ["行政许可", "447228", "", ""]  # the value cell spans three columns


def test_png_of_a_table_page(table_page: np.ndarray) -> None:
    doc = read_image(_png(table_page), "page4.png")
    assert doc.ocr and doc.format == "image"
    report = extract(doc)
    assert _expected_table3_rows(report, PAGE4_ROWS) == []
    assert report.table2 is not None and report.table2["fees"] == {"amount": 96171.6}


def test_png_without_rules_reads_spaced_rows(table_page: np.ndarray) -> None:
    doc = read_image(_png(_without_rules(table_page)), "page4-unruled.png")
    rows = [row for row in doc.rows() if row.is_table]
    assert rows and all(row.spaced for row in rows)
    assert _expected_table3_rows(extract(doc), PAGE4_ROWS) == []


def test_image_only_pdf_goes_through_ocr_from_the_pdf_reader() -> None:
    doc = read_pdf(_scanned_pdf(HUAIAN, [5]), "page6-scan.pdf")
    assert doc.ocr and doc.format == "pdf"
    text = "".join(row.texts()[0] for row in doc.rows() if not row.is_table)
    assert "3940元" in text.replace(" ", "")
    assert not any(isinstance(block, Table) for block in doc.blocks)


def test_blank_image_is_not_a_report() -> None:
    blank = np.full((2339, 1654), 255, dtype=np.uint8)
    with pytest.raises(NotAReport, match="没有识别出文字") as err:
        read_image(_png(blank), "blank.png")
    assert "blank.png" in str(err.value)


def test_undecodable_image_is_unreadable() -> None:
    with pytest.raises(UnreadableInput, match="图片无法解码"):
        read_image(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "broken.png")


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        *[("3O01", "3001"), ("l2", "12"), ("—5", "-5"), ("B8", "88"), ("1，234", "1,234")],
        *[("O", "0"), ("其他", "其他"), ("—", "—"), ("一", "—"), ("1.属于", "1.属于")],
    ],
)
def test_letters_read_for_digits_are_fixed_only_in_numeric_cells(read: str, fixed: str) -> None:
    assert _digits(read) == fixed
