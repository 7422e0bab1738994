"""Editions in the store: the candidates the identity and edition decisions read, writing their
answer back (`reports.identity`, `current`, `edition_of`, `undecided`), a user's choice of the
current edition, every path a file was seen at, and what differs between editions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from gongkai.analysis.identity import Ambiguity, Candidate, Edition, editions, identities
from gongkai.store.base import NotFound, transaction

_CANDIDATES = (
    "SELECT r.id, r.sha256, r.agency_key, ru.unit_id, r.year, r.values_hash, r.dates"
    " FROM reports r LEFT JOIN report_units ru ON ru.report_id = r.id"
    " WHERE r.status = 'ok' ORDER BY r.id"
)


def _dated(dates: str | None) -> str | None:
    """The publication date, else the sign-off date, of a stored report."""
    if not dates:
        return None
    known = json.loads(dates)
    for key in ("published", "signoff"):
        when = (known.get(key) or {}).get("date")
        if when:
            return str(when)
    return None


def edition_candidates(con: sqlite3.Connection) -> list[Candidate]:
    return [
        Candidate(row[0], row[1], row[2], row[3], row[4], row[5], _dated(row[6]))
        for row in con.execute(_CANDIDATES)
    ]


def edition_choices(con: sqlite3.Connection) -> dict[tuple[str, int], str]:
    return {
        (row[0], int(row[1])): str(row[2])
        for row in con.execute("SELECT identity, year, sha256 FROM edition_choices")
    }


def refresh_editions(con: sqlite3.Connection) -> list[Ambiguity]:
    """Decide again, for the whole corpus, each report's agency identity and which report counts
    for each agency-year; returns the agency names that could be several agencies. Run after
    every change of reports, unit links or choices (about 0.1 s per 10,000 reports)."""
    cands = edition_candidates(con)
    identity, ambiguous = identities(cands)
    write_editions(con, editions(cands, identity, edition_choices(con)))
    return ambiguous


def write_editions(con: sqlite3.Connection, decided: Mapping[int, Edition]) -> int:
    """Store the decisions; returns how many reports changed."""
    current = {
        row[0]: tuple(row[1:])
        for row in con.execute(
            "SELECT id, identity, current, edition_of, undecided FROM reports WHERE status = 'ok'"
        )
    }
    changes = [
        (e.identity, int(e.current), e.edition_of, int(e.undecided), rid)
        for rid, e in decided.items()
        if current.get(rid) != (e.identity, int(e.current), e.edition_of, int(e.undecided))
    ]
    with transaction(con):
        con.executemany(
            "UPDATE reports SET identity = ?, current = ?, edition_of = ?, undecided = ?"
            " WHERE id = ?",
            changes,
        )
    return len(changes)


def choose_edition(
    con: sqlite3.Connection, report_id: int, who: str | None, note: str | None
) -> tuple[str, int]:
    """Make a report the current edition of its agency-year; returns (identity, year)."""
    row = con.execute(
        "SELECT identity, year, sha256 FROM reports WHERE id = ? AND status = 'ok'", (report_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"#{report_id}", "没有这份已成功解析的报告")
    identity, year, sha256 = row
    if identity is None or year is None:
        raise NotFound(f"#{report_id}", "这份报告的机关或年度不明，没有其他版本可选")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO edition_choices VALUES (?, ?, ?, ?, ?, ?)",
            (identity, year, sha256, who, note, now),
        )
    return str(identity), int(year)


def add_paths(con: sqlite3.Connection, seen: Iterable[tuple[str, str]]) -> None:
    """Record (content hash, path) pairs of files whose content the corpus already holds."""
    with transaction(con):
        con.executemany(
            "INSERT OR IGNORE INTO report_paths SELECT id, ? FROM reports WHERE sha256 = ?",
            ((path, sha) for sha, path in seen),
        )


def paths_of(con: sqlite3.Connection, report_id: int) -> list[str]:
    rows = con.execute(
        "SELECT path FROM report_paths WHERE report_id = ? ORDER BY path", (report_id,)
    )
    return [str(r[0]) for r in rows]


@dataclass(frozen=True, slots=True)
class EditionRow:
    id: int
    source_path: str
    current: bool
    same_values: bool  # the same edition as the counted one (another file of it)
    dated: str | None
    differs: int  # cells whose value differs from the counted report's


def editions_of(con: sqlite3.Connection, report_id: int) -> list[EditionRow]:
    """Every report of this report's agency and year (itself included), the counted one first."""
    row = con.execute("SELECT identity, year FROM reports WHERE id = ?", (report_id,)).fetchone()
    if row is None or row[0] is None or row[1] is None:
        return []
    members = con.execute(
        "SELECT id, source_path, current, values_hash, dates FROM reports"
        " WHERE identity = ? AND year = ? AND status = 'ok' ORDER BY current DESC, id",
        (row[0], row[1]),
    ).fetchall()
    counted = next((m for m in members if m[2]), members[0])
    return [
        EditionRow(
            id=m[0],
            source_path=m[1],
            current=bool(m[2]),
            same_values=m[3] is not None and m[3] == counted[3],
            dated=_dated(m[4]),
            differs=_differing(con, counted[0], m[0]),
        )
        for m in members
    ]


def _differing(con: sqlite3.Connection, a: int, b: int) -> int:
    return 0 if a == b else len(differing_cells(con, a, b))


def differing_cells(
    con: sqlite3.Connection, a: int, b: int
) -> list[tuple[str, str, str, object, object]]:
    """(table, row, column, value in a, value in b) of every cell where two reports differ."""
    sql = (
        "WITH x AS (SELECT tbl, row_key, col_key, value FROM cells WHERE report_id = ?),"
        " y AS (SELECT tbl, row_key, col_key, value FROM cells WHERE report_id = ?),"
        " k AS (SELECT tbl, row_key, col_key FROM x UNION SELECT tbl, row_key, col_key FROM y)"
        " SELECT k.tbl, k.row_key, k.col_key, x.value, y.value FROM k"
        " LEFT JOIN x USING (tbl, row_key, col_key) LEFT JOIN y USING (tbl, row_key, col_key)"
        " WHERE x.value IS NOT y.value ORDER BY 1, 2, 3"
    )
    return [tuple(r) for r in con.execute(sql, (a, b))]
