"""Table 3 (依申请): rows identified by label keywords, never by position (FORMAT.md §2.5, §3.3)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.extract.fit import Fit, describe
from gongkai.extract.normalize import norm
from gongkai.extract.t3_columns import (
    WIDTH,
    Layout,
    T3Row,
    blank_row,
    layout,
    org_subtotal_message,
    read,
)
from gongkai.extract.values import Cell
from gongkai.model.keys import SUBTOTAL_SUFFIX, T3_LABELS, T3_ROWS, TEMPLATE_2019, TEMPLATE_2021
from gongkai.model.report import Anomaly

# Checked in order on the leaf label; the first match names the row.
_ROW_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("received", r"本年新收|新收.*申请"),
        ("carried_over", r"上年结转"),
        ("carried_forward", r"结转下年|下年度继续"),
        ("partial", r"部分公开"),
        ("granted", r"予以公开"),
        ("denied_state_secret", r"国家秘密"),
        ("denied_law", r"禁止公开|法律.*法规|行政止公开"),
        ("denied_security", r"三安全|一稳定|危及"),
        ("denied_third_party", r"第三方"),
        ("denied_internal", r"内部事务"),
        ("denied_process", r"过程性"),
        ("denied_enforcement", r"执法案卷"),
        ("denied_query", r"查询事项"),
        ("unavailable_not_held", r"不掌握"),
        ("unavailable_needs_creation", r"现成信息|另行制作"),
        ("other_no_correction", r"逾期不补|不补正"),
        ("other_unpaid_fee", r"收费通知|缴纳费用|逾期未"),
        ("unavailable_unclear", r"仍不明确|补正后"),
        ("declined_petition", r"信访|举报|投诉"),
        ("declined_duplicate", r"重复申请"),
        ("declined_publication", r"出版物"),
        ("declined_excessive", r"大量反复|大量.*申请"),
        ("declined_confirmation", r"确认或重新|重新出具|已获取信息"),
        ("total", r"^(\(七\))?总计$"),
        ("other", r"^(\(六\))?其他处理$"),
        ("other_misc", r"^(\d[.、])?其他$"),
    )
)
_NUMBERING = re.compile(r"^(\(([一二三四五六七八九十])\)|[一二三四五六七]、)")
# Subtotal rows of third-party templates: a group label that carries numbers of its own, alone or
# followed by 小计/合计 (FORMAT.md §2.5). （六）其他处理 is a leaf in 2019: see _subtotals.
_SUBTOTAL_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (block, re.compile(rf"^(\({no}\))?{name}(小计|合计)?$"))
    for block, no, name in (
        ("denied", "三", "不予公开"),
        ("unavailable", "四", "无法提供"),
        ("declined", "五", "不予处理"),
    )
)
_SUBTOTAL_WORD = re.compile(r"^(小计|合计)$")


_QUOTED = 60  # characters of an unrecognised label quoted in its anomaly (a hostile one is long)


def unknown_row(label: str) -> str:
    """What is said of a table-3 row whose label names no row of the form (both readings say it
    in the same words, so it is said once)."""
    shown = label if len(label) <= _QUOTED else label[:_QUOTED] + "…"
    return f"无法识别的表三行：{shown}"


@lru_cache(maxsize=8192)
def classify(label: str) -> str | None:
    """The row key a label names, or None."""
    key = norm(label)
    return next((k for k, pattern in _ROW_KEYWORDS if pattern.search(key)), None)


@dataclass(slots=True)
class T3Result:
    rows: dict[str, Fit] = field(default_factory=dict)
    template: str | None = None
    anomalies: list[Anomaly] = field(default_factory=list)
    subtotals: dict[str, Fit] = field(default_factory=dict)  # block → its subtotal row


def subtotal_block(row: T3Row) -> tuple[str, bool] | None:
    """(block, whether 小计/合计 says so) when the row's last label names a block
    (denied, unavailable, declined); else None."""
    labels = [norm(c.text) for c in row.labels if norm(c.text)]
    explicit = bool(labels) and bool(_SUBTOTAL_WORD.match(labels[-1]))
    if explicit:
        labels = labels[:-1]  # "（三）不予公开 | 小计": the group label names the block
    if not labels:
        return None
    match = next((b for b, pattern in _SUBTOTAL_KEYWORDS if pattern.match(labels[-1])), None)
    if match is None:
        return None
    return match, explicit or labels[-1].endswith(("小计", "合计"))


def _leaf_key(row: T3Row) -> str | None:
    for cell in reversed(row.labels):
        key = classify(cell.text)
        if key is not None:
            return key
        if not _NUMBERING.match(norm(cell.text)) and len(norm(cell.text)) > 2:
            break  # an unrecognised leaf: do not fall back on its group label
    return None


def _repair_with_neighbours(rows: list[T3Row], i: int) -> str | None:
    """A label split across lines: join it with a label-only neighbour and try again."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(rows) and not rows[j].has_values and rows[j].labels:
            first, second = (rows[j], rows[i]) if j < i else (rows[i], rows[j])
            key = classify(_last_label(first) + _last_label(second))
            if key is not None:
                return key
    return None


def _last_label(row: T3Row) -> str:
    return row.labels[-1].text if row.labels else ""


def _anomaly(
    kind: str, row: str | None, message: str, cells: Sequence[Cell], line: int | None
) -> Anomaly:
    return Anomaly.model_validate(
        {
            "kind": kind,
            "table": "table3",
            "row": row,
            "message": message,
            "cells": [c.text for c in cells],
            "line": line,
        }
    )


def _fit_anomaly(key: str, fitted: Fit, row: T3Row) -> Anomaly | None:
    described = describe(fitted, WIDTH, "该行")
    if described is None:
        return None
    return _anomaly(described[0], key, described[1], row.values, row.line)


def _leading_blank(fitted: Fit) -> bool:
    """An empty first cell that no header position vouches for: a blank 自然人, or a cell lost in
    conversion with the rest shifted (seed 003). It is kept blank, and said so once per table."""
    first = fitted.cells[0]
    return fitted.status == "ok" and first is not None and first.empty


def _uncertain_blanks(keys: list[str]) -> Anomaly:
    names = "、".join(T3_LABELS[k] for k in keys[:3]) + (
        f"等{len(keys)}行" if len(keys) > 3 else ""
    )
    message = f"{names}的“自然人”列为空单元格，无法确定是未填写还是表格转换丢失了单元格"
    return _anomaly("uncertain_blank", keys[0], message, [], None)


def _template(keys: set[str]) -> str | None:
    if keys & {"other_no_correction", "other_unpaid_fee", "other_misc"}:
        return TEMPLATE_2021
    if "other" in keys:
        return TEMPLATE_2019
    return None


def _identify(rows: list[T3Row], i: int, notes: list[Anomaly]) -> str | None:
    """The key of row i; a repaired or unreadable label is recorded in `notes`."""
    row = rows[i]
    key = _leaf_key(row)
    if key is not None:
        return key
    key = _repair_with_neighbours(rows, i)
    if key is None:
        label = row.label_text() or "（无标签）"
        notes.append(_anomaly("unreadable_value", None, unknown_row(label), row.values, row.line))
    else:
        notes.append(
            _anomaly("repaired_label", key, "该行标签被拆成多行，已合并识别", row.labels, row.line)
        )
    return key


def _fill(
    result: T3Result, table: dict[str, Fit], slot: str, key: str, row: T3Row, shape: Layout
) -> bool | None:
    """Fit `row` into table[slot] (anomalies name it `key`); None when the slot was taken, else
    whether the header's positions gave the values."""
    if slot in table:
        what = "该行" if slot == key else "该小计行"
        message = f"{what}重复出现，已采用第一次出现的数值"
        result.anomalies.append(_anomaly("duplicate_row", key, message, row.values, row.line))
        return None
    table[slot], placed = read(row, shape)
    note = _fit_anomaly(key, table[slot], row)
    if placed is not None and placed.problems:
        message = "按表头的列无法确定取值：" + "；".join(placed.problems) + "，未读取"
        note = _anomaly("ambiguous_cells", key, message, row.values, row.line)
    if note is not None:
        result.anomalies.append(note)
    return placed is not None


def _read(result: T3Result, key: str, row: T3Row, shape: Layout) -> bool:
    """Store row `key`; True when its first cell is an unvouched blank (see _leading_blank)."""
    by_position = _fill(result, result.rows, key, key, row, shape)
    return by_position is False and _leading_blank(result.rows[key])


def _read_subtotal(result: T3Result, block: str, row: T3Row, shape: Layout) -> None:
    _fill(result, result.subtotals, block, f"{block}{SUBTOTAL_SUFFIX}", row, shape)


def _subtotals(result: T3Result) -> None:
    """In a 2021 table, a （六）其他处理 row with numbers sits above its three leaves: a subtotal
    (left blank, it is only the group's label)."""
    if result.template == TEMPLATE_2021 and "other" in result.rows:
        row = result.rows.pop("other")
        if any(v is not None for v in row.values):
            result.subtotals.setdefault("other", row)


def _blank_row(result: T3Result, row: T3Row, shape: Layout) -> None:
    """A row of the form left blank in a grid (every value cell empty, e.g. `&nbsp;`): the row is
    there, and its label says which, so it is read as blank rather than reported missing."""
    key = _leaf_key(row)
    if key is not None and key not in result.rows and blank_row(row, shape):
        result.rows[key] = Fit((None,) * WIDTH, "ok", 0)


def _subtotal_of(rows: list[T3Row], i: int) -> str | None:
    """The block whose subtotal row i is. A bare group label with numbers beside a label-only
    leaf ("（三）不予公开 | 0 …" above "1.属于国家秘密") is that leaf's row with its label split
    across lines, not a subtotal: only 小计/合计, or no such neighbour, makes it one."""
    found = subtotal_block(rows[i]) if rows[i].has_values else None
    if found is None:
        return None
    block, explicit = found
    return block if explicit or _repair_with_neighbours(rows, i) is None else None


def parse_table3(rows: list[T3Row]) -> T3Result:
    result = T3Result()
    shape = layout(rows)
    uncertain: list[str] = []
    for i, row in enumerate(rows):
        block = _subtotal_of(rows, i)
        if block is not None:
            _read_subtotal(result, block, row, shape)
            continue
        if not row.has_values:
            _blank_row(result, row, shape)
            continue
        key = _identify(rows, i, result.anomalies)
        if key is not None and _read(result, key, row, shape):
            uncertain.append(key)
    if uncertain:
        result.anomalies.append(_uncertain_blanks(uncertain))
    message = org_subtotal_message(rows, shape)
    if message is not None:
        result.anomalies.append(_anomaly("stray_cells", None, message, [], None))
    result.template = _template(set(result.rows))
    _subtotals(result)
    if all(v is None for fit in result.rows.values() for v in fit.values):
        result.rows = {}  # a form nobody filled in is no table, not a table of blanks
    return result


def canonical_keys(template: str | None) -> list[str]:
    return [k for k, _ in T3_ROWS[template or TEMPLATE_2021]]
