"""Small conversions the views share: findings with their cells in words, report summaries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from gongkai.model.finding import Finding
from gongkai.model.keys import SECTION_HEADINGS, TEMPLATE_2021
from gongkai.model.labels import cell_label
from gongkai.store import ReportRow, StoredFinding
from gongkai.validate.relations import PREVIOUS
from gongkai.web.models import FindingOut, ReportSummary

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
_RANK = {"error": 0, "warning": 1, "info": 2}


def label_of(cell: Sequence[str | int], template: str = TEMPLATE_2021) -> str:
    """A finding's cell reference in words: 表三“一、本年新收…”·总计, 第六部分…, 表三."""
    parts = [str(p) for p in cell]
    if parts and parts[0] == PREVIOUS:  # a cross-year finding's cell of last year's report
        return "上年" + label_of(parts[1:], template)
    if len(parts) == 3 and parts[0] in TABLE_NAMES:
        try:
            return cell_label(".".join(parts), template)
        except (KeyError, IndexError, ValueError):  # a key outside the form: say it as it is
            return f"{TABLE_NAMES[parts[0]]} {parts[1]}·{parts[2]}"
    if parts and parts[0] == "sections" and len(parts) == 2 and parts[1].isdigit():
        no = int(parts[1])
        return SECTION_HEADINGS[no - 1] if 1 <= no <= 6 else f"第 {no} 部分"
    if len(parts) == 1 and parts[0] in TABLE_NAMES:
        return TABLE_NAMES[parts[0]]
    return "·".join(parts)


def labels_of(cells: Iterable[Sequence[str | int]], template: str = TEMPLATE_2021) -> list[str]:
    return [label_of(c, template) for c in cells]


def from_finding(f: Finding, template: str = TEMPLATE_2021) -> FindingOut:
    return FindingOut(
        code=f.code,
        severity=f.severity,
        message=f.message,
        cells=f.cells,
        labels=labels_of(f.cells, template),
        expected=f.expected,
        actual=f.actual,
    )


def from_stored(f: StoredFinding, template: str = TEMPLATE_2021) -> FindingOut:
    return FindingOut(
        code=f.code,
        severity=f.severity,
        message=f.message,
        cells=f.cells,
        labels=labels_of(f.cells, template),
        expected=f.expected,
        actual=f.actual,
        fingerprint=f.fingerprint,
        origin=f.origin,
        decision=f.decision,
        note=f.note,
        who=f.who,
        decided_at=f.decided_at,
    )


def ordered(findings: Iterable[FindingOut]) -> list[FindingOut]:
    return sorted(findings, key=lambda f: _RANK[f.severity])


def summary_of(row: ReportRow) -> ReportSummary:
    return ReportSummary(
        id=row.id,
        agency=row.agency,
        year=row.year,
        template_t2=row.template_t2,
        template_t3=row.template_t3,
        region=row.region,
        status=row.status,
        errors=row.errors,
        warnings=row.warnings,
        source_path=row.source_path,
        error=row.error,
    )


class _Graded(Protocol):
    @property
    def severity(self) -> str: ...


def count(findings: Iterable[_Graded], severity: str) -> int:
    return sum(1 for f in findings if f.severity == severity)
