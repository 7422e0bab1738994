"""`gongkai register …`: the 依申请公开台账 — record requests as they arrive, their handling and
their review/litigation cases; see due dates on real working days; derive tables 3 and 4.

    gongkai register add --received 2026-09-28 --applicant 自然人 --channel 网上 --content "…"
    gongkai register event 1 答复 2026-10-20 --outcome 予以公开
    gongkai register list            gongkai register overdue --within 3
    gongkai register table3 --year 2026 --agency 某某县人民政府 --to docx -o 表三.docx
    gongkai register deadline 2026-09-28 --json
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.table import Table

from gongkai.cli.common import audit, err_console, run_or_exit
from gongkai.cli.documents import OutOpt, write_output
from gongkai.cli.output import JsonOpt, json_text, print_json, print_view
from gongkai.cli.register_dates import calendar_command, day_of, deadline_command
from gongkai.cli.register_words import (
    applicant_of,
    case_kind_of,
    case_result_of,
    channel_of,
    event_kind_of,
    outcome_of,
)
from gongkai.model.register import (
    APPLICANT_NAMES,
    EVENT_NAMES,
    STATUS_NAMES,
    Case,
    Event,
    Request,
)
from gongkai.store import DEFAULT_DB

if TYPE_CHECKING:  # the register's modules load only when a register command runs
    from gongkai.corpus.register import Entry

T = TypeVar("T")
register_app = typer.Typer(
    help="依申请公开台账：逐件登记申请、办理步骤与复议诉讼，按工作日计算答复期限，生成表三、表四。",
    no_args_is_help=True,
)
DbOpt = Annotated[
    Path, typer.Option("--db", envvar="GONGKAI_DB", help="台账所在的数据库文件（SQLite）")
]


def _word(parse: Callable[[str], T], text: str) -> T:
    try:
        return parse(text)
    except ValueError as exc:
        err_console.print(f"[red]错误[/red] {exc}")
        raise typer.Exit(2) from None


@register_app.command("add")
def add(
    received: Annotated[str, typer.Option("--received", help="收到申请之日（按第三十一条确定）")],
    applicant: Annotated[
        str, typer.Option("--applicant", help="申请人类型：自然人、商业企业、科研机构等")
    ],
    channel: Annotated[
        str, typer.Option("--channel", help="申请方式：当面、挂号信、网上等")
    ] = "其他",
    content: Annotated[str, typer.Option("--content", help="申请内容")] = "",
    contact: Annotated[str | None, typer.Option("--contact", help="联系方式")] = None,
    number: Annotated[str | None, typer.Option("--number", help="本机关的申请编号")] = None,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """登记一件新收到的申请，并显示它的答复期限。"""
    from gongkai.corpus import register

    request = Request(
        received=day_of(received, "收到日期"),
        applicant=_word(applicant_of, applicant),
        channel=_word(channel_of, channel),
        content=content,
        contact=contact,
        number=number,
    )
    rid = run_or_exit(lambda: register.add_request(request, db))
    audit(db, "登记依申请公开申请", f"#{rid}")
    err_console.print(f"已登记申请 #{rid}")
    _show_entries([e for e in run_or_exit(lambda: register.entries(db)) if e.request.id == rid])


@register_app.command("event")
def event(
    request_id: Annotated[int, typer.Argument(help="申请编号（见 register list）")],
    kind: Annotated[
        str, typer.Argument(help="办理步骤：补正通知、补正收到、征求意见开始…、答复、撤回")
    ],
    on: Annotated[str, typer.Argument(help="日期，如 2026-10-20")],
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="答复的办理结果，如 予以公开、部分公开")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="说明")] = None,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """记录一件申请的办理步骤（补正、征求意见、延期、收费、答复、撤回）。"""
    from gongkai.corpus import register

    step = Event(
        request_id=request_id,
        kind=_word(event_kind_of, kind),
        on=day_of(on, "日期"),
        outcome=_word(outcome_of, outcome) if outcome else None,
        note=note,
    )
    run_or_exit(lambda: register.add_event(step, db))
    audit(db, "记录申请的办理步骤", f"#{request_id} {EVENT_NAMES[step.kind]}（{step.on}）")
    err_console.print(f"已记录：申请 #{request_id} {EVENT_NAMES[step.kind]}（{step.on}）")
    _show_entries(
        [e for e in run_or_exit(lambda: register.entries(db)) if e.request.id == request_id]
    )


@register_app.command("case")
def case(
    kind: Annotated[str, typer.Argument(help="行政复议、直接起诉（未经复议）或复议后起诉")],
    filed: Annotated[str, typer.Argument(help="立案（申请复议、起诉）日期")],
    result: Annotated[
        str, typer.Option("--result", help="维持、纠正、其他、尚未审结")
    ] = "尚未审结",
    request_id: Annotated[int | None, typer.Option("--request", help="所涉申请编号")] = None,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """登记一件因政府信息公开引起的行政复议或行政诉讼案件（表四）。"""
    from gongkai.corpus import register

    item = Case(
        kind=_word(case_kind_of, kind),
        filed=day_of(filed, "日期"),
        result=_word(case_result_of, result),
        request_id=request_id,
    )
    cid = run_or_exit(lambda: register.add_case(item, db))
    audit(db, "登记复议诉讼案件", f"#{cid}")
    err_console.print(f"已登记案件 #{cid}")


@register_app.command("case-result")
def case_result(
    case_id: Annotated[int, typer.Argument(help="案件编号")],
    result: Annotated[str, typer.Argument(help="维持、纠正、其他、尚未审结")],
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """更新复议或诉讼案件的结果。"""
    from gongkai.corpus import register

    run_or_exit(lambda: register.set_case_result(case_id, _word(case_result_of, result), db))
    audit(db, "更新复议诉讼案件", f"#{case_id}")
    err_console.print(f"已更新案件 #{case_id}")


def _show_entries(items: Sequence[Entry], today: date | None = None) -> None:
    when = today or date.today()
    table = Table(title=f"依申请公开台账（{when}）")
    for name in ("编号", "收到日期", "申请人", "内容", "状态", "答复期限", "说明"):
        table.add_column(name, overflow="fold")
    for item in items:
        r, due = item.request, item.due
        if due is None:
            status, limit, why = "无法计算", "—", item.problem or ""
        else:
            status = STATUS_NAMES.get(due.status, due.status)
            limit = str(due.due) if due.due else "—"
            if due.due and due.status != "concluded" and due.due < when:
                limit = f"[red]{limit}（已逾期）[/red]"
            why = "；".join(due.reasons[-2:])
        table.add_row(
            str(r.id), str(r.received), APPLICANT_NAMES[r.applicant], r.content[:30],
            status, limit, why,
        )  # fmt: skip
    print_view(table)


def _entry_json(item: Entry) -> dict[str, object]:
    due = item.due
    return {
        "request": item.request.model_dump(mode="json"),
        "events": [e.model_dump(mode="json") for e in item.events],
        "status": due.status if due else None,
        "due": due.due.isoformat() if due and due.due else None,
        "reasons": list(due.reasons) if due else [],
        "problem": item.problem,
    }


@register_app.command("list")
def list_command(
    open_only: Annotated[bool, typer.Option("--open", help="只列未办结的申请")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """列出台账中的申请、办理状态与答复期限。"""
    from gongkai.corpus import register

    items = run_or_exit(lambda: register.entries(db))
    if open_only:
        items = [e for e in items if register.is_open(e)]
    if as_json:
        print_json([_entry_json(e) for e in items])
    else:
        _show_entries(items)


@register_app.command("overdue")
def overdue(
    within: Annotated[int, typer.Option("--within", help="同时列出 N 个工作日内到期的申请")] = 0,
    today: Annotated[str | None, typer.Option("--today", help="以此日为今天（默认：今天）")] = None,
    as_json: JsonOpt = False,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """列出已逾期（以及 N 个工作日内将到期）的申请；有逾期时退出码为 1。"""
    from gongkai.corpus import register

    when = day_of(today, "今天") if today else date.today()
    items = run_or_exit(lambda: register.entries(db))
    found = register.flagged(items, when, within, run_or_exit(lambda: register.calendar(db)))
    chosen = found.late + found.soon
    if as_json:
        print_json([_entry_json(e) for e in chosen])
    else:
        _show_entries(chosen, when)
    raise typer.Exit(1 if found.late else 0)


@register_app.command("table3")
def table3_command(
    year: Annotated[int, typer.Option("--year", help="报告年度")],
    agency: Annotated[str, typer.Option("--agency", help="本机关名称")],
    to: Annotated[
        str, typer.Option("--to", help="json、docx、pdf、xlsx、html 或 md（国家统一格式）")
    ] = "json",
    out: OutOpt = None,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """由台账生成该年度的表三、表四（勾稽关系必然成立），按国家统一格式输出。"""
    from gongkai.corpus import register
    from gongkai.render import render

    report = run_or_exit(lambda: register.year_report(agency, year, db))
    if to == "json":
        write_output(json_text(report.to_json()), "json", out or Path("-"), Path("-"))
        return
    write_output(render(report, to), to, out, Path(f"{agency}{year}年表三表四.{to}"))


@register_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="台账工作簿（.xlsx）")],
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """导入已有的台账工作簿：能读的行全部导入，读不了的行逐行说明原因；已在台账中的申请不重复导入。"""
    from gongkai.corpus import register

    summary = run_or_exit(lambda: register.import_workbook(file, db))
    for line in [*summary.ignored, *summary.errors]:
        err_console.print(f"[yellow]未导入[/yellow] {line}", highlight=False, soft_wrap=True)
    if summary.added:
        audit(db, "导入台账工作簿", f"{file}：{summary.added} 件申请")
    err_console.print(
        f"已导入 {summary.added} 件申请，已在台账中而跳过 {summary.skipped} 件，"
        f"有问题未导入 {len(summary.errors)} 行"
    )
    raise typer.Exit(1 if summary.errors else 0)


@register_app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help="输出的台账工作簿（.xlsx）")],
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """把台账导出为工作簿（可再导入）。"""
    from gongkai.corpus import register

    count = run_or_exit(lambda: register.export_workbook(file, db))
    err_console.print(f"已导出 {count} 件申请到 {file}")


register_app.command("deadline")(deadline_command)
register_app.command("calendar")(calendar_command)


def register(app: typer.Typer) -> None:
    app.add_typer(register_app, name="register")
