"""Table 3 rules: R1 T3_BALANCE, R2 T3_TOTAL_ROW, R3 T3_ROW_SUM, R4 T3_SUBTOTAL, R7 T3_ZERO_INTAKE."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gongkai.model.finding import Finding
from gongkai.model.keys import (
    SUBTOTAL_SUFFIX,
    T3_BLOCKS,
    T3_COLUMNS,
    T3_LABELS,
    T3_OUTCOME_KEYS,
    T3_TOTAL_COL,
)
from gongkai.model.report import Report
from gongkai.validate.cells import SUBTOTAL_LABELS, Value, label, t3_row_refs, t3_template
from gongkai.validate.codes import CellRef, finding
from gongkai.validate.relations import Book, Relation, failures, plus

_APPLICANT_COLS = range(T3_TOTAL_COL)


def _ref(row: str, col: int) -> CellRef:
    return ("table3", row, col)


def balance_relations(report: Report) -> list[Relation]:
    """R1, printed on the form: 一 + 二 = 三(七)总计 + 四, in every column."""
    if report.table3 is None:
        return []
    return [
        Relation(
            "T3_BALANCE",
            f"表三“{name}”列",
            "“一、本年新收”与“二、上年结转”之和",
            "“（七）总计”与“四、结转下年度继续办理”之和",
            plus(_ref("received", c), _ref("carried_over", c)),
            plus(_ref("total", c), _ref("carried_forward", c)),
        )
        for c, name in enumerate(T3_COLUMNS)
    ]


def total_row_relations(report: Report) -> list[Relation]:
    """R2: （七）总计 = the sum of the outcome leaves （一）…（六）, in every column."""
    if report.table3 is None:
        return []
    leaves = T3_OUTCOME_KEYS[t3_template(report)]
    return [
        Relation(
            "T3_TOTAL_ROW",
            f"表三“{name}”列",
            "（一）至（六）各项办理结果之和",
            "“（七）总计”",
            plus(*(_ref(key, c) for key in leaves)),
            plus(_ref("total", c)),
        )
        for c, name in enumerate(T3_COLUMNS)
    ]


def row_sum_relations(report: Report) -> list[Relation]:
    """R3: in every row, 总计 = the six applicant columns."""
    return [
        Relation(
            "T3_ROW_SUM",
            f"表三“{T3_LABELS.get(key, key)}”行",
            "自然人至其他六类申请人之和",
            "“总计”列",
            plus(*(_ref(key, c) for c in _APPLICANT_COLS)),
            plus(_ref(key, T3_TOTAL_COL)),
        )
        for key in (report.table3 or {})
    ]


def subtotal_relations(report: Report, subtotals: Mapping[str, Sequence[Value]]) -> list[Relation]:
    """R4: each subtotal row （三）…（六） equals the sum of its leaves, in every column."""
    present = report.table3 or {}
    out = []
    for block, row in subtotals.items():
        if block not in SUBTOTAL_LABELS:
            continue
        # A 2019 table has the single row （六） where 2021 has three leaves.
        leaves = [k for k in T3_BLOCKS[block] if k in present] or ["other"]
        out += [
            Relation(
                "T3_SUBTOTAL",
                f"表三“{T3_COLUMNS[c]}”列",
                f"{SUBTOTAL_LABELS[block].split()[0]}各小项之和",
                f"“{SUBTOTAL_LABELS[block]}”",
                plus(*(_ref(key, c) for key in leaves)),
                plus(_ref(f"{block}{SUBTOTAL_SUFFIX}", c)),
            )
            for c in range(min(len(row), len(T3_COLUMNS)))
        ]
    return out


def t3_balance(report: Report, lenient: bool = False) -> list[Finding]:
    return failures(balance_relations(report), Book(report), lenient)


def t3_total_row(report: Report, lenient: bool = False) -> list[Finding]:
    return failures(total_row_relations(report), Book(report), lenient)


def t3_row_sum(report: Report, lenient: bool = False) -> list[Finding]:
    return failures(row_sum_relations(report), Book(report), lenient)


def t3_subtotal(
    report: Report, lenient: bool = False, subtotals: Mapping[str, Sequence[Value]] | None = None
) -> list[Finding]:
    """R4 over subtotal rows keyed by block (denied, unavailable, declined, other): the report's
    own (`table3_subtotals`, kept from third-party templates) unless others are given."""
    subtotals = report.table3_subtotals if subtotals is None else subtotals
    if not subtotals or report.table3 is None:
        return []
    rows = {f"{block}{SUBTOTAL_SUFFIX}": list(row) for block, row in subtotals.items()}
    widened = report.model_copy(update={"table3": {**report.table3, **rows}})
    return failures(subtotal_relations(widened, subtotals), Book(widened), lenient)


def t3_zero_intake(report: Report) -> list[Finding]:
    """R7: nothing received and nothing carried over, yet an outcome or carry-forward is non-zero."""
    table = report.table3 or {}
    intake = [table.get(k, [None] * 7)[T3_TOTAL_COL] for k in ("received", "carried_over")]
    if any(v is None for v in intake) or any(intake):
        return []
    later = [*T3_OUTCOME_KEYS[t3_template(report)], "total", "carried_forward"]
    busy = [ref for key in later for ref in t3_row_refs(key) if _nonzero(table, ref)]
    if not busy:
        return []
    shown = "、".join(label(report, ref) for ref in busy[:3]) + ("等" if len(busy) > 3 else "")
    message = (
        "表三“一、本年新收”和“二、上年结转”的总计都是 0，"
        f"但{shown}不为 0：没有申请可办，却有办理结果或结转，请核对。"
    )
    return [finding("T3_ZERO_INTAKE", message, busy)]


def _nonzero(table: Mapping[str, Sequence[Value]], ref: CellRef) -> bool:
    values = table.get(str(ref[1]))
    return values is not None and bool(values[int(ref[2])])
