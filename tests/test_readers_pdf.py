"""The PDF reader on the three real published samples, and on broken PDFs."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError, UnreadableInput
from gongkai.extract import extract
from gongkai.readers.charfix import fix_radicals
from gongkai.readers.pdf import read_pdf
from gongkai.readers.raw import Table

from conftest import SHARED, differences, load

SAMPLES = SHARED / "samples"
PDFS = sorted(SAMPLES.glob("*.pdf"))
needs_samples = pytest.mark.skipif(not PDFS, reason="../shared/samples not present")


@needs_samples
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_sample_pdf_matches_its_expected_values(pdf: Path) -> None:
    report = extract(read_pdf(pdf.read_bytes(), str(pdf)))
    assert differences(load(pdf.with_suffix(".expected.json")), report.to_json()) == []


@needs_samples
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_sample_pdf_has_six_sections_and_no_page_numbers(pdf: Path) -> None:
    report = extract(read_pdf(pdf.read_bytes(), str(pdf)))
    assert [s.no for s in report.sections] == [1, 2, 3, 4, 5, 6]
    text = "\n".join(s.text for s in report.sections)
    assert "- 3 -" not in text and "- 4 -" not in text


@needs_samples
def test_wrapped_lines_are_joined_into_paragraphs() -> None:
    pdf = SAMPLES / "huaian-2024.pdf"
    report = extract(read_pdf(pdf.read_bytes(), str(pdf)))
    # This sentence wraps across two printed lines in the PDF.
    assert "全市共受理政府信息公开申请 3119 件" in report.sections[0].text


def test_radical_lookalikes_map_to_ideographs() -> None:
    assert fix_radicals("⼀、本年新收⼈⺠") == "一、本年新收人民"
    assert fix_radicals("（：）") == "（：）"  # full-width punctuation is not NFKC'd away


def _encrypted(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _bad_pdfs() -> list[tuple[str, bytes, str]]:
    good = PDFS[0].read_bytes() if PDFS else b"%PDF-1.4\n"
    return [
        ("truncated", good[: len(good) // 2], "损坏或不完整"),
        ("random", b"%PDF-1.4\n" + bytes(range(256)) * 64, "PDF"),
        ("encrypted", _encrypted(good) if PDFS else b"", "已加密"),
    ]


@needs_samples
@pytest.mark.parametrize(("name", "data", "reason"), _bad_pdfs(), ids=lambda v: str(v)[:10])
def test_broken_pdf_gives_one_clear_error_quickly(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput) as err:
        read_pdf(data, f"{name}.pdf")
    assert reason in str(err.value) and f"{name}.pdf" in str(err.value)


@needs_samples
def test_every_prefix_of_a_pdf_reads_or_fails_cleanly() -> None:
    data = PDFS[0].read_bytes()
    for cut in range(0, len(data), len(data) // 12):
        with contextlib.suppress(GongkaiError):
            extract(read_pdf(data[:cut], "cut.pdf"))


FIXTURES = sorted((Path(__file__).parent / "fixtures" / "generated").glob("*.pdf"))


@pytest.mark.skipif(not FIXTURES, reason="generated PDF fixtures not present")
@pytest.mark.parametrize("pdf", FIXTURES, ids=lambda p: p.name)
def test_fixture_pdf_made_by_independent_tools_matches_the_seed(pdf: Path) -> None:
    """LibreOffice and Chromium PDFs of each seed (page breaks, page numbers, running headers)."""
    stem = pdf.name.split(".")[0]
    report = extract(read_pdf(pdf.read_bytes(), str(pdf)))
    assert differences(load(SHARED / "golden" / f"{stem}.expected.json"), report.to_json()) == []


def _stored_rotated(data: bytes, rotation: int) -> bytes:
    """The same pages stored turned by `rotation`, with /Rotate turning them back for display, as
    some producers store landscape or scanned-then-fixed pages."""
    from pypdf import PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=io.BytesIO(data))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        origin = Transformation().translate(
            -float(page.mediabox.left), -float(page.mediabox.bottom)
        )
        shift = {90: (height, 0.0), 180: (width, height), 270: (0.0, width)}[rotation]
        page.add_transformation(origin.rotate(rotation).translate(*shift))
        box = [0, 0, height, width] if rotation in (90, 270) else [0, 0, width, height]
        page.mediabox = page.cropbox = RectangleObject(box)
        page.rotation = rotation
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@needs_samples
@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_page_stored_rotated_reads_as_displayed(rotation: int) -> None:
    pdf = SAMPLES / "huaian-2024.pdf"
    report = extract(read_pdf(_stored_rotated(pdf.read_bytes(), rotation), "rotated.pdf"))
    assert differences(load(pdf.with_suffix(".expected.json")), report.to_json()) == []


@needs_samples
@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_pdf_with_damaged_bytes_reads_or_fails_cleanly(data: st.DataObject) -> None:
    """PDFium is C: damaged streams must end in a result or one GongkaiError, never a crash."""
    pdf = bytearray(PDFS[0].read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        start = data.draw(st.integers(0, len(pdf) - 64))
        pdf[start : start + 16] = data.draw(st.binary(min_size=16, max_size=16))
    with contextlib.suppress(GongkaiError):
        extract(read_pdf(bytes(pdf), "damaged.pdf"))


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF file of these objects, with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)} {extra}>>\nstream\n".encode() + data + b"\nendstream"


def test_rulings_inside_a_form_xobject_make_a_table() -> None:
    """Some producers draw table borders in a form XObject with its own matrix, placed by a `cm`:
    both transforms apply to the rulings, and the table must be the one pdfminer sees."""
    grid = b"0.5 w 0 0 200 40 re S 100 0 m 100 40 l S 0 20 m 200 20 l S"
    form = _stream(
        grid, "/Type /XObject /Subtype /Form /BBox [0 0 300 100] /Matrix [1 0 0 1 10 5] "
    )
    words = [("Name", 125, 718), ("Value", 225, 718), ("Alpha", 125, 698), ("42", 225, 698)]
    text = b"".join(f"BT /F1 10 Tf 1 0 0 1 {x} {y} Tm ({w}) Tj ET ".encode() for w, x, y in words)
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /G 5 0 R >> /Font << /F1 6 0 R >> >> >>"
    )
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        _stream(b"q 1 0 0 1 100 685 cm /G Do Q " + text),
        form,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])  # fmt: skip
    rows = [
        [c.text for c in r.cells]
        for b in read_pdf(data, "form.pdf").blocks
        if isinstance(b, Table)
        for r in b.rows
    ]
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        (expected,) = [t.extract() for t in pdf.pages[0].find_tables()]
    assert rows == expected == [["Name", "Value"], ["Alpha", "42"]]


@needs_samples
def test_bytes_appended_after_eof_are_not_taken_for_truncation() -> None:
    data = PDFS[0].read_bytes()
    padded = extract(read_pdf(data + b"\0" * 8192 + b"<html></html>\n", "padded.pdf"))
    assert padded.to_json() == extract(read_pdf(data, "padded.pdf")).to_json()


@needs_samples
def test_a_file_cut_inside_an_incremental_update_is_truncated() -> None:
    data = PDFS[0].read_bytes()
    update = b"99 0 obj\n<< /Type /Annot >>\nendobj\nxref\n0 1\n"  # an update cut before its %%EOF
    with pytest.raises(UnreadableInput, match="损坏或不完整"):
        read_pdf(data + update, "cut.pdf")


@needs_samples
def test_pdf_reading_from_threads_gives_the_same_result() -> None:
    """PDFium is not thread-safe and Dask workers parse in threads: reads must not interleave."""
    from concurrent.futures import ThreadPoolExecutor

    def read(pdf: Path) -> dict[str, object]:
        return extract(read_pdf(pdf.read_bytes(), str(pdf))).to_json()

    expected = {pdf: read(pdf) for pdf in PDFS}
    jobs = [pdf for pdf in PDFS for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(read, jobs)) == [expected[pdf] for pdf in jobs]
