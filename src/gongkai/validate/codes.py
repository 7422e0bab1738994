"""The finding codes of ../shared/spec/RULES.md (a public contract) and one way to build a finding."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from gongkai.model.finding import Finding, Severity

CellRef = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    plain: str


# One entry per finding code: its severity (part of the contract: tests compare it with
# RULES.md) and what it means in plain words, for a reader who does not know the form's
# arithmetic by heart (report cards, the web). docs/rules.md documents each (tested).
CODE_BOOK: Final[dict[str, Code]] = {
    "T3_BALANCE": Code("error", "表三收支不平：本年新收加上年结转，应等于办理总数加结转下年度。"),
    "T3_TOTAL_ROW": Code("error", "表三“（七）总计”与各项办理结果之和不一致。"),
    "T3_ROW_SUM": Code("error", "表三某一行的“总计”列与各类申请人之和不一致。"),
    "T3_SUBTOTAL": Code("error", "表三某类办理结果的小计与其细项之和不一致。"),
    "T4_GROUP_SUM": Code("error", "表四行政复议或行政诉讼的“总计”与各项结果之和不一致。"),
    "NEGATIVE_VALUE": Code("error", "出现了不应为负数的负数。"),
    "NON_INTEGER": Code("error", "件数出现了小数。"),
    "MISSING_TABLE": Code("error", "报告缺少表二、表三或表四中的一张表。"),
    "MISSING_VALUE": Code("warning", "应填数字的单元格留空。"),
    "CELL_COUNT_MISMATCH": Code("warning", "表格某行的格数与格式不符，可能错位或漏格。"),
    "UNVERIFIABLE": Code("info", "因单元格空白或无法识别，有一项勾稽关系无法核对。"),
    "TEMPLATE_MISMATCH": Code("warning", "表格所用格式与报告年度不符，或表二、表三格式不一致。"),
    "SECTION_MISSING": Code("warning", "缺少规定的六个部分之一。"),
    "SECTION_ORDER": Code("warning", "六个部分顺序不对或有重复。"),
    "T3_ZERO_INTAKE": Code("warning", "没有收到也没有结转申请，却有办理结果。"),
    "T2_PUBLISHED_GT_TOTAL": Code("warning", "表二本年新公开数量大于对外公开总数量。"),
    "T2_ITEMS_NEGATIVE": Code("warning", "表二上一年项目数量加本年增减后为负数。"),
    "T2_DECISIONS_LOOK_LIKE_ITEMS": Code("warning", "表二处理决定数量疑似误填为项目数量。"),
    "X_CARRY": Code("error", "本年“上年结转”与上一年度报告的“结转下年度继续办理”对不上。"),
    "X_IN_FORCE": Code("warning", "现行有效件数与上年数及本年制发、废止数对不上。"),
    "X_ITEMS": Code("warning", "上一年项目数量与上一年度报告对不上。"),
    "SECTION_EMPTY": Code("warning", "第五或第六部分为空或只写“无”。"),
    "X_COPY": Code("warning", "文字部分与上一年度几乎相同（内容雷同）。"),
    "X_JUMP": Code("info", "某项数字与上年相比变化异常大，值得核实。"),
    "TEXT_TABLE_MISMATCH": Code("warning", "正文中写明的数字与表格不一致。"),
    "TEXT_ARITHMETIC": Code("warning", "正文中的数字自相矛盾。"),
    # Beyond RULES.md (issue 14): what a reviewer checks besides the form's arithmetic.
    "PUBLISHED_LATE": Code("warning", "报告晚于《条例》或地方规定的期限发布。"),
    "S1_ASPECTS_MISSING": Code("warning", "第一部分“总体情况”缺少规定的五个方面之一。"),
    "S5_NO_FOLLOW_UP": Code("warning", "第五部分重复上年问题或没有说明改进情况。"),
    "SIGNOFF_MISSING": Code("warning", "报告末尾缺少落款（机关全称和成文日期）或落款不是全称。"),
    "SIGNOFF_DATE": Code("error", "落款日期不存在，或早于报告年度结束。"),
    "TEXT_RATE_IMPOSSIBLE": Code("error", "正文中的办结率、占比等比率超过 100%。"),
}
SEVERITY: Final[dict[str, Severity]] = {code: c.severity for code, c in CODE_BOOK.items()}
PLAIN: Final[dict[str, str]] = {code: c.plain for code, c in CODE_BOOK.items()}

SEVERITY_RANK: Final[dict[str, int]] = {"error": 0, "warning": 1, "info": 2}


def finding(
    code: str,
    message: str,
    cells: Iterable[Sequence[str | int]] = (),
    *,
    expected: float | None = None,
    actual: float | None = None,
    lenient_pass: bool | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=SEVERITY[code],
        message=message,
        cells=[list(c) for c in cells],
        expected=expected,
        actual=actual,
        lenient_pass=lenient_pass,
    )


def fmt(value: float | None) -> str:
    """A number as a clerk writes it: 3, 0.11, never 3.0."""
    if value is None:
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def day(iso: str) -> str:
    """An ISO date as a notice writes it: 2025-01-31 → 2025年1月31日."""
    year, month, dd = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{dd}日"


def number(value: float) -> float:
    """Sums of ints stay ints in the JSON (2, not 2.0)."""
    return int(value) if float(value).is_integer() else value
