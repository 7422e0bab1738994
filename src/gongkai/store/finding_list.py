"""Findings one by one across the corpus, with their effective review state: the 整改 list a
政务公开办 sends each unit (open findings by unit), or every dismissed one for an audit."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from gongkai.model.finding import DECISION_NAMES
from gongkai.store.queries import Filters

State = Literal["open", "pending", "confirmed", "dismissed", "all"]
STATE_CLAUSES: dict[str, str] = {
    "open": "(v.decision IS NULL OR v.decision = 'confirm')",  # 待复核 and 已确认: to be fixed
    "pending": "v.decision IS NULL",
    "confirmed": "v.decision = 'confirm'",
    "dismissed": "v.decision = 'dismiss'",
    "all": "1 = 1",
}
PENDING = "待复核"  # no decision yet


@dataclass(frozen=True, slots=True)
class FindingItem:
    finding_id: int
    report_id: int
    unit: str | None
    agency: str | None
    year: int | None
    source_path: str
    template: str | None
    code: str
    severity: str
    message: str
    cells: list[list[str | int]]
    actual: float | None
    state: str  # 待复核 / 已确认 / 已排除
    reviewer: str | None
    note: str | None
    decided_at: str | None


_SQL = (
    "SELECT f.id, f.report_id, u.name, r.agency, r.year, r.source_path, r.template_t2, f.code,"
    " f.severity, f.message, f.cells, f.actual, v.decision, v.who, v.note, v.decided_at"
    " FROM findings f JOIN reports r ON r.id = f.report_id"
    " LEFT JOIN reviews v ON v.fingerprint = f.fingerprint"
    " LEFT JOIN report_units ru ON ru.report_id = r.id LEFT JOIN units u ON u.id = ru.unit_id"
)


def finding_items(
    con: sqlite3.Connection, filters: Filters, *, state: State = "open", code: str | None = None
) -> list[FindingItem]:
    """Findings of the counted reports matching `filters`, in the given review state, by unit,
    agency and year."""
    where, args = filters.where()
    clauses = [f"r.id IN (SELECT r.id FROM reports r WHERE {where})", STATE_CLAUSES[state]]
    if code:
        clauses.append("f.code = ?")
        args.append(code)
    sql = f"{_SQL} WHERE {' AND '.join(clauses)} ORDER BY u.name, r.agency, r.year, f.id"
    return [_item(row) for row in con.execute(sql, args)]


def _item(row: tuple[Any, ...]) -> FindingItem:
    values = list(row)
    values[10] = json.loads(values[10])
    decision = values[12]
    values[12] = PENDING if decision is None else DECISION_NAMES.get(decision, str(decision))
    return FindingItem(*values)
