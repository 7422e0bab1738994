"""Crash safety: SIGKILL a real ingest process at several points, run it again, and the corpus is
complete, without duplicates, and identical to one ingested without interruption."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from gongkai.store import integrity_ok, open_db

from corpus_support import rows, write_synthetic

REPORTS = 240
KILL_AFTER = (15, 80, 160)  # stored reports at which the ingest is killed
SNAPSHOT = (
    "SELECT (SELECT count(*) FROM reports), (SELECT count(DISTINCT sha256) FROM reports),"
    " (SELECT count(*) FROM cells), (SELECT count(*) FROM sections),"
    " (SELECT count(*) FROM sections_fts), (SELECT count(*) FROM findings)"
)


def _ingest(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gongkai", "ingest", str(corpus), "--db", str(db)]
    return subprocess.Popen(
        [*cmd, "--jobs", "2"],
        start_new_session=True,  # its own process group: the kill takes the workers too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stored(db: Path) -> int:
    try:
        return int(str(rows(db, "SELECT count(*) FROM reports")[0][0]))
    except sqlite3.Error:  # not created yet
        return 0


def _kill_at(corpus: Path, db: Path, target: int) -> None:
    proc = _ingest(corpus, db)
    deadline = time.monotonic() + 120  # bounded, whatever the machine's speed
    while proc.poll() is None and _stored(db) < target and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_sigkill_during_ingest_then_rerun(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_synthetic(corpus, REPORTS, years=3)
    db = tmp_path / "killed.sqlite"
    for target in KILL_AFTER:
        _kill_at(corpus, db, target)
        con = open_db(db)  # opens, recovers the WAL, and is consistent after every kill
        assert integrity_ok(con)
        con.close()
        assert _stored(db) <= REPORTS
    assert _ingest(corpus, db).wait() == 0

    clean = tmp_path / "clean.sqlite"
    assert _ingest(corpus, clean).wait() == 0
    snapshot = rows(db, SNAPSHOT)
    assert snapshot == rows(clean, SNAPSHOT)
    assert snapshot[0][:2] == (REPORTS, REPORTS)
    # Nothing half-written: every report has all its cells and sections.
    per_report = "SELECT r.sha256, count(c.tbl) FROM reports r JOIN cells c ON c.report_id = r.id GROUP BY r.sha256 ORDER BY 1"
    assert rows(db, per_report) == rows(clean, per_report)
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_stops_the_workers_and_keeps_what_was_written(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_synthetic(corpus, REPORTS, years=3)
    db = tmp_path / "termed.sqlite"
    proc = _ingest(corpus, db)
    deadline = time.monotonic() + 120
    while proc.poll() is None and _stored(db) < KILL_AFTER[0] and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)  # to the ingest process only, as `kill PID` does
    proc.wait(timeout=120)
    time.sleep(1)
    assert not [pid for pid in workers if _alive(pid)]  # no worker left behind
    con = open_db(db)
    assert integrity_ok(con)
    con.close()
    assert _ingest(corpus, db).wait() == 0
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == REPORTS
