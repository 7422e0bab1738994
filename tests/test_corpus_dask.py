"""Scale-out: the same ingest with parsing on a Dask cluster (a local one with 2 worker processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.corpus import ingest

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
