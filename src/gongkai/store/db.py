"""Opening the corpus database: SQLite in WAL mode, migrated, with explicit transactions.

WAL lets the web server read while an ingest writes. `synchronous=NORMAL` keeps every committed
transaction across a killed process (SIGKILL included); only a power cut may lose the last few,
never corrupt the file. Connections run in autocommit mode and every write goes through
`transaction`, so what is written together is committed together or not at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gongkai.store.base import NotFound, StoreError, transaction
from gongkai.store.editions import refresh_editions
from gongkai.store.migrations import EDITIONS_MIGRATION, migrate, pending

__all__ = ["DEFAULT_DB", "NotFound", "StoreError", "integrity_ok", "open_db", "transaction"]

DEFAULT_DB = "gongkai.sqlite"
_BUSY_MS = 60_000


def open_db(path: str | Path = DEFAULT_DB, *, create: bool = True) -> sqlite3.Connection:
    """Open (and create or migrate) the corpus at `path`."""
    name = str(path)
    if not create and name != ":memory:" and not Path(name).exists():
        raise StoreError(name, "数据库文件不存在，请先运行 ingest")
    try:
        con = sqlite3.connect(name, timeout=_BUSY_MS / 1000, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA foreign_keys = ON")
        decide_editions = EDITIONS_MIGRATION in pending(con)
        migrate(con)
        if decide_editions:  # a corpus from before editions: decide them once, now
            refresh_editions(con)
    except sqlite3.DatabaseError as exc:
        raise StoreError(name, str(exc)) from exc
    return con


def integrity_ok(con: sqlite3.Connection) -> bool:
    return bool(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
