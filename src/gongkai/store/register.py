"""The request register in the store: requests, their events, review/litigation cases, and the
user-maintained working-day calendar for years chinese-calendar does not cover."""

from __future__ import annotations

import sqlite3
from datetime import date

from gongkai.model.register import Case, Event, Request
from gongkai.store.base import NotFound, transaction

_REQUEST_COLUMNS = "id, number, received, applicant, channel, content, contact"
_EVENT_COLUMNS = "id, request_id, kind, on_day, outcome, note"
_CASE_COLUMNS = "id, kind, filed, result, request_id, note"


def add_request(con: sqlite3.Connection, request: Request) -> int:
    with transaction(con):
        cur = con.execute(
            "INSERT INTO register_requests (number, received, applicant, channel, content, contact)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                request.number,
                request.received.isoformat(),
                request.applicant,
                request.channel,
                request.content,
                request.contact,
            ),
        )
    return int(cur.lastrowid or 0)


def add_event(con: sqlite3.Connection, event: Event) -> int:
    with transaction(con):
        if (
            con.execute(
                "SELECT 1 FROM register_requests WHERE id = ?", (event.request_id,)
            ).fetchone()
            is None
        ):
            raise NotFound(f"#{event.request_id}", "台账中没有这件申请")
        cur = con.execute(
            "INSERT INTO register_events (request_id, kind, on_day, outcome, note)"
            " VALUES (?, ?, ?, ?, ?)",
            (event.request_id, event.kind, event.on.isoformat(), event.outcome, event.note),
        )
    return int(cur.lastrowid or 0)


def add_histories(
    con: sqlite3.Connection, histories: list[tuple[Request, list[Event]]]
) -> tuple[int, int]:
    """Requests with their events, in one transaction; a request already in the register (the
    same day, applicant, channel, content and number) is skipped with its events, so importing a
    workbook twice adds nothing. Returns (added, skipped)."""
    added = skipped = 0
    with transaction(con):
        for request, steps in histories:
            key = (request.received.isoformat(), request.applicant, request.channel,
                   request.content, request.number)  # fmt: skip
            if con.execute(
                "SELECT 1 FROM register_requests WHERE received = ? AND applicant = ?"
                " AND channel = ? AND content = ? AND number IS ?",
                key,
            ).fetchone():
                skipped += 1
                continue
            cur = con.execute(
                "INSERT INTO register_requests (received, applicant, channel, content, number,"
                " contact) VALUES (?, ?, ?, ?, ?, ?)",
                (*key, request.contact),
            )
            rid = int(cur.lastrowid or 0)
            con.executemany(
                "INSERT INTO register_events (request_id, kind, on_day, outcome, note)"
                " VALUES (?, ?, ?, ?, ?)",
                ((rid, e.kind, e.on.isoformat(), e.outcome, e.note) for e in steps),
            )
            added += 1
    return added, skipped


def add_case(con: sqlite3.Connection, case: Case) -> int:
    with transaction(con):
        cur = con.execute(
            "INSERT INTO register_cases (kind, filed, result, request_id, note)"
            " VALUES (?, ?, ?, ?, ?)",
            (case.kind, case.filed.isoformat(), case.result, case.request_id, case.note),
        )
    return int(cur.lastrowid or 0)


def _request(row: tuple[object, ...]) -> Request:
    rid, number, received, applicant, channel, content, contact = row
    return Request.model_validate(
        {
            "id": rid,
            "number": number,
            "received": received,
            "applicant": applicant,
            "channel": channel,
            "content": content,
            "contact": contact,
        }
    )


def requests(con: sqlite3.Connection) -> list[Request]:
    sql = f"SELECT {_REQUEST_COLUMNS} FROM register_requests ORDER BY received, id"
    return [_request(r) for r in con.execute(sql)]


def request(con: sqlite3.Connection, request_id: int) -> Request:
    row = con.execute(
        f"SELECT {_REQUEST_COLUMNS} FROM register_requests WHERE id = ?", (request_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"#{request_id}", "台账中没有这件申请")
    return _request(row)


def events(con: sqlite3.Connection, request_id: int | None = None) -> list[Event]:
    where, args = ("WHERE request_id = ?", [request_id]) if request_id is not None else ("", [])
    sql = f"SELECT {_EVENT_COLUMNS} FROM register_events {where} ORDER BY on_day, id"
    return [
        Event.model_validate(
            dict(zip(("id", "request_id", "kind", "on", "outcome", "note"), r, strict=True))
        )
        for r in con.execute(sql, args)
    ]


def cases(con: sqlite3.Connection) -> list[Case]:
    sql = f"SELECT {_CASE_COLUMNS} FROM register_cases ORDER BY filed, id"
    return [
        Case.model_validate(
            dict(zip(("id", "kind", "filed", "result", "request_id", "note"), r, strict=True))
        )
        for r in con.execute(sql)
    ]


def set_case_result(con: sqlite3.Connection, case_id: int, result: str) -> None:
    with transaction(con):
        cur = con.execute("UPDATE register_cases SET result = ? WHERE id = ?", (result, case_id))
        if cur.rowcount == 0:
            raise NotFound(f"#{case_id}", "台账中没有这件复议或诉讼案件")


# The calendar -------------------------------------------------------------------------------------


def calendar_overrides(con: sqlite3.Connection) -> tuple[dict[date, bool], set[int]]:
    """(day → is a working day, the years the user declared complete)."""
    days = {
        date.fromisoformat(str(d)): bool(w)
        for d, w in con.execute("SELECT day, workday FROM register_calendar_days")
    }
    years = {int(r[0]) for r in con.execute("SELECT year FROM register_calendar_years")}
    return days, years


def set_calendar(con: sqlite3.Connection, year: int, days: dict[date, bool]) -> None:
    """Declare `year` complete with these exceptions to Monday–Friday (holidays off, 调休
    weekends on); replaces what was stored for that year."""
    with transaction(con):
        con.execute(
            "DELETE FROM register_calendar_days WHERE substr(day, 1, 4) = ?", (f"{year:04d}",)
        )
        con.executemany(
            "INSERT INTO register_calendar_days VALUES (?, ?)",
            ((d.isoformat(), int(w)) for d, w in sorted(days.items()) if d.year == year),
        )
        con.execute("INSERT OR IGNORE INTO register_calendar_years VALUES (?)", (year,))
