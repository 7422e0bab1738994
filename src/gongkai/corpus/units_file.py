"""Reading a unit hierarchy from CSV or XLSX.

The first row names the columns, in Chinese or English (any order, extra columns ignored):
名称/单位名称/name, 级别/层级/level (省/市/县/乡/部门), 上级/上级单位/parent (a name from the same file
or already stored; empty at the top), 区划代码/代码/region_code, and optionally 别名/曾用名/aliases
(several separated by ；、; or |), which is where 区县 renames go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from gongkai.corpus.sheet_rows import XLSX_SUFFIXES, cell_text, sheet_rows
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
    rows = sheet_rows(path.read_bytes(), str(path), xlsx=path.suffix.lower() in XLSX_SUFFIXES)
    if not rows:
        raise UnreadableInput(str(path), "单位表为空")
    columns = _columns(path, rows[0])
    return [_spec(columns, row) for row in rows[1:] if any(cell_text(c) for c in row)]


def _columns(path: Path, header: Sequence[Any]) -> dict[str, int]:
    names = [cell_text(h).lower() for h in header]
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
        return cell_text(row[index]) if index is not None and index < len(row) else ""

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
