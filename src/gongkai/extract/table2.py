"""Table 2 (主动公开): blocks of caption, header and item rows, both templates (FORMAT.md §2.4, §3.2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.extract.align import Column, align, column
from gongkai.extract.normalize import norm
from gongkai.extract.values import Cell
from gongkai.model.keys import T2_LAYOUT, TEMPLATE_2019, TEMPLATE_2021
from gongkai.model.report import Anomaly

_ITEMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(p))
    for key, p in (
        ("other_services", r"对外管理服务"),
        ("normative_documents", r"规范性文件"),
        ("regulations", r"^规章"),
        ("licensing", r"行政许可"),
        ("punishment", r"行政处罚"),
        ("coercion", r"行政强制"),
        ("fees", r"事业性收费"),
        ("procurement", r"集中采购"),
    )
)
_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(p))
    for key, p in (
        ("issued", r"制发"),
        ("repealed", r"废止"),
        ("in_force", r"现行有效"),
        ("made", r"新制作"),
        ("published", r"新公开"),
        ("total_published", r"公开总数|对外公开"),
        # Before 上一年项目: a header fused from both forms ("上一年项目本年收费金额（单位：万元）")
        # stands over one value, the amount its unit names.
        ("amount", r"金额"),
        ("prior_items", r"上一?年.*项目"),
        ("change", r"增/?减|增\(减\)|增加/减少"),
        ("decisions", r"处理决定"),
        ("items", r"项目数"),
    )
)
_FIELDS_2021 = frozenset({"issued", "repealed", "in_force"})
_FIELDS_2019 = frozenset({"made", "published", "total_published", "prior_items", "change", "items"})


@lru_cache(maxsize=4096)
def item_key(label: str) -> str | None:
    key = norm(label)
    return next((k for k, p in _ITEMS if p.search(key)), None)


@lru_cache(maxsize=4096)
def field_key(header: str) -> str | None:
    key = norm(header)
    return next((k for k, p in _FIELDS if p.search(key)), None)


def field_keys(header: str) -> set[str]:
    """Every field a heading names: two when the headings of two columns were fused into one
    cell. 上一年项目数量 names one field through two keywords; 上一年项目本年收费金额（单位：万元）,
    a heading fused from both forms, stands over one value, the amount its unit names."""
    key = norm(header)
    found = {k for k, p in _FIELDS if p.search(key)}
    if "prior_items" in found:
        found.discard("items")
        if "amount" in found:
            found.discard("prior_items")
    return found


@dataclass(slots=True)
class T2Result:
    items: dict[str, dict[str, Cell | None]] = field(default_factory=dict)
    template: str | None = None
    anomalies: list[Anomaly] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Header:
    """A block's header row: field keys by position after 信息内容, and by interval (align.py)
    when every named field has one."""

    fields: list[str | None]
    columns: tuple[Column, ...] | None = None
    frame: int | None = None


def _columns(cells: Sequence[Cell], frame: int | None) -> tuple[Column, ...] | None:
    if frame is None:
        return None
    columns = []
    for cell in cells:
        key = field_key(cell.text) if cell.text and not cell.src.covered else None
        col = column(key, cell) if key is not None else None
        if key is not None and col is None:
            return None
        if col is not None:
            columns.append(col)
    keys = [c.key for c in columns]
    return tuple(columns) if columns and len(set(keys)) == len(keys) else None


def _header(cells: Sequence[Cell], frame: int | None = None) -> Header | None:
    """The row as a block header, or None if it is not one."""
    texts = [norm(c.text) for c in cells]
    if not any("信息内容" in t for t in texts) and sum(field_key(t) is not None for t in texts) < 2:
        return None
    if any(c.kind == "number" for c in cells):
        return None
    start = next((i + 1 for i, t in enumerate(texts) if "信息内容" in t), 0)
    if any(len(field_keys(t)) > 1 for t in texts[start:]):
        return Header([])  # headings fused into one cell: no position can be trusted
    fields = [field_key(t) if t else None for t in texts[start:]]
    return Header(fields, _columns(cells, frame), frame)


def template_of(fields: set[str], items: set[str]) -> str | None:
    if fields & _FIELDS_2019 or items & {"other_services", "procurement"}:
        return TEMPLATE_2021 if fields & _FIELDS_2021 else TEMPLATE_2019
    if fields & _FIELDS_2021 or ("fees" in items and "amount" in fields):
        return TEMPLATE_2021
    return None


def _default_fields(item: str, template: str | None) -> list[str | None]:
    for _caption, items, fields in T2_LAYOUT[template or TEMPLATE_2021]:
        if item in items:
            return list(fields)
    return []


def _note(kind: str, item: str, message: str, cells: Sequence[Cell]) -> Anomaly:
    return Anomaly.model_validate(
        {
            "kind": kind,
            "table": "table2",
            "row": item,
            "message": message,
            "cells": [c.text for c in cells],
            "line": cells[0].src.line if cells else None,
        }
    )


def _aligned(
    item: str, header: Header, cells: list[Cell], frame: int | None
) -> tuple[dict[str, Cell | None], Anomaly | None] | None:
    """The row read by the header's column intervals; None when it has none to read by."""
    if header.columns is None or frame != header.frame:
        return None
    placed = align(header.columns, cells)
    if placed is None:
        return None
    out = placed.cells
    if placed.problems:
        message = "按表头的列无法确定取值：" + "；".join(placed.problems) + "，未读取"
        return dict.fromkeys(out), _note("ambiguous_cells", item, message, cells)
    unreadable = [c for c in out.values() if c is not None and c.kind == "label"]
    if unreadable:
        texts = "、".join(c.text for c in unreadable)
        out = {k: None if c is not None and c.kind == "label" else c for k, c in out.items()}
        return out, _note("unreadable_value", item, f"单元格内容不是数字：{texts}", cells)
    return out, None


def _assign(
    item: str, header: list[str | None], values: list[Cell], spaced: bool
) -> tuple[dict[str, Cell | None], Anomaly | None]:
    fields = [f for f in header if f is not None]
    trimmed = list(values)
    while trimmed and trimmed[-1].empty:
        trimmed.pop()
    if spaced and len(trimmed) != len(fields):
        msg = f"该行有 {len(trimmed)} 个数值（应为 {len(fields)} 个），空格分隔无法确定对应的列，未读取"
        return dict.fromkeys(fields), _note(
            "lost_cells" if len(trimmed) < len(fields) else "ambiguous_cells", item, msg, values
        )
    out: dict[str, Cell | None] = {}
    for pos, key in enumerate(header):
        if key is not None:
            out[key] = trimmed[pos] if pos < len(trimmed) else None
    unreadable = [c for c in out.values() if c is not None and c.kind == "label"]
    if unreadable:
        texts = "、".join(c.text for c in unreadable)
        return out, _note("unreadable_value", item, f"单元格内容不是数字：{texts}", values)
    unplaced = [
        c
        for pos, c in enumerate(trimmed)
        if not c.empty and (pos >= len(header) or not header[pos])
    ]
    if unplaced:  # a value under no heading: every value's column is in doubt
        texts = "、".join(c.text for c in unplaced)
        message = f"该行的“{texts}”不在任何表头之下，无法确定各值对应的列，未读取"
        return dict.fromkeys(fields), _note("ambiguous_cells", item, message, values)
    return out, None


def _item_row(cells: list[Cell]) -> tuple[str, list[Cell]] | None:
    """(item key, the cells after its label) for a row naming a table-2 item, even all blank."""
    at = next((i for i, c in enumerate(cells) if c.kind == "label" and item_key(c.text)), None)
    if at is None:
        return None
    return item_key(cells[at].text) or "", cells[at + 1 :]


@dataclass(frozen=True, slots=True)
class T2Row:
    """A table row in the table-2 region: its cells, whether spaces separated them (blanks lost),
    and the frame of their intervals."""

    cells: list[Cell]
    spaced: bool = False
    frame: int | None = None


def _read_item(result: T2Result, item: str, row: T2Row, header: Header | None) -> None:
    values = _item_row(row.cells)
    values_after = values[1] if values else []
    seen = result.items.get(item)
    if seen is not None and any(c is not None and c.text for c in seen.values()):
        result.anomalies.append(
            _note("duplicate_row", item, "该行重复出现，已采用第一次出现的数值", values_after)
        )
        return
    aligned = _aligned(item, header, row.cells, row.frame) if header is not None else None
    if aligned is not None:
        result.items[item], note = aligned
    else:
        if header is None:
            result.anomalies.append(
                _note("missing_header", item, "未找到表头，按格式默认的列读取", values_after)
            )
        use = header.fields if header is not None else _default_fields(item, result.template)
        result.items[item], note = _assign(item, use, values_after, row.spaced)
    if note is not None:
        result.anomalies.append(note)


def parse_table2(rows: Sequence[T2Row]) -> T2Result:
    """The table rows of the table-2 region, in document order."""
    result = T2Result()
    header: Header | None = None
    fields_seen: set[str] = set()
    for row in rows:
        new_header = _header(row.cells, row.frame)
        if new_header is not None:
            header = new_header
            fields_seen.update(f for f in header.fields if f)
            continue
        found = _item_row(row.cells)
        if found is not None:
            _read_item(result, found[0], row, header)
    result.template = template_of(fields_seen, set(result.items))
    return result
