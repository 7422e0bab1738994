"""The request register as a library: each function opens the database, does one thing, closes it.

Requests, events and cases are checked here before they are stored (an answer needs one of the
table-3 outcomes, an event cannot precede the request, a concluded request takes no more steps),
so the tables derived from the register (analysis/register_tables.py) are the form's by
construction and every due date (analysis/register_deadline.py) rests on a coherent history.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gongkai.analysis.register_deadline import Due, deadline, due_within, overdue
from gongkai.analysis.register_tables import conclusion, report_of
from gongkai.analysis.workdays import Calendar
from gongkai.corpus.api import connected
from gongkai.corpus.register_columns import EARLIEST, LATEST
from gongkai.errors import GongkaiError
from gongkai.model.register import OUTCOMES, Case, Event, Request
from gongkai.model.report import Report
from gongkai.store import DEFAULT_DB
from gongkai.store import register as store


class BadEntry(GongkaiError):
    """A register entry that would make the register incoherent."""

    reason = "台账记录无效"


def _db(db: str | Path) -> AbstractContextManager[sqlite3.Connection]:
    """The register's database, created if missing (the first request makes it)."""
    return connected(db, create=True)


def calendar_of(con: sqlite3.Connection) -> Calendar:
    return Calendar.from_overrides(store.calendar_overrides(con))


def calendar(db: str | Path = DEFAULT_DB) -> Calendar:
    """The working-day calendar: chinese-calendar's years and those the user declared."""
    with _db(db) as con:
        return calendar_of(con)


# The days a register takes: the reader of workbooks accepts the same, so what is exported
# imports back.


def _check_day(day: date, where: str) -> None:
    if not EARLIEST <= day <= LATEST:
        raise BadEntry(where, f"日期 {day} 不在 {EARLIEST.year}–{LATEST.year} 年之间")


def add_request(request: Request, db: str | Path = DEFAULT_DB) -> int:
    _check_day(request.received, "申请")
    with _db(db) as con:
        return store.add_request(con, request)


def _check_event(request: Request, history: Sequence[Event], event: Event) -> None:
    where = f"申请 #{request.id}"
    _check_day(event.on, where)
    if event.on < request.received:
        raise BadEntry(where, f"{event.on} 早于收到申请之日 {request.received}")
    if conclusion(history) is not None:
        raise BadEntry(where, "该申请已办结，不能再记录办理步骤")
    if event.kind == "answered" and event.outcome not in OUTCOMES:
        raise BadEntry(where, "答复须注明办理结果（表三“三、本年度办理结果”中的一项）")
    if event.kind != "answered" and event.outcome is not None:
        raise BadEntry(where, "只有“作出答复”需要注明办理结果")


def add_event(event: Event, db: str | Path = DEFAULT_DB) -> int:
    with _db(db) as con:
        request = store.request(con, event.request_id)
        _check_event(request, store.events(con, event.request_id), event)
        return store.add_event(con, event)


def add_case(case: Case, db: str | Path = DEFAULT_DB) -> int:
    with _db(db) as con:
        return store.add_case(con, case)


def set_case_result(case_id: int, result: str, db: str | Path = DEFAULT_DB) -> None:
    with _db(db) as con:
        store.set_case_result(con, case_id, result)


@dataclass(frozen=True, slots=True)
class Entry:
    """One request as the register lists it: its history and its deadline (None when the
    calendar does not cover the days it needs: `problem` says why)."""

    request: Request
    events: list[Event]
    due: Due | None
    problem: str | None = None


def _entry(request: Request, events: list[Event], calendar: Calendar) -> Entry:
    try:
        return Entry(request, events, deadline(request, events, calendar))
    except GongkaiError as exc:  # a year the calendar does not cover: said, never guessed
        return Entry(request, events, None, str(exc))


def _histories(con: sqlite3.Connection) -> dict[int, list[Event]]:
    """Every request's events, in order, by request id."""
    by_request: dict[int, list[Event]] = {}
    for event in store.events(con):
        by_request.setdefault(event.request_id, []).append(event)
    return by_request


def entries(db: str | Path = DEFAULT_DB) -> list[Entry]:
    """Every request with its events and deadline, in the order received."""
    with _db(db) as con:
        calendar = calendar_of(con)
        by_request = _histories(con)
        return [_entry(r, by_request.get(r.id or 0, []), calendar) for r in store.requests(con)]


def is_open(entry: Entry) -> bool:
    return conclusion(entry.events) is None


@dataclass(frozen=True, slots=True)
class Flagged:
    late: list[Entry]  # running requests past their last day
    soon: list[Entry]  # running requests due within the asked working days, not yet late


def flagged(items: Sequence[Entry], today: date, within: int, calendar: Calendar) -> Flagged:
    """The entries overdue and those due soon (analysis/register_deadline.py decides both)."""
    owner = {id(e.due): e for e in items if e.due is not None}
    dues = [e.due for e in items if e.due is not None]
    late = [owner[id(d)] for d in overdue(dues, today)]
    try:
        soon = [owner[id(d)] for d in due_within(dues, today, within, calendar)]
    except GongkaiError:  # a due day beyond the calendar: nothing is "soon" that we can prove
        soon = []
    return Flagged(late, soon)


def year_report(agency: str, year: int, db: str | Path = DEFAULT_DB) -> Report:
    """Tables 3 and 4 of `year` from the register, as a report of the 2021 format."""
    with _db(db) as con:
        return report_of(agency, year, store.requests(con), _histories(con), store.cases(con))


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: int
    skipped: int  # already in the register
    errors: list[str]  # rows not imported, each with its sheet, row and reason
    ignored: list[str]  # sheets not read, with why


def import_workbook(path: str | Path, db: str | Path = DEFAULT_DB) -> ImportSummary:
    """A 台账 workbook into the register: its readable rows in one transaction, every other row
    reported (corpus/register_xlsx.py reads the messy real ones)."""
    from gongkai.corpus.register_xlsx import read_register

    read = read_register(path)
    histories = [(e.request, list(e.events)) for e in read.entries]
    with _db(db) as con:
        added, skipped = store.add_histories(con, histories)
    return ImportSummary(
        added, skipped, [str(e) for e in read.errors], [str(s) for s in read.ignored]
    )


def export_workbook(path: str | Path, db: str | Path = DEFAULT_DB) -> int:
    """The register as a clean 台账 workbook (it imports back identically); returns its rows."""
    from gongkai.corpus.register_xlsx import write_register

    items = entries(db)
    write_register(items, path)
    return len(items)
