"""The finding codes of ../shared/spec/RULES.md (a public contract) and one way to build a finding."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from gongkai.model.finding import Finding, Severity

CellRef = tuple[str | int, ...]

# Severity is part of the contract: tests compare this table with RULES.md.
SEVERITY: Final[dict[str, Severity]] = {
    "T3_BALANCE": "error",
    "T3_TOTAL_ROW": "error",
    "T3_ROW_SUM": "error",
    "T3_SUBTOTAL": "error",
    "T4_GROUP_SUM": "error",
    "NEGATIVE_VALUE": "error",
    "NON_INTEGER": "error",
    "MISSING_TABLE": "error",
    "MISSING_VALUE": "warning",
    "CELL_COUNT_MISMATCH": "warning",
    "UNVERIFIABLE": "info",
    "TEMPLATE_MISMATCH": "warning",
    "SECTION_MISSING": "warning",
    "SECTION_ORDER": "warning",
    "T3_ZERO_INTAKE": "warning",
    "T2_PUBLISHED_GT_TOTAL": "warning",
    "T2_ITEMS_NEGATIVE": "warning",
    "T2_DECISIONS_LOOK_LIKE_ITEMS": "warning",
    "X_CARRY": "error",
    "X_IN_FORCE": "warning",
    "X_ITEMS": "warning",
    "SECTION_EMPTY": "warning",
    "X_COPY": "warning",
    "X_JUMP": "info",
    "TEXT_TABLE_MISMATCH": "warning",
    "TEXT_ARITHMETIC": "warning",
}

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


def number(value: float) -> float:
    """Sums of ints stay ints in the JSON (2, not 2.0)."""
    return int(value) if float(value).is_integer() else value
