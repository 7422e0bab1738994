"""The rows of a small user-maintained table given as CSV or XLSX (a unit hierarchy, a year's
holidays): the first sheet, every value as Excel or the CSV holds it, bounded."""

from __future__ import annotations

import csv
import io
from itertools import islice
from typing import Any

from gongkai.corpus.ingest import MissingDependency
from gongkai.errors import UnreadableInput
from gongkai.readers.docx import check_zip

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def sheet_rows(data: bytes, name: str, *, xlsx: bool, limit: int | None = None) -> list[list[Any]]:
    """Up to `limit` rows (all when None) of the CSV or of the workbook's first sheet."""
    return _xlsx_rows(data, name, limit) if xlsx else _csv_rows(data, name, limit)


def _csv_rows(data: bytes, name: str, limit: int | None) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel's "CSV UTF-8", or a Chinese Windows ANSI
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(islice(csv.reader(io.StringIO(text)), limit))
    raise UnreadableInput(name, "无法识别编码")


def _xlsx_rows(data: bytes, name: str, limit: int | None) -> list[list[Any]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:
        raise MissingDependency("openpyxl", "请安装 openpyxl 以读取 XLSX") from exc
    check_zip(data, name, "XLSX")  # bounded before openpyxl inflates it
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl raise many unrelated types
        raise UnreadableInput(name, "Excel 文件无法解析") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        return [list(row) for row in islice(rows, limit)]
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A cell as text; a code or a year read by Excel as a number loses no digits (640500.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
