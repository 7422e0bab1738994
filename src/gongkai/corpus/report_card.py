"""体检报告: a one-to-two-page check-up of one agency, built from the corpus.

Three parts: the findings on its report of the year, in plain words and with any review decision;
its key figures for every year it has in the corpus; and where it stands among its peers of the
same year (agencies of the same level when the store knows the level, else all agencies): quartiles
of requests received, disclosure rate and correction rate, with its own value and percentile.

A figure whose cells are blank stays None (shown as “—”), never 0: a blank is not a zero.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from pathlib import Path

from gongkai import store
from gongkai.analysis.agency import agency_key
from gongkai.model.finding import DECISION_NAMES, SEVERITY_NAMES
from gongkai.model.report_card import CardFinding, Number, PeerStanding, ReportCard, YearFigures
from gongkai.store import FigureRow, NotFound, StoredFinding
from gongkai.validate.codes import PLAIN

_RANK = {"error": 0, "warning": 1, "info": 2}


# Figures -----------------------------------------------------------------------------------------


def total(*values: Number | None) -> Number | None:
    """The sum, or None when any part is blank."""
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def ratio(part: Number | None, whole: Number | None) -> float | None:
    return None if part is None or not whole else part / whole


def year_figures(row: FigureRow) -> YearFigures:
    c = row.cells
    litigation = total(c["direct_total"], c["after_total"])
    corrected = total(c["review_corrected"], c["direct_corrected"], c["after_corrected"])
    return YearFigures(
        year=row.year,
        report_id=row.report_id,
        received=c["received"],
        handled=c["handled"],
        carried_forward=c["carried_forward"],
        review_total=c["review_total"],
        litigation_total=litigation,
        disclosure_rate=ratio(total(c["granted"], c["partial"]), c["handled"]),
        correction_rate=ratio(corrected, total(c["review_total"], litigation)),
    )


# Peers -------------------------------------------------------------------------------------------

PEER_METRICS: tuple[tuple[str, str, Callable[[YearFigures], Number | None]], ...] = (
    ("received", "本年新收申请数", lambda y: y.received),
    ("disclosure_rate", "公开率", lambda y: y.disclosure_rate),
    ("correction_rate", "纠错率", lambda y: y.correction_rate),
)


def percentile(value: Number, values: Sequence[Number]) -> float:
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return 100 * (below + equal / 2) / len(values)


def standing(metric: str, label: str, own: Number | None, values: list[Number]) -> PeerStanding:
    """Quartiles as statistics.quantiles cuts them (its default, exclusive method)."""
    cuts: list[float | None] = [None] * 3
    if len(values) >= 2:
        cuts = list(statistics.quantiles(values, n=4))
    elif values:
        cuts = [values[0]] * 3  # one agency: every quartile is its value
    q1, median, q3 = cuts
    return PeerStanding(
        metric=metric,
        label=label,
        value=own,
        peers=len(values),
        q1=q1,
        median=median,
        q3=q3,
        percentile=None if own is None or not values else percentile(own, values),
    )


def peer_standings(own: YearFigures, peers: Sequence[YearFigures]) -> list[PeerStanding]:
    out = []
    for metric, label, pick in PEER_METRICS:
        values = [v for v in map(pick, peers) if v is not None]
        out.append(standing(metric, label, pick(own), values))
    return out


# Findings ----------------------------------------------------------------------------------------


def card_finding(found: StoredFinding) -> CardFinding:
    return CardFinding(
        code=found.code,
        severity=found.severity,
        severity_name=SEVERITY_NAMES.get(found.severity, found.severity),
        plain=PLAIN.get(found.code, ""),
        message=found.message,
        decision=DECISION_NAMES.get(found.decision or ""),
        note=found.note,
    )


def card_findings(found: Sequence[StoredFinding]) -> list[CardFinding]:
    """Gravest first; a dismissed finding goes last, since a reviewer has cleared it."""
    cards = [card_finding(f) for f in found]
    return sorted(cards, key=lambda f: (f.decision == "已排除", _RANK.get(f.severity, 3), f.code))


# Assembly ----------------------------------------------------------------------------------------


def report_card(
    agency: str, db: str | Path = store.DEFAULT_DB, year: int | None = None
) -> ReportCard:
    """The card of `agency` (full name, or a part naming one agency) for `year` (default: its
    latest year in the corpus)."""
    con = store.open_db(db, create=False)
    try:
        key = store.identity_of(con, agency, agency_key(agency))
        own = store.figure_rows(con, identity=key)
        row = _pick_year(own, agency, year)
        peers = store.figure_rows(con, year=row.year, level=row.level)
        found = store.findings_of(con, row.report_id)
    finally:
        con.close()
    return ReportCard(
        agency=row.agency or key,
        year=row.year,
        level=row.level,
        peer_scope=f"{row.year}年同级（{row.level}）机关" if row.level else f"{row.year}年全部机关",
        years=[year_figures(r) for r in own],
        findings=card_findings(found),
        peers=peer_standings(year_figures(row), [year_figures(r) for r in peers]),
    )


def _pick_year(own: list[FigureRow], agency: str, year: int | None) -> FigureRow:
    if not own:
        raise NotFound(agency, "语料库中没有这个机关带年度的报告")
    if year is None:
        return own[-1]  # rows come ordered by year
    for row in own:
        if row.year == year:
            return row
    have = "、".join(str(r.year) for r in own)
    raise NotFound(agency, f"语料库中没有 {year} 年度的报告（已有：{have}）")
