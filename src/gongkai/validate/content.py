"""Required content of the narrative: S1_ASPECTS_MISSING (section 一 of the 2021 format) and
S5_NO_FOLLOW_UP (section 五 against last year's report).

Both read words, not meaning, so both are warnings and both are lenient: an aspect counts as
covered when any of several usual wordings appears (FORMAT.md §2.3: many reports word the
sub-headings freely), and section 五 counts as following up when it names any improvement at all.
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate.codes import finding

_FIRST_2021_YEAR = 2021

# The five aspects the 2021 notice lists for section 一 (国办公开办函〔2021〕30号; FORMAT.md §2.3), each
# with the wordings reports use for it.
ASPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("主动公开", re.compile(r"主动公开")),
    ("依申请公开", re.compile(r"依申请|申请公开|公开申请")),
    (
        "政府信息管理",
        re.compile(
            r"信息管理|公开属性|源头认定|动态调整|动态更新|文件清理|规范性文件.{0,6}清理|审查|审核"
        ),
    ),
    ("平台建设", re.compile(r"平台|网站|门户|专栏|新媒体|公众号|微博|政务服务网|政府公报")),
    # Not 保障 alone (社会保障, 服务保障) nor 监督权 (the public's right): they name no oversight.
    (
        "监督保障",
        re.compile(r"监督(?!权)|考核|培训|问责|评议|责任追究|领导小组|组织保障|制度保障|工作保障"),
    ),
)


def _text(report: Report, no: int) -> str:
    text = "".join(s.text for s in report.sections if s.no == no)
    return "".join(unicodedata.normalize("NFKC", text).split())


def _uses_2021_format(report: Report) -> bool:
    year = report.meta.year
    if year is not None:
        return year >= _FIRST_2021_YEAR
    return "2021" in (report.meta.templates.table2, report.meta.templates.table3)


def s1_aspects_missing(report: Report) -> list[Finding]:
    """Section 一 of a 2021-format report that leaves one of the five aspects out entirely."""
    if not _uses_2021_format(report):
        return []
    text = _text(report, 1)
    if not text:
        return []  # no section 一 (SECTION_MISSING) or an empty one
    missing = [name for name, pattern in ASPECTS if not pattern.search(text)]
    if not missing:
        return []
    listed = "、".join(name for name, _ in ASPECTS)
    message = (
        f"第一部分“总体情况”没有涉及{'、'.join(missing)}。2021年格式要求总体情况涵盖"
        f"{listed}五个方面，请补充。"
    )
    return [finding("S1_ASPECTS_MISSING", message, [["sections", 1]])]


# Words that say something was or will be improved; a section 五 with none of them reports
# problems only.
_IMPROVEMENT = re.compile(
    r"改进|整改|改正|完善|加强|提升|提高|落实|解决|优化|规范|健全|推进|强化|加大|建立|深化|改善"
)
_SENTENCE = re.compile(r"[。;；!?！？\n]")
_DIGITS = re.compile(r"\d+")
_MIN_REPEAT = 20  # characters: shorter sentences (无。进一步加强学习。) are formulaic, not copied
_QUOTE = 40


def _sentences(text: str) -> list[str]:
    out = []
    for part in _SENTENCE.split(unicodedata.normalize("NFKC", text)):
        key = _DIGITS.sub("#", "".join(part.split()))  # 2023年 and 2024年 repeat the same sentence
        if len(key) >= _MIN_REPEAT:
            out.append(key)
    return out


def _repeated(previous: str, current: str) -> list[str]:
    seen = set(_sentences(current))
    return [s for s in dict.fromkeys(_sentences(previous)) if s in seen]


def s5_no_follow_up(previous: Report, current: Report) -> list[Finding]:
    """Section 五 that repeats last year's sentences word for word, or names no improvement."""
    before = "\n".join(s.text for s in previous.sections if s.no == 5)
    now = "\n".join(s.text for s in current.sections if s.no == 5)
    if not before.strip() or not now.strip():
        return []  # SECTION_EMPTY and SECTION_MISSING speak for an empty or absent section
    where: list[list[str | int]] = [["sections", 5], ["previous", "sections", 5]]
    repeated = _repeated(before, now)
    if repeated:
        quote = repeated[0][:_QUOTE] + ("…" if len(repeated[0]) > _QUOTE else "")
        message = (
            f"第五部分有 {len(repeated)} 句与上年报告第五部分逐字相同（如“{quote}”）。"
            "第五部分应说明上年问题的整改情况和本年的新问题，而不是重复上年的表述。"
        )
        return [finding("S5_NO_FOLLOW_UP", message, where, actual=len(repeated))]
    if not _IMPROVEMENT.search(_text(current, 5)):
        message = (
            "第五部分只列出问题，没有说明改进情况，也没有说明上年问题的整改情况"
            "（“存在的主要问题及改进情况”）。"
        )
        return [finding("S5_NO_FOLLOW_UP", message, where)]
    return []
