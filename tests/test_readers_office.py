"""DOC / WPS / ODT / RTF through LibreOffice headless (skipped where LibreOffice is missing)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.readers import read_bytes
from gongkai.readers.office import soffice

GENERATED = Path(__file__).parent / "fixtures" / "generated"
DOC = GENERATED / "004_a0f62e3ec90446e4.doc"
ODT = GENERATED / "002_5f174123bac95d65.odt"
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")


def _rtf(*paragraphs: str) -> bytes:
    """A hand-written RTF document; non-ASCII characters as \\uN? escapes."""
    body = "".join(
        "".join(
            ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?"
            for ch in text
        )
        + "\\par\n"
        for text in paragraphs
    )
    return ("{\\rtf1\\ansi\\ansicpg936\\uc1{\\fonttbl{\\f0 SimSun;}}\\f0\n" + body + "}").encode(
        "ascii"
    )


@needs_soffice
def test_doc_is_converted_and_labelled_doc() -> None:
    doc = read_bytes(DOC.read_bytes(), "report.doc")
    assert doc.format == "doc"
    assert any("行政处罚" in row.texts()[0] for row in doc.rows() if row.is_table)


@needs_soffice
def test_the_same_bytes_named_wps_are_labelled_wps() -> None:
    assert read_bytes(DOC.read_bytes(), "report.wps").format == "wps"


@needs_soffice
def test_odt_is_read_through_docx_with_merged_cells_empty() -> None:
    doc = read_bytes(ODT.read_bytes(), "report.odt")
    assert doc.format == "doc"  # the schema's enum has no odt; it is a word-processor file
    rows = [row.texts() for row in doc.rows() if row.is_table and len(row.cells) == 10]
    assert rows[3][:3] == ["一、本年新收政府信息公开申请数量", "", ""]


@needs_soffice
def test_hand_written_rtf_keeps_its_paragraphs() -> None:
    doc = read_bytes(_rtf("某县2021年政府信息公开工作年度报告", "一、总体情况"), "report.rtf")
    assert [row.texts() for row in doc.rows()] == [
        ["某县2021年政府信息公开工作年度报告"],
        ["一、总体情况"],
    ]


@needs_soffice
def test_a_conversion_over_the_time_limit_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_SOFFICE_TIMEOUT", "0.05")
    with pytest.raises(UnreadableInput, match="秒仍未完成"):
        read_bytes(DOC.read_bytes(), "slow.doc")


def test_missing_libreoffice_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GONGKAI_SOFFICE", str(tmp_path / "no-soffice-here"))
    with pytest.raises(UnsupportedFormat, match="libreoffice-writer-nogui"):
        read_bytes(DOC.read_bytes(), "report.doc")


def test_an_odt_zip_bomb_is_refused_before_libreoffice_sees_it() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", b"\0" * (20 * 2**20))
    with pytest.raises(UnreadableInput, match=r"ODT.*压缩炸弹"):
        read_bytes(out.getvalue(), "bomb.odt")
