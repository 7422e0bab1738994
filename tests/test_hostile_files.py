"""Files that are not report files (issue 17): a named pipe, a device, an oversized file, a missing
one. Each gives one Chinese line naming the file, never a hang or English OS text, and an ingest of
a folder holding them stores the good reports beside their failures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.corpus import ingest
from gongkai.errors import UnreadableInput
from gongkai.readers.files import read_file
from gongkai.store import open_db

from conftest import SHARED

SEED = sorted((SHARED / "seeds").glob("*.txt"))[0]


def _reason(path: Path, **kwargs: int) -> str:
    with pytest.raises(UnreadableInput) as caught:
        read_file(path, **kwargs)
    message = str(caught.value)
    assert str(path) in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace(str(path), ""))  # no English OS text
    return message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "报告.txt"
    os.mkfifo(fifo)
    # In a child under a time limit: opening a pipe nobody writes to would block for ever.
    code = f"from gongkai.api import parse_file; parse_file({str(fifo)!r})"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert "命名管道" in run.stderr


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.pdf"
    link.symlink_to("/dev/zero")
    assert "设备文件" in _reason(link)


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"0" * 11)
    assert "文件过大" in _reason(big, limit=10)


def test_a_missing_file_is_said_in_chinese(tmp_path: Path) -> None:
    assert "不存在" in _reason(tmp_path / "没有这个文件.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_ingest_stores_good_reports_beside_unreadable_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    os.mkfifo(folder / "管道.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    summary = ingest([folder], tmp_path / "corpus.sqlite", jobs=1)
    assert summary.added == 1
    reasons = dict(summary.failed)
    assert len(reasons) == 2 and all("不是普通文件" in r for r in reasons.values())
    con = open_db(tmp_path / "corpus.sqlite")
    assert con.execute("SELECT count(*) FROM reports WHERE status = 'ok'").fetchone() == (1,)


_FAILING_SHA256 = """
import hashlib, sys
real = hashlib.sha256
def failing(data=b"", **kwargs):
    if b"CRASH" in data:
        raise RuntimeError("boom")
    return real(data)
hashlib.sha256 = failing
from gongkai.cli import app
sys.argv = ["gongkai", *sys.argv[1:]]
app()
"""


def test_an_internal_error_is_one_line_and_its_own_exit_code(tmp_path: Path) -> None:
    """A library the parser relies on fails on one file (a stand-in for any bug): that file gets
    one line and exit code 3, never a traceback or the 1 that means “errors found”; the others
    are still parsed. (A process of its own: the file is parsed in a child of the command, which
    must inherit the failing library.)"""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(SEED.read_bytes() + b"\nCRASH\n")
    result = subprocess.run(
        [sys.executable, "-c", _FAILING_SHA256, "parse", "--json", str(bad), str(SEED)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "内部错误" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert '"schema"' in result.stdout  # the good file was still parsed


def test_a_name_that_is_not_utf8_is_shown_escaped_and_stored(tmp_path: Path) -> None:
    """A name from an old disk or archive (GBK bytes, here \\xff): parsed, shown as the user would
    type it (\\xff escaped once) in the JSON and the corpus, never a crash on printing or storing."""
    from typer.testing import CliRunner

    from gongkai.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/\xff\xfe\xb1\xa8\xb8\xe6.txt"
    Path(os.fsdecode(raw)).write_bytes(SEED.read_bytes())
    result = CliRunner().invoke(app, ["parse", "--json", os.fsdecode(raw)])
    assert result.exit_code == 0, result.output
    assert "\\\\xff\\\\xfe" in result.output  # JSON of the visible escape \xff\xfe
    summary = ingest([folder], tmp_path / "corpus.sqlite", jobs=1)
    assert summary.added == 1 and summary.failed == []
    con = open_db(tmp_path / "corpus.sqlite")
    (stored,) = con.execute("SELECT source_path FROM reports").fetchone()
    assert stored.endswith("\\xff\\xfe\\xb1\\xa8\\xb8\\xe6.txt")


def test_a_pdf_of_thousands_of_pages_is_refused_at_once() -> None:
    """A report has tens of pages; a PDF of more than MAX_PAGES is refused before any is read."""
    import io

    pdfium = pytest.importorskip("pypdfium2")
    from gongkai.api import parse_bytes
    from gongkai.readers.pdf_geometry import MAX_PAGES

    document = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        document.new_page(200, 200)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(UnreadableInput, match=f"共 {MAX_PAGES + 1} 页"):
        parse_bytes(buffer.getvalue(), "gazette.pdf")


@pytest.mark.parametrize("far", ["XFD1048576", "A1048576"])
def test_a_workbook_with_one_far_cell_is_refused(far: str) -> None:
    """One cell at the sheet's limit makes a used range of billions of positions: refused, not
    walked (it took minutes)."""
    import io

    openpyxl = pytest.importorskip("openpyxl")
    from gongkai.api import parse_bytes

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "某某局2024年政府信息公开工作年度报告"
    sheet["B1"] = 0  # far enough from A for a wide range, whichever cell is far
    sheet[far] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UnreadableInput, match="远超一份报告的表格"):
        parse_bytes(buffer.getvalue(), "form.xlsx")


def test_an_xlsx_zip_bomb_is_refused_before_it_is_inflated() -> None:
    """The workbook reader bounds the package like DOCX does (it let openpyxl inflate anything)."""
    import io
    import zipfile

    from gongkai.api import parse_bytes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (16 * 2**20))  # 16 MB of spaces
    with pytest.raises(UnreadableInput, match="压缩炸弹"):
        parse_bytes(buffer.getvalue(), "bomb.xlsx")


def test_a_docx_part_too_large_to_walk_is_refused_though_it_compresses_plainly(
    tmp_path: Path,
) -> None:
    """An XML part of 40 MB of varied text deflates only a few times (no bomb by ratio) but would
    take minutes to walk: refused by its expanded size, before it is inflated."""
    import io
    import random
    import zipfile

    from gongkai.api import parse_bytes
    from gongkai.readers.docx import MAX_XML_PART

    rng = random.Random(17)
    words = [bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=8)) for _ in range(4096)]
    body = b" ".join(rng.choices(words, k=MAX_XML_PART // 8))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document><w:t>" + body + b"</w:t></w:document>")
    with pytest.raises(UnreadableInput, match=r"word/document\.xml 解压后 .* MB，超过 32 MB"):
        parse_bytes(buffer.getvalue(), "huge.docx")
