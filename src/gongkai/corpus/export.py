"""Export: wide (one row per report, every cell a named column) or long (one row per cell), as CSV,
XLSX, Parquet or JSON. Rows are streamed, so memory does not grow with the corpus."""

from __future__ import annotations

import csv
import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

from gongkai.corpus.columns import WIDE_CELLS, cell_column, column_label
from gongkai.corpus.ingest import MissingDependency
from gongkai.store import DEFAULT_DB, Filters, open_db
from gongkai.store.export_rows import (
    CELL_FIELDS,
    LONG_META,
    META_COLUMNS,
    iter_cells,
    iter_long,
    iter_meta,
)

ExportFormat = Literal["csv", "xlsx", "parquet", "json"]
_XLSX_MAX_ROWS = 1_048_575  # one header row per sheet
_INTEGER_COLUMNS = frozenset({"id", "year", "errors", "warnings", "line"})
_VALUE_COLUMNS = frozenset({"value", *(name for name, _ in WIDE_CELLS)})


def export(
    out: str | Path,
    fmt: ExportFormat,
    db: str | Path = DEFAULT_DB,
    *,
    long: bool = False,
    filters: Filters | None = None,
) -> int:
    """Write the selected reports to `out`; return the number of data rows written."""
    con = open_db(db, create=False)
    try:
        header, rows = table(con, filters or Filters(), long=long)
        writer = {
            "csv": write_csv,
            "xlsx": write_xlsx,
            "parquet": write_parquet,
            "json": write_json,
        }
        return writer[fmt](Path(out), header, rows)
    finally:
        con.close()


def table(
    con: sqlite3.Connection, filters: Filters, *, long: bool
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """(header, rows) of the export."""
    if long:
        header = [*LONG_META, "column", *CELL_FIELDS]
        return header, (
            (*r[:5], cell_column(r[5], r[6], r[7]), *r[5:]) for r in iter_long(con, filters)
        )
    return [*META_COLUMNS, *(name for name, _ in WIDE_CELLS)], _wide(con, filters)


def _wide(con: sqlite3.Connection, filters: Filters) -> Iterator[tuple[Any, ...]]:
    index = {name: i for i, (name, _) in enumerate(WIDE_CELLS)}
    cells = groupby(iter_cells(con, filters), key=lambda c: c[0])
    pending = next(cells, None)
    for meta in iter_meta(con, filters):
        values: list[Any] = [None] * len(WIDE_CELLS)
        if pending is not None and pending[0] == meta[0]:
            for _, tbl, row, col, value, _raw, _unit in pending[1]:
                slot = index.get(cell_column(tbl, row, col))
                if slot is not None:  # a key outside the canonical set is left to --long
                    values[slot] = value
            pending = next(cells, None)
        yield (*meta, *values)


def write_csv(out: Path, header: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    # UTF-8 with BOM: Excel on Chinese Windows opens it as UTF-8 instead of GBK.
    return _csv(out, header, rows, encoding="utf-8-sig")


def _csv(out: Path, header: list[str], rows: Iterable[tuple[Any, ...]], encoding: str) -> int:
    count = 0
    with out.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_json(out: Path, header: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """A JSON array of objects, written item by item."""
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for row in rows:
            fh.write(",\n" if count else "\n")
            fh.write(json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False))
            count += 1
        fh.write("\n]\n")
    return count


def write_xlsx(out: Path, header: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Streamed (write-only) workbook; a long export past Excel's row limit continues on further
    sheets; a sheet 说明 gives every column's meaning in Chinese."""
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise MissingDependency("openpyxl", "请安装 openpyxl 以导出 XLSX") from exc
    book = Workbook(write_only=True)
    sheet, count = None, 0
    for row in rows:
        if count % _XLSX_MAX_ROWS == 0:
            sheet = book.create_sheet(f"报告{count // _XLSX_MAX_ROWS + 1}")
            sheet.append(header)
        assert sheet is not None
        sheet.append(row)
        count += 1
    if sheet is None:
        book.create_sheet("报告1").append(header)
    legend = book.create_sheet("说明")
    legend.append(["列名", "含义"])
    for name in header:
        legend.append([name, column_label(name)])
    book.save(out)
    return count


def write_parquet(out: Path, header: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Parquet through DuckDB: the rows are staged as CSV and read back with declared types, so a
    column that happens to be empty keeps its type."""
    try:
        import duckdb
    except ImportError as exc:
        raise MissingDependency("duckdb", "请安装 duckdb 以导出 Parquet") from exc
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        staged = Path(tmp, "rows.csv")
        count = _csv(staged, header, rows, encoding="utf-8")
        columns = ", ".join(f"{_quote(name)}: '{_duck_type(name)}'" for name in header)
        con = duckdb.connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM read_csv({_quote(str(staged))}, header = true,"
                f" columns = {{{columns}}})) TO {_quote(str(out))} (FORMAT parquet)"
            )
        finally:
            con.close()
    return count


def _quote(text: str) -> str:
    """A DuckDB string literal (COPY takes no parameters for its file names)."""
    return "'" + text.replace("'", "''") + "'"


def _duck_type(name: str) -> str:
    if name in _INTEGER_COLUMNS:
        return "BIGINT"
    # Cell values are DOUBLE: counts are exact as doubles, and a money cell may hold decimals.
    return "DOUBLE" if name in _VALUE_COLUMNS else "VARCHAR"
