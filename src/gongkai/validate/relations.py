"""Arithmetic relations (勾稽关系) and their strict / lenient evaluation (RULES.md, FORMAT.md §4.6).

A relation says: the signed sum of `expected` cells equals the signed sum of `actual` cells. In
strict mode a blank operand makes it unverifiable (info UNVERIFIABLE, saying whether lenient mode
would pass). Lenient mode counts a blank as 0 only where the rest of its row or column is 0 or blank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate import cells
from gongkai.validate.codes import CellRef, finding, fmt, number

Term = tuple[int, CellRef]  # (+1 or -1, location)
PREVIOUS = "previous"


class Book:
    """The reports a relation reads: this year's, and last year's under the prefix "previous"."""

    def __init__(self, current: Report, previous: Report | None = None) -> None:
        self.current = current
        self.previous = previous

    def _where(self, ref: CellRef) -> tuple[Report | None, CellRef]:
        if ref and ref[0] == PREVIOUS:
            return self.previous, ref[1:]
        return self.current, ref

    def value(self, ref: CellRef) -> cells.Value:
        report, local = self._where(ref)
        return None if report is None else cells.value(report, local)

    def zero_like(self, ref: CellRef) -> bool:
        report, local = self._where(ref)
        return report is not None and cells.zero_like(report, local)

    def label(self, ref: CellRef) -> str:
        report, local = self._where(ref)
        text = cells.label(report or self.current, local)
        return f"上年报告{text}" if ref[0] == PREVIOUS else text


@dataclass(frozen=True, slots=True)
class Relation:
    code: str
    where: str  # 表三“自然人”列
    expected_label: str  # what the `expected` side is, in the form's words
    actual_label: str
    expected: tuple[Term, ...]
    actual: tuple[Term, ...]

    @property
    def refs(self) -> list[CellRef]:
        return [ref for _sign, ref in self.expected + self.actual]


def plus(*refs: CellRef) -> tuple[Term, ...]:
    return tuple((1, ref) for ref in refs)


@dataclass(frozen=True, slots=True)
class Outcome:
    relation: Relation
    expected: float | None
    actual: float | None
    blanks: tuple[CellRef, ...]
    lenient: bool | None  # None: lenient mode cannot fill the blanks either

    @property
    def failed(self) -> bool:
        return not self.blanks and self.expected != self.actual


def _sum(terms: Iterable[Term], book: Book) -> float:
    return number(sum(sign * (book.value(ref) or 0) for sign, ref in terms))


def evaluate(relation: Relation, book: Book) -> Outcome:
    blanks = tuple(ref for ref in relation.refs if book.value(ref) is None)
    expected, actual = _sum(relation.expected, book), _sum(relation.actual, book)
    if not blanks:
        return Outcome(relation, expected, actual, (), None)
    # With every blank zero-like, the sums above (blank = 0) are the lenient reading.
    fillable = all(book.zero_like(ref) for ref in blanks)
    return Outcome(relation, expected, actual, blanks, expected == actual if fillable else None)


def _failure(outcome: Outcome, note: str = "") -> Finding:
    rel = outcome.relation
    message = (
        f"{rel.where}：{rel.expected_label}为 {fmt(outcome.expected)}，"
        f"{rel.actual_label}为 {fmt(outcome.actual)}，两者应相等{note}。"
    )
    return finding(
        rel.code,
        message,
        rel.refs,
        expected=outcome.expected,
        actual=outcome.actual,
        lenient_pass=False,  # a relation that fails in strict mode fails in lenient mode too
    )


def failures(relations: Sequence[Relation], book: Book, lenient: bool = False) -> list[Finding]:
    """A finding for each relation that does not hold (blank = 0 where lenient mode allows)."""
    out = []
    for outcome in (evaluate(r, book) for r in relations):
        if outcome.failed:
            out.append(_failure(outcome))
        elif lenient and outcome.lenient is False:
            out.append(_failure(outcome, "（空白单元格已按 0 计算）"))
    return out


def _names(refs: Sequence[CellRef], book: Book) -> str:
    shown = "、".join(book.label(ref) for ref in refs[:3])
    return shown + (f"等 {len(refs)} 个单元格" if len(refs) > 3 else "")


def _lenient_note(lenient: bool | None) -> str:
    if lenient is None:
        return "；周围单元格并非全为 0，不能把空白当作 0。"
    verdict = "成立" if lenient else "不成立"
    return f"；若把空白当作 0（周围单元格全为 0 或空白），{verdict}。"


def _blank_message(group: Sequence[Outcome], book: Book) -> str:
    rel = group[0].relation
    test = f"{rel.expected_label}与{rel.actual_label}是否相等"
    blank_refs = list(dict.fromkeys(ref for o in group for ref in o.blanks))
    if len(group) == 1:
        head = f"{rel.where}：{_names(blank_refs, book)}为空，无法核对{test}"
    else:
        wheres = "、".join(o.relation.where for o in group[:4]) + ("等" if len(group) > 4 else "")
        head = f"{wheres}共 {len(group)} 处无法核对{test}，因为{_names(blank_refs, book)}为空"
    return head + _lenient_note(group[0].lenient)


def blanks(relations: Sequence[Relation], book: Book, lenient: bool = False) -> list[Finding]:
    """UNVERIFIABLE for relations with a blank operand (lenient mode settles the fillable ones).

    Relations of one rule that are open for the same reason share a finding, so that a blank
    column does not bury the report under twenty identical notes.
    """
    groups: dict[tuple[str, bool | None], list[Outcome]] = {}
    for outcome in (evaluate(r, book) for r in relations):
        if not outcome.blanks or (lenient and outcome.lenient is not None):
            continue
        groups.setdefault((outcome.relation.code, outcome.lenient), []).append(outcome)
    return [
        finding(
            "UNVERIFIABLE",
            _blank_message(group, book),
            list(dict.fromkeys(ref for o in group for ref in o.relation.refs)),
            lenient_pass=group[0].lenient,
        )
        for group in groups.values()
    ]
