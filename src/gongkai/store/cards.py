"""What the 体检报告 (report card) reads: an agency's reports and the key figures of many reports."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from gongkai.store.db import NotFound
from gongkai.store.queries import contains

# (name, table, row, column) of every cell a report card reads; 6 is table 3's 总计 column,
# 1 and 4 are table 4's 结果纠正 and 总计.
FIGURE_CELLS = (
    ("received", "table3", "received", "6"),
    ("granted", "table3", "granted", "6"),
    ("partial", "table3", "partial", "6"),
    ("handled", "table3", "total", "6"),
    ("carried_forward", "table3", "carried_forward", "6"),
    ("review_corrected", "table4", "review", "1"),
    ("review_total", "table4", "review", "4"),
    ("direct_corrected", "table4", "litigation_direct", "1"),
    ("direct_total", "table4", "litigation_direct", "4"),
    ("after_corrected", "table4", "litigation_after_review", "1"),
    ("after_total", "table4", "litigation_after_review", "4"),
)
_PIVOT = ", ".join(
    f"max(CASE WHEN c.tbl = '{t}' AND c.row_key = '{r}' AND c.col_key = '{col}' THEN c.value END)"
    for _, t, r, col in FIGURE_CELLS
)
# One report per agency and year: the counted one (current edition), as in cross-year pairing.
_COUNTED = "SELECT id FROM reports WHERE status = 'ok' AND year IS NOT NULL AND current = 1"


@dataclass(frozen=True, slots=True)
class FigureRow:
    report_id: int
    agency: str | None
    identity: str | None
    year: int
    level: str | None
    cells: dict[str, Any]  # FIGURE_CELLS name → value; None when blank or absent


_AGENCIES = (
    "SELECT identity, max(agency) FROM reports WHERE status = 'ok' AND identity IS NOT NULL"
    " AND current = 1 AND ({}) GROUP BY identity ORDER BY 2"
)


def identity_of(con: sqlite3.Connection, agency: str, key: str | None) -> str:
    """The agency identity the user means: an exact name or key, else one agency containing it."""
    exact = con.execute(_AGENCIES.format("agency = ? OR agency_key = ?"), (agency, key)).fetchall()
    found = (
        exact
        or con.execute(
            _AGENCIES.format("agency LIKE ? ESCAPE '\\' OR agency_key LIKE ? ESCAPE '\\'"),
            (contains(agency), contains(key or agency)),
        ).fetchall()
    )
    if len(found) == 1:
        return str(found[0][0])
    if not found:
        raise NotFound(agency, "语料库中没有这个机关已成功解析的报告")
    names = "、".join(str(r[1]) for r in found[:8]) + ("等" if len(found) > 8 else "")
    raise NotFound(agency, f"有 {len(found)} 个机关与此名称相符：{names}，请写全称")


def figure_rows(
    con: sqlite3.Connection,
    *,
    identity: str | None = None,
    year: int | None = None,
    level: str | None = None,
) -> list[FigureRow]:
    """The key figures of the counted report of each agency-year, narrowed by the arguments."""
    where, args = [f"r.id IN ({_COUNTED})"], []
    for column, value in (("identity", identity), ("year", year), ("level", level)):
        if value is not None:
            where.append(f"r.{column} = ?")
            args.append(value)
    sql = (
        f"SELECT r.id, r.agency, r.identity, r.year, r.level, {_PIVOT} FROM reports r"
        " LEFT JOIN cells c ON c.report_id = r.id AND c.tbl IN ('table3', 'table4')"
        f" WHERE {' AND '.join(where)} GROUP BY r.id ORDER BY r.year, r.identity"
    )
    names = [name for name, *_ in FIGURE_CELLS]
    return [
        FigureRow(r[0], r[1], r[2], r[3], r[4], dict(zip(names, r[5:], strict=True)))
        for r in con.execute(sql, args)
    ]
