"""Corpus statistics: what a 政务公开办 or a researcher asks of a year's reports first."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from gongkai.store.queries import Filters

_T4_GROUPS = ("review", "litigation_direct", "litigation_after_review")


@dataclass(slots=True)
class Stats:
    reports: int = 0
    failed: int = 0
    by_year_template: list[tuple[int | None, str | None, str | None, int]] = field(
        default_factory=list
    )
    failures_by_kind: list[tuple[str, int]] = field(default_factory=list)
    # code, severity, reports with it, share of parsed reports
    findings_by_code: list[tuple[str, str, int, float]] = field(default_factory=list)
    # year, received, carried over, handled (（七）总计), carried forward — 总计 column
    requests_by_year: list[tuple[int | None, float, float, float, float]] = field(
        default_factory=list
    )
    outcomes: list[tuple[str, float]] = field(default_factory=list)  # row key, 总计 column sum
    # group, corrected (结果纠正), total (总计), rate
    corrections: list[tuple[str, float, float, float | None]] = field(default_factory=list)


def stats(con: sqlite3.Connection, filters: Filters | None = None) -> Stats:
    where, args = (filters or Filters()).where()
    scope = f"SELECT r.id FROM reports r WHERE {where}"
    result = Stats()
    counts = con.execute(
        f"SELECT sum(status = 'ok'), sum(status = 'error') FROM reports WHERE id IN ({scope})",
        args,
    ).fetchone()
    result.reports, result.failed = int(counts[0] or 0), int(counts[1] or 0)
    result.by_year_template = _rows(
        con,
        f"SELECT year, template_t2, template_t3, count(*) FROM reports"
        f" WHERE status = 'ok' AND id IN ({scope}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        args,
    )
    result.failures_by_kind = _rows(
        con,
        f"SELECT coalesce(error_kind, '?'), count(*) FROM reports"
        f" WHERE status = 'error' AND id IN ({scope}) GROUP BY 1 ORDER BY 2 DESC",
        args,
    )
    result.findings_by_code = _findings(con, scope, args, result.reports)
    result.requests_by_year = _requests(con, scope, args)
    result.outcomes = _rows(
        con,
        f"SELECT row_key, sum(value) FROM cells WHERE tbl = 'table3' AND col_key = '6'"
        f" AND row_key NOT IN ('received', 'carried_over', 'total', 'carried_forward')"
        # Third-party subtotal rows repeat their leaves (see worker.cell_rows).
        f" AND row_key NOT LIKE '%\\_subtotal' ESCAPE '\\'"
        f" AND report_id IN ({scope}) GROUP BY row_key ORDER BY 2 DESC",
        args,
    )
    result.corrections = _corrections(con, scope, args)
    return result


def _rows(con: sqlite3.Connection, sql: str, args: list[Any]) -> list[Any]:
    return [tuple(row) for row in con.execute(sql, args)]


def _findings(
    con: sqlite3.Connection, scope: str, args: list[Any], parsed: int
) -> list[tuple[str, str, int, float]]:
    rows = con.execute(
        f"SELECT code, severity, count(DISTINCT report_id) FROM open_findings"
        f" WHERE report_id IN ({scope}) GROUP BY code, severity ORDER BY 3 DESC, 1",
        args,
    )
    return [(code, sev, n, n / parsed if parsed else 0.0) for code, sev, n in rows]


def _requests(
    con: sqlite3.Connection, scope: str, args: list[Any]
) -> list[tuple[int | None, float, float, float, float]]:
    pivot = ", ".join(
        f"coalesce(sum(CASE WHEN c.row_key = '{key}' THEN c.value END), 0)"
        for key in ("received", "carried_over", "total", "carried_forward")
    )
    return _rows(
        con,
        f"SELECT r.year, {pivot} FROM cells c JOIN reports r ON r.id = c.report_id"
        f" WHERE c.tbl = 'table3' AND c.col_key = '6' AND r.id IN ({scope})"
        f" GROUP BY r.year ORDER BY r.year",
        args,
    )


def _corrections(
    con: sqlite3.Connection, scope: str, args: list[Any]
) -> list[tuple[str, float, float, float | None]]:
    rows = {
        group: (corrected or 0, total or 0)
        for group, corrected, total in con.execute(
            f"SELECT row_key, sum(CASE WHEN col_key = '1' THEN value END),"
            f" sum(CASE WHEN col_key = '4' THEN value END) FROM cells"
            f" WHERE tbl = 'table4' AND report_id IN ({scope}) GROUP BY row_key",
            args,
        )
    }
    out = []
    for group in _T4_GROUPS:
        corrected, total = rows.get(group, (0, 0))
        out.append((group, corrected, total, corrected / total if total else None))
    return out
