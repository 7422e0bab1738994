"""Corpus commands: ingest, ls, show, export, stats, review, units. `register(app)` adds them.

Also `python -m gongkai ingest PATH...`.
"""

from __future__ import annotations

import getpass
import signal
from pathlib import Path
from typing import Annotated, Any

import typer

from gongkai import corpus
from gongkai.cli import views
from gongkai.cli.common import TimeLimitOpt, audit, console, err_console, run_or_exit
from gongkai.cli.output import (
    CsvOpt,
    Form,
    JsonOpt,
    form,
    print_csv,
    print_json,
    print_records,
    print_view,
    records,
)
from gongkai.corpus.export import ExportFormat
from gongkai.store import DEFAULT_DB, Decision, Filters, ReportRow, RollupRow
from gongkai.watchdog import TIME_LIMIT_S

DbOpt = Annotated[
    Path, typer.Option("--db", envvar="GONGKAI_DB", help="语料库数据库文件（SQLite）")
]
YearOpt = Annotated[int | None, typer.Option("--year", help="报告年度")]
AgencyOpt = Annotated[str | None, typer.Option("--agency", help="发布机关名称（部分即可）")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="省/市/县/乡镇名称或区划代码前缀")]
CodeOpt = Annotated[str | None, typer.Option("--code", help="含有此代码的审查意见，如 T3_BALANCE")]
ErrorsOpt = Annotated[bool, typer.Option("--has-errors", help="只看有错误或解析失败的报告")]
FailedOpt = Annotated[bool, typer.Option("--failed", help="只看解析失败的文件")]
UnitOpt = Annotated[str | None, typer.Option("--unit", help="单位名称或编号（含全部下级）")]
TextOpt = Annotated[str | None, typer.Option("--text", help="正文包含的文字")]
# Rows `ls` shows on a terminal unless --limit says otherwise; a pipe, --json and --csv get every
# row, since a script that greps or loads the list must not miss the 101st report.
TERMINAL_LIMIT = 100


EditionsOpt = Annotated[
    bool,
    typer.Option(
        "--editions",
        help="列出同一机关同一年度的全部版本（默认只列计入统计的版本，见 gongkai edition）",
    ),
]


def _filters(**kwargs: Any) -> Filters:
    return Filters(**kwargs)


def _interrupted(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="文件、文件夹或 .zip 压缩包", show_default=False)
    ],
    db: DbOpt = Path(DEFAULT_DB),
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="并行进程数（默认：CPU 核数）")
    ] = None,
    reparse: Annotated[
        bool, typer.Option("--reparse", help="重新解析由旧版解析器处理过的文件")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="重新解析所有文件")] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check", help="导入时逐份审查（--no-check：之后由 check --corpus 补做）"
        ),
    ] = True,
    dask: Annotated[
        str | None, typer.Option("--dask", help="Dask 调度器地址，如 tcp://host:8786")
    ] = None,
    time_limit: TimeLimitOpt = TIME_LIMIT_S,
) -> None:
    """把报告批量导入语料库（可中断，重新运行即从断点继续）。"""
    # SIGTERM (a service manager, `kill`) stops like Ctrl-C: the workers are shut down and the
    # reports written so far are committed, rather than the process vanishing and leaving them.
    signal.signal(signal.SIGTERM, _interrupted)
    bar = views.progress()
    task = bar.add_task("导入", total=None, errors=0)

    def on_event(event: corpus.IngestEvent) -> None:
        failed = 1 if event.kind == "failed" else 0
        bar.update(task, advance=1, errors=bar.tasks[0].fields["errors"] + failed)

    try:
        with bar:
            summary = run_or_exit(
                lambda: corpus.ingest(
                    paths, db, jobs=jobs, reparse=reparse, force=force, check=check, dask=dask,
                    seconds=time_limit, on_start=lambda n: bar.update(task, total=n),
                    on_event=on_event,
                )
            )  # fmt: skip
    except KeyboardInterrupt:
        done = int(bar.tasks[0].completed)
        err_console.print(
            f"[yellow]已中断[/yellow]：已处理的 {done} 个文件已保存，重新运行同一命令即从断点继续",
            highlight=False,
        )
        raise typer.Exit(130) from None  # 128 + SIGINT, what a shell reports for Ctrl-C
    counts = (
        f"共 {summary.total} 个文件：新增 {summary.added}，更新 {summary.updated}，"
        f"跳过 {summary.skipped}，失败 {len(summary.failed)}"
    )
    if summary.added or summary.updated:
        audit(db, "存入语料库", f"{counts}（{'、'.join(map(str, paths))[:500]}）")
    err_console.print(f"{counts}（{summary.seconds:.1f} 秒）")
    for _name, message in summary.failed:
        err_console.print(f"[red]失败[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2 if summary.failed else 0)


def ls(
    db: DbOpt = Path(DEFAULT_DB),
    year: YearOpt = None,
    agency: AgencyOpt = None,
    region: RegionOpt = None,
    code: CodeOpt = None,
    has_errors: ErrorsOpt = False,
    failed: FailedOpt = False,
    unit: UnitOpt = None,
    text: TextOpt = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help=f"最多列出多少份（默认：终端中 {TERMINAL_LIMIT} 份；管道、--json、--csv 不限）",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    editions: EditionsOpt = False,
) -> None:
    """列出语料库中的报告（--json 的格式见 docs/schemas/ls.schema.json）。"""
    out = form(as_json, as_csv)
    filters = _filters(
        year=year, agency=agency, region=region, code=code, has_errors=has_errors,
        failed=failed, unit=unit, text=text, editions=editions,
    )  # fmt: skip
    if limit is None and out is Form.view and console.is_terminal:
        limit = TERMINAL_LIMIT
    total, rows = run_or_exit(lambda: corpus.list_reports(db, filters, limit=limit))
    if out is Form.json:
        print_json({"total": total, "reports": records(rows)})
    elif out is Form.csv:
        print_records(rows, ReportRow)
    else:
        print_view(views.report_list(total, rows))


def show(
    report_id: Annotated[int, typer.Argument(help="报告编号（见 ls）")],
    db: DbOpt = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="输出规范 JSON 与审查意见")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="输出 CSV：每个单元格一行")] = False,
) -> None:
    """显示一份报告：三张表、审查意见及审查结论。"""
    out = form(as_json, as_csv)
    detail = run_or_exit(lambda: corpus.show(report_id, db))
    if out is Form.json:
        print_json(views.detail_record(detail))
    elif out is Form.csv:
        print_csv(views.CELL_HEADER, views.cell_rows(detail))
    else:
        print_view(views.detail(detail))


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv、xlsx、parquet 或 json")] = "xlsx",
    out: Annotated[Path | None, typer.Option("-o", "--out", help="输出文件")] = None,
    long: Annotated[bool, typer.Option("--long", help="长表：每个单元格一行")] = False,
    db: DbOpt = Path(DEFAULT_DB),
    year: YearOpt = None,
    agency: AgencyOpt = None,
    region: RegionOpt = None,
    unit: UnitOpt = None,
    editions: EditionsOpt = False,
) -> None:
    """导出数据：宽表（每份报告一行，每个单元格一列）或长表（每个单元格一行）。"""
    if fmt not in ("csv", "xlsx", "parquet", "json"):
        err_console.print(f"[red]错误[/red] 不支持的导出格式：{fmt}")
        raise typer.Exit(2)
    target = out or Path(f"gongkai-{'long' if long else 'wide'}.{fmt}")
    filters = _filters(year=year, agency=agency, region=region, unit=unit, editions=editions)
    kind: ExportFormat = fmt  # type: ignore[assignment]
    count = run_or_exit(lambda: corpus.export(target, kind, db, long=long, filters=filters))
    err_console.print(f"已导出 {count} 行到 {target}")


def stats(
    db: DbOpt = Path(DEFAULT_DB),
    year: YearOpt = None,
    region: RegionOpt = None,
    unit: UnitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """统计：按年度与格式的报告数、各代码出错率、申请量、办理结果构成、复议诉讼纠错率。"""
    result = run_or_exit(lambda: corpus.stats(db, _filters(year=year, region=region, unit=unit)))
    if as_json:
        print_json(views.stats_record(result))
    else:
        print_view(views.stats_view(result))


def review(
    report_id: Annotated[int, typer.Argument(help="报告编号")],
    code: Annotated[str, typer.Argument(help="审查意见代码，如 X_CARRY")],
    confirm: Annotated[
        bool | None, typer.Option("--confirm/--dismiss", help="确认问题成立 / 排除（误报）")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="说明")] = None,
    who: Annotated[str | None, typer.Option("--who", help="审查人（默认：当前用户）")] = None,
    fingerprint: Annotated[
        str | None, typer.Option("--fingerprint", help="只处理这一条（指纹前缀）")
    ] = None,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """确认或排除一条审查意见；结论在重新解析、重新审查后仍然保留。"""
    if confirm is None:
        err_console.print("[red]错误[/red] 请指定 --confirm 或 --dismiss")
        raise typer.Exit(2)
    reviewer = who or getpass.getuser()
    decision: Decision = "confirm" if confirm else "dismiss"
    prints = run_or_exit(
        lambda: corpus.review(
            report_id, code, decision, db, note=note, who=reviewer, fingerprint=fingerprint
        )
    )
    decided = "确认" if confirm else "排除"
    audit(
        db,
        "复核审查意见",
        f"报告 {report_id}：{decided} {code}（{reviewer}）" + (f"（说明：{note}）" if note else ""),
    )
    err_console.print(f"已记录 {len(prints)} 条审查结论（{decided}）")


units_app = typer.Typer(help="单位层级：导入单位表、挂接报告、按层级汇总。", no_args_is_help=True)


@units_app.command("import")
def units_import(
    file: Annotated[
        Path, typer.Argument(help="单位表（.csv 或 .xlsx）：名称、级别、上级、区划代码、别名")
    ],
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """导入单位表，并按名称把报告挂接到单位。"""
    count = run_or_exit(lambda: corpus.import_units(file, db))
    audit(db, "导入单位表", f"{file}：{count} 个单位")
    err_console.print(f"已导入 {count} 个单位")


@units_app.command("attach")
def units_attach(
    report_id: Annotated[int, typer.Argument(help="报告编号")],
    unit: Annotated[str, typer.Argument(help="单位名称或编号")],
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """手工把一份报告挂接到单位（名称无法自动匹配时）。"""
    run_or_exit(lambda: corpus.attach_unit(report_id, unit, db))
    audit(db, "挂接单位", f"报告 {report_id} → {unit}")
    err_console.print("已挂接")


@units_app.command("rollup")
def units_rollup(
    unit: Annotated[str, typer.Argument(help="单位名称或编号")],
    db: DbOpt = Path(DEFAULT_DB),
    year: YearOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """按下级单位汇总报告数、申请量与错误数。"""
    out = form(as_json, as_csv)
    rows = run_or_exit(lambda: corpus.rollup(unit, db, year=year))
    if out is Form.json:
        print_json({"unit": unit, "year": year, "units": records(rows)})
    elif out is Form.csv:
        print_records(rows, RollupRow)
    else:
        print_view(views.rollup_view(unit, rows))


def register(app: typer.Typer) -> None:
    """Add the corpus commands to `app`."""
    for command in (ingest, ls, show, export, stats, review):
        app.command()(command)
    app.add_typer(units_app, name="units")
