"""Table 2 plausibility rules of the 2019 trial format: P3, P4, P5 (FORMAT.md §4.3)."""

from __future__ import annotations

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate.cells import Value, label
from gongkai.validate.codes import CellRef, finding, fmt, number

_DOCUMENT_ITEMS = ("regulations", "normative_documents")
_DECISION_ITEMS = ("licensing", "other_services", "punishment", "coercion")
# P5 must not fire on coincidences such as 0 = 0 + 0: it needs this many non-zero matching rows.
_P5_MIN_ROWS = 2


def _get(report: Report, item: str, field: str) -> Value:
    return (report.table2 or {}).get(item, {}).get(field)


def _ref(item: str, field: str) -> CellRef:
    return ("table2", item, field)


def t2_published_gt_total(report: Report) -> list[Finding]:
    """P3: 本年新公开数量 cannot exceed 对外公开总数量."""
    out = []
    for item in _DOCUMENT_ITEMS:
        published, total = _get(report, item, "published"), _get(report, item, "total_published")
        if published is None or total is None or published <= total:
            continue
        refs = [_ref(item, "published"), _ref(item, "total_published")]
        message = (
            f"{label(report, refs[0])}为 {fmt(published)}，大于{label(report, refs[1])}"
            f" {fmt(total)}：本年新公开的不应多于对外公开的总数。"
        )
        out.append(
            finding("T2_PUBLISHED_GT_TOTAL", message, refs, expected=total, actual=published)
        )
    return out


def t2_items_negative(report: Report) -> list[Finding]:
    """P4: 上一年项目数量 + 本年增/减 is this year's number of items, so it cannot be below 0."""
    out = []
    for item, fields in (report.table2 or {}).items():
        prior, change = fields.get("prior_items"), fields.get("change")
        if prior is None or change is None or prior + change >= 0:
            continue
        refs = [_ref(item, "prior_items"), _ref(item, "change")]
        message = (
            f"{label(report, refs[0])}为 {fmt(prior)}，{label(report, refs[1])}为 {fmt(change)}，"
            f"相加得 {fmt(number(prior + change))}：本年项目数量不可能小于 0。"
        )
        out.append(finding("T2_ITEMS_NEGATIVE", message, refs, actual=number(prior + change)))
    return out


def _decision_rows(report: Report) -> list[tuple[str, float, float, float]]:
    rows = []
    for item in _DECISION_ITEMS:
        values = [_get(report, item, f) for f in ("prior_items", "change", "decisions")]
        if all(v is not None for v in values):
            prior, change, decisions = (float(v or 0) for v in values)
            rows.append((item, prior, change, decisions))
    return rows


def t2_decisions_look_like_items(report: Report) -> list[Finding]:
    """P5: 处理决定数量 = 上一年项目数量 + 本年增/减 in every row: item counts entered as decisions."""
    rows = _decision_rows(report)
    if not rows or any(decisions != prior + change for _i, prior, change, decisions in rows):
        return []
    if sum(1 for *_rest, decisions in rows if decisions) < _P5_MIN_ROWS:
        return []
    shown = "；".join(
        f"{label(report, _ref(item, 'decisions'))} {fmt(d)} = {fmt(p)} {'+' if c >= 0 else '-'} {fmt(abs(c))}"
        for item, p, c, d in rows
    )
    message = (
        "表二每一行的“处理决定数量”都恰好等于“上一年项目数量”加“本年增/减”"
        f"（{shown}），很可能把本年事项数量误填成了处理决定数量，请核对。"
    )
    refs = [_ref(item, f) for item, *_ in rows for f in ("prior_items", "change", "decisions")]
    return [finding("T2_DECISIONS_LOOK_LIKE_ITEMS", message, refs)]
