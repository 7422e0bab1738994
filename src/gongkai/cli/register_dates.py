"""`gongkai register deadline` and `gongkai register calendar`: working days and statutory dates.

The two command functions are added to the `register` group by cli/register.py:

    gongkai register deadline 2026-09-28 [--extended] [--json] [--db DB]
    gongkai register calendar 2027 2027年放假安排.xlsx [--db DB]

`deadline` answers for a plain request (no correction, pause or conclusion: those are in
`register list`); it reads the calendar the user imported when the database exists, and never
creates one. `calendar` imports the days of a year chinese-calendar does not cover.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from gongkai.analysis.workdays import Calendar
from gongkai.cli.common import console, err_console, run_or_exit
from gongkai.cli.output import JsonOpt, print_json
from gongkai.store import DEFAULT_DB

_DbOpt = Annotated[
    Path,
    typer.Option(
        "--db", envvar="GONGKAI_DB", help="台账所在的数据库文件（SQLite），其中导入的工作日历"
    ),
]


def day_of(text: str, what: str) -> date:
    """A date given on the command line (2026-09-28), or one red line naming `what` and exit 2."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        err_console.print(
            f"[red]错误[/red] {what}“{escape(text)}”无法识别，应写作 2026-09-28",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None


def deadline_command(
    received: Annotated[
        str, typer.Argument(help="收到申请之日（按第三十一条确定），如 2026-09-28")
    ],
    extended: Annotated[
        bool, typer.Option("--extended", help="加上经批准的延长期限（20个工作日，第三十三条）")
    ] = False,
    as_json: JsonOpt = False,
    db: _DbOpt = Path(DEFAULT_DB),
) -> None:
    """答复期限：收到申请之日起20个工作日（不含当日，节假日不计、调休上班日计入，第三十三条）。"""
    from gongkai.analysis.register_deadline import plain_deadline

    day = day_of(received, "收到申请之日")
    # A database only supplies the years the user imported; without one the official calendar
    # (chinese-calendar) is all there is, and no empty database is left behind.
    calendar = _calendar(db) if db.is_file() else Calendar()
    due = run_or_exit(lambda: plain_deadline(day, calendar, extended=extended))
    if as_json:
        print_json(
            {
                "received": due.received.isoformat(),
                "due": due.due.isoformat() if due.due else None,
                "extended": due.extended,
                "correction_by": due.correction_by.isoformat() if due.correction_by else None,
                "reasons": due.reasons,
            }
        )
        return
    console.print(
        f"收到申请：{due.received}    答复期限：[bold]{due.due}[/bold]",
        highlight=False,
        soft_wrap=True,
    )
    for reason in due.reasons:
        console.print(f"  · {escape(reason)}", highlight=False, soft_wrap=True)


def _calendar(db: Path) -> Calendar:
    from gongkai.corpus.register import calendar

    return run_or_exit(lambda: calendar(db))


def calendar_command(
    year: Annotated[int, typer.Argument(min=1900, max=2999, help="年度，如 2027")],
    file: Annotated[
        Path, typer.Argument(help="CSV 或 XLSX：日期、类型（休/班，或 节假日/调休上班）两列")
    ],
    db: _DbOpt = Path(DEFAULT_DB),
) -> None:
    """导入某年的工作日历（chinese-calendar 尚未收录的年度）：逐行列出放假的工作日与调休上班的周末。"""
    from gongkai.corpus.calendar_file import import_calendar

    done = run_or_exit(lambda: import_calendar(year, file, db))
    console.print(
        f"已导入 {done.year} 年的工作日历：节假日 {len(done.holidays)} 天（周一至周五放假），"
        f"调休上班 {len(done.workdays)} 天（周六、周日上班）；其余周一至周五上班、周六周日休息。",
        highlight=False,
        soft_wrap=True,
    )
    if done.redundant:
        console.print(
            f"另有 {done.redundant} 行与平常的周一至周五安排相同（工作日上班或周末休息），已一并记录。",
            highlight=False,
            soft_wrap=True,
        )
