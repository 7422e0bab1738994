"""The corpus as a library: each function opens the database at `db`, does one thing, closes it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import store
from gongkai.corpus.units_file import read_units
from gongkai.model.report import Report
from gongkai.store import (
    DEFAULT_DB,
    Decision,
    EditionRow,
    Filters,
    NotFound,
    ReportRow,
    RollupRow,
    Stats,
    StoredFinding,
)


@contextmanager
def connected(db: str | Path, *, create: bool = False) -> Iterator[sqlite3.Connection]:
    """The store at `db`, opened (migrated) for the `with` block and closed after it."""
    con = store.open_db(db, create=create)
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True, slots=True)
class ReportDetail:
    row: dict[str, Any]  # every stored column of the report
    report: Report | None  # None when the file failed to parse
    findings: list[StoredFinding]
    unit: str | None
    paths: list[str] = field(default_factory=list)  # every path the same file was seen at
    # Every report of its agency and year, the counted one first (itself included); empty when
    # it is the only one.
    editions: list[EditionRow] = field(default_factory=list)


def list_reports(
    db: str | Path = DEFAULT_DB, filters: Filters | None = None, *, limit: int | None = None
) -> tuple[int, list[ReportRow]]:
    """(how many reports match, the first `limit` of them)."""
    with connected(db) as con:
        filters = filters or Filters()
        return store.count_reports(con, filters), store.list_reports(con, filters, limit=limit)


def select_reports(filters: Filters, db: str | Path = DEFAULT_DB) -> tuple[list[Report], list[str]]:
    """(the parsed reports matching `filters` as canonical Reports, the paths of the matching
    files that failed to parse and so cannot be loaded)."""
    with connected(db) as con:
        rows = store.list_reports(con, filters)
        reports = [store.load_report(con, r.id) for r in rows if r.status == "ok"]
        return reports, [r.source_path for r in rows if r.status != "ok"]


def show(report_id: int, db: str | Path = DEFAULT_DB) -> ReportDetail:
    with connected(db) as con:
        row = store.report_row(con, report_id)
        if row is None:
            raise NotFound(f"#{report_id}", "没有这个编号的报告")
        report = store.load_report(con, report_id) if row["status"] == "ok" else None
        unit = store.unit_of(con, report_id)
        editions = store.editions_of(con, report_id)
        return ReportDetail(
            row,
            report,
            store.findings_of(con, report_id),
            unit,
            store.paths_of(con, report_id),
            editions if len(editions) > 1 else [],
        )


def choose_edition(
    report_id: int, db: str | Path = DEFAULT_DB, *, who: str | None = None, note: str | None = None
) -> list[EditionRow]:
    """Make a report the one that counts for its agency and year (recorded with who and why; it
    survives re-ingest); returns the editions as they now stand."""
    with connected(db) as con:
        store.choose_edition(con, report_id, who, note)
        store.refresh_editions(con)
        return store.editions_of(con, report_id)


def stats(db: str | Path = DEFAULT_DB, filters: Filters | None = None) -> Stats:
    with connected(db) as con:
        return store.stats(con, filters)


def review(
    report_id: int,
    code: str,
    decision: Decision,
    db: str | Path = DEFAULT_DB,
    *,
    note: str | None = None,
    who: str | None = None,
    fingerprint: str | None = None,
) -> list[str]:
    """Confirm or dismiss the report's findings with `code`; returns their fingerprints."""
    with connected(db) as con:
        return store.review(
            con, report_id, code, decision, note=note, who=who, fingerprint=fingerprint
        )


def import_units(path: str | Path, db: str | Path = DEFAULT_DB) -> int:
    """Import a unit hierarchy file and attach the reports it names; returns the unit count."""
    specs = read_units(path)
    with connected(db, create=True) as con:
        return store.import_units(con, specs)


def attach_unit(report_id: int, unit: str, db: str | Path = DEFAULT_DB) -> int:
    with connected(db) as con:
        return store.attach(con, report_id, unit)


def rollup(unit: str, db: str | Path = DEFAULT_DB, *, year: int | None = None) -> list[RollupRow]:
    with connected(db) as con:
        return store.rollup(con, unit, year)
