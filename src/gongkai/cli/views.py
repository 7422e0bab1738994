"""Views of corpus results: rich for a terminal (lists, one report, statistics, roll-ups,
progress), and the JSON or CSV form of those that are not plain rows (one report, statistics)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from rich.console import Group, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from gongkai.corpus.api import ReportDetail
from gongkai.model.keys import T3_LABELS, T4_GROUPS
from gongkai.render.terminal import report_view
from gongkai.store import EditionRow, ReportRow, RollupRow, Stats, StoredFinding
from gongkai.validate.cells import all_cells, expected_rows
from gongkai.validate.cells import label as cell_words

_DECISIONS = {"confirm": "[red]已确认[/red]", "dismiss": "[green]已排除[/green]"}
_SEVERITY = {"error": "[red]错误[/red]", "warning": "[yellow]警告[/yellow]", "info": "提示"}


class RateColumn(ProgressColumn):
    """Files per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("— 份/秒" if speed is None else f"{speed:.1f} 份/秒", style="cyan")


def progress(console_stderr: bool = True) -> Progress:
    """A bar on a terminal; nothing in a log or a pipe, where the closing summary line says it all
    (and a failure is the one line it prints)."""
    from rich.console import Console

    out = Console(stderr=console_stderr)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("[red]错误 {task.fields[errors]}"),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=out,
        disable=not out.is_terminal,
    )


def report_list(total: int, rows: list[ReportRow]) -> RenderableType:
    table = Table(
        title=f"共 {total} 份报告" + (f"，显示前 {len(rows)} 份" if total > len(rows) else "")
    )
    columns = ("编号", "发布机关", "年度", "表二/表三", "地区", "状态", "错误", "警告", "版本")
    for name in columns:
        table.add_column(
            name,
            justify="right" if name in ("编号", "年度", "错误", "警告") else "left",
            overflow="fold",  # a narrow terminal wraps a long name; it never cuts it
        )
    for r in rows:
        status = "[green]成功[/green]" if r.status == "ok" else f"[red]失败[/red] {r.error or ''}"
        table.add_row(
            str(r.id), r.agency or r.source_path, _s(r.year),
            f"{r.template_t2 or '?'}/{r.template_t3 or '?'}", r.region or "", status,
            str(r.errors), str(r.warnings), _edition(r),
        )  # fmt: skip
    return table


def _edition(r: ReportRow) -> str:
    """Blank for the only report of its agency-year; else whether this one counts, of how many."""
    if r.editions <= 1:
        return ""
    return f"{'计入' if r.current else '未计入'}（共 {r.editions} 份）"


def editions_table(rows: list[EditionRow]) -> Table:
    """The editions of one agency-year, the counted one first, with what differs from it."""
    table = Table(title="同一机关同一年度的各个版本")
    for name in ("编号", "计入统计", "与计入版本的差别", "发布/落款日期", "文件"):
        table.add_column(name, overflow="fold")
    for row in rows:
        if row.current:
            differs = "（计入统计的版本）"
        elif row.same_values:
            differs = "同一版本的另一文件（数值相同）"
        else:
            differs = f"{row.differs} 个单元格不同"
        table.add_row(
            str(row.id), "是" if row.current else "否", differs, row.dated or "—", row.source_path
        )
    return table


def detail(d: ReportDetail) -> RenderableType:
    row = d.row
    head = Table.grid(padding=(0, 2))
    for label, value in (
        ("编号", row["id"]), ("发布机关", row["agency"]), ("年度", row["year"]),
        ("来源文件", row["source_path"]), ("格式", row["reader"] or row["format"]),
        ("地区（推断）", "".join(row[k] or "" for k in ("province", "city", "county", "township"))),
        ("所属单位", d.unit), ("解析器版本", row["parser_version"]), ("内容哈希", row["sha256"]),
    ):  # fmt: skip
        head.add_row(label, _s(value))
    if len(d.paths) > 1:
        head.add_row("同一文件另见", "\n".join(p for p in d.paths if p != row["source_path"]))
    parts: list[RenderableType] = [head]
    if d.editions:
        parts.append(editions_table(d.editions))
    if d.report is None:
        parts.append(Text(f"解析失败：{row['error']}", style="red"))
    else:
        parts.append(report_view(d.report))
    if d.findings:
        parts.append(findings_table(d.findings))
    return Group(*parts)


def findings_table(findings: Iterable[StoredFinding]) -> RenderableType:
    table = Table(title="审查意见")
    for name in ("代码", "级别", "说明", "审查", "指纹"):
        table.add_column(name, overflow="fold")
    for f in findings:
        decision = _DECISIONS.get(f.decision or "", "未审查")
        if f.decision and f.note:
            decision += f"：{f.note}"
        table.add_row(
            f.code, _SEVERITY.get(f.severity, f.severity), f.message, decision, f.fingerprint[:10]
        )
    return table


def stats_view(s: Stats) -> RenderableType:
    parts: list[RenderableType] = [Text(f"已解析 {s.reports} 份，解析失败 {s.failed} 份")]
    parts.append(
        _table("按年度与格式", ("年度", "表二格式", "表三格式", "份数"), s.by_year_template)
    )
    if s.failures_by_kind:
        parts.append(_table("解析失败原因", ("类别", "份数"), s.failures_by_kind))
    parts.append(
        _table(
            "审查意见（按代码）", ("代码", "级别", "报告数", "占比"),
            [(c, sev, n, f"{share:.1%}") for c, sev, n, share in s.findings_by_code],
        )
    )  # fmt: skip
    parts.append(
        _table(
            "依申请公开（总计列）",
            ("年度", "本年新收", "上年结转", "办理总计", "结转下年"),
            s.requests_by_year,
        )
    )
    handled = sum(v or 0 for _, v in s.outcomes)
    order = list(T3_LABELS)
    outcomes = sorted(
        s.outcomes, key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
    )
    parts.append(
        _table(
            "办理结果构成（总计列）", ("办理结果", "件数", "占比"),
            [(T3_LABELS.get(k, k), v, f"{(v or 0) / handled:.1%}" if handled else "—") for k, v in outcomes],
        )
    )  # fmt: skip
    groups = dict(T4_GROUPS)
    parts.append(
        _table(
            "复议、诉讼纠错率", ("类别", "结果纠正", "总计", "纠错率"),
            [(groups[g], c, t, "—" if r is None else f"{r:.1%}") for g, c, t, r in s.corrections],
        )
    )  # fmt: skip
    return Group(*parts)


def rollup_view(unit: str, rows: list[RollupRow]) -> RenderableType:
    return _table(
        f"{unit}：按下级汇总",
        ("单位", "级别", "报告数", "解析失败", "本年新收（总计）", "错误数"),
        [(r.name, r.level, r.reports, r.failed, r.received, r.errors) for r in rows],
    )


def _table(title: str, columns: Iterable[str], rows: Iterable[Iterable[object]]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(_s(v) for v in row))
    return table


def _s(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# Machine-readable forms ---------------------------------------------------------------------------

_FINDING_KEYS = (
    "code", "severity", "message", "cells", "expected", "actual", "fingerprint", "decision",
    "note", "who", "decided_at",
)  # fmt: skip


def detail_record(d: ReportDetail) -> dict[str, Any]:
    """`show --json`: the canonical report JSON (or the parse error), and its findings with their
    review decisions."""
    doc = d.report.to_json() if d.report else {"error": d.row["error"]}
    doc["findings"] = [{k: getattr(f, k) for k in _FINDING_KEYS} for f in d.findings]
    doc["corpus"] = {
        "id": d.row["id"],
        "current": bool(d.row["current"]),  # the report that counts for its agency and year
        "paths": d.paths,
        "editions": [dataclasses.asdict(e) for e in d.editions],
    }
    return doc


CELL_HEADER = ("cell", "table", "row", "column", "label", "value")


def cell_rows(d: ReportDetail) -> Iterator[tuple[Any, ...]]:
    """`show --csv`: one row per cell of the report, its path and what the form calls it."""
    if d.report is None:
        return
    held = dict(all_cells(d.report))
    # The form's order (the store hands cells back sorted by key), then what the form does not
    # print (subtotal rows some reports add).
    in_order = [ref for _table, _row, refs in expected_rows(d.report) for ref in refs]
    printed = set(in_order)
    for ref in [*in_order, *(ref for ref in held if ref not in printed)]:
        if ref in held:
            table, row, col = ref
            yield f"{table}.{row}.{col}", table, row, col, cell_words(d.report, ref), held[ref]


# The names of the items of each list of Stats (store/stats.py gives their order). A list not named
# here is written as it comes, so a statistic the store adds is never dropped from the JSON.
_STATS_NAMES = {
    "by_year_template": ("year", "template_t2", "template_t3", "reports"),
    "failures_by_kind": ("kind", "reports"),
    "findings_by_code": ("code", "severity", "reports", "share"),
    "requests_by_year": ("year", "received", "carried_over", "handled", "carried_forward"),
    "outcomes": ("row", "count"),
    "corrections": ("group", "corrected", "total", "rate"),
}
_LABELS = {"outcomes": T3_LABELS, "corrections": dict(T4_GROUPS)}


def stats_record(s: Stats) -> dict[str, Any]:
    """`stats --json`: every statistic, each list item an object; outcomes and corrections carry
    the form's label beside their key."""
    doc: dict[str, Any] = {}
    for field in dataclasses.fields(s):
        value = getattr(s, field.name)
        names = _STATS_NAMES.get(field.name)
        if names is None:
            doc[field.name] = value
            continue
        items = [dict(zip(names, item, strict=True)) for item in value]
        labels = _LABELS.get(field.name)
        if labels is not None:
            for item in items:
                key = item[names[0]]
                item["label"] = labels.get(key, key)
        doc[field.name] = items
    return doc
