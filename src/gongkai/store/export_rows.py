"""Streaming the rows an export needs, ordered by report so a wide row is built in one pass."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from gongkai.store.queries import Filters

META_COLUMNS = (
    "id", "sha256", "source_path", "format", "status", "error", "agency", "agency_key", "year",
    "template_t2", "template_t3", "level", "province", "city", "county", "township",
    "region_code", "unit", "errors", "warnings",
)  # fmt: skip
LONG_META = ("id", "agency", "year", "template_t2", "template_t3")
CELL_FIELDS = ("tbl", "row_key", "col_key", "value", "raw", "unit")

_META_SQL = (
    "SELECT r.id, r.sha256, r.source_path, r.format, r.status, r.error, r.agency, r.agency_key,"
    " r.year, r.template_t2, r.template_t3, r.level, r.province, r.city, r.county, r.township,"
    " r.region_code, (SELECT u.name FROM report_units ru JOIN units u ON u.id = ru.unit_id"
    " WHERE ru.report_id = r.id),"
    " (SELECT count(*) FROM open_findings f WHERE f.report_id = r.id AND f.severity = 'error'),"
    " (SELECT count(*) FROM open_findings f WHERE f.report_id = r.id AND f.severity = 'warning')"
    " FROM reports r"
)


def iter_meta(con: sqlite3.Connection, filters: Filters) -> Iterator[tuple[Any, ...]]:
    """One row of META_COLUMNS per selected report, by id."""
    where, args = filters.where()
    yield from con.execute(f"{_META_SQL} WHERE {where} ORDER BY r.id", args)


def iter_cells(con: sqlite3.Connection, filters: Filters) -> Iterator[tuple[Any, ...]]:
    """(report id, *CELL_FIELDS) of every cell of the selected reports, by report id.

    A cursor of its own, so it can be read alongside `iter_meta` (the primary key keeps it cheap).
    """
    where, args = filters.where()
    cur = con.cursor()
    yield from cur.execute(
        "SELECT c.report_id, c.tbl, c.row_key, c.col_key, c.value, c.raw, c.unit FROM cells c"
        f" WHERE c.report_id IN (SELECT r.id FROM reports r WHERE {where})"
        " ORDER BY c.report_id, c.tbl, c.row_key, c.col_key",
        args,
    )


def iter_long(con: sqlite3.Connection, filters: Filters) -> Iterator[tuple[Any, ...]]:
    """(*LONG_META, *CELL_FIELDS) per cell of the selected reports."""
    where, args = filters.where()
    yield from con.execute(
        "SELECT r.id, r.agency, r.year, r.template_t2, r.template_t3,"
        " c.tbl, c.row_key, c.col_key, c.value, c.raw, c.unit"
        f" FROM reports r JOIN cells c ON c.report_id = r.id WHERE {where}"
        " ORDER BY r.id, c.tbl, c.row_key, c.col_key",
        args,
    )
