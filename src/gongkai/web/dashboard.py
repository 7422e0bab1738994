"""The figures of the home page: corpus statistics and one agency's place among its peers."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from pathlib import Path

from gongkai.analysis.agency import agency_key
from gongkai.model.keys import T3_LABELS, T4_GROUPS
from gongkai.store import Filters, Stats
from gongkai.web import corpus
from gongkai.web.models import (
    CorrectionRate,
    Dashboard,
    OutcomeShare,
    PeerMetric,
    PeerPosition,
    RuleRate,
    YearCount,
    YearRequests,
)

_ORDER = list(T3_LABELS)
# (key, label, pick): the figures the peer position ranks.
_METRICS: tuple[tuple[str, str, Callable[[corpus.PeerRow], float | None]], ...] = (
    ("received", "本年新收申请", lambda r: r.received),
    ("disclosure_rate", "公开率（予以公开+部分公开）", lambda r: r.disclosure_rate),
    ("correction_rate", "复议诉讼纠错率", lambda r: r.correction_rate),
)


def _by_year(s: Stats) -> list[YearCount]:
    counts: dict[int | None, int] = {}
    for year, _t2, _t3, n in s.by_year_template:
        counts[year] = counts.get(year, 0) + n
    return [YearCount(year=y, reports=n) for y, n in counts.items()]


def _outcomes(s: Stats) -> list[OutcomeShare]:
    handled = sum(v or 0 for _, v in s.outcomes)
    rows = sorted(s.outcomes, key=lambda kv: _ORDER.index(kv[0]) if kv[0] in _ORDER else 99)
    return [
        OutcomeShare(
            key=k,
            label=T3_LABELS.get(k, k),
            count=v or 0,
            share=(v or 0) / handled if handled else None,
        )
        for k, v in rows
    ]


def _rules(s: Stats) -> list[RuleRate]:
    return [RuleRate(code=c, severity=v, reports=n, share=sh) for c, v, n, sh in s.findings_by_code]


def _requests(s: Stats) -> list[YearRequests]:
    return [
        YearRequests(year=y, received=a, carried_over=b, handled=c, carried_forward=d)
        for y, a, b, c, d in s.requests_by_year
    ]


def _corrections(s: Stats) -> list[CorrectionRate]:
    groups = dict(T4_GROUPS)
    return [
        CorrectionRate(group=g, label=groups.get(g, g), corrected=c, total=t, rate=r)
        for g, c, t, r in s.corrections
    ]


def _metric(key: str, label: str, value: float | None, peers: Sequence[float]) -> PeerMetric:
    if not peers:
        return PeerMetric(key=key, label=label, value=value, peers=0, minimum=None, q1=None,
                          median=None, q3=None, maximum=None, at_or_below=None)  # fmt: skip
    ordered = sorted(peers)
    q1, median, q3 = (
        statistics.quantiles(ordered, n=4, method="inclusive")
        if len(ordered) > 1
        else [ordered[0]] * 3
    )
    below = None if value is None else sum(v <= value for v in ordered) / len(ordered)
    return PeerMetric(key=key, label=label, value=value, peers=len(ordered), minimum=ordered[0],
                      q1=q1, median=median, q3=q3, maximum=ordered[-1], at_or_below=below)  # fmt: skip


def _chosen(db: str | Path, agency: str, year: int | None) -> tuple[int, str, int] | None:
    """(report id, agency as written, year) of the agency's report: the given year, else its
    latest; an exact name beats a partial one."""
    rows = [
        r
        for r in corpus.rows_of(db, Filters(agency=agency, year=year), 200)
        if r.status == "ok" and r.year
    ]
    if not rows:
        return None
    key = agency_key(agency)
    rows.sort(key=lambda r: (agency_key(r.agency) == key, r.year or 0), reverse=True)
    best = rows[0]
    return best.id, best.agency or agency, best.year or 0


def peer_position(
    db: str | Path, agency: str, year: int | None
) -> tuple[PeerPosition | None, str | None]:
    """The agency's figures against every report of the same year: (position, or why none)."""
    chosen = _chosen(db, agency, year)
    if chosen is None:
        return None, f"语料库中没有“{agency}”{f' {year} 年' if year else ''}的已解析报告"
    report_id, name, found_year = chosen
    rows = corpus.peer_rows(db, found_year)
    own = next((r for r in rows if r.report_id == report_id), None)
    metrics = []
    for key, label, pick in _METRICS:
        values = [v for v in (pick(r) for r in rows) if v is not None]
        metrics.append(_metric(key, label, pick(own) if own else None, values))
    return PeerPosition(agency=name, report_id=report_id, year=found_year, metrics=metrics), None


def dashboard(db: str | Path, agency: str | None, year: int | None) -> Dashboard:
    """The whole corpus, and the chosen agency among the reports of its year."""
    s = corpus.corpus_stats(db)
    peer, note = peer_position(db, agency, year) if agency else (None, None)
    return Dashboard(
        reports=s.reports,
        failed=s.failed,
        by_year=_by_year(s),
        rules=_rules(s),
        requests=_requests(s),
        outcomes=_outcomes(s),
        corrections=_corrections(s),
        agency=agency,
        peer=peer,
        peer_note=note,
    )
