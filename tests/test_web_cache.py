"""The web app's corpus-wide caches are keyed on the store's write counter: readers connecting
and a checkpoint of the -wal file leave it alone, every write moves it (issue 13: the -wal key
made several browsers recompute the dashboard again and again)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gongkai.corpus import ingest, review
from gongkai.web.corpus import _stamp, corpus_stats

from conftest import SEEDS_DIR, needs_shared

pytestmark = needs_shared


def test_readers_and_checkpoints_keep_the_cache_and_writes_move_it(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    ingest(sorted(SEEDS_DIR.glob("*.txt")), db, jobs=1)
    before = _stamp(db)
    readers = [sqlite3.connect(db) for _ in range(3)]
    for con in readers:
        con.execute("SELECT count(*) FROM reports").fetchone()
    readers[0].execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for con in readers:
        con.close()
    assert _stamp(db) == before
    first = corpus_stats(db)
    assert corpus_stats(db) is first  # served from the cache
    review(1, next(iter(_codes(db))), "dismiss", db, who="张三")
    assert _stamp(db) > before
    assert corpus_stats(db) is not first


def _codes(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT code FROM findings WHERE report_id = 1")}
    finally:
        con.close()
