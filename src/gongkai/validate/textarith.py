"""TEXT_ARITHMETIC: the narrative contradicting itself.

1. "共 N 条，其中 A 条、B 条…" where the listed parts add up to more than the whole.
2. A stated rate (办结率 99.6%) that no stated count explains: 办结 1182 件 out of 共 1186 件 is 99.66%,
   written 99.6% (truncated) or 99.7% (rounded); both pass.

Conservative by design: approximate figures (余, 多, 约 …) are not added up; a list stops where
it switches to another breakdown (applicants, outcomes, channels); and a list whose first parts
already make up the whole is read as two breakdowns, not one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate.codes import finding, fmt, number
from gongkai.validate.text import Sentence, sentences

_UNITS = "条件个项份篇期次人户场家起宗批名"
_COUNT = re.compile(rf"(\d+)([{_UNITS}])(?![\d{_UNITS}])")
_APPROX = re.compile(r"余|多|约|近|逾|左右|以上|超过|不少于|上万")
_PARENS = re.compile(r"\([^()]*\)|【[^【】]*】")
_PART_SEP = re.compile(r"[,:、]")
_LIST_STOP = re.compile(r"^(另|此外|同时|均|全部|已|现已|办结|答复|完成|共|合计|累计|总计)")
_FAMILIES = {
    "applicant": re.compile(r"自然人|法人|企业|公民|其他组织"),
    "outcome": re.compile(r"予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|办结|答复|结转"),
    "channel": re.compile(r"网上|网络|当面|现场|信函|邮寄|传真|电子邮件|在线"),
}


@dataclass(frozen=True, slots=True)
class Count:
    value: int
    unit: str
    start: int
    end: int


def _counts(text: str, offset: int = 0) -> list[Count]:
    return [
        Count(int(m.group(1)), m.group(2), m.start() + offset, m.end() + offset)
        for m in _COUNT.finditer(text)
    ]


def _family(text: str) -> str | None:
    return next((name for name, pattern in _FAMILIES.items() if pattern.search(text)), None)


def _whole(head: str) -> Count | None:
    """The figure right before 其中: the last count in the clause that precedes it."""
    clause = _PART_SEP.split(head.rstrip(",:、"))[-1]
    found = _counts(clause)
    if not found or _APPROX.search(clause):
        return None
    return found[-1]


def _parts(tail: str, unit: str) -> list[int] | None:
    """The counts listed after 其中, one per clause; None when the list is not plain."""
    parts: list[int] = []
    family: str | None = None
    for clause in _PART_SEP.split(tail):
        if _LIST_STOP.match(clause) or "其中" in clause:
            break
        found = [c for c in _counts(clause) if c.unit == unit]
        if not found:
            continue
        if len(found) > 1 or _APPROX.search(clause):
            return None
        here = _family(clause)
        if parts and here is not None and here != family:
            break  # a second breakdown of the same whole begins
        family = family or here
        parts.append(found[0].value)
    return parts


def _exceeds(whole: int, parts: list[int]) -> bool:
    if any(p > whole for p in parts):
        return True
    running = 0
    for part in parts:
        running += part
        if running == whole:
            return False  # the first parts make the whole; what follows is another breakdown
    return len(parts) >= 2 and running > whole


def _parts_findings(sentence: Sentence) -> Iterator[Finding]:
    text = _PARENS.sub("", sentence.text)  # parenthesised figures break down a part, not the whole
    at = text.find("其中")
    if at < 0:
        return
    whole = _whole(text[:at])
    parts = None if whole is None else _parts(text[at + 2 :], whole.unit)
    if whole is None or not parts or not _exceeds(whole.value, parts):
        return
    listed = " + ".join(str(p) for p in parts)
    message = (
        f"{sentence.where()}“{sentence.snippet()}”：总数为 {whole.value}{whole.unit}，"
        f"但“其中”列出的各项 {listed} = {sum(parts)}{whole.unit}，超过了总数。"
    )
    yield finding("TEXT_ARITHMETIC", message, expected=whole.value, actual=sum(parts))


_RATE = re.compile(r"([\u4e00-\u9fff]{2})率(?:达到|达|为|是|约)?(\d+(?:\.\d+)?)%")


def _rate_ok(stated: float, decimals: int, numerator: int, denominator: int) -> bool:
    """Rounded or truncated to the stated precision, either way."""
    exact = 100 * numerator / denominator
    step = 10.0**-decimals
    low, high = math.floor(exact / step) * step, math.ceil(exact / step) * step
    return low - 1e-9 <= stated <= high + 1e-9


def _numerator(window: str, verb: str) -> Count | None:
    found = list(re.finditer(rf"{verb}了?(?:共计|共)?(\d+)([{_UNITS}])", window))
    if not found:
        return None
    m = found[-1]
    return Count(int(m.group(1)), m.group(2), m.start(1), m.end())


def _rate_findings(previous: Sentence | None, sentence: Sentence) -> Iterator[Finding]:
    for m in _RATE.finditer(sentence.text):
        lead = previous.text + "。" if previous and previous.section == sentence.section else ""
        window = lead + sentence.text[: m.start()]
        top = _numerator(window, m.group(1))
        if top is None:
            continue
        others = [c for c in _counts(window) if c.unit == top.unit and c.start != top.start]
        candidates = [c.value for c in others if c.value >= top.value and c.value > 0]
        stated, decimals = float(m.group(2)), len(m.group(2).partition(".")[2])
        if not candidates or any(_rate_ok(stated, decimals, top.value, d) for d in candidates):
            continue
        whole = max(candidates)
        exact = number(round(100 * top.value / whole, 2))
        message = (
            f"{sentence.where()}“{sentence.snippet(m.start(), m.end())}”：按文中数字 "
            f"{top.value} ÷ {whole} 计算，{m.group(1)}率应为 {fmt(exact)}%，与所写的 {m.group(2)}% 不符。"
        )
        yield finding("TEXT_ARITHMETIC", message, expected=exact, actual=number(stated))


def text_arithmetic(report: Report) -> list[Finding]:
    out: list[Finding] = []
    previous: Sentence | None = None
    for sentence in sentences(report):
        out += _parts_findings(sentence)
        out += _rate_findings(previous, sentence)
        previous = sentence
    return out
