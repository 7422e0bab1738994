"""跨年: one agency's reports year by year, and the cross-year rules over consecutive years.

The cross-year rules run here on the stored figures, so the page is right even before anyone has
run `gongkai check --corpus`; they are the same rules (gongkai.validate.check_pair).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from gongkai.analysis.agency import agency_key
from gongkai.model.labels import template_of
from gongkai.model.report import Report
from gongkai.store import Filters, ReportRow
from gongkai.validate import check_pair
from gongkai.web import corpus
from gongkai.web.models import YearEntry, YearPair, YearsOut
from gongkai.web.present import from_finding

MAX_REPORTS = 500


def _groups(rows: list[ReportRow]) -> dict[str, list[ReportRow]]:
    """The counted reports by agency identity (analysis/identity.py, as the corpus decided it)."""
    groups: dict[str, list[ReportRow]] = defaultdict(list)
    for row in rows:
        if row.identity and row.status == "ok" and row.year and row.current:
            groups[row.identity].append(row)
    return groups


def _pick(groups: dict[str, list[ReportRow]], query: str) -> str | None:
    """The group the query names: the only one, or the one whose name is the query's."""
    if len(groups) == 1:
        return next(iter(groups))
    key = agency_key(query)
    named = [k for k, rows in groups.items() if any(agency_key(r.agency) == key for r in rows)]
    return named[0] if len(named) == 1 else None


def _cell(table: dict[str, list[int | float | None]] | None, key: str, col: int) -> float | None:
    cells = (table or {}).get(key) or []
    value = cells[col] if col < len(cells) else None
    return None if value is None else float(value)


def _in_force(report: Report, item: str) -> float | None:
    value = ((report.table2 or {}).get(item) or {}).get("in_force")
    return None if value is None else float(value)


def _entry(row: ReportRow, report: Report) -> YearEntry:
    t3 = report.table3
    return YearEntry(
        id=row.id,
        year=row.year or 0,
        agency=row.agency,
        template_t2=row.template_t2,
        template_t3=row.template_t3,
        errors=row.errors,
        warnings=row.warnings,
        received=_cell(t3, "received", 6),
        carried_over=_cell(t3, "carried_over", 6),
        handled=_cell(t3, "total", 6),
        carried_forward=_cell(t3, "carried_forward", 6),
        in_force_regulations=_in_force(report, "regulations"),
        in_force_normative=_in_force(report, "normative_documents"),
    )


def _by_year(rows: list[ReportRow]) -> list[ReportRow]:
    """The counted reports (one per year: its current edition) in year order."""
    return sorted(rows, key=lambda r: r.year or 0)


def _pairs(chosen: list[tuple[ReportRow, Report]]) -> list[YearPair]:
    pairs = []
    for (prev_row, prev), (row, cur) in pairwise(chosen):
        if (row.year or 0) - (prev_row.year or 0) != 1:
            continue
        template = template_of(cur, "table2")
        findings = [from_finding(f, template) for f in check_pair(prev, cur, same_agency=True)]
        pairs.append(YearPair(prev_id=prev_row.id, id=row.id, prev_year=prev_row.year or 0,
                              year=row.year or 0, findings=findings))  # fmt: skip
    return pairs


def _gaps(years: list[int]) -> list[int]:
    return [y for y in range(years[0], years[-1] + 1) if y not in years] if years else []


def agency_years(db: str | Path, query: str | None) -> YearsOut:
    if not query:
        return YearsOut(query=None, agency=None, candidates=[], years=[], pairs=[], gaps=[])
    groups = _groups(corpus.rows_of(db, Filters(agency=query), MAX_REPORTS))
    chosen_key = _pick(groups, query)
    if chosen_key is None:
        names = sorted({g[0].agency or k for k, g in groups.items()})
        return YearsOut(query=query, agency=None, candidates=names, years=[], pairs=[], gaps=[])
    rows = _by_year(groups[chosen_key])
    loaded = [(row, corpus.load(db, row.id)) for row in rows]
    years = [row.year or 0 for row in rows]
    return YearsOut(
        query=query,
        agency=rows[-1].agency,
        candidates=[],
        years=[_entry(row, report) for row, report in loaded],
        pairs=_pairs(loaded),
        gaps=_gaps(years),
    )
