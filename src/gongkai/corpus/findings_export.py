"""整改 lists: the corpus's findings one per row, with where each is in words, its rule's name in
Chinese and its effective review state — as JSON, CSV or XLSX (issue 13, part 3)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gongkai.corpus.api import connected
from gongkai.model.finding import SEVERITY_NAMES as _SEVERITY
from gongkai.model.keys import TEMPLATE_2021
from gongkai.model.labels import cell_label
from gongkai.store import DEFAULT_DB, Filters
from gongkai.store.finding_list import FindingItem, State, finding_items
from gongkai.validate.codes import PLAIN

_NUMERALS = "一二三四五六"
_META = {"published": "发布日期", "signoff": "落款"}
COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit", "单位"), ("report_id", "报告编号"), ("agency", "发布机关"), ("year", "年度"),
    ("where", "位置"), ("actual", "数值"), ("code", "代码"), ("rule", "规则"),
    ("severity", "级别"), ("message", "说明"), ("state", "状态"), ("reviewer", "复核人"),
    ("note", "复核说明"), ("decided_at", "复核时间"), ("source_path", "来源文件"),
)  # fmt: skip


def where_of(cell: Sequence[str | int], template: str | None) -> str:
    """A finding's location in words: 表三“一、本年新收…”·自然人, 第五部分, 落款, 上年…"""
    parts = [str(p) for p in cell]
    if parts and parts[0] == "previous":
        return "上年" + where_of(parts[1:], template)
    if len(parts) == 3 and parts[0] in ("table2", "table3", "table4"):
        try:
            return cell_label(".".join(parts), template or TEMPLATE_2021)
        except (KeyError, IndexError, ValueError):
            return ".".join(parts)
    if len(parts) == 2 and parts[0] == "sections" and parts[1].isdigit():
        no = int(parts[1])
        return f"第{_NUMERALS[no - 1]}部分" if 1 <= no <= 6 else "正文"
    if len(parts) == 2 and parts[0] == "meta":
        return _META.get(parts[1], parts[1])
    return {"table2": "表二", "table3": "表三", "table4": "表四"}.get(".".join(parts), "全文")


def in_words(code: str, severity: str, places: Sequence[str]) -> dict[str, str]:
    """A finding's rule, severity and places as a row shows them (places joined; none: 全文)."""
    return {
        "rule": PLAIN.get(code, ""),
        "severity": _SEVERITY.get(severity, severity),
        "where": "；".join(places) or "全文",
    }


def record(item: FindingItem) -> dict[str, Any]:
    data = asdict(item)
    places = [where_of(c, item.template) for c in item.cells]
    data.update(in_words(item.code, item.severity, places))
    return {key: data.get(key) for key, _ in COLUMNS} | {"cells": item.cells}


def findings(
    db: str | Path = DEFAULT_DB,
    filters: Filters | None = None,
    *,
    state: State = "open",
    code: str | None = None,
) -> list[dict[str, Any]]:
    with connected(db) as con:
        items = finding_items(con, filters or Filters(), state=state, code=code)
    return [record(i) for i in items]


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([title for _, title in COLUMNS])
    for row in rows:
        writer.writerow(["" if row[key] is None else row[key] for key, _ in COLUMNS])
    return out.getvalue()


def xlsx_bytes(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]] = COLUMNS,
    sheet_name: str = "整改清单",
) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append([title for _, title in columns])
    for row in rows:
        # Text stays text: a message starting with "=" must never become a formula.
        sheet.append([_cell(row[key]) for key, _ in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Characters a worksheet cannot hold (XML 1.0 forbids them; openpyxl raises): a file name or a
# message carrying one would make the whole download fail.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("\ufffd", value)
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value
