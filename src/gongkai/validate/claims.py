"""Figures the narrative states about table cells (for TEXT_TABLE_MISMATCH).

Recognised: requests received (受理/收到/新收 … 政府信息公开申请 N 件, or 未收到 …), carried over
(上年结转 N 件), closed (答复/办结 N 件), carried forward (结转/顺延到下年度 N 件), 行政复议 and 行政诉讼
counts with their 维持/纠正/其他结果/尚未审结 breakdown, and 行政处罚/行政许可/行政强制 处理决定.

A false alarm is worse than a miss: a figure is only compared when its clause carries no hint that
it is partial (其中, a channel, an applicant type, a month or quarter, another year, a comparison),
and (in narrative.py) every reading the table allows counts as agreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.model.report import Report
from gongkai.validate.text import Sentence, clause_bounds, clause_index, other_year, sentences

_UNIT = r"(?:件|宗|个|份)"
_NOUN = r"(?:政府信息公开申请|信息公开申请|依申请公开(?:政府信息)?(?:申请)?)"
_REQUEST_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "received",
        re.compile(
            rf"(?:受理|收到|接收|接到|新收)了?[^,;。\d]{{0,12}}?{_NOUN}"
            rf"的?(?:数量)?(?:共计|共|合计|总计)?(?:为|有)?(\d+){_UNIT}"
        ),
    ),
    (
        "received",
        re.compile(rf"(?:未|没有)(?:收到|受理|接到|接收)[过到]?[^,;。\d]{{0,10}}?{_NOUN}()"),
    ),
    (
        "carried_over",
        re.compile(
            rf"上一?年度?结转(?:而来|来)?的?(?:政府信息公开)?(?:申请)?(?:共计|共|为)?(\d+){_UNIT}"
        ),
    ),
    (
        "carried_forward",
        re.compile(
            r"(?:结转|顺延|转入)(?:至|到|入)?下一?(?:年度|年)(?:继续办理)?的?(?:政府信息公开)?"
            rf"(?:申请)?(?:共计|共|为)?(\d+){_UNIT}"
        ),
    ),
    (
        "carried_forward",
        re.compile(rf"(\d+){_UNIT}(?:申请)?需?(?:结转|顺延|转入)(?:至|到|入)?下一?(?:年度|年)"),
    ),
    (
        "closed",
        re.compile(rf"(?:答复|办结|办理完毕|处理完毕)了?(?:{_NOUN}|申请)?(?:共计|共)?(\d+){_UNIT}"),
    ),
)
_TIME_HINT = re.compile(
    r"季度|上半年|下半年|以来|累计|同比|较上年|比上年|较去年|同期|增长|下降|减少|增加|上一?年(?!度?结转)|去年|平均"
)
# Channels, area-wide or sub-unit counts (全县 …; 区政府办代表区政府受理 … while the table covers more).
_SUBSET_HINT = re.compile(
    r"其中|通过|网上|网络|在线|信函|邮寄|邮件|当面|现场|电话|传真"
    r"|全市|全县|全区|全省|各乡镇|各部门|各单位|本级|代表|办公室|政府办"
)
# Closings of one kind (书面答复 3 件, 延期答复 1 件) are a part of all closings.
_CLOSED_HINT = re.compile(
    r"予以公开|部分公开|不予|无法提供|告知|补正|延期|按时|按期|逾期|当场|书面|口头|转办|转交"
)
_APPLICANTS = re.compile(r"自然人|公民|法人|企业|其他组织")
_MONTH = re.compile(r"\d{1,2}月")
_FULL_YEAR = re.compile(r"1月1日?(?:至|到|-|—|~)12月31日?")


@dataclass(frozen=True, slots=True)
class Claim:
    kind: str  # received, carried_over, closed, carried_forward, review:4, decisions:punishment …
    value: int
    sentence: Sentence
    start: int
    end: int


def _time_partial(text: str) -> bool:
    if _TIME_HINT.search(text):
        return True
    return bool(_MONTH.search(text)) and not _FULL_YEAR.search(text)


def _partial(text: str) -> bool:
    """The words around a figure say it counts only part of the year's requests."""
    if _time_partial(text) or _SUBSET_HINT.search(text):
        return True
    # One applicant type is a subset; 公民、法人和其他组织 together are everyone.
    return len(set(_APPLICANTS.findall(text))) == 1


def _lead(sentence: Sentence, start: int) -> str:
    """From the start of the clause holding `start` up to it: where qualifiers sit."""
    return sentence.text[clause_bounds(sentence.text, start)[0] : start]


def _request_claims(sentence: Sentence, year: int | None) -> Iterator[Claim]:
    if "申请" not in sentence.text:
        return
    for kind, pattern in _REQUEST_PATTERNS:
        for m in pattern.finditer(sentence.text):
            context = _lead(sentence, m.start()) + m.group(0)
            if _partial(context) or other_year(sentence.text[: m.end()], year):
                continue
            if kind == "closed" and _CLOSED_HINT.search(context):
                continue
            yield Claim(kind, int(m.group(1) or 0), sentence, m.start(), m.end())


_T4_TOPIC = re.compile(r"行政复议后起诉|复议后起诉|直接向法院起诉|直接起诉|行政复议|行政诉讼")
_TOPIC_KEY = {
    "行政复议后起诉": "after",
    "复议后起诉": "after",
    "直接向法院起诉": "direct",
    "直接起诉": "direct",
    "行政复议": "review",
    "行政诉讼": "litigation",
}
_T4_UNIT = r"(?:件|起|宗|个)"
_TOPIC_TOTAL = re.compile(
    rf"的?(?:案件|申请)?(?:数量)?(?:共计|共|合计|总计)?(?:为|有)?(\d+){_T4_UNIT}"
)
_T4_BOTH = re.compile(
    rf"行政复议(?:和|、|及|与|或)(?:提起)?行政诉讼(?:案件)?(?:数量)?(?:均为|均|都为|都是|各)(\d+){_T4_UNIT}"
)
_OUTCOME = re.compile(
    r"(?:结果)?(维持|纠正|其他结果|尚未审结|未审结|审理中|正在审理)了?(?:原[^\d,;。]{0,8}?)?"
    rf"的?(?:案件)?(?:共)?(\d+){_T4_UNIT}"
)
_OUTCOME_COL = {"维持": 0, "纠正": 1, "其他结果": 2}  # the rest mean 尚未审结 (3)
_T4_NONE = re.compile(
    r"(?:未|没有)(?:发生|出现|收到|产生|涉及|引发|被)?[^\d,;。]{0,20}?(?:行政复议|行政诉讼)"
)
_T4_NONE_SPOILER = re.compile(r"\d|维持|纠正|败诉|审结|结果")
_T4_TOKEN = re.compile(f"{_T4_TOPIC.pattern}|{_OUTCOME.pattern}")


def _t4_about_disclosure(sentence: Sentence, previous: Sentence | None) -> bool:
    # Organs such as 司法局 decide reviews themselves: only disclosure-related figures count,
    # said in this sentence or the one before it (…被申请行政复议2件；被提起行政诉讼1件).
    context = sentence.text + (previous.text if previous else "")
    return sentence.section == 4 or bool(re.search(r"信息公开|依申请", context))


def _t4_none_claims(sentence: Sentence) -> Iterator[Claim]:
    for m in _T4_NONE.finditer(sentence.text):
        lo, hi = clause_bounds(sentence.text, m.start())
        clause = sentence.text[lo:hi]
        if _T4_NONE_SPOILER.search(clause) or _time_partial(clause):
            continue
        for topic in _T4_TOPIC.finditer(sentence.text, m.start(), hi):
            yield Claim(f"{_TOPIC_KEY[topic.group(0)]}:4", 0, sentence, m.start(), hi)


def _t4_claims(sentence: Sentence, year: int | None, previous: Sentence | None) -> Iterator[Claim]:
    if not _t4_about_disclosure(sentence, previous) or other_year(sentence.text, year):
        return
    text = sentence.text
    yield from _t4_none_claims(sentence)
    both = list(_T4_BOTH.finditer(text))
    for m in both:
        for key in ("review", "litigation"):
            yield Claim(f"{key}:4", int(m.group(1)), sentence, m.start(), m.end())
    topic: str | None = None
    for m in _T4_TOKEN.finditer(text):
        if any(b.start() <= m.start() < b.end() for b in both) or _time_partial(
            _lead(sentence, m.start())
        ):
            continue
        if m.group(0) in _TOPIC_KEY:
            topic = _TOPIC_KEY[m.group(0)]
            total = _TOPIC_TOTAL.match(text, m.end())
            if total and not _SUBSET_HINT.search(_lead(sentence, m.start())):
                yield Claim(f"{topic}:4", int(total.group(1)), sentence, m.start(), total.end())
        elif topic is not None:
            outcome = _OUTCOME.match(text, m.start())
            if outcome:
                col = _OUTCOME_COL.get(outcome.group(1), 3)
                yield Claim(f"{topic}:{col}", int(outcome.group(2)), sentence, m.start(), m.end())


_ITEM = re.compile(r"行政处罚|行政许可|行政强制")
_ITEM_KEY = {"行政处罚": "punishment", "行政许可": "licensing", "行政强制": "coercion"}
_DECISION = re.compile(r"决定书?(?:数量)?(?:共计|共|为)?(\d+)(?:件|个|份|宗)")
_DECISION_HINT = re.compile(r"公开|公示|发布|上网|简易|一般程序|普通程序|当场")


def _decision_context(sentence: Sentence, pos: int) -> tuple[str | None, str]:
    """The one item (处罚/许可/强制) the 决定 at `pos` is about, and the text from where it is named.

    The item must be named in the same clause or the one before, alone: in 行政许可、行政处罚决定
    30 件 the figure belongs to neither cell.
    """
    text = sentence.text
    items = list(_ITEM.finditer(text, 0, pos))
    if not items or clause_index(text, pos) - clause_index(text, items[-1].start()) > 1:
        return None, ""
    lo = clause_bounds(text, items[-1].start())[0]
    named = {m.group(0) for m in _ITEM.finditer(text, lo, pos)}
    return (_ITEM_KEY[items[-1].group(0)] if len(named) == 1 else None), text[lo:pos]


def _decision_claims(sentence: Sentence, year: int | None) -> Iterator[Claim]:
    for m in _DECISION.finditer(sentence.text):
        topic, context = _decision_context(sentence, m.start())
        if topic is None or other_year(sentence.text[: m.end()], year):
            continue
        if _partial(context) or _DECISION_HINT.search(context):
            continue
        yield Claim(f"decisions:{topic}", int(m.group(1)), sentence, m.start(), m.end())


def claims(report: Report) -> list[Claim]:
    """Every figure the narrative states about a table cell."""
    year = report.meta.year
    out: list[Claim] = []
    previous: Sentence | None = None
    for sentence in sentences(report):
        out += _request_claims(sentence, year)
        out += _t4_claims(
            sentence, year, previous if previous and previous.section == sentence.section else None
        )
        out += _decision_claims(sentence, year)
        previous = sentence
    return out
