"""A comparison for a terminal: the summary, then every changed cell, one table per form table."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gongkai.analysis.compare import CellDelta, Comparison

_TABLES = (
    ("table2", "表二", "主动公开"),
    ("table3", "表三", "依申请公开"),
    ("table4", "表四", "行政复议、行政诉讼"),
)
_NO_DELTA = {"from_blank": "由空白变为有数值", "to_blank": "变为空白"}


def _fmt(value: int | float | None) -> str:
    return "空白" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _delta(change: CellDelta) -> str:
    if change.delta is None:
        return _NO_DELTA.get(change.kind, "")
    return ("+" if change.delta > 0 else "") + _fmt(change.delta)


def _pct(change: CellDelta) -> str:
    return "—" if change.pct is None else f"{change.pct:+.1f}%"


def _cells_table(name: str, caption: str, cells: list[CellDelta]) -> Table:
    out = Table(title=f"{name}（{caption}）：{len(cells)} 个单元格有变化", title_justify="left")
    out.add_column("单元格", overflow="fold")  # long labels wrap on a narrow terminal, never cut
    for column in ("甲", "乙", "增减", "变化率"):
        out.add_column(column, justify="right", overflow="fold")
    for change in cells:
        # The group's title names the table: the label starts after it.
        label = change.label.removeprefix(name)
        out.add_row(label, _fmt(change.a), _fmt(change.b), _delta(change), _pct(change))
    return out


def compare_view(comparison: Comparison) -> RenderableType:
    """Who is compared, the summary and notes, and every changed cell grouped by table (the JSON
    lists the same cells, flat)."""
    parts: list[RenderableType] = [Text(f"甲：{comparison.a}　乙：{comparison.b}")]
    parts += [Text(line) for line in comparison.summary + comparison.notes]
    for table, name, caption in _TABLES:
        cells = [c for c in comparison.cells if c.cell.split(".", 1)[0] == table]
        if cells:
            parts.append(_cells_table(name, caption, cells))
    return Group(*parts)
