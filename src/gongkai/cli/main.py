"""Command line: parse arguments, call one library function, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from gongkai import __version__
from gongkai.api import Policy, check_file, has_errors, parse_file
from gongkai.cli.common import TimeLimitOpt, configure_logging, console, each_file, report_error
from gongkai.errors import GongkaiError
from gongkai.model.report import Report
from gongkai.readers.files import shown_path
from gongkai.render.findings import check_view
from gongkai.render.terminal import report_view
from gongkai.validate import STATUTORY
from gongkai.watchdog import TIME_LIMIT_S

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Gongkai：政府信息公开工作年度报告的精确解析与审查。",
)


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="显示处理过程的日志，以及内部错误的调用栈")
    ] = False,
) -> None:
    configure_logging(verbose)


FilesArg = Annotated[list[Path], typer.Argument(help="报告文件（可多个）", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出规范 JSON（report.schema.json）")]
ProvOpt = Annotated[bool, typer.Option("--provenance", help="JSON 中附带每个单元格的来源位置")]


def _print_json(docs: list[dict[str, Any]]) -> None:
    payload: Any = docs[0] if len(docs) == 1 else docs
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


@app.command()
def parse(
    files: FilesArg,
    as_json: JsonOpt = False,
    provenance: ProvOpt = False,
    time_limit: TimeLimitOpt = TIME_LIMIT_S,
) -> None:
    """把报告解析为结构化数据：表二、表三、表四与六个部分。"""
    results = each_file(files, parse_file, seconds=time_limit)
    code = _show(results, as_json, lambda r: r.to_json(provenance=provenance), report_view)
    raise typer.Exit(code)


def _show(
    results: Iterable[tuple[Path, Report | None, int]],
    as_json: bool,
    to_json: Callable[[Report], dict[str, Any]],
    view: Callable[[Report], Any],
    verdict: Callable[[Report], int] = lambda _report: 0,
    code: int = 0,
) -> int:
    """Print each file's report as it comes (or all of them as JSON at the end); the exit code:
    the worst of `code`, each failure's and each report's `verdict`."""
    docs = []
    for path, report, failed in results:
        code = max(code, failed)
        if report is None:
            continue
        code = max(code, verdict(report))
        if as_json:
            docs.append(to_json(report))
        else:
            console.rule(shown_path(path))
            console.print(view(report))
    if docs:
        _print_json(docs)
    return code


LenientOpt = Annotated[
    bool, typer.Option("--lenient", help="宽松模式：空白单元格在所在行或列其余全为 0 时按 0 核对")
]
PreviousOpt = Annotated[
    Path | None,
    typer.Option("--previous", help="同一机关上一年度的报告，用于跨年度核对", show_default=False),
]


def _read_previous(path: Path | None, seconds: float) -> tuple[Report | None, bool]:
    """Last year's report, and whether reading it failed (the files are checked without it)."""
    if path is None:
        return None, False
    [(_path, report, failed)] = each_file([path], parse_file, seconds=seconds)
    return report, failed != 0


def _check(path: Path, lenient: bool, previous: Report | None, policy: Policy) -> Report:
    """One file of `check`, run by the watchdog (a module-level function: pickled by name)."""
    return check_file(path, lenient=lenient, previous=previous, policy=policy)


PublishedOpt = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="报告的发布日期（如 2025-01-20），用于核对是否按期发布；优先于文件中找到的日期",
        show_default=False,
    ),
]
DeadlineOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--deadline",
        help="发布期限，可多次给出：部门=01-31、政府=03-31（法定默认）、乡镇=02-20（地方规定，默认不设）",
        show_default=False,
    ),
]


def _policy(published: str | None, deadlines: list[str] | None) -> Policy:
    """The reviewer's settings, or one clear line and exit status 2 when one is malformed."""
    try:
        when = None if published is None else date.fromisoformat(published.strip()).isoformat()
    except ValueError:
        console.print(f"[red]发布日期“{published}”无法识别，应写作 2025-01-20[/red]")
        raise typer.Exit(2) from None
    setting = STATUTORY
    try:
        for text in deadlines or []:
            setting = setting.with_setting(text)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    return Policy(published=when, deadlines=setting)


OptionalFiles = Annotated[
    list[Path] | None, typer.Argument(help="报告文件（可多个）", show_default=False)
]
CorpusOpt = Annotated[
    bool, typer.Option("--corpus", help="对语料库中同一机关的相邻年度做跨年度核对，并保存结果")
]
DbOpt = Annotated[
    Path, typer.Option("--db", envvar="GONGKAI_DB", help="语料库数据库文件（SQLite）")
]


def _check_corpus(db: Path) -> None:
    from gongkai.corpus import check_corpus

    try:
        summary = check_corpus(db)
    except GongkaiError as exc:
        report_error(exc)
        raise typer.Exit(2) from exc
    console.print(
        f"已审查 {summary.reports_checked} 份报告，核对相邻年度 {summary.pairs} 组，"
        f"发现跨年度问题 {summary.pair_findings} 项（gongkai ls --code X_CARRY 等查看）"
    )
    for found in summary.ambiguous:
        console.print(
            f"[yellow]机关不明[/yellow] “{found.key}”可能是以下任一机关，未与其配对："
            + "、".join(found.candidates),
            highlight=False,
            soft_wrap=True,
        )
    for agency, units in summary.ambiguous_units:
        console.print(
            f"[yellow]单位不明[/yellow] “{agency}”与单位表中的多个单位相符：{'、'.join(units)}"
            "（可用 gongkai units attach 指定）",
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def check(
    files: OptionalFiles = None,
    as_json: JsonOpt = False,
    lenient: LenientOpt = False,
    previous: PreviousOpt = None,
    corpus: CorpusOpt = False,
    db: DbOpt = Path("gongkai.sqlite"),
    time_limit: TimeLimitOpt = TIME_LIMIT_S,
    published: PublishedOpt = None,
    deadline: DeadlineOpt = None,
) -> None:
    """审查报告：表内勾稽、格式、章节、文字与表格是否一致；退出码 0 无错误，1 有错误，2 文件无法读取，3 程序内部错误。"""
    if corpus:
        _check_corpus(db)
    if not files:
        raise typer.Exit(0 if corpus else 2)
    policy = _policy(published, deadline)
    prior, unread = _read_previous(previous, time_limit)
    results = each_file(files, _check, lenient, prior, policy, seconds=time_limit)
    found = 2 if unread else 0
    code = _show(results, as_json, Report.to_json, check_view, lambda r: int(has_errors(r)), found)
    raise typer.Exit(code)


@app.command()
def version() -> None:
    """显示版本号。"""
    console.print(__version__)


def _register_commands() -> None:
    """Commands that live in their own modules: documents, the corpus, report cards, the web app."""
    from gongkai.cli.card import register as card_commands
    from gongkai.cli.corpus import register as corpus_commands
    from gongkai.cli.documents import register as document_commands
    from gongkai.cli.editions import register as edition_commands
    from gongkai.cli.findings import register as finding_commands
    from gongkai.cli.register import register as register_commands
    from gongkai.cli.users import register as user_commands
    from gongkai.cli.web import register as web_commands

    document_commands(app)
    corpus_commands(app)
    edition_commands(app)
    finding_commands(app)
    register_commands(app)
    card_commands(app)
    user_commands(app)
    web_commands(app)


_register_commands()


def main() -> None:
    app()
