"""Scale-out: the same ingest with parsing on a Dask cluster (a local one with 2 worker processes)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.corpus import ingest
from gongkai.corpus.scheduler import DASK_CONNECT_SECONDS

from corpus_support import rows, write_synthetic

distributed = pytest.importorskip("distributed")

SNAPSHOT = (
    "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM cells),"
    " (SELECT count(*) FROM sections), (SELECT count(*) FROM findings)"
)


def test_ingest_on_a_dask_cluster_matches_a_local_ingest(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_synthetic(corpus, 40)
    (corpus / "bad.txt").write_text("不是报告\n", encoding="utf-8")
    local = tmp_path / "local.sqlite"
    ingest([corpus], local, jobs=1)
    remote = tmp_path / "dask.sqlite"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = ingest([corpus], remote, dask=cluster.scheduler_address)
    assert (summary.added, len(summary.failed)) == (40, 1)
    assert rows(remote, SNAPSHOT) == rows(local, SNAPSHOT)
    by_hash = "SELECT sha256, status, agency, year FROM reports ORDER BY sha256"
    assert rows(remote, by_hash) == rows(local, by_hash)


def test_an_unreachable_scheduler_ends_the_run_with_a_message(tmp_path: Path) -> None:
    """Nobody listens at the address: one Chinese line after the connect timeout, not a hang."""
    from gongkai.errors import GongkaiError

    corpus = write_synthetic(tmp_path / "in", 2)
    with pytest.raises(GongkaiError, match="无法连接 Dask 调度器"):
        ingest([corpus[0]], tmp_path / "c.sqlite", dask="tcp://127.0.0.1:9")


def _ingest_with(scheduler: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`gongkai ingest --dask` as a user runs it; (its result, seconds it took). The timeout is
    generous: a run that hangs fails the test instead of holding the suite."""
    corpus = write_synthetic(tmp_path / "in", 2)
    cmd = [sys.executable, "-m", "gongkai", "ingest", str(corpus[0]), "--db"]
    start = time.monotonic()
    done = subprocess.run(
        [*cmd, str(tmp_path / "c.sqlite"), "--dask", scheduler],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done, time.monotonic() - start


def _free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_the_command_line_says_a_refused_scheduler_in_one_line(tmp_path: Path) -> None:
    """Issue 12: an unreachable scheduler ends `ingest --dask` with one Chinese line on stderr
    and exit code 2, at once (the client alone retried for its whole timeout)."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    done, seconds = _ingest_with(address, tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"错误 {address}: 无法连接 Dask 调度器（连接被拒绝，该地址没有调度器在监听）"
    ], done.stderr
    print(f"refused scheduler: exit after {seconds:.1f} s")  # for information; not asserted


@pytest.fixture
def mute_listener() -> Iterator[str]:
    """An address that accepts connections and never answers: the Dask client would wait for
    its handshake for as long as the socket stays open."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"


def test_a_scheduler_that_never_answers_ends_the_run_too(
    tmp_path: Path, mute_listener: str
) -> None:
    done, seconds = _ingest_with(mute_listener, tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"错误 {mute_listener}: 无法连接 Dask 调度器（{DASK_CONNECT_SECONDS:g} 秒内未连上或未应答）"
    ], done.stderr
    print(f"mute scheduler: exit after {seconds:.1f} s")  # for information; not asserted
