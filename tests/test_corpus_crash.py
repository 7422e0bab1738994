"""Crash safety: SIGKILL a real ingest process (its whole group, or the main process alone) at ten
random moments, kill or freeze one of its workers, with hostile files mixed into the input; every
time the database is consistent, a re-run completes, and the corpus equals one ingested without
interruption (no report lost, none twice). SIGTERM and SIGINT (`kill`, Ctrl-C) stop it cleanly:
no worker left, one line saying how to resume, and the re-run completes."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import hostile
from gongkai.store import integrity_ok, open_db

from corpus_support import rows, write_synthetic

REPORTS = 240
KILLS = 10
KILL_AFTER = sorted(random.Random(17).sample(range(0, REPORTS), KILLS))  # stored reports
SNAPSHOT = (
    "SELECT (SELECT count(*) FROM reports), (SELECT count(DISTINCT source_path) FROM reports),"
    " (SELECT count(*) FROM reports WHERE status = 'ok'),"
    " (SELECT count(*) FROM cells), (SELECT count(*) FROM sections),"
    " (SELECT count(*) FROM sections_fts), (SELECT count(*) FROM findings)"
)


def _corpus(tmp_path: Path) -> Path:
    """The synthetic reports, and the hostile corpus beside them."""
    corpus = tmp_path / "in"
    write_synthetic(corpus, REPORTS, years=3)
    hostile.build(corpus / "hostile")
    return corpus


def _ingest(
    corpus: Path, db: Path, *extra: str, stderr: Any = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gongkai", "ingest", str(corpus), "--db", str(db)]
    return subprocess.Popen(
        [*cmd, "--jobs", "2", *extra],
        start_new_session=True,  # its own process group: the kill takes the workers too
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def _stored(db: Path) -> int:
    try:
        return int(str(rows(db, "SELECT count(*) FROM reports")[0][0]))
    except sqlite3.Error:  # not created yet
        return 0


def _wait_for(proc: subprocess.Popen[bytes], db: Path, target: int) -> None:
    deadline = time.monotonic() + 120  # bounded, whatever the machine's speed
    while proc.poll() is None and _stored(db) < target and time.monotonic() < deadline:
        time.sleep(0.01)


def _kill_at(corpus: Path, db: Path, target: int) -> None:
    proc = _ingest(corpus, db)
    _wait_for(proc, db, target)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _consistent(db: Path) -> None:
    con = open_db(db)  # opens, recovers the WAL
    assert integrity_ok(con)
    con.close()


def _equals_a_clean_run(corpus: Path, db: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.sqlite"
    assert _ingest(corpus, clean).wait() == 2  # the hostile files: failures, exit code 2
    snapshot = rows(db, SNAPSHOT)
    assert snapshot == rows(clean, SNAPSHOT)
    assert snapshot[0][0] == snapshot[0][1]  # no file twice
    assert snapshot[0][2] >= REPORTS  # every synthetic report (and the good hostile ones)
    # Nothing half-written: every report has all its cells and sections.
    per_report = "SELECT r.sha256, count(c.tbl) FROM reports r JOIN cells c ON c.report_id = r.id GROUP BY r.sha256 ORDER BY 1"
    assert rows(db, per_report) == rows(clean, per_report)
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_sigkill_during_ingest_at_random_moments_then_rerun(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    db = tmp_path / "killed.sqlite"
    for target in KILL_AFTER:
        _kill_at(corpus, db, target)
        _consistent(db)  # after every kill
    assert _ingest(corpus, db).wait() == 2
    _equals_a_clean_run(corpus, db, tmp_path)


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


def _descendants(pid: int) -> set[int]:
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for parent in frontier for child in _children(parent)} - found
        found |= frontier
    return found


def _workers(pid: int) -> list[int]:
    """The parse workers of the ingest `pid`: its descendants that run no process of their own
    and are not multiprocessing's resource tracker (a fork server, when used, has children)."""
    found = []
    for child in sorted(_descendants(pid)):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline and not _children(child) and _alive(child):
            found.append(child)
    return found


def _group(pgid: int) -> list[int]:
    """The live processes of process group `pgid` (Linux /proc): the ingest and whatever it
    started, even a worker started after a snapshot of its children."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [
        (signal.SIGTERM, False),  # `kill PID`, a service manager stopping it
        (signal.SIGINT, False),  # `kill -INT PID`
        (signal.SIGINT, True),  # Ctrl-C at a terminal: every process of the group gets it
    ],
    ids=["sigterm", "sigint", "ctrl-c"],
)
def test_a_stop_signal_ends_the_workers_and_keeps_what_was_written(
    tmp_path: Path, signum: signal.Signals, to_group: bool
) -> None:
    corpus = tmp_path / "in"
    write_synthetic(corpus, REPORTS, years=3)
    db = tmp_path / "stopped.sqlite"
    log = (tmp_path / "stderr.txt").open("wb")
    proc = _ingest(corpus, db, stderr=log)
    _wait_for(proc, db, 15)
    workers = _descendants(proc.pid)
    assert workers
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)  # the ingest process alone: it stops its workers itself
    assert proc.wait(timeout=120) == 130  # what a shell reports for an interrupted command
    log.close()
    deadline = time.monotonic() + 10  # a killed worker is reaped within moments
    while (_group(proc.pid) or [p for p in workers if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]  # no worker left behind
    assert not _group(proc.pid)  # nor one started later
    said = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "Traceback" not in said  # no worker printed a KeyboardInterrupt
    assert said.strip().splitlines()[-1].startswith("已中断：")
    stored = rows(db, "SELECT count(*) FROM reports")[0][0]
    assert 15 <= int(str(stored)) < REPORTS
    _consistent(db)
    assert _ingest(corpus, db).wait() == 0
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == REPORTS
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def _running(
    tmp_path: Path, name: str, stored: int, *extra: str
) -> tuple[Path, Path, subprocess.Popen[bytes]]:
    """An ingest of the corpus (with its hostile files) that has stored `stored` reports."""
    corpus = _corpus(tmp_path)
    db = tmp_path / name
    proc = _ingest(corpus, db, *extra)
    _wait_for(proc, db, stored)
    return corpus, db, proc


def test_sigkill_of_the_main_process_alone_leaves_no_worker(tmp_path: Path) -> None:
    """The workers die with the process that started them (they would finish a file for nobody)."""
    corpus, db, proc = _running(tmp_path, "main-killed.sqlite", 40)
    workers = _descendants(proc.pid)
    proc.kill()  # SIGKILL to the main process only: no handler runs
    proc.wait()
    deadline = time.monotonic() + 10
    while [pid for pid in workers if _alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
    _consistent(db)
    assert _ingest(corpus, db).wait() == 2
    _equals_a_clean_run(corpus, db, tmp_path)


def test_a_worker_killed_mid_batch_costs_one_file_until_the_rerun(tmp_path: Path) -> None:
    corpus, db, proc = _running(tmp_path, "worker-killed.sqlite", 60)
    victims = _workers(proc.pid)
    assert victims
    os.kill(victims[0], signal.SIGKILL)
    assert proc.wait(timeout=300) == 2  # the batch went on to the end
    lost = rows(db, "SELECT count(*) FROM reports WHERE error LIKE '%异常退出%'")[0][0]
    assert lost <= 1  # the file it was parsing (none, if it was between files)
    assert _ingest(corpus, db).wait() == 2  # failures are tried again
    _equals_a_clean_run(corpus, db, tmp_path)


def test_a_frozen_worker_is_timed_out_and_holds_no_write_lock(tmp_path: Path) -> None:
    """A worker stops answering (SIGSTOP: a hang in a library): meanwhile another writer gets the
    database at once, the file is failed after --time-limit, the batch completes, a re-run
    restores it."""
    corpus, db, proc = _running(tmp_path, "frozen.sqlite", 60, "--time-limit", "4")
    frozen = _workers(proc.pid)
    assert frozen
    for pid in frozen:  # every worker: the ingest can only wait
        os.kill(pid, signal.SIGSTOP)
    time.sleep(1)
    other = sqlite3.connect(db, timeout=2)
    other.execute("BEGIN IMMEDIATE")  # would wait for the lock, then fail, if ingest held it
    other.rollback()
    other.close()
    assert proc.wait(timeout=300) == 2
    timed_out = rows(db, "SELECT count(*) FROM reports WHERE error LIKE '%处理超时%'")[0][0]
    assert 1 <= timed_out <= len(frozen)
    assert _ingest(corpus, db).wait() == 2
    _equals_a_clean_run(corpus, db, tmp_path)
