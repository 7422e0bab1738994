"""Which reports belong to one agency, and which of an agency's reports for a year counts.

**Agency identity** — the one place that decides whether two reports are the same agency's
(cross-year pairing, report cards, peer figures, editions and unit roll-ups all read its answer,
stored as `reports.identity`):

1. a report attached to a unit (by its name or aliases, or by hand) is that unit's;
2. otherwise its normalised name (`agency_key`), with a name that abbreviates exactly one longer
   name of the corpus joined to it (新堡镇政府 → 中宁县新堡镇政府);
3. a name that abbreviates several (新堡镇政府 under two counties) is left on its own and reported
   as an `Ambiguity` with the candidates: never joined to one of them silently.

**Editions** — reports of one identity and year. Byte-identical files are already one report (one
content hash, several paths). Different files with the same table values are the same edition
(the same report as HTML and PDF): counted once. Equal values alone never make two reports one:
the agency and year must agree too, since small agencies often report nothing but zeros. Among
editions with different values, the *current* one counts: the user's recorded choice, else the
one published (or signed) last when every edition has a date, else the first one the corpus
received, marked undecided so a person can choose.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from gongkai.analysis.agency import abbreviated, agency_key, canonical_of
from gongkai.model.report import Report
from gongkai.validate.cells import all_cells


@dataclass(frozen=True, slots=True)
class Candidate:
    """A parsed report as the identity and edition decisions see it."""

    id: int
    sha256: str
    agency_key: str | None
    unit_id: int | None
    year: int | None
    values_hash: str | None  # the table values; None when the report has none to compare
    dated: str | None = None  # ISO date of publication, else of the sign-off


@dataclass(frozen=True, slots=True)
class Ambiguity:
    key: str  # the agency key that could be several agencies
    candidates: tuple[str, ...]  # the longer keys it may abbreviate


@dataclass(frozen=True, slots=True)
class Edition:
    """What the corpus records for one report."""

    identity: str | None
    current: bool
    edition_of: int | None  # the counted report of its agency-year, when this one is not it
    undecided: bool = False  # editions differ and nothing says which is current


def identities(cands: Iterable[Candidate]) -> tuple[dict[int, str | None], list[Ambiguity]]:
    """The agency identity of every report, and the names that could be several agencies."""
    cands = list(cands)
    keys = {c.agency_key for c in cands if c.agency_key and c.unit_id is None}
    expansions = abbreviated(keys)
    canonical = canonical_of(expansions)
    out: dict[int, str | None] = {}
    for c in cands:
        if c.unit_id is not None:
            out[c.id] = f"unit:{c.unit_id}"
        elif c.agency_key:
            out[c.id] = f"name:{canonical[c.agency_key]}"
        else:
            out[c.id] = None
    ambiguous = [
        Ambiguity(key, tuple(sorted(found)))
        for key, found in sorted(expansions.items())
        if len(found) > 1
    ]
    return out, ambiguous


def editions(
    cands: Iterable[Candidate],
    identity: Mapping[int, str | None],
    chosen: Mapping[tuple[str, int], str],
) -> dict[int, Edition]:
    """Per report: its identity, whether it counts, and what it is an edition of.
    `chosen` maps (identity, year) to the content hash a user made current."""
    groups: dict[tuple[str, int], list[Candidate]] = defaultdict(list)
    out: dict[int, Edition] = {}
    for c in cands:
        ident = identity.get(c.id)
        if ident is None or c.year is None:
            out[c.id] = Edition(ident, True, None)
        else:
            groups[ident, c.year].append(c)
    for (ident, year), members in groups.items():
        out.update(_decide(ident, members, chosen.get((ident, year))))
    return out


def _decide(ident: str, members: list[Candidate], chosen: str | None) -> dict[int, Edition]:
    members = sorted(members, key=lambda c: c.id)  # the order the corpus received them
    by_values: dict[str, list[Candidate]] = defaultdict(list)
    for c in members:
        # No values to compare: its own edition (two table-less files are not shown to be one).
        by_values[c.values_hash or f"sha:{c.sha256}"].append(c)
    heads = [group[0] for group in by_values.values()]
    current, undecided = _current(heads, by_values, chosen)
    out = {}
    for group in by_values.values():
        for c in group:
            counted = c.id == current.id
            out[c.id] = Edition(ident, counted, None if counted else current.id, undecided)
    return out


def _current(
    heads: list[Candidate], by_values: Mapping[str, list[Candidate]], chosen: str | None
) -> tuple[Candidate, bool]:
    if chosen is not None:
        for group in by_values.values():
            for c in group:
                if c.sha256 == chosen:
                    return c, False
    if len(heads) == 1:
        return heads[0], False
    dates = [c.dated for c in heads]
    if all(dates):
        latest = max(d for d in dates if d)
        if dates.count(latest) == 1:
            return heads[dates.index(latest)], False
    return heads[0], True


# Reports as the decisions see them ------------------------------------------------------------


def report_agency(report: Report) -> str | None:
    """The agency a report is filed under: as its title names it, else as its sign-off does (a
    web page whose title lies outside the article still signs it)."""
    signoff = report.meta.signoff
    return report.meta.agency or (signoff.agency if signoff is not None else None)


def _values(report: Report) -> Iterator[str]:
    for ref, value in all_cells(report):
        yield f"{'.'.join(map(str, ref))}={_number(value)}"
    for block, values in (report.table3_subtotals or {}).items():
        for col, value in enumerate(values):
            yield f"subtotals.{block}.{col}={_number(value)}"


def _number(value: float | None) -> str:
    # 1 and 1.0 are the same value, whichever reader read it; a blank is no value at all.
    if value is None:
        return ""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return repr(value)


def values_hash(report: Report) -> str | None:
    """The table values as one hash: two files with the same values (and the same agency and
    year) are the same edition. None when no cell holds a value: nothing shows them equal."""
    cells = sorted(_values(report))  # sorted: the order a reader filled the tables in is no value
    if all(cell.endswith("=") for cell in cells):
        return None
    return hashlib.sha256("\n".join(cells).encode("utf-8")).hexdigest()


def _dated(report: Report) -> str | None:
    if report.meta.published is not None:
        return report.meta.published.date
    signoff = report.meta.signoff
    return signoff.date if signoff is not None else None


def candidates_of(reports: Sequence[Report]) -> list[Candidate]:
    """Reports given together (a roll-up's inputs) as candidates numbered from 1 in order."""
    out = []
    for i, report in enumerate(reports, 1):
        digest = report.source.sha256 if report.source is not None else None
        values = values_hash(report)
        out.append(
            Candidate(
                i,
                digest or f"input:{i}:{values}",
                agency_key(report_agency(report)),
                None,
                report.meta.year,
                values,
                _dated(report),
            )
        )
    return out
