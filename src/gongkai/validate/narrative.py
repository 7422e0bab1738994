"""TEXT_TABLE_MISMATCH: figures the narrative states about the tables, compared with the cells.

claims.py recognises the figures; here each is compared with the cell it names. Every reading the
table allows counts as agreement: 受理 N 件 may include 上年结转, 办结 N 件 may be （七）总计 or 一 + 二 − 四,
行政诉讼 N 件 may speak of one kind of suit only.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.model.finding import Finding
from gongkai.model.keys import T4_COLUMNS
from gongkai.model.report import Report
from gongkai.validate.cells import label, value
from gongkai.validate.claims import claims
from gongkai.validate.codes import CellRef, finding, fmt, number


@dataclass(frozen=True, slots=True)
class Target:
    refs: tuple[CellRef, ...]
    accepted: frozenset[float]  # every value the table allows the text to state
    shown: float  # the value named in the message
    what: str  # how the text's figure is described


_T3_TARGETS = {
    "received": ("received", "本年收到政府信息公开申请"),
    "carried_over": ("carried_over", "上年结转的申请"),
    "carried_forward": ("carried_forward", "结转下年度继续办理的申请"),
    "closed": ("total", "办结（答复）的申请"),
}
_T4_GROUPS = {
    "review": (("review",), "行政复议"),
    "direct": (("litigation_direct",), "未经复议直接起诉的行政诉讼"),
    "after": (("litigation_after_review",), "复议后起诉的行政诉讼"),
    "litigation": (("litigation_direct", "litigation_after_review"), "行政诉讼"),
}


def _t3_target(report: Report, kind: str) -> Target | None:
    row, what = _T3_TARGETS[kind]
    rows = ("received", "carried_over", "total", "carried_forward")
    tot = {k: value(report, ("table3", k, 6)) for k in rows}
    main = tot[row]
    if main is None:
        return None
    accepted = {main}
    if kind == "received" and tot["carried_over"] is not None:
        accepted.add(main + tot["carried_over"])  # 受理 often includes last year's
    r, c, f = tot["received"], tot["carried_over"], tot["carried_forward"]
    if kind == "closed" and r is not None:
        accepted.add(r)  # 受理 N 件，均已办结
        if c is not None and f is not None:
            accepted.add(r + c - f)  # what R1 says was closed, should （七） disagree
    return Target((("table3", row, 6),), frozenset(accepted), main, what)


def _t4_target(report: Report, kind: str) -> Target | None:
    group, col_text = kind.split(":")
    col = int(col_text)
    keys, name = _T4_GROUPS[group]
    refs = tuple(("table4", key, col) for key in keys)
    values = [value(report, ref) for ref in refs]
    if any(v is None for v in values):
        return None
    # 行政诉讼 N 件 may speak of one kind of suit only, but "no suits" must mean none of either.
    accepted = {number(sum(v or 0 for v in values)), *(v for v in values if v)}
    if col == 4 and len(keys) == 1:
        parts = [value(report, ("table4", keys[0], c)) for c in range(4)]
        if all(p is not None for p in parts):
            accepted.add(number(sum(p or 0 for p in parts)))
    what = name + ("案件" if col == 4 else f"“{T4_COLUMNS[col]}”的案件")
    return Target(refs, frozenset(accepted), number(sum(v or 0 for v in values)), what)


def _target(report: Report, kind: str) -> Target | None:
    if kind in _T3_TARGETS:
        return _t3_target(report, kind)
    if kind.startswith("decisions:"):
        item = kind.split(":")[1]
        main = value(report, ("table2", item, "decisions"))
        if main is None:
            return None
        what = {"punishment": "行政处罚", "licensing": "行政许可", "coercion": "行政强制"}[item]
        return Target((("table2", item, "decisions"),), frozenset({main}), main, what + "处理决定")
    return _t4_target(report, kind)


def _cells_text(report: Report, target: Target) -> str:
    names = "与".join(label(report, ref) for ref in target.refs)
    return names + ("之和" if len(target.refs) > 1 else "")


def text_table_mismatch(report: Report) -> list[Finding]:
    out = []
    for claim in claims(report):
        target = _target(report, claim.kind)
        if target is None or claim.value in target.accepted:
            continue
        sentence = claim.sentence
        message = (
            f"{sentence.where()}“{sentence.snippet(claim.start, claim.end)}”写明{target.what} "
            f"{claim.value} 件，而{_cells_text(report, target)}为 {fmt(target.shown)}，文字与表格不一致。"
        )
        out.append(
            finding(
                "TEXT_TABLE_MISMATCH",
                message,
                target.refs,
                expected=target.shown,
                actual=claim.value,
            )
        )
    return out
