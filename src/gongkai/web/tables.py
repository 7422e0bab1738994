"""The form's tables for the screen: the official grids (gongkai.render.layout) with each cell's
findings attached, so a template can colour the cells at fault and list the messages beside them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gongkai.model.report import Report
from gongkai.render.html import WIDTHS, rows_of
from gongkai.render.layout import Grid, GridCell, grids, heading
from gongkai.web.models import FindingOut
from gongkai.web.present import TABLE_NAMES

_RANK = {"error": 0, "warning": 1, "info": 2}
Key = tuple[str, ...]


@dataclass(slots=True)
class Mark:
    """What the findings say about one cell: the gravest severity and which findings they are."""

    severity: str
    ids: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TableView:
    no: int
    name: str
    heading: str
    grid: Grid
    widths: list[float]
    rows: list[list[GridCell]]
    marks: dict[Key, Mark]
    findings: list[tuple[str, FindingOut]]  # (id, finding) of findings on this table


def key_of(path: Sequence[str | int] | None) -> Key:
    return tuple(str(p) for p in path or ())


def finding_id(index: int) -> str:
    return f"f{index}"


def marks_of(findings: Sequence[FindingOut]) -> dict[Key, Mark]:
    """Every cell a warning or error points at. Info findings (UNVERIFIABLE notes) do not colour
    cells: they say a check could not run, not that a figure is wrong."""
    marks: dict[Key, Mark] = {}
    for index, f in enumerate(findings):
        if f.severity == "info":
            continue
        for cell in f.cells:
            mark = marks.setdefault(key_of(cell), Mark(f.severity))
            if _RANK[f.severity] < _RANK[mark.severity]:
                mark.severity = f.severity
            mark.ids.append(finding_id(index))
            mark.messages.append(f"{f.code}：{f.message}")
    return marks


def _table_of(f: FindingOut) -> str | None:
    tables = {str(c[0]) for c in f.cells if c and str(c[0]) in TABLE_NAMES}
    return tables.pop() if len(tables) == 1 else None


def split_findings(
    findings: Sequence[FindingOut],
) -> tuple[dict[str, list[tuple[str, FindingOut]]], list[tuple[str, FindingOut]]]:
    """(findings by the one table they point into, the others: sections, text, several tables)."""
    by_table: dict[str, list[tuple[str, FindingOut]]] = {}
    rest = []
    for index, f in enumerate(findings):
        table = _table_of(f)
        if table is None:
            rest.append((finding_id(index), f))
        else:
            by_table.setdefault(table, []).append((finding_id(index), f))
    return by_table, rest


def table_views(
    report: Report, findings: Sequence[FindingOut] = (), marks: dict[Key, Mark] | None = None
) -> list[TableView]:
    """Tables 二、三、四 as drawn on the form, each with its findings (or with given marks)."""
    marks = marks_of(findings) if marks is None else marks
    by_table, _rest = split_findings(findings)
    return [
        TableView(
            no,
            TABLE_NAMES[grid.table],
            heading(no),
            grid,
            WIDTHS[grid.table],
            rows_of(grid),
            marks,
            by_table.get(grid.table, []),
        )
        for no, grid in sorted(grids(report).items())
    ]


def changed_marks(paths: Iterable[str], severity: str = "changed") -> dict[Key, Mark]:
    """Marks for the cells a comparison found changed (paths such as table3.received.0)."""
    return {tuple(p.split(".")): Mark(severity) for p in paths}


def present_tables(report: Report) -> set[str]:
    return {name for name in ("table2", "table3", "table4") if getattr(report, name) is not None}
