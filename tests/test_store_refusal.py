"""A record the database refuses (issue 17): stored as that file's failure, and the reports written
before it in the same group commit stay — one bad record never rolls back good ones, and the next
run does not die on it again."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from gongkai.corpus.worker import Job, parse_job
from gongkai.store import open_db
from gongkai.store.reports import ReportWriter

from conftest import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))[:2]


def _record(path: Path):  # type: ignore[no-untyped-def]
    data = path.read_bytes()
    return parse_job(Job(path.name, data, hashlib.sha256(data).hexdigest(), 0.0))


def test_a_refused_record_is_a_failure_and_spares_its_group(tmp_path: Path) -> None:
    good, bad = _record(SEEDS[0]), _record(SEEDS[1])
    # A value beyond SQLite's integers, as a bug in some extraction path could produce.
    cell = bad.cells[0]
    bad = dataclasses.replace(bad, cells=[(*cell[:3], 2**70, *cell[4:]), *bad.cells[1:]])
    con = open_db(tmp_path / "corpus.sqlite")
    writer = ReportWriter(con, seconds=3600)  # one group commit for both
    writer.write(good)
    writer.write(bad)
    writer.commit()
    stored = dict(con.execute("SELECT source_path, status FROM reports").fetchall())
    assert stored == {SEEDS[0].name: "ok", SEEDS[1].name: "error"}
    (error,) = con.execute("SELECT error FROM reports WHERE status = 'error'").fetchone()
    assert "无法存入语料库" in error
    assert con.execute("SELECT count(*) FROM cells").fetchone()[0] == len(good.cells)
