"""`gongkai edition ID --current`: choose which edition of an agency-year counts.

Every report of one agency and year is an edition: the corpus counts one of them (statistics,
exports, roll-ups, report cards, cross-year checks) and keeps the others. This command records a
person's choice, as `review` records a decision: with who and why, kept across re-ingest.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from gongkai import corpus
from gongkai.cli.common import audit, console, err_console, run_or_exit
from gongkai.cli.views import editions_table
from gongkai.store import DEFAULT_DB


def edition(
    report_id: Annotated[int, typer.Argument(help="报告编号（见 ls --editions）")],
    current: Annotated[
        bool, typer.Option("--current", help="设为该机关该年度计入统计的版本")
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="说明，如“更正后重新发布”")] = None,
    who: Annotated[str | None, typer.Option("--who", help="决定人（默认：当前用户）")] = None,
    db: Annotated[
        Path, typer.Option("--db", envvar="GONGKAI_DB", help="语料库数据库文件（SQLite）")
    ] = Path(DEFAULT_DB),
) -> None:
    """查看一份报告所属机关、年度的各个版本；加 --current 把它设为计入统计的版本。"""
    if current:
        rows = run_or_exit(
            lambda: corpus.choose_edition(report_id, db, who=who or getpass.getuser(), note=note)
        )
        audit(db, "选定计入统计的版本", f"报告 {report_id}" + (f"（说明：{note}）" if note else ""))
        err_console.print(f"已将报告 {report_id} 设为计入统计的版本（重新导入后仍然保留）")
    else:
        rows = run_or_exit(lambda: corpus.show(report_id, db)).editions
    if not rows:
        console.print("该机关该年度只有这一份报告。")
        return
    console.print(editions_table(rows))


def register(app: typer.Typer) -> None:
    app.command()(edition)
