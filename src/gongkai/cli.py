"""Command line: parse arguments, call one library function, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from gongkai import __version__
from gongkai.errors import GongkaiError
from gongkai.parse import parse_file
from gongkai.render.terminal import report_view

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Gongkai：政府信息公开工作年度报告的精确解析与审查。",
)
_out = Console()
_err = Console(stderr=True)

FilesArg = Annotated[list[Path], typer.Argument(help="报告文件（可多个）", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出规范 JSON（report.schema.json）")]
ProvOpt = Annotated[bool, typer.Option("--provenance", help="JSON 中附带每个单元格的来源位置")]


def _print_json(docs: list[dict[str, Any]]) -> None:
    payload: Any = docs[0] if len(docs) == 1 else docs
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


@app.command()
def parse(files: FilesArg, as_json: JsonOpt = False, provenance: ProvOpt = False) -> None:
    """把报告解析为结构化数据：表二、表三、表四与六个部分。"""
    docs, failed = [], 0
    for path in files:
        try:
            report = parse_file(path)
        except GongkaiError as exc:
            _err.print(f"[red]错误[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
            failed += 1
            continue
        if as_json:
            docs.append(report.to_json(provenance=provenance))
        else:
            _out.rule(str(path))
            _out.print(report_view(report))
    if docs:
        _print_json(docs)
    raise typer.Exit(2 if failed else 0)


@app.command()
def version() -> None:
    """显示版本号。"""
    _out.print(__version__)


def main() -> None:
    app()
