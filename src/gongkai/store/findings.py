"""Findings (per report and cross-year) and the review decisions attached to them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from gongkai.store.db import NotFound, transaction
from gongkai.store.records import FindingRow
from gongkai.store.reports import insert_findings

Decision = Literal["confirm", "dismiss"]


@dataclass(frozen=True, slots=True)
class StoredFinding:
    id: int
    report_id: int
    prev_report_id: int | None
    origin: str
    code: str
    severity: str
    message: str
    cells: list[list[str | int]]
    expected: float | None
    actual: float | None
    fingerprint: str
    decision: str | None
    note: str | None
    who: str | None
    decided_at: str | None


_SELECT = (
    "SELECT f.id, f.report_id, f.prev_report_id, f.origin, f.code, f.severity, f.message,"
    " f.cells, f.expected, f.actual, f.fingerprint, v.decision, v.note, v.who, v.decided_at"
    " FROM findings f LEFT JOIN reviews v ON v.fingerprint = f.fingerprint"
)


def findings_of(con: sqlite3.Connection, report_id: int) -> list[StoredFinding]:
    """Findings of one report (its own and cross-year ones naming it as the later year)."""
    rows = con.execute(f"{_SELECT} WHERE f.report_id = ? ORDER BY f.id", (report_id,))
    return [_finding(r) for r in rows]


def _finding(row: tuple[Any, ...]) -> StoredFinding:
    values = list(row)
    values[7] = json.loads(values[7])
    return StoredFinding(*values)


def unchecked_reports(con: sqlite3.Connection, *, all_reports: bool) -> list[tuple[int, str]]:
    """(id, sha256) of parsed reports whose per-report rules have not run (or of all of them)."""
    where = "status = 'ok'" + ("" if all_reports else " AND checked = 0")
    return [(r[0], r[1]) for r in con.execute(f"SELECT id, sha256 FROM reports WHERE {where}")]


def replace_report_findings(
    con: sqlite3.Connection, report_id: int, findings: list[FindingRow]
) -> None:
    with transaction(con):
        con.execute("DELETE FROM findings WHERE report_id = ? AND origin = 'report'", (report_id,))
        insert_findings(con, report_id, None, "report", findings)
        con.execute("UPDATE reports SET checked = 1 WHERE id = ?", (report_id,))


def replace_pair_findings(
    con: sqlite3.Connection, pairs: Iterable[tuple[int, int, list[FindingRow]]]
) -> None:
    """Replace every cross-year finding at once: the pairing itself may have changed."""
    with transaction(con):
        con.execute("DELETE FROM findings WHERE origin = 'pair'")
        for prev_id, cur_id, findings in pairs:
            insert_findings(con, cur_id, prev_id, "pair", findings)


def review(
    con: sqlite3.Connection,
    report_id: int,
    code: str,
    decision: Decision,
    *,
    note: str | None = None,
    who: str | None = None,
    fingerprint: str | None = None,
) -> list[str]:
    """Record a decision on the report's findings with `code` (or the one with `fingerprint`).

    Returns the fingerprints decided. A later decision on the same finding takes effect (in
    `reviews`); every decision stays in the append-only `review_history`.
    """
    query = "SELECT DISTINCT fingerprint FROM findings WHERE report_id = ? AND code = ?"
    args: tuple[Any, ...] = (report_id, code)
    if fingerprint:
        query += " AND fingerprint LIKE ?"
        args += (fingerprint + "%",)
    prints = [r[0] for r in con.execute(query, args)]
    if not prints:
        raise NotFound(f"#{report_id}", f"这份报告没有代码为 {code} 的审查意见")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [(p, code, decision, note, who, now) for p in prints]
    with transaction(con):
        con.executemany("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.executemany(
            "INSERT INTO review_history (fingerprint, code, decision, note, who, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return prints
