"""The three tables laid out as on the form, for a terminal (rich)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gongkai.model.keys import (
    T2_LAYOUT,
    T3_COLUMNS,
    T3_LABELS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    t2_field_label,
    t2_item_label,
)
from gongkai.model.report import Report

# Given a cell path such as ("table3", "received", 0), a style name or None (used by `check`).
Marker = Callable[[tuple[str, str, int | str]], str | None]


def _fmt(value: int | float | None) -> str:
    if value is None:
        return "（空）"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(value: int | float | None, style: str | None) -> Text:
    return Text(_fmt(value), style=style or ("dim" if value is None else ""))


def _no_marks(_path: tuple[str, str, int | str]) -> str | None:
    return None


def table2(report: Report, mark: Marker = _no_marks) -> RenderableType:
    data = report.table2 or {}
    template = report.meta.templates.table2 or "2021"
    out = Table(title="二、主动公开政府信息情况", show_lines=False, title_justify="left")
    out.add_column("信息内容")
    out.add_column("数值", justify="left")
    for caption, items, fields in T2_LAYOUT[template]:
        out.add_row(Text(caption, style="bold"), "")
        for item in items:
            values = data.get(item, {})
            parts = Text()
            for fld in fields:
                parts.append(f"{t2_field_label(fld, template)} ")
                parts.append_text(_cell(values.get(fld), mark(("table2", item, fld))))
                parts.append("   ")
            out.add_row(t2_item_label(item, template), parts)
    return out


def table3(report: Report, mark: Marker = _no_marks) -> RenderableType:
    data = report.table3 or {}
    template = report.meta.templates.table3 or "2021"
    out = Table(title="三、收到和处理政府信息公开申请情况", title_justify="left")
    out.add_column("")
    for col in T3_COLUMNS:
        out.add_column(col, justify="right")
    for key, _label in T3_ROWS[template]:
        values = data.get(key, [None] * 7)
        cells = [_cell(v, mark(("table3", key, c))) for c, v in enumerate(values)]
        out.add_row(T3_LABELS[key], *cells)
    return out


def table4(report: Report, mark: Marker = _no_marks) -> RenderableType:
    data = report.table4 or {}
    out = Table(title="四、政府信息公开行政复议、行政诉讼情况", title_justify="left")
    out.add_column("")
    for col in T4_COLUMNS:
        out.add_column(col, justify="right")
    for key, label in T4_GROUPS:
        values = data.get(key, [None] * 5)
        out.add_row(label, *[_cell(v, mark(("table4", key, c))) for c, v in enumerate(values)])
    return out


def report_view(report: Report, mark: Marker = _no_marks) -> RenderableType:
    meta = report.meta
    head = Text(
        f"{meta.agency or '（未识别发布机关）'}  {meta.year or '（未识别年度）'}年", style="bold"
    )
    templates = Text(
        f"表二格式：{meta.templates.table2 or '未识别'}　表三格式：{meta.templates.table3 or '未识别'}"
    )
    return Group(head, templates, table2(report, mark), table3(report, mark), table4(report, mark))
