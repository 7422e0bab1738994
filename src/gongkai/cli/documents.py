"""Document commands: render, new, rollup, compare. `register(app)` adds them to the main CLI.

Inputs are any report file `gongkai parse` reads, a filled-in workbook (XLSX), or our own JSON
(`gongkai parse --json`, one report or a list): `gongkai render FILE --to pdf`.
`rollup --db DB --where year=2024,unit=…` takes its inputs from the corpus instead of files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from gongkai.analysis.rollup import RollupResult, rollup
from gongkai.api import parse_bytes
from gongkai.cli.common import err_console, report_error, run_or_exit
from gongkai.cli.output import CsvOpt, Form, csv_text, form, json_text, print_view, write_stdout
from gongkai.errors import GongkaiError, NotAReport, UnreadableInput
from gongkai.model.report import Report
from gongkai.readers import load
from gongkai.readers.files import os_reason
from gongkai.render import BINARY, EXTENSIONS, render
from gongkai.store.queries import Filters


class OutFormat(StrEnum):
    docx = "docx"
    html = "html"
    xlsx = "xlsx"
    pdf = "pdf"
    md = "md"
    json = "json"


OutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="输出文件；“-”表示标准输出（仅文本格式）")
]


# Inputs -------------------------------------------------------------------------------------------


def _from_json(data: bytes, name: str) -> list[Report]:
    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableInput(name, f"JSON 无法解析：{exc}") from exc
    try:
        items = payload if isinstance(payload, list) else [payload]
        return [Report.model_validate(item) for item in items]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise NotAReport(name, f"JSON 不是 gongkai 报告格式：{where} {first['msg']}") from exc


def load_reports(path: Path) -> list[Report]:
    """The reports in one file: our JSON (one or a list), a workbook, or any readable report."""
    data = load(path)
    if path.suffix.lower() == ".json" or data.lstrip()[:1] in (b"{", b"["):
        return _from_json(data, str(path))
    return [parse_bytes(data, str(path))]


def load_report(path: Path) -> Report:
    reports = load_reports(path)
    if len(reports) != 1:
        raise NotAReport(str(path), f"文件含 {len(reports)} 份报告，此命令只处理一份")
    return reports[0]


# Outputs ------------------------------------------------------------------------------------------


def _default_path(stem: str, fmt: str, avoid: Path | None = None) -> Path:
    path = Path(stem).with_suffix(EXTENSIONS[fmt]) if stem else Path("report" + EXTENSIONS[fmt])
    if avoid is not None and path.resolve() == avoid.resolve():
        path = path.with_name(f"{path.stem}.rendered{path.suffix}")  # never overwrite the input
    return path


def write_output(content: bytes | str, fmt: str, out: Path | None, default: Path) -> None:
    """Write to `out` ("-" = stdout, text only) or to `default`; say where it went."""
    if out is not None and str(out) == "-":
        if fmt in BINARY:
            err_console.print(
                f"[red]错误[/red] {fmt} 是二进制格式，请用 -o 指定输出文件", highlight=False
            )
            raise typer.Exit(2)
        write_stdout(content if isinstance(content, str) else content.decode("utf-8"))
        return
    target = out or default
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)
    except OSError as exc:
        err_console.print(
            f"[red]错误[/red] {target}: 无法写入（{os_reason(exc)}）", highlight=False
        )
        raise typer.Exit(2) from exc
    err_console.print(f"已写入 {target}", highlight=False, soft_wrap=True)


# render ------------------------------------------------------------------------------------------


def render_command(
    file: Annotated[Path, typer.Argument(help="报告文件、填好的工作簿（XLSX）或 gongkai JSON")],
    to: Annotated[OutFormat, typer.Option("--to", help="输出格式")],
    out: OutOpt = None,
) -> None:
    """按国家统一格式输出报告：docx、html、xlsx、pdf、md 或 json。"""
    report = run_or_exit(lambda: load_report(file))
    content = render(report, to.value)
    write_output(content, to.value, out, _default_path(file.stem, to.value, avoid=file))


# new ---------------------------------------------------------------------------------------------


def new_command(
    agency: Annotated[str, typer.Option("--agency", help="发布机关全称，如“某某县人民政府”")],
    year: Annotated[int, typer.Option("--year", help="报告年度", min=2019, max=2100)],
    out: OutOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件")] = False,
) -> None:
    """生成按 2021 年格式排好的填报工作簿（XLSX），以及同名的 JSON 骨架。"""
    from gongkai.render.workbook import new_workbook, skeleton

    workbook = out or Path(f"{agency}{year}年政府信息公开工作年度报告.xlsx")
    outline = workbook.with_suffix(".json")
    existing = [p for p in (workbook, outline) if p.exists()]
    if existing and not force:
        names = "、".join(map(str, existing))
        err_console.print(
            f"[red]错误[/red] {names} 已存在（可能已填写），加 --force 覆盖", highlight=False
        )
        raise typer.Exit(2)
    write_output(new_workbook(agency, year), "xlsx", workbook, workbook)
    text = json.dumps(skeleton(agency, year).to_json(), ensure_ascii=False, indent=1) + "\n"
    write_output(text, "json", outline, outline)


# rollup ------------------------------------------------------------------------------------------


def _print_rollup(result: RollupResult) -> None:
    err_console.print(f"汇总 {len(result.inputs)} 份报告：", highlight=False)
    for item in result.inputs:
        mark = "（有错误：" + "、".join(item.errors) + "）" if item.errors else ""
        err_console.print(f"  · {item.name}{mark}", highlight=False, soft_wrap=True)
    if not result.checked:
        err_console.print("  未运行规则引擎，输入报告的错误未检查", highlight=False)
    err_console.print(f"留空（未计入合计）的单元格：{len(result.excluded)} 个", highlight=False)
    for note in result.notes:
        err_console.print(f"注意：{note}", highlight=False, soft_wrap=True)


def rollup_reports(reports: Sequence[Report], name: str, to: str | None, out: Path | None) -> None:
    """Sum, report on the terminal, write. `rollup FILES` calls it; a corpus query can too."""
    result = run_or_exit(lambda: rollup(reports, name))
    _print_rollup(result)
    if to is None:
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
        write_output(text, "json", out or Path("-"), Path("-"))
        return
    write_output(render(result.report, to), to, out, _default_path(name, to))


class BadWhere(GongkaiError):
    reason = "筛选条件无效"


# The Filters fields a roll-up can select on; the flags (has_errors, failed) make no sense there.
WHERE_KEYS = ("year", "agency", "region", "unit", "code", "text")


def parse_where(text: str) -> Filters:
    """`year=2024,agency=…` → Filters. A full-width comma separates too: it is what a Chinese
    keyboard types."""
    values: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split("[,，]", text))):
        key, sep, value = (s.strip() for s in part.partition("="))
        if not sep or key not in WHERE_KEYS:
            raise BadWhere(part, f"应为“键=值”，键可用 {'、'.join(WHERE_KEYS)}")
        values[key] = value
    year = values.pop("year", None)
    if year is not None and not year.isdigit():
        raise BadWhere(f"year={year}", "年度应为数字，如 year=2024")
    get = values.get
    return Filters(
        year=int(year) if year else None,
        agency=get("agency") or None,
        region=get("region") or None,
        unit=get("unit") or None,
        code=get("code") or None,
        text=get("text") or None,
    )


def _from_db(db: Path, where: str) -> list[Report]:
    from gongkai.corpus import select_reports

    filters = run_or_exit(lambda: parse_where(where))
    reports, failed = run_or_exit(lambda: select_reports(filters, db))
    for path in failed:
        err_console.print(f"跳过解析失败的文件：{path}", highlight=False, soft_wrap=True)
    if not reports:
        err_console.print("[red]错误[/red] 语料库中没有符合条件的已解析报告", highlight=False)
        raise typer.Exit(2)
    return reports


def rollup_command(
    name: Annotated[
        str, typer.Option("--as", help="汇总报告的机关名称，如“某某县人民政府（汇总）”")
    ],
    files: Annotated[
        list[Path] | None, typer.Argument(help="下级报告文件（可多个，JSON 可含多份）")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="改为从语料库数据库（SQLite）选取报告")
    ] = None,
    where: Annotated[
        str, typer.Option("--where", help="与 --db 合用的筛选条件，如 year=2024,unit=某某县")
    ] = "",
    to: Annotated[
        OutFormat | None, typer.Option("--to", help="输出汇总报告的格式；省略则输出 JSON")
    ] = None,
    out: OutOpt = None,
) -> None:
    """汇总多份报告的表二至表四；空白不按 0 计，格式口径不同的栏目留空并说明原因。"""
    if bool(files) == (db is not None):
        err_console.print("[red]错误[/red] 请指定报告文件或 --db 二者之一", highlight=False)
        raise typer.Exit(2)
    if where and db is None:
        err_console.print("[red]错误[/red] --where 只能与 --db 合用", highlight=False)
        raise typer.Exit(2)
    failed = 0
    if db is not None:
        reports = _from_db(db, where)
    else:
        reports, failed = _readable(files or [])
    rollup_reports(reports, name, to.value if to else None, out)
    if failed:  # the others were compiled; the exit status says some inputs were not
        err_console.print(f"[red]有 {failed} 个文件无法读取，未计入汇总[/red]", highlight=False)
        raise typer.Exit(2)


def _readable(files: Sequence[Path]) -> tuple[list[Report], int]:
    """The reports in the files that can be read; each one that cannot is named with its reason
    (one line, as for every command) and the roll-up goes on without it."""
    reports: list[Report] = []
    failed = 0
    for path in files:
        try:
            reports += load_reports(path)
        except GongkaiError as exc:
            report_error(exc)
            failed += 1
    if not reports:
        err_console.print("[red]错误[/red] 没有可以汇总的报告", highlight=False)
        raise typer.Exit(2)
    return reports, failed


# compare -----------------------------------------------------------------------------------------


def compare_command(
    a: Annotated[Path, typer.Argument(help="报告甲（通常为上一年度）")],
    b: Annotated[Path, typer.Argument(help="报告乙")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    as_html: Annotated[bool, typer.Option("--html", help="输出 HTML 页面")] = False,
    as_csv: CsvOpt = False,
    out: OutOpt = None,
) -> None:
    """对比两份报告：逐格增减与变化率、由空白或 0 变为有数值的单元格、各部分文字的增删改。"""
    from gongkai.analysis.compare import CellDelta, compare
    from gongkai.render.compare_html import render_compare_html
    from gongkai.render.compare_terminal import compare_view

    if as_html and (as_json or as_csv):
        err_console.print("[red]错误[/red] --html 不能与 --json、--csv 同用", highlight=False)
        raise typer.Exit(2)
    shape = form(as_json, as_csv)
    comparison = compare(run_or_exit(lambda: load_report(a)), run_or_exit(lambda: load_report(b)))
    if shape is Form.json or as_html:
        fmt = "json" if as_json else "html"
        text = json_text(comparison.to_json()) if as_json else render_compare_html(comparison)
        write_output(text, fmt, out or Path("-"), Path("-"))
    elif shape is Form.csv:  # every changed cell, one per row
        header = list(CellDelta.model_fields)
        text = csv_text(header, ([getattr(c, k) for k in header] for c in comparison.cells))
        write_output(text, "csv", out or Path("-"), Path("-"))
    else:
        print_view(compare_view(comparison))


def register(app: typer.Typer) -> None:
    """Add render, new, rollup and compare to `app`."""
    app.command("render")(render_command)
    app.command("new")(new_command)
    app.command("rollup")(rollup_command)
    app.command("compare")(compare_command)
