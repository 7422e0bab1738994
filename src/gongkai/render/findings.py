"""Findings for a terminal: the tables with offending cells marked, and the list below them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gongkai.model.finding import SEVERITY_NAMES as NAMES
from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.render.terminal import Marker, report_view

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_RANK = {"error": 0, "warning": 1, "info": 2}
# The spaces around numbers in messages would be the only places a terminal breaks a Chinese line,
# leaving lines half empty; without them the text fills each line.
_BY_CJK = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")


def marker(findings: Sequence[Finding]) -> Marker:
    """The style of each cell a finding points at; the gravest finding wins. Info is not marked."""
    styles: dict[tuple[str | int, ...], str] = {}
    for f in sorted(findings, key=lambda f: _RANK[f.severity], reverse=True):
        if f.severity == "info":
            continue
        for cell in f.cells:
            styles[tuple(cell)] = STYLES[f.severity]

    def mark(path: tuple[str, str, int | str]) -> str | None:
        return styles.get(path)

    return mark


def findings_view(findings: Sequence[Finding]) -> RenderableType:
    if not findings:
        return Text("未发现问题。", style="green")
    out = Table(title="审查结果", title_justify="left", show_lines=True)
    out.add_column("级别", no_wrap=True)
    out.add_column("代码", no_wrap=True)
    out.add_column("说明", overflow="fold")
    for f in findings:
        style = STYLES[f.severity]
        message = Text(_BY_CJK.sub("", f.message))
        out.add_row(Text(NAMES[f.severity], style=style), Text(f.code, style=style), message)
    return out


def _summary(findings: Sequence[Finding]) -> Text:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in NAMES}
    text = Text("共发现：")
    for severity, name in NAMES.items():
        text.append(f"{name} {counts[severity]} 项  ", style=STYLES[severity])
    return text


def check_view(report: Report) -> RenderableType:
    """The report's tables with the cells at fault marked, then every finding in plain Chinese."""
    findings = report.findings or []
    return Group(report_view(report, marker(findings)), findings_view(findings), _summary(findings))
