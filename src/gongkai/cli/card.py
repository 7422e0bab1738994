"""The 体检报告 command: `gongkai report-card AGENCY [--year] [--db] [--to html|docx] [--json] [-o OUT]`.

`register(app)` adds it to the main CLI:
`gongkai report-card 某某县人民政府 --db gongkai.sqlite`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import run_or_exit
from gongkai.cli.documents import OutOpt, write_output
from gongkai.cli.output import json_text
from gongkai.store import DEFAULT_DB


class CardFormat(StrEnum):
    html = "html"
    docx = "docx"


def report_card_command(
    agency: Annotated[str, typer.Argument(help="机关名称（全称，或能唯一确定机关的一部分）")],
    year: Annotated[
        int | None, typer.Option("--year", help="报告年度；省略则取语料库中该机关的最新年度")
    ] = None,
    db: Annotated[
        Path, typer.Option("--db", envvar="GONGKAI_DB", help="语料库数据库文件（SQLite）")
    ] = Path(DEFAULT_DB),
    to: Annotated[CardFormat, typer.Option("--to", help="输出格式")] = CardFormat.html,
    out: OutOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON（默认到标准输出，-o 指定文件）；忽略 --to")
    ] = False,
) -> None:
    """体检报告：一个机关的审查问题、历年主要数据，以及在同级机关中的位置（中位数、四分位）。"""
    from gongkai.corpus.report_card import report_card
    from gongkai.render.report_card import render_card_docx, render_card_html

    card = run_or_exit(lambda: report_card(agency, db, year))
    if as_json:  # the same figures the documents show, for a program
        write_output(json_text(card.model_dump(mode="json")), "json", out or Path("-"), Path("-"))
        return
    content = render_card_docx(card) if to is CardFormat.docx else render_card_html(card)
    default = Path(f"{card.agency}{card.year}年度体检报告.{to.value}")
    write_output(content, to.value, out, default)


def register(app: typer.Typer) -> None:
    app.command("report-card")(report_card_command)
