"""The three tables laid out as on the form, for a terminal (rich).

Nothing is ever cut to fit: every column folds what does not fit its width onto more lines. At 80
columns table 3's eight columns leave its row labels (up to 42 cells wide) about eight cells, so
there the number columns are narrowed to their widest value and their headings fold, and the labels
get the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
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
    out.add_column("信息内容", overflow="fold")
    out.add_column("数值", justify="left", overflow="fold")
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


# The narrowest a number column gets: two characters of its heading a line (自然/人).
_NARROW = 4
_UNBOUNDED = 1_000_000  # a width no terminal has: to ask how wide a table would like to be


class _Fitted:
    """A table of a label column and number columns, built for the width it is given: at its
    natural width when that fits, else with the number columns narrowed (see the module's doc)."""

    def __init__(self, title: str, headings: Iterable[str], rows: list[tuple[str, list[Text]]]):
        self.title, self.headings, self.rows = title, tuple(headings), rows

    def table(self, narrow: bool) -> Table:
        out = Table(title=self.title, title_justify="left")
        out.add_column("", overflow="fold")
        values = [cells for _label, cells in self.rows]
        for col, heading in enumerate(self.headings):
            widest = max((cell_len(row[col].plain) for row in values), default=0)
            width = max(widest, _NARROW) if narrow else None
            out.add_column(heading, justify="right", overflow="fold", width=width)
        for label, cells in self.rows:
            out.add_row(label, *cells)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        natural = self.table(narrow=False)
        # Measured without the width limit, which Measurement.get would clamp the answer to.
        wanted = Measurement.get(console, options.update_width(_UNBOUNDED), natural).maximum
        yield natural if wanted <= options.max_width else self.table(narrow=True)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table(narrow=False))


def table3(report: Report, mark: Marker = _no_marks) -> RenderableType:
    data = report.table3 or {}
    template = report.meta.templates.table3 or "2021"
    rows = []
    for key, _label in T3_ROWS[template]:
        values = data.get(key, [None] * 7)
        rows.append(
            (T3_LABELS[key], [_cell(v, mark(("table3", key, c))) for c, v in enumerate(values)])
        )
    return _Fitted("三、收到和处理政府信息公开申请情况", T3_COLUMNS, rows)


def table4(report: Report, mark: Marker = _no_marks) -> RenderableType:
    data = report.table4 or {}
    rows = []
    for key, label in T4_GROUPS:
        values = data.get(key, [None] * 5)
        rows.append((label, [_cell(v, mark(("table4", key, c))) for c, v in enumerate(values)]))
    return _Fitted("四、政府信息公开行政复议、行政诉讼情况", T4_COLUMNS, rows)


def report_view(report: Report, mark: Marker = _no_marks) -> RenderableType:
    meta = report.meta
    head = Text(
        f"{meta.agency or '（未识别发布机关）'}  {meta.year or '（未识别年度）'}年", style="bold"
    )
    templates = Text(
        f"表二格式：{meta.templates.table2 or '未识别'}　表三格式：{meta.templates.table3 or '未识别'}"
    )
    return Group(head, templates, table2(report, mark), table3(report, mark), table4(report, mark))
