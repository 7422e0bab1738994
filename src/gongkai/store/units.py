"""The unit hierarchy (省/市/县/乡/部门), the keys that identify a unit, and roll-ups."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from gongkai.analysis.agency import agency_key
from gongkai.store.db import NotFound, StoreError, transaction
from gongkai.store.editions import refresh_editions

LEVELS = ("省", "市", "县", "乡", "部门")
_GOVERNMENT = re.compile(r"(人民政府|政府|办事处)$")


@dataclass(frozen=True, slots=True)
class UnitSpec:
    name: str
    level: str
    parent: str | None = None  # the parent's name, as listed in the same file or already stored
    region_code: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)  # 简称, 曾用名 (区县 renames)


@dataclass(frozen=True, slots=True)
class RollupRow:
    unit_id: int | None  # None: the reports attached to the unit itself (本级)
    name: str
    level: str
    reports: int
    failed: int
    received: float
    errors: int


def import_units(con: sqlite3.Connection, specs: Sequence[UnitSpec]) -> int:
    """Add or update units (parents first, whatever the file order) and re-link every report."""
    for spec in specs:
        if spec.level not in LEVELS:
            raise StoreError(spec.name, f"级别“{spec.level}”无效，应为 {'/'.join(LEVELS)}")
    with transaction(con):
        ids: dict[str, int] = {}
        for spec in _parents_first(specs):
            ids[spec.name] = _upsert(con, spec, ids)
        for spec in specs:
            _replace_keys(con, ids[spec.name], spec)
        relink(con)
    refresh_editions(con)  # a unit link is part of a report's agency identity
    return len(ids)


def _parents_first(specs: Sequence[UnitSpec]) -> Iterator[UnitSpec]:
    names = {s.name for s in specs}
    done: set[str] = set()
    todo = list(specs)
    while todo:
        ready = [s for s in todo if s.parent is None or s.parent in done or s.parent not in names]
        if not ready:
            raise StoreError(todo[0].name, "上级关系中有循环")
        for spec in ready:
            done.add(spec.name)
            yield spec
        todo = [s for s in todo if s.name not in done]


def _upsert(con: sqlite3.Connection, spec: UnitSpec, ids: dict[str, int]) -> int:
    parent_id = ids.get(spec.parent) if spec.parent else None
    if spec.parent and parent_id is None:
        parent_id = _unit_id(con, spec.parent)
    row = con.execute(
        "SELECT id FROM units WHERE name = ? AND parent_id IS ?", (spec.name, parent_id)
    ).fetchone()
    if row is not None:
        con.execute(
            "UPDATE units SET level = ?, region_code = ? WHERE id = ?",
            (spec.level, spec.region_code, row[0]),
        )
        return int(row[0])
    cur = con.execute(
        "INSERT INTO units (name, level, parent_id, region_code) VALUES (?, ?, ?, ?)",
        (spec.name, spec.level, parent_id, spec.region_code),
    )
    return int(cur.lastrowid or 0)


def _unit_id(con: sqlite3.Connection, name: str) -> int:
    rows = con.execute("SELECT id FROM units WHERE name = ? OR CAST(id AS TEXT) = ?", (name, name))
    ids = [r[0] for r in rows]
    if len(ids) != 1:
        raise NotFound(name, "没有这个单位" if not ids else "有多个同名单位，请用编号")
    return int(ids[0])


def _replace_keys(con: sqlite3.Connection, unit_id: int, spec: UnitSpec) -> None:
    con.execute("DELETE FROM unit_keys WHERE unit_id = ?", (unit_id,))
    keys = unit_keys(spec, _region_chain(con, unit_id))
    con.executemany("INSERT OR IGNORE INTO unit_keys VALUES (?, ?)", ((k, unit_id) for k in keys))


def _region_chain(con: sqlite3.Connection, unit_id: int) -> list[str]:
    """Region names of the unit's ancestors, nearest first (政府 stripped: 中宁县人民政府 → 中宁县)."""
    sql = (
        "WITH RECURSIVE up(id, parent_id, name, level, depth) AS ("
        " SELECT id, parent_id, name, level, 0 FROM units WHERE id = ?"
        " UNION ALL SELECT u.id, u.parent_id, u.name, u.level, up.depth + 1"
        " FROM units u JOIN up ON u.id = up.parent_id)"
        " SELECT name FROM up WHERE depth > 0 AND level != '部门' ORDER BY depth"
    )
    return [_GOVERNMENT.sub("", r[0]) for r in con.execute(sql, (unit_id,))]


def unit_keys(spec: UnitSpec, chain: Sequence[str]) -> set[str]:
    """Agency keys naming the unit: its names, with 人民政府 for a government listed by region
    (中宁县 → 中宁县人民政府), each also under its ancestors' region names (财政局 → 中宁县财政局)."""
    names = [spec.name, *spec.aliases]
    if spec.level != "部门":
        names += [n + "人民政府" for n in names if not _GOVERNMENT.search(n)]
    keys = set()
    for name in names:
        prefix = ""
        keys.add(agency_key(name) or name)
        for region in chain:
            prefix = region + prefix
            if not name.startswith(region):
                keys.add(agency_key(prefix + name) or name)
    return keys


def relink(con: sqlite3.Connection) -> None:
    """Attach every report whose agency key names exactly one unit (manual links are kept)."""
    con.execute("DELETE FROM report_units WHERE how = 'name'")
    con.execute(
        "INSERT OR IGNORE INTO report_units (report_id, unit_id, how)"
        " SELECT r.id, min(k.unit_id), 'name' FROM reports r JOIN unit_keys k ON k.key = r.agency_key"
        " GROUP BY r.id HAVING count(DISTINCT k.unit_id) = 1"
    )


def ambiguous_links(con: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """(agency as written, the unit names it matches) for every agency that names two or more
    units and so is attached to none: for a person to attach by hand (`units attach`)."""
    sql = (
        "SELECT r.agency, group_concat(DISTINCT u.name) FROM reports r"
        " JOIN unit_keys k ON k.key = r.agency_key JOIN units u ON u.id = k.unit_id"
        " WHERE r.id NOT IN (SELECT report_id FROM report_units)"
        " GROUP BY r.agency_key HAVING count(DISTINCT k.unit_id) > 1 ORDER BY r.agency"
    )
    return [(str(r[0]), sorted(str(r[1]).split(","))) for r in con.execute(sql)]


def attach(con: sqlite3.Connection, report_id: int, unit: str) -> int:
    """Attach a report to a unit by hand (name or id); returns the unit id."""
    with transaction(con):
        unit_id = _unit_id(con, unit)
        con.execute(
            "INSERT OR REPLACE INTO report_units VALUES (?, ?, 'manual')", (report_id, unit_id)
        )
    refresh_editions(con)
    return unit_id


_ROLLUP = """
WITH RECURSIVE tree(id, top) AS (
    SELECT id, id FROM units WHERE parent_id = :root
    UNION ALL SELECT u.id, t.top FROM units u JOIN tree t ON u.parent_id = t.id
),
direct(id, top) AS (SELECT :root, NULL),
rep AS (
    SELECT t.top, r.id, r.status,
        (SELECT value FROM cells c WHERE c.report_id = r.id AND c.tbl = 'table3'
            AND c.row_key = 'received' AND c.col_key = '6') AS received,
        (SELECT count(*) FROM open_findings f WHERE f.report_id = r.id AND f.severity = 'error') AS errors
    FROM (SELECT * FROM tree UNION ALL SELECT * FROM direct) t
    JOIN report_units ru ON ru.unit_id = t.id
    JOIN reports r ON r.id = ru.report_id
    WHERE (:year IS NULL OR r.year = :year) AND r.current = 1
)
SELECT top, count(id), sum(status = 'error'), coalesce(sum(received), 0), coalesce(sum(errors), 0)
FROM rep GROUP BY top
"""


def rollup(con: sqlite3.Connection, unit: str, year: int | None = None) -> list[RollupRow]:
    """Per child unit (with everything below it), and the unit's own reports first (本级)."""
    root = _unit_id(con, unit)
    totals = {row[0]: row[1:] for row in con.execute(_ROLLUP, {"root": root, "year": year})}
    own = con.execute("SELECT name, level FROM units WHERE id = ?", (root,)).fetchone()
    rows = [RollupRow(None, f"{own[0]}（本级）", own[1], *totals.get(None, (0, 0, 0, 0)))]
    children = con.execute(
        "SELECT id, name, level FROM units WHERE parent_id = ? ORDER BY name", (root,)
    )
    rows += [RollupRow(i, n, lv, *totals.get(i, (0, 0, 0, 0))) for i, n, lv in children]
    return rows


def unit_of(con: sqlite3.Connection, report_id: int) -> str | None:
    row = con.execute(
        "SELECT u.name FROM report_units ru JOIN units u ON u.id = ru.unit_id"
        " WHERE ru.report_id = ?",
        (report_id,),
    ).fetchone()
    return str(row[0]) if row else None
