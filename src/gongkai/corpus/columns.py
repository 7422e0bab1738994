"""Named columns of the wide export (t3_received_0 …) and their meaning in Chinese."""

from __future__ import annotations

from typing import Final

from gongkai.model.keys import (
    T2_FIELD_LABELS,
    T2_ITEM_LABELS,
    T2_LAYOUT,
    T3_COLUMNS,
    T3_LABELS,
    T4_COLUMNS,
    T4_GROUPS,
)

_PREFIX: Final = {"table2": "t2", "table3": "t3", "table4": "t4"}
_META_LABELS: Final = {
    "id": "报告编号",
    "sha256": "文件内容哈希",
    "source_path": "来源文件",
    "format": "文件格式",
    "status": "解析状态（ok 成功 / error 失败）",
    "error": "失败原因",
    "agency": "发布机关（原文）",
    "agency_key": "发布机关（规范化名称）",
    "year": "报告年度",
    "template_t2": "表二格式",
    "template_t3": "表三格式",
    "level": "层级（推断）",
    "province": "省（推断）",
    "city": "市（推断）",
    "county": "县（推断）",
    "township": "乡镇街道（推断）",
    "region_code": "区划代码（推断）",
    "unit": "所属单位（单位表；长表中为单元格单位）",
    "errors": "错误数",
    "warnings": "警告数",
    "column": "列名（宽表中的列）",
    "tbl": "表",
    "row_key": "行键",
    "col_key": "列键",
    "value": "数值（空白为空，不为 0）",
    "raw": "原文",
}


def cell_column(tbl: str, row: str, col: str) -> str:
    return f"{_PREFIX.get(tbl, tbl)}_{row}_{col}"


def _t2_cells() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for template in ("2021", "2019"):
        for _caption, items, fields in T2_LAYOUT[template]:
            for item in items:
                for fld in fields:
                    label = f"表二·{T2_ITEM_LABELS[item]}·{T2_FIELD_LABELS[fld]}"
                    seen.setdefault(cell_column("table2", item, fld), label)
    return list(seen.items())


def _t3_cells() -> list[tuple[str, str]]:
    return [
        (cell_column("table3", row, str(i)), f"表三·{label}·{col}")
        for row, label in T3_LABELS.items()
        for i, col in enumerate(T3_COLUMNS)
    ]


def _t4_cells() -> list[tuple[str, str]]:
    return [
        (cell_column("table4", group, str(i)), f"表四·{label}·{col}")
        for group, label in T4_GROUPS
        for i, col in enumerate(T4_COLUMNS)
    ]


# Every canonical cell of both templates, in form order: the wide export's columns.
WIDE_CELLS: Final[tuple[tuple[str, str], ...]] = (*_t2_cells(), *_t3_cells(), *_t4_cells())
_CELL_LABELS: Final = dict(WIDE_CELLS)


def column_label(name: str) -> str:
    return _META_LABELS.get(name) or _CELL_LABELS.get(name, "")
