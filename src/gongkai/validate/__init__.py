"""The rule engine: one function per finding code of ../shared/spec/RULES.md.

`check(report)` runs every single-report rule, `check_pair(previous, current)` the cross-year ones.
Rules never raise: a rule that fails on input nobody foresaw becomes an UNVERIFIABLE finding
instead of stopping a batch of hundreds of reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate import (
    content,
    crossyear,
    narrative,
    signoff,
    structure,
    table2,
    table3,
    table4,
    textarith,
    textrate,
    values,
)
from gongkai.validate.codes import SEVERITY, SEVERITY_RANK, finding
from gongkai.validate.deadline import STATUTORY, Deadlines, published_late

Rule = Callable[[Report, bool], list[Finding]]
PairRule = Callable[[Report, Report], list[Finding]]


log = logging.getLogger(__name__)


def _plain(rule: Callable[[Report], list[Finding]]) -> Rule:
    """A rule that does not read blank cells as numbers, so lenient mode does not concern it."""

    def run(report: Report, lenient: bool) -> list[Finding]:
        return rule(report)

    return run


RULES: dict[str, Rule] = {
    "MISSING_TABLE": _plain(values.missing_table),
    "TEMPLATE_MISMATCH": _plain(structure.template_mismatch),
    "T3_BALANCE": table3.t3_balance,
    "T3_TOTAL_ROW": table3.t3_total_row,
    "T3_ROW_SUM": table3.t3_row_sum,
    "T3_SUBTOTAL": table3.t3_subtotal,
    "T4_GROUP_SUM": table4.t4_group_sum,
    "NEGATIVE_VALUE": _plain(values.negative_value),
    "NON_INTEGER": _plain(values.non_integer),
    "MISSING_VALUE": _plain(values.missing_value),
    "CELL_COUNT_MISMATCH": _plain(values.cell_count_mismatch),
    "UNVERIFIABLE": values.unverifiable,
    "T3_ZERO_INTAKE": _plain(table3.t3_zero_intake),
    "T2_PUBLISHED_GT_TOTAL": _plain(table2.t2_published_gt_total),
    "T2_ITEMS_NEGATIVE": _plain(table2.t2_items_negative),
    "T2_DECISIONS_LOOK_LIKE_ITEMS": _plain(table2.t2_decisions_look_like_items),
    "SECTION_MISSING": _plain(structure.section_missing),
    "SECTION_ORDER": _plain(structure.section_order),
    "SECTION_EMPTY": _plain(structure.section_empty),
    "TEXT_TABLE_MISMATCH": _plain(narrative.text_table_mismatch),
    "TEXT_ARITHMETIC": _plain(textarith.text_arithmetic),
    "TEXT_RATE_IMPOSSIBLE": _plain(textrate.text_rate_impossible),
    "S1_ASPECTS_MISSING": _plain(content.s1_aspects_missing),
    "SIGNOFF_MISSING": _plain(signoff.signoff_missing),
    "SIGNOFF_DATE": _plain(signoff.signoff_date),
}
# Rules that read the user's settings rather than the lenient switch.
POLICY_RULES: dict[str, Callable[[Report, Deadlines], list[Finding]]] = {
    "PUBLISHED_LATE": published_late,
}

PAIR_RULES: dict[str, PairRule] = {
    "X_CARRY": crossyear.x_carry,
    "X_IN_FORCE": crossyear.x_in_force,
    "X_ITEMS": crossyear.x_items,
    "X_COPY": crossyear.x_copy,
    "X_JUMP": crossyear.x_jump,
    "S5_NO_FOLLOW_UP": content.s5_no_follow_up,
    "UNVERIFIABLE": crossyear.x_unverifiable,
}

# Every code some rule can emit: the contract that docs/rules.md and RULES.md are tested against.
CODES: frozenset[str] = frozenset(RULES) | frozenset(PAIR_RULES) | frozenset(POLICY_RULES)


def _crashed(code: str, exc: Exception) -> Finding:
    log.warning("规则 %s 未能执行", code, exc_info=exc)
    message = f"规则 {code} 因程序内部错误未能执行，相关核对未完成，请报告此问题。"
    return finding("UNVERIFIABLE", message)


def _ordered(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY_RANK[f.severity])


# Findings a misread character can cause: on a scan, the message says to check the original first.
_ARITHMETIC = frozenset(
    {
        "T3_BALANCE",
        "T3_TOTAL_ROW",
        "T3_ROW_SUM",
        "T3_SUBTOTAL",
        "T4_GROUP_SUM",
        "SIGNOFF_DATE",
        "TEXT_RATE_IMPOSSIBLE",
    }
)
_OCR_NOTE = "（本报告由扫描件文字识别得到，请先对照原件核实该数字，可能是识别错误。）"


def _ocr_caveat(report: Report, findings: list[Finding]) -> list[Finding]:
    """Numbers read by OCR are trusted only once the form's arithmetic holds: where it does not,
    the reader may have misread a digit, and the message says so before blaming the agency."""
    if report.source is None or not report.source.ocr:
        return findings
    return [
        f.model_copy(update={"message": f.message + _OCR_NOTE}) if f.code in _ARITHMETIC else f
        for f in findings
    ]


def check(
    report: Report, *, lenient: bool = False, deadlines: Deadlines = STATUTORY
) -> list[Finding]:
    """Every single-report rule; errors first, then warnings, then info."""
    out: list[Finding] = []
    for code, rule in RULES.items():
        try:
            out += rule(report, lenient)
        except Exception as exc:  # a rule must never stop the batch
            out.append(_crashed(code, exc))
    for code, policy_rule in POLICY_RULES.items():
        try:
            out += policy_rule(report, deadlines)
        except Exception as exc:  # a rule must never stop the batch
            out.append(_crashed(code, exc))
    return _ordered(_ocr_caveat(report, out))


def check_pair(previous: Report, current: Report, *, same_agency: bool = False) -> list[Finding]:
    """The cross-year rules, for two reports of the same agency in consecutive years.
    `same_agency`: the caller has decided they are one agency's (the corpus's identity), so
    their names are not compared again."""
    reason = crossyear.not_comparable(previous, current, by_name=not same_agency)
    if reason is not None:
        return [finding("UNVERIFIABLE", f"未做跨年度核对：{reason}。")]
    out: list[Finding] = []
    for code, rule in PAIR_RULES.items():
        try:
            out += rule(previous, current)
        except Exception as exc:  # a rule must never stop the batch
            out.append(_crashed(code, exc))
    return _ordered(out)


__all__ = [
    "CODES",
    "PAIR_RULES",
    "POLICY_RULES",
    "RULES",
    "SEVERITY",
    "STATUTORY",
    "Deadlines",
    "check",
    "check_pair",
]
