"""Format detection (content first, then the name) and bad input in a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.readers import read_bytes, sniff

GENERATED = Path(__file__).parent / "fixtures" / "generated"


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"%PDF-1.7\n", "a.bin", "pdf"),
        (b"PK\x03\x04rest", "a.doc", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.wps", "ole"),
        (b"{\\rtf1\\ansi x}", "a.doc", "rtf"),
        (b"\x89PNG\r\n\x1a\n", "a.pdf", "image"),
        (b"  <!DOCTYPE html><html>", "a.txt", "html"),
        (b"\xef\xbb\xbf<table><tr><td>1</td></tr></table>", "a", "html"),
        ("<html><body>年报</body></html>".encode("utf-16"), "a", "html"),
        ("某县 2021 年政府信息公开工作年度报告\n<http://x.gov.cn>".encode(), "a.txt", "text"),
        ("正文".encode(), "page.htm", "html"),
    ],
)
def test_sniff_by_content_then_name(data: bytes, name: str, kind: str) -> None:
    assert sniff(data, name) == kind


def test_html_reads_with_the_html_format_and_docx_with_docx() -> None:
    html = GENERATED / "000_ac4c29f1373e55a6.html"
    docx = GENERATED / "000_ac4c29f1373e55a6.docx"
    assert read_bytes(html.read_bytes(), str(html)).format == "html"
    assert read_bytes(docx.read_bytes(), str(docx)).format == "docx"


def test_an_image_without_ocr_or_a_renamed_file_gives_one_clear_error() -> None:
    try:
        import rapidocr  # noqa: F401

        has_ocr = True
    except Exception:
        has_ocr = False
    if not has_ocr:
        with pytest.raises(UnsupportedFormat, match="扫描件"):
            read_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "scan.png")
    with pytest.raises(UnreadableInput, match="PDF"):
        read_bytes(b"just some text, not a PDF", "report.pdf")


def test_a_batch_goes_on_past_bad_files(tmp_path: Path) -> None:
    bad = {
        "random.docx": bytes(range(1, 256)) * 8,
        "news.html": "<html><body><p>今日要闻</p></body></html>".encode(),
        "empty.html": b"",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    good = GENERATED / "001_e65d9bbd0314f93f.html"
    files = [str(tmp_path / name) for name in bad] + [str(good)]
    result = CliRunner().invoke(app, ["parse", "--json", *files])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["meta"]["agency"] == "彭阳县小岔乡人民政府"
    assert sum(name in result.stderr for name in bad) == len(bad)
