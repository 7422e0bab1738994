"""The hostile corpus (tests/hostile.py) through the real command line and a real ingest.

Every file, alone, through `gongkai parse --json` and `gongkai check`: a result or one Chinese line
naming the file, exit code 0, 1 or 2 (never a traceback, never 3, never a signal), within 60 s, and
under 1.5 GB resident for every process (the command and the watchdog's children). Then all of them
mixed with the seeds and samples into one corpus: every good file stored, every bad one recorded
with a Chinese reason, and a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import hostile
from gongkai.corpus import ingest
from gongkai.readers.files import shown_path

from conftest import SHARED
from corpus_support import rows

WALL_LIMIT_S = 60.0
RSS_LIMIT_KB = 1536 * 1024
# Words the messages may hold: formats and the PDF term for a drawn object; the sheet name
# "Sheet" comes from the file itself.
_ALLOWED = {"DOCX", "XLSX", "HTML", "JSON", "XObject", "Excel", "Word", "Sheet"}


@dataclass(frozen=True)
class Run:
    path: Path
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int


def _run(args: list[str], path: Path) -> Run:
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai", *args, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
    )
    killer = threading.Timer(WALL_LIMIT_S * 2, proc.kill)  # a hang fails the test, not the run
    killer.start()
    with ThreadPoolExecutor(2) as readers:
        out = readers.submit(proc.stdout.read)  # type: ignore[union-attr]
        err = readers.submit(proc.stderr.read)  # type: ignore[union-attr]
        # wait4's figures cover the command and every child it reaped (the watchdog's workers).
        _pid, status, usage = os.wait4(proc.pid, 0)
        stdout, stderr = out.result(), err.result()
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Run(
        path,
        proc.returncode,
        stdout.decode("utf-8", "replace"),
        stderr.decode("utf-8", "replace"),
        time.monotonic() - start,
        usage.ru_maxrss,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


def _english_words(text: str) -> set[str]:
    """Words of English prose left in a message, once names from the file (a package part such as
    word/document.xml) are set aside."""
    text = re.sub(r"[\w-]*[/.][\w./-]*", "", text)
    return set(re.findall(r"[A-Za-z]{4,}", text)) - _ALLOWED


@pytest.mark.parametrize("command", [["parse", "--json"], ["check"]])
def test_every_hostile_file_gives_a_result_or_one_chinese_line(
    corpus: list[Path], command: list[str]
) -> None:
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda p: _run(command, p), corpus))
    for run in runs:
        where = f"{run.path.name}: {run.stderr[-500:]}"
        assert run.code in (0, 1, 2), where  # never 3 (a bug), never a signal (negative)
        assert "Traceback" not in run.stderr and "Warning" not in run.stderr, where
        assert run.seconds < WALL_LIMIT_S, where
        assert "root:" not in run.stdout  # the entity naming /etc/passwd was never expanded
        if run.code == 2:
            lines = run.stderr.strip().splitlines()
            assert len(lines) == 1, where
            shown = shown_path(run.path)
            assert shown in lines[0], where
            assert not _english_words(lines[0].replace(shown, "")), where
        else:
            assert run.stdout.strip(), where
    peak = max(run.max_rss_kb for run in runs)
    assert peak < RSS_LIMIT_KB, f"{peak // 1024} MB"


def test_ingest_of_the_hostile_corpus_with_real_reports_keeps_the_good_and_records_the_bad(
    corpus: list[Path], tmp_path: Path
) -> None:
    folder = tmp_path / "good"
    folder.mkdir()
    good = [*sorted((SHARED / "seeds").glob("*.txt")), *sorted((SHARED / "samples").glob("*.pdf"))]
    for path in good:
        shutil.copy(path, folder / path.name)
    db = tmp_path / "corpus.sqlite"
    inputs = [corpus[0].parent, folder]
    first = ingest(inputs, db, jobs=2)
    assert first.failed, "the hostile files are recorded as failures"
    for name, reason in first.failed:
        assert reason and not _english_words(reason.replace(name, "")), (name, reason)
    # By content: a hostile file may be a good one under another name (stored once, as either).
    stored = {h for (h,) in rows(db, "SELECT sha256 FROM reports WHERE status = 'ok'")}
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in good} <= stored
    # Every failure stored is one the run reported (a failure whose content a later file parsed
    # well is replaced by that report).
    recorded = rows(db, "SELECT source_path, error FROM reports WHERE status = 'error'")
    assert recorded and set(recorded) <= {(shown_path(n), r) for n, r in first.failed}

    snapshot = "SELECT source_path, sha256, status, error, agency, year FROM reports ORDER BY 1"
    before = rows(db, snapshot)
    cells = rows(db, "SELECT count(*) FROM cells")
    ingest(inputs, db, jobs=2)
    assert rows(db, snapshot) == before
    assert rows(db, "SELECT count(*) FROM cells") == cells
