"""`check --corpus`: the per-report rules where they have not run, and the cross-year rules over
consecutive years of each agency."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from gongkai.analysis.identity import Ambiguity
from gongkai.corpus.worker import finding_rows
from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.store import (
    DEFAULT_DB,
    PairCandidate,
    ambiguous_links,
    load_report,
    open_db,
    pair_candidates,
    refresh_editions,
    replace_pair_findings,
    replace_report_findings,
    unchecked_reports,
)
from gongkai.store.records import FindingRow
from gongkai.validate import check, check_pair

CheckPair = Callable[[Report, Report], list[Finding]]


@dataclass(slots=True)
class CheckSummary:
    reports_checked: int = 0
    pairs: int = 0
    pair_findings: int = 0
    # Agency names that may be several agencies: left unpaired, for a person to settle.
    ambiguous: list[Ambiguity] = field(default_factory=list)
    # Agencies whose name matches several units of the unit table: attached to none.
    ambiguous_units: list[tuple[str, list[str]]] = field(default_factory=list)


def check_corpus(db: str | Path = DEFAULT_DB, *, recheck: bool = False) -> CheckSummary:
    """Run the per-report rules on unchecked reports (all with `recheck`), then the cross-year
    rules on every pair of consecutive years of one agency, and store the findings."""
    con = open_db(db, create=False)
    summary = CheckSummary()
    try:
        summary.ambiguous = refresh_editions(con)
        summary.ambiguous_units = ambiguous_links(con)
        for report_id, sha256 in unchecked_reports(con, all_reports=recheck):
            rows = finding_rows(check(load_report(con, report_id)), sha256)
            replace_report_findings(con, report_id, rows)
            summary.reports_checked += 1
        results = list(_pair_findings(con, partial(check_pair, same_agency=True)))
        replace_pair_findings(con, results)
    finally:
        con.close()
    summary.pairs = len(results)
    summary.pair_findings = sum(len(rows) for _, _, rows in results)
    return summary


def _pair_findings(
    con: sqlite3.Connection, check_pair: CheckPair
) -> Iterator[tuple[int, int, list[FindingRow]]]:
    last: tuple[int, Report] | None = None  # this year's report is next pair's previous year
    for prev, cur in consecutive_pairs(pair_candidates(con)):
        before = last[1] if last and last[0] == prev.id else load_report(con, prev.id)
        last = (cur.id, load_report(con, cur.id))
        findings = check_pair(before, last[1])
        yield prev.id, cur.id, finding_rows(findings, prev.sha256, cur.sha256)


def consecutive_pairs(
    candidates: list[PairCandidate],
) -> Iterator[tuple[PairCandidate, PairCandidate]]:
    """(year N−1, year N) of the same agency: the counted reports of one identity
    (analysis.identity: its unit, else its normalised name), consecutive years."""
    by_agency: dict[str, dict[int, PairCandidate]] = defaultdict(dict)
    for cand in candidates:
        if cand.identity is not None and cand.year is not None:
            by_agency[cand.identity][cand.year] = cand
    for years in by_agency.values():
        for year in sorted(years):
            if year - 1 in years:
                yield years[year - 1], years[year]
