"""What every store module shares: its errors and the transaction that groups writes.

Connections run in autocommit mode and every write goes through `transaction`, so what is written
together is committed together or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from gongkai.errors import GongkaiError


class StoreError(GongkaiError):
    """The database cannot be opened or used."""

    reason = "语料库数据库错误"


class NotFound(GongkaiError):
    """A report, unit or finding named by the user is not in the database."""

    reason = "语料库中没有找到"


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (the write lock is taken up front,
    so a transaction never fails half-way for lack of it). The write counter moves only if a row
    changed: a transaction that wrote nothing (editions decided again, all the same) must not
    void every cache keyed on it."""
    con.execute("BEGIN IMMEDIATE")
    before = con.total_changes
    try:
        yield con
        if con.total_changes != before:
            bump_version(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def bump_version(con: sqlite3.Connection) -> None:
    """Count one more write transaction (inside it): caches of corpus-wide figures key on it."""
    con.execute("UPDATE corpus_version SET n = n + 1")


def version(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT n FROM corpus_version").fetchone()
    return int(row[0]) if row else 0
