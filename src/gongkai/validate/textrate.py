"""TEXT_RATE_IMPOSSIBLE: a rate or share stated in the narrative that cannot be (办结率120%).

Only rates bounded by their meaning are read: the share of requests answered, published, satisfied
and so on (办结率, 答复率, 公开率, 满意率 …) and a part's share of a whole (占比, 占全部申请的…).
Growth, completion of a plan or budget execution may pass 100% (增长率, 完成率, 执行率) and are not
read. A stated rate that its own counts do not give is TEXT_ARITHMETIC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate.codes import finding, number
from gongkai.validate.text import Sentence, sentences

# Rates that are a share of a whole by definition.
_BOUNDED = (
    "办结|答复|回复|公开|满意|覆盖|知晓|解读|回应|受理|准确|及时|按时|按期|规范|到位|上网|参与|电子化|查阅"
    "|办理|转办|审核|纠错|公开答复|按时办结|按期办结|按时答复|按时回复|群众满意"
)
_VERB = r"(?:达到了|达到|达|为|是|约为|约|高达|均为|均达|保持在|保持)?"
_RATE = re.compile(rf"(?<![增长提上下降])({_BOUNDED})率{_VERB}(\d+(?:\.\d+)?)%")
_SHARE = re.compile(rf"(占比|占[^,;:%。]{{0,12}}?的(?:比例|比重)?){_VERB}(\d+(?:\.\d+)?)%")
_LIMIT = 100.0
# 占上年的 120% compares with another year, not with a whole: it may pass 100%.
_OTHER_YEAR = re.compile(r"上年|去年|上一年|同期|往年|前年|\d{4}年")


def _findings(sentence: Sentence) -> Iterator[Finding]:
    for pattern, kind in ((_RATE, "率"), (_SHARE, "")):
        for m in pattern.finditer(sentence.text):
            stated = float(m.group(2))
            if stated <= _LIMIT or (not kind and _OTHER_YEAR.search(m.group(1))):
                continue
            name = f"{m.group(1)}{kind}" if kind else "所占比例"
            message = (
                f"{sentence.where()}“{sentence.snippet(m.start(), m.end())}”："
                f"{name}为 {m.group(2)}%，超过 100%，这是不可能的，请核对数字。"
            )
            where: list[list[str | int]] = [["sections", sentence.section]]
            yield finding(
                "TEXT_RATE_IMPOSSIBLE", message, where, expected=_LIMIT, actual=number(stated)
            )


def text_rate_impossible(report: Report) -> list[Finding]:
    out: list[Finding] = []
    for sentence in sentences(report):
        out += _findings(sentence)
    return out
