"""`gongkai findings`: the corpus's findings one per row — the 整改 list a 政务公开办 sends a unit.

gongkai findings --db DB --state open --unit 某某县 --year 2025 --format xlsx -o 整改清单.xlsx
gongkai findings --db DB --state dismissed --format json
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from gongkai.cli.common import err_console, run_or_exit
from gongkai.cli.documents import OutOpt, write_output
from gongkai.cli.output import json_text
from gongkai.store import DEFAULT_DB, Filters


class FindingFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class ReviewState(StrEnum):
    open = "open"  # 待复核 and 已确认: what a unit must still fix
    pending = "pending"
    confirmed = "confirmed"
    dismissed = "dismissed"
    all = "all"


def findings_command(
    db: Annotated[
        Path, typer.Option("--db", envvar="GONGKAI_DB", help="语料库数据库文件（SQLite）")
    ] = Path(DEFAULT_DB),
    year: Annotated[int | None, typer.Option("--year", help="报告年度")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="单位（含其下级）")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="发布机关名称的一部分")] = None,
    code: Annotated[str | None, typer.Option("--code", help="审查意见代码，如 T3_BALANCE")] = None,
    state: Annotated[
        ReviewState,
        typer.Option("--state", help="open（待复核与已确认）、pending、confirmed、dismissed、all"),
    ] = ReviewState.open,
    fmt: Annotated[FindingFormat, typer.Option("--format", help="json、csv 或 xlsx")] = (
        FindingFormat.json
    ),
    out: OutOpt = None,
    notices: Annotated[
        Path | None, typer.Option("--notices", help="为每个单位写一份整改通知（DOCX）到此文件夹")
    ] = None,
    issuer: Annotated[
        str, typer.Option("--issuer", help="整改通知的落款机关")
    ] = "政府信息公开工作主管部门",  # render.notice.DEFAULT_ISSUER (not imported: CLI start-up)
    due: Annotated[str | None, typer.Option("--due", help="整改期限，如 2025年3月15日")] = None,
) -> None:
    """逐条列出审查意见（位置、规则、说明、复核状态），用作发给各单位的整改清单；--notices 为每个单位写一份整改通知。"""
    from gongkai.corpus.findings_export import csv_text, findings, xlsx_bytes

    filters = Filters(year=year, unit=unit, agency=agency)
    rows = run_or_exit(lambda: findings(db, filters, state=state.value, code=code))
    if notices is not None:
        _write_notices(rows, notices, issuer, year, due)
        return
    if fmt is FindingFormat.xlsx:
        if out is None or str(out) == "-":
            err_console.print("[red]错误[/red] xlsx 需用 -o 指定输出文件")
            raise typer.Exit(2)
        write_output(xlsx_bytes(rows), "xlsx", out, out)
        return
    text = json_text(rows) if fmt is FindingFormat.json else csv_text(rows)
    write_output(text, fmt.value, out or Path("-"), Path("-"))


def _write_notices(
    rows: list[dict[str, Any]], folder: Path, issuer: str, year: int | None, due: str | None
) -> None:
    """One DOCX per unit (a report attached to no unit: per agency), named after it."""
    from gongkai.render.notice import notice_files

    files = notice_files(rows, issuer=issuer, year=year, due=due)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    err_console.print(f"已为 {len(files)} 个单位写出整改通知到 {folder}")


def register(app: typer.Typer) -> None:
    app.command("findings")(findings_command)
