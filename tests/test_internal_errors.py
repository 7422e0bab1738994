"""An internal error (a parser bug) in one file of a batch: the batch goes on, the file's record
keeps the traceback for developers, and the web app's view of the record never shows it."""

from __future__ import annotations

from pathlib import Path

from gongkai.corpus.worker import Job, parse_job
from gongkai.store import open_db, report_row
from gongkai.store.reports import write_record


def _crashing_job() -> Job:
    # Text where bytes belong reaches the reader: a stand-in for any bug deep in a parser.
    return Job(name="坏文件.txt", data="不是字节", sha256="0" * 64, read_ms=0.0)  # type: ignore[arg-type]


def test_an_internal_error_keeps_its_traceback_in_the_record() -> None:
    record = parse_job(_crashing_job())
    assert record.status == "error" and record.error_kind == "internal"
    assert record.error is not None and "内部错误" in record.error and "坏文件.txt" in record.error
    assert record.error_detail is not None and "Traceback" in record.error_detail


def test_the_traceback_is_stored_but_left_out_of_the_row_the_web_shows(tmp_path: Path) -> None:
    con = open_db(tmp_path / "corpus.sqlite")
    report_id = write_record(con, parse_job(_crashing_job()))
    shown = report_row(con, report_id)
    assert shown is not None and "error_detail" not in shown and "内部错误" in shown["error"]
    full = report_row(con, report_id, detail=True)
    assert full is not None and "Traceback" in full["error_detail"]
