"""Cross-year rules over two reports of the same agency (FORMAT.md §4.4): X_CARRY, X_IN_FORCE,
X_ITEMS, X_COPY, X_JUMP, and UNVERIFIABLE for cross-year relations a blank cell leaves open."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from gongkai.model.agency import normalised_name
from gongkai.model.finding import Finding
from gongkai.model.keys import T3_COLUMNS, T3_TOTAL_COL, T4_GROUPS, TEMPLATE_2019, TEMPLATE_2021
from gongkai.model.report import Report
from gongkai.validate.cells import label, row_label, t2_template
from gongkai.validate.codes import CellRef, finding, fmt
from gongkai.validate.relations import PREVIOUS, Book, Relation, blanks, failures, plus
from gongkai.validate.structure import NUMERALS

_FIRST_CARRY_YEAR = 2020  # 2019 reports follow 2018 ones, which used the old statistics
_NARRATIVE_SECTIONS = (1, 5, 6)
COPY_THRESHOLD = 0.8  # share of distinct 3-character pieces the two texts have in common
# A single formulaic sentence (e.g. the yearly 信息处理费 statement) repeated is not 内容雷同.
_COPY_MIN_CHARS = 80
JUMP_FACTOR = 10
JUMP_MIN = 20  # below this, a change (0 → 5 requests) is ordinary


def _prev(*ref: str | int) -> CellRef:
    return (PREVIOUS, *ref)


def carry_relations(previous: Report, current: Report) -> list[Relation]:
    """X1: this year's 上年结转 = last year's 结转下年度继续办理, in every column."""
    if previous.table3 is None or current.table3 is None:
        return []
    if current.meta.year is not None and current.meta.year < _FIRST_CARRY_YEAR:
        return []
    return [
        Relation(
            "X_CARRY",
            f"表三“{name}”列",
            "上年报告的“四、结转下年度继续办理”",
            "本年的“二、上年结转政府信息公开申请数量”",
            plus(_prev("table3", "carried_forward", c)),
            plus(("table3", "carried_over", c)),
        )
        for c, name in enumerate(T3_COLUMNS)
    ]


def in_force_relations(previous: Report, current: Report) -> list[Relation]:
    """X2: 现行有效(N) = 现行有效(N−1) + 制发(N) − 废止(N), both years in the 2021 format."""
    if previous.table2 is None or current.table2 is None:
        return []
    if {t2_template(previous), t2_template(current)} != {TEMPLATE_2021}:
        return []
    return [
        Relation(
            "X_IN_FORCE",
            f"表二“{row_label('table2', item, TEMPLATE_2021)}”",
            "上年“现行有效件数”加本年“本年制发件数”减本年“本年废止件数”",
            "本年“现行有效件数”",
            (
                (1, _prev("table2", item, "in_force")),
                (1, ("table2", item, "issued")),
                (-1, ("table2", item, "repealed")),
            ),
            plus(("table2", item, "in_force")),
        )
        for item in ("regulations", "normative_documents")
    ]


def items_relations(previous: Report, current: Report) -> list[Relation]:
    """X3: 上一年项目数量(N) = 上一年项目数量(N−1) + 本年增/减(N−1), both years in the 2019 format."""
    if previous.table2 is None or current.table2 is None:
        return []
    if {t2_template(previous), t2_template(current)} != {TEMPLATE_2019}:
        return []
    items = [i for i, f in current.table2.items() if "prior_items" in f and "change" in f]
    return [
        Relation(
            "X_ITEMS",
            f"表二“{row_label('table2', item, TEMPLATE_2019)}”",
            "上年报告的“上一年项目数量”加“本年增/减”",
            "本年的“上一年项目数量”",
            plus(_prev("table2", item, "prior_items"), _prev("table2", item, "change")),
            plus(("table2", item, "prior_items")),
        )
        for item in items
    ]


def x_carry(previous: Report, current: Report) -> list[Finding]:
    return failures(carry_relations(previous, current), Book(current, previous))


def x_in_force(previous: Report, current: Report) -> list[Finding]:
    return failures(in_force_relations(previous, current), Book(current, previous))


def x_items(previous: Report, current: Report) -> list[Finding]:
    return failures(items_relations(previous, current), Book(current, previous))


def x_unverifiable(previous: Report, current: Report) -> list[Finding]:
    relations = [
        *carry_relations(previous, current),
        *in_force_relations(previous, current),
        *items_relations(previous, current),
    ]
    return blanks(relations, Book(current, previous))


def _shingles(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text)
    # Years and figures change every year even in a copied text: compare the words only.
    text = re.sub(r"\d+", "#", text)
    text = "".join(ch for ch in text if ch.isalnum() or ch == "#")
    return (
        {text[i : i + 3] for i in range(len(text) - 2)} if len(text) >= _COPY_MIN_CHARS else set()
    )


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the texts' 3-character pieces (0 for texts too short to judge)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def _section_text(report: Report, no: int) -> str:
    return "\n".join(s.text for s in report.sections if s.no == no)


def x_copy(previous: Report, current: Report) -> list[Finding]:
    """A narrative section nearly identical to last year's (内容雷同)."""
    out = []
    for no in _NARRATIVE_SECTIONS:
        score = similarity(_section_text(previous, no), _section_text(current, no))
        if score >= COPY_THRESHOLD:
            message = (
                f"第{NUMERALS[no - 1]}部分与上年报告的同一部分几乎相同（相似度 {score:.0%}），"
                "可能是照抄上年内容（内容雷同），请按本年实际情况撰写。"
            )
            out.append(finding("X_COPY", message, [["sections", no]], actual=round(score, 3)))
    return out


def _jump_refs(current: Report) -> Iterator[CellRef]:
    for item, fields in (current.table2 or {}).items():
        yield from (("table2", item, f) for f in fields if f != "change")
    for row in ("received", "carried_over", "total", "carried_forward"):
        yield ("table3", row, T3_TOTAL_COL)
    for group, _name in T4_GROUPS:
        yield ("table4", group, 4)


def _outlying(before: float, after: float) -> bool:
    low, high = sorted((abs(before), abs(after)))
    return high >= JUMP_MIN and (low == 0 or high / low >= JUMP_FACTOR)


def _jump_message(current: Report, ref: CellRef, before: float, after: float) -> str:
    factor = "" if not before or not after else f"（约为上年的 {after / before:.3g} 倍）"
    return (
        f"{label(current, ref)}由上年的 {fmt(before)} 变为 {fmt(after)}{factor}，"
        "变化异常大，请确认不是填写错误。"
    )


def x_jump(previous: Report, current: Report) -> list[Finding]:
    """A figure that changed from last year by an outlying factor (worth a look, not an error)."""
    book = Book(current, previous)
    out = []
    for ref in _jump_refs(current):
        if ref[0] == "table2" and t2_template(previous) != t2_template(current):
            continue  # same keys, different meanings across the two formats
        before, after = book.value((PREVIOUS, *ref)), book.value(ref)
        if before is None or after is None or not _outlying(before, after):
            continue
        message = _jump_message(current, ref, before, after)
        out.append(finding("X_JUMP", message, [ref], expected=before, actual=after))
    return out


def _agency(report: Report) -> str:
    return normalised_name(report.meta.agency or "")


_AGENCY_SLACK = 3  # characters a name may differ by in front: 宁夏 / 宁夏回族自治区 …


def same_agency(a: str, b: str) -> bool:
    """Names of one organ as written in two years: equal up to a short regional prefix."""
    if not a or not b or a in b or b in a:
        return True
    common = next(
        (i for i, (x, y) in enumerate(zip(a[::-1], b[::-1], strict=False)) if x != y),
        min(len(a), len(b)),
    )
    return common >= max(4, min(len(a), len(b)) - _AGENCY_SLACK)


def not_comparable(previous: Report, current: Report, *, by_name: bool = True) -> str | None:
    """Why the two reports cannot be compared year on year, or None when they can. `by_name`
    compares the agencies' names; a corpus, which has decided the agency already (its unit,
    aliases included: analysis/identity.py), turns it off."""
    a, b = _agency(previous), _agency(current)
    if by_name and not same_agency(a, b):
        return f"两份报告的发布机关不同（{a}、{b}）"
    y0, y1 = previous.meta.year, current.meta.year
    if y0 is not None and y1 is not None and y1 - y0 != 1:
        return f"两份报告不是相邻年度（{y0} 年、{y1} 年）"
    return None
