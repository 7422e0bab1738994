"""Opening the corpus database: SQLite in WAL mode, migrated, with explicit transactions.

WAL lets the web server read while an ingest writes. `synchronous=NORMAL` keeps every committed
transaction across a killed process (SIGKILL included); only a power cut may lose the last few,
never corrupt the file. Connections run in autocommit mode and every write goes through
`transaction`, so what is written together is committed together or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.store.migrations import migrate

DEFAULT_DB = "gongkai.sqlite"
_BUSY_MS = 60_000


class StoreError(GongkaiError):
    """The database cannot be opened or used."""

    reason = "语料库数据库错误"


class NotFound(GongkaiError):
    """A report, unit or finding named by the user is not in the database."""

    reason = "语料库中没有找到"


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
        migrate(con)
    except sqlite3.DatabaseError as exc:
        raise StoreError(name, str(exc)) from exc
    return con


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (the write lock is taken up front,
    so a transaction never fails half-way for lack of it)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def integrity_ok(con: sqlite3.Connection) -> bool:
    return bool(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
