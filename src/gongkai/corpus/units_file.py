"""Reading a unit hierarchy from CSV or XLSX.

The first row names the columns, in Chinese or English (any order, extra columns ignored):
名称/单位名称/name, 级别/层级/level (省/市/县/乡/部门), 上级/上级单位/parent (a name from the same file
or already stored; empty at the top), 区划代码/代码/region_code, and optionally 别名/曾用名/aliases
(several separated by ；、; or |), which is where 区县 renames go.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gongkai.corpus.ingest import MissingDependency
from gongkai.errors import UnreadableInput
from gongkai.store import UnitSpec

_HEADERS = {
    "name": ("名称", "单位名称", "单位", "name"),
    "level": ("级别", "层级", "level"),
    "parent": ("上级", "上级单位", "parent"),
    "region_code": ("区划代码", "代码", "行政区划代码", "region_code", "code"),
    "aliases": ("别名", "曾用名", "简称", "aliases"),
}
_LEVEL_WORDS = {"省级": "省", "市级": "市", "县级": "县", "乡级": "乡", "乡镇": "乡", "街道": "乡"}
_ALIAS_SPLIT = re.compile(r"[；;、|]")


def read_units(path: str | Path) -> list[UnitSpec]:
    """The units listed in a .csv or .xlsx file."""
    path = Path(path)
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    if not rows:
        raise UnreadableInput(str(path), "单位表为空")
    columns = _columns(path, rows[0])
    return [_spec(columns, row) for row in rows[1:] if any(_text(c) for c in row)]


def _csv_rows(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(data.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise UnreadableInput(str(path), "无法识别编码")


def _xlsx_rows(path: Path) -> list[list[Any]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:
        raise MissingDependency("openpyxl", "请安装 openpyxl 以读取 XLSX") from exc
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _columns(path: Path, header: Sequence[Any]) -> dict[str, int]:
    names = [_text(h).lower() for h in header]
    found = {
        key: names.index(word) for key, words in _HEADERS.items() for word in words if word in names
    }
    missing = [
        words[0] for key, words in _HEADERS.items() if key in ("name", "level") and key not in found
    ]
    if missing:
        raise UnreadableInput(str(path), f"单位表缺少列：{'、'.join(missing)}")
    return found


def _spec(columns: dict[str, int], row: Sequence[Any]) -> UnitSpec:
    def cell(key: str) -> str:
        index = columns.get(key)
        return _text(row[index]) if index is not None and index < len(row) else ""

    level = cell("level")
    return UnitSpec(
        name=cell("name"),
        level=_LEVEL_WORDS.get(level, level),
        parent=cell("parent") or None,
        region_code=cell("region_code") or None,
        aliases=tuple(_split(cell("aliases"))),
    )


def _split(text: str) -> Iterable[str]:
    return (part.strip() for part in _ALIAS_SPLIT.split(text) if part.strip())


def _text(value: Any) -> str:
    """A cell as text; a region code read by Excel as a number loses no digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
