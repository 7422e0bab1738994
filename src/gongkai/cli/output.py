"""What the listing commands print: a rich view for a person, JSON or CSV for a program.

`--json` is one UTF-8 document per invocation (`ensure_ascii=False`); `--csv` is a header row and
one row per item, UTF-8 without a byte-order mark (a BOM would become part of the first column's
name for every program reading a pipe; `export -f csv` writes the BOM Excel needs to a file).
Off a terminal the rich views are drawn as wide as their content, so no cell is cut to fit 80
columns and one row stays one line (`gongkai ls | grep …` finds whole rows).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console, RenderableType
from rich.measure import Measurement

from gongkai.cli.common import console, err_console

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（UTF-8，便于程序读取）")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="输出 CSV（UTF-8，首行为列名）")]

# A width no terminal has: only used to ask a view how wide it would like to be.
_UNBOUNDED = 1_000_000


class Form(StrEnum):
    view = "view"
    json = "json"
    csv = "csv"


def form(as_json: bool, as_csv: bool = False) -> Form:
    """The output the options ask for; both at once is one red line and exit code 2."""
    if as_json and as_csv:
        err_console.print("[red]错误[/red] --json 与 --csv 只能选一个", highlight=False)
        raise typer.Exit(2)
    return Form.json if as_json else Form.csv if as_csv else Form.view


def write_stdout(text: str) -> None:
    """`text` as UTF-8 whatever the locale's encoding (a Windows console, LANG=C)."""
    sys.stdout.flush()  # whatever was printed before keeps its place
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (some test harnesses)
        sys.stdout.write(text)
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def json_text(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def print_json(doc: Any) -> None:
    write_stdout(json_text(doc))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with "\\n" line ends: the Unix tools a pipe feeds split on them; every CSV reader
    (Python's, Excel's, DuckDB's) takes them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return out.getvalue()


def print_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    write_stdout(csv_text(header, rows))


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):  # as JSON writes them, not Python's True/False
        return "true" if value else "false"
    return value


def records(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Dataclass rows as dicts, every field of the row class: a field added to the query's row
    reaches the JSON and CSV without a change here."""
    return [dataclasses.asdict(row) for row in rows]


def print_records(rows: Sequence[Any], row_type: type[Any]) -> None:
    """Dataclass rows as CSV, one column per field of `row_type` (the header even for no rows)."""
    header = [f.name for f in dataclasses.fields(row_type)]
    print_csv(header, ([getattr(row, name) for name in header] for row in rows))


def print_view(renderable: RenderableType) -> None:
    """On a terminal, as wide as the terminal (the views wrap long cells); anywhere else (a pipe,
    a file) as wide as the content, where rich would otherwise assume 80 columns and cut cells."""
    if console.is_terminal:
        console.print(renderable)
        return
    probe = console.options.update_width(_UNBOUNDED)
    width = Measurement.get(console, probe, renderable).maximum
    Console(file=sys.stdout, width=max(width, 1), highlight=False).print(renderable)
