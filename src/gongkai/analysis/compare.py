"""Compare two reports (usually one organ, two years): cell deltas, text changes, a short summary.

Cells are compared where the two forms mean the same thing: every cell when the templates agree;
across templates, table 3 in the 2019 shape (the 2021 （六） rows summed, an exact mapping) and, in
table 2, only the 处理决定数量 of 行政许可, 行政处罚 and 行政强制. Blank is kept apart from 0: a cell
that goes from blank to a number has no delta, only a kind.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from gongkai.analysis.rollup import T2_SHARED, Operand, Refused, t2_operand, t3_operand, t4_operand
from gongkai.model.keys import T2_LAYOUT, T3_ROWS, T4_GROUPS, TEMPLATE_2019
from gongkai.model.labels import cell_label, paragraphs, template_of
from gongkai.model.report import Report

Value = int | float | None
DeltaKind = Literal["changed", "from_blank", "to_blank", "from_zero"]
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_SIMILAR = 0.5  # two sentences at this difflib ratio or more are one sentence edited
_TOP = 5


class CellDelta(BaseModel):
    cell: str
    label: str
    a: Value
    b: Value
    delta: int | float | None
    pct: float | None
    kind: DeltaKind


class SentenceChange(BaseModel):
    section: int
    kind: Literal["added", "removed", "changed"]
    a: str | None = None
    b: str | None = None


class Comparison(BaseModel):
    a: str
    b: str
    compared: int
    cells: list[CellDelta]
    sentences: list[SentenceChange]
    notes: list[str]
    summary: list[str]

    @property
    def from_blank_or_zero(self) -> list[CellDelta]:
        return [c for c in self.cells if c.kind in ("from_blank", "from_zero")]

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# Cells --------------------------------------------------------------------------------------------


def _pairs(a: Report, b: Report) -> Iterator[tuple[str, str, Operand, Operand]]:
    """(path, template for the label, a's cell, b's cell) for every corresponding cell."""
    t2a, t2b = template_of(a, "table2"), template_of(b, "table2")
    for _caption, items, fields in T2_LAYOUT[t2b]:
        for item in items:
            for fld in fields:
                if t2a == t2b or (item, fld) in T2_SHARED:
                    ops = (t2_operand(a, item, fld, t2b), t2_operand(b, item, fld, t2b))
                    yield f"table2.{item}.{fld}", t2b, *ops
    t3a, t3b = template_of(a, "table3"), template_of(b, "table3")
    t3 = t3b if t3a == t3b else TEMPLATE_2019  # 2021 folds into 2019 exactly, not the reverse
    for key, _label in T3_ROWS[t3]:
        for col in range(7):
            ops = (t3_operand(a, key, col, t3), t3_operand(b, key, col, t3))
            yield f"table3.{key}.{col}", t2b, *ops
    for key, _label in T4_GROUPS:
        for col in range(5):
            yield f"table4.{key}.{col}", t2b, t4_operand(a, key, col), t4_operand(b, key, col)


def _minus(b: int | float, a: int | float) -> int | float:
    if isinstance(a, int) and isinstance(b, int):
        return b - a
    return float(Decimal(repr(b)) - Decimal(repr(a)))  # exact for money in 万元


def delta(path: str, template: str, a: Value, b: Value) -> CellDelta | None:
    """The change of one cell, or None when it did not change."""
    if a == b and (a is None) == (b is None):
        return None
    label = cell_label(path, template)
    if a is None or b is None:
        kind: DeltaKind = "from_blank" if a is None else "to_blank"
        return CellDelta(cell=path, label=label, a=a, b=b, delta=None, pct=None, kind=kind)
    change = _minus(b, a)
    pct = None if a == 0 else round(float(change) / float(a) * 100, 1)
    kind = "from_zero" if a == 0 else "changed"
    return CellDelta(cell=path, label=label, a=a, b=b, delta=change, pct=pct, kind=kind)


def _cells(a: Report, b: Report) -> tuple[int, list[CellDelta]]:
    compared, out = 0, []
    for path, template, op_a, op_b in _pairs(a, b):
        if isinstance(op_a, Refused) or isinstance(op_b, Refused):
            continue  # a missing table: reported in the notes, not cell by cell
        compared += 1
        change = delta(path, template, op_a, op_b)
        if change is not None:
            out.append(change)
    return compared, out


# Text ---------------------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """Sentences split after 。；！？ and at line ends, stripped; the punctuation stays."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _replace(no: int, old: list[str], new: list[str]) -> Iterator[SentenceChange]:
    for i in range(max(len(old), len(new))):
        x = old[i] if i < len(old) else None
        y = new[i] if i < len(new) else None
        if (
            x is not None
            and y is not None
            and difflib.SequenceMatcher(None, x, y).ratio() >= _SIMILAR
        ):
            yield SentenceChange(section=no, kind="changed", a=x, b=y)
            continue
        if x is not None:
            yield SentenceChange(section=no, kind="removed", a=x)
        if y is not None:
            yield SentenceChange(section=no, kind="added", b=y)


def text_changes(a: Report, b: Report) -> list[SentenceChange]:
    out: list[SentenceChange] = []
    for no in range(1, 7):
        old = sentences("\n".join(paragraphs(a, no)))
        new = sentences("\n".join(paragraphs(b, no)))
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                out.extend(_replace(no, old[i1:i2], new[j1:j2]))
    return out


# Summary ------------------------------------------------------------------------------------------


def _fmt(value: Value) -> str:
    return "空白" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def describe(change: CellDelta) -> str:
    head = f"{change.label}：{_fmt(change.a)} → {_fmt(change.b)}"
    if change.delta is None:
        return head + ("（由空白变为有数值）" if change.kind == "from_blank" else "（变为空白）")
    pct = "" if change.pct is None else f"，{change.pct:+.1f}%"
    return head + f"（{'+' if change.delta > 0 else ''}{_fmt(change.delta)}{pct}）"


def _summary(compared: int, cells: list[CellDelta], text: list[SentenceChange]) -> list[str]:
    new = sum(c.kind in ("from_blank", "from_zero") for c in cells)
    lines = [
        f"共比较 {compared} 个单元格，{len(cells)} 个有变化，其中 {new} 个由空白或 0 变为有数值。"
    ]
    largest = sorted((c for c in cells if c.delta is not None), key=lambda c: -abs(c.delta or 0))
    lines += [describe(c) for c in largest[:_TOP]]
    counts = {k: sum(s.kind == k for s in text) for k in ("added", "removed", "changed")}
    lines.append(
        f"文字：新增 {counts['added']} 句，删除 {counts['removed']} 句，修改 {counts['changed']} 句。"
    )
    return lines


def _notes(a: Report, b: Report) -> list[str]:
    notes = []
    formed: tuple[tuple[Literal["table2", "table3"], str], ...] = (
        ("table2", "表二"),
        ("table3", "表三"),
    )
    for table, name in formed:
        ta, tb = template_of(a, table), template_of(b, table)
        if ta != tb:
            notes.append(f"{name}格式不同（{ta} 年 / {tb} 年），只比较口径相同的单元格")
    for table, name in (("table2", "表二"), ("table3", "表三"), ("table4", "表四")):
        missing = [n for n, r in (("甲", a), ("乙", b)) if getattr(r, table) is None]
        if missing:
            notes.append(f"报告{'、'.join(missing)}缺少{name}，该表未比较")
    return notes


def report_name(report: Report) -> str:
    meta = report.meta
    return f"{meta.agency or '（未识别发布机关）'} {meta.year or '（未识别年度）'}年"


def compare(a: Report, b: Report) -> Comparison:
    """What changed from report `a` (usually last year) to report `b`."""
    compared, cells = _cells(a, b)
    text = text_changes(a, b)
    return Comparison(
        a=report_name(a),
        b=report_name(b),
        compared=compared,
        cells=cells,
        sentences=text,
        notes=_notes(a, b),
        summary=_summary(compared, cells, text),
    )
