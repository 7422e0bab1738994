"""Numbers no report holds (issue 17): a cell of thousands of digits, or beyond SQLite's integers,
is no value — its row stays blank with a reason, nothing crashes, and the corpus stores the report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gongkai.api import parse_bytes
from gongkai.corpus.worker import Job, parse_job
from gongkai.extract.values import MAX_DIGITS
from gongkai.store import open_db
from gongkai.store.reports import write_record
from gongkai.validate import check

from layouts import OPENING, T3_2021, T4, expected_t3, report_html, t3_html

_HUGE = ["9" * 5000, "9" * 20, "1" * (MAX_DIGITS + 1), "1,000,000,000,000,000,000"]


def _text(rows: list[tuple[str, list[object]]]) -> bytes:
    lines = [f"{label} {' '.join(map(str, values))}" for label, values in rows]
    body = "三、收到和处理政府信息公开申请情况\n" + "\n".join(lines)
    t4 = "\n四、政府信息公开行政复议、行政诉讼情况\n" + " ".join(map(str, T4)) + "\n"
    return (OPENING + body + t4).encode()


def _with(value: str) -> list[tuple[str, list[object]]]:
    rows: list[tuple[str, list[object]]] = [(label, list(v)) for label, v in T3_2021]
    rows[2][1][0] = value  # （一）予以公开 · 自然人
    return rows


@pytest.mark.parametrize("value", _HUGE, ids=lambda v: f"{len(v)} chars")
@pytest.mark.parametrize("kind", ["html", "txt"])
def test_an_implausible_number_leaves_its_row_blank_and_stores(
    value: str, kind: str, tmp_path: Path
) -> None:
    rows = _with(value)
    data = report_html(t3_html(rows)) if kind == "html" else _text(rows)
    report = parse_bytes(data, f"report.{kind}")
    assert report.table3 is not None
    assert report.table3["granted"] == [None] * 7
    assert any(a.table == "table3" for a in report.anomalies)
    untouched = {k: v for k, v in expected_t3().items() if k not in ("granted",)}
    assert {k: report.table3[k] for k in ("received", "partial", "total")} == {
        k: untouched[k] for k in ("received", "partial", "total")
    }
    check(report)  # the rules run on it
    job = Job(f"report.{kind}", data, hashlib.sha256(data).hexdigest(), 0.0)
    record = parse_job(job)
    assert record.status == "ok"
    write_record(open_db(tmp_path / "corpus.sqlite"), record)
