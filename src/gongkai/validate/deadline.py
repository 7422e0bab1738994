"""PUBLISHED_LATE: the report published after its deadline (《条例》第四十九条, FORMAT.md §1.1, §6).

The deadline depends on the organ: 县级以上人民政府部门 publish last year's report by 1月31日, the
本级政府 report of a 县级以上地方人民政府 by 3月31日; 乡镇 and 街道 are not named in the 《条例》, their
deadline is set by local notices (怀化: 1月28日) and has no default. Every deadline can be set by
the user (`Deadlines`); the statutory ones are the defaults.

The publication date is the page's metadata or the CMS line above the article, or one the user
gives; failing those, a sign-off dated after the deadline proves lateness (a report cannot be
published before it is written). Anything less says UNVERIFIABLE with why: never a false error.
The rule applies from reports on 2019, the first published under the revised 《条例》 (in force
2019-05-15).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.validate.codes import day, finding
from gongkai.validate.signoff import signoff_of

OrganKind = Literal["department", "government", "township"]
MonthDay = tuple[int, int]

KIND_NAMES: dict[OrganKind, str] = {
    "department": "县级以上人民政府部门",
    "government": "县级以上地方人民政府（本级政府报告）",
    "township": "乡镇人民政府、街道办事处",
}
# The words a user types on the command line (--deadline 乡镇=02-20).
KIND_WORDS: dict[str, OrganKind] = {
    "部门": "department",
    "政府": "government",
    "乡镇": "township",
    "街道": "township",
}
_FIRST_YEAR = 2019


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Month and day of the year after the report's year, per kind of organ; None = not set."""

    department: MonthDay | None = (1, 31)
    government: MonthDay | None = (3, 31)
    township: MonthDay | None = None

    def of(self, kind: OrganKind) -> MonthDay | None:
        value: MonthDay | None = getattr(self, kind)
        return value

    def with_setting(self, text: str) -> Deadlines:
        """`乡镇=02-20` (or 2月20日) applied; ValueError with a Chinese message when malformed."""
        word, sep, when = text.partition("=")
        kind = KIND_WORDS.get(word.strip())
        match = re.fullmatch(r"\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*", when)
        if not sep or kind is None or match is None:
            raise ValueError(
                f"期限设置“{text}”无法识别，应写作 部门=01-31、政府=03-31 或 乡镇=02-20"
            )
        month, day = int(match[1]), int(match[2])
        try:
            date(2001, month, day)  # a year without 2月29日: a deadline must exist every year
        except ValueError:
            raise ValueError(f"期限设置“{text}”中的日期不存在") from None
        return replace(self, **{kind: (month, day)})


STATUTORY = Deadlines()

_TOWNSHIP = re.compile(
    r"(?:[乡镇]|街道|苏木)(?:人民政府|政府)?$|街道办事处$|(?:[乡镇]|街道)(?!村)[^市县区州省旗盟]*$"
)
_GOVERNMENT = re.compile(r"[省市县区州旗盟]人民政府$")
_DEPARTMENT = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|办|厅|中心|署|院|部|会|所|处|站|队|馆|集团|公司|管委会)$"
)
_NOT_PLACE = re.compile(r"乡村|城乡|城镇|村镇|乡镇企业")


def organ_kind(agency: str | None) -> OrganKind | None:
    """What kind of organ `agency` names, from its name; None when the name does not say."""
    if not agency:
        return None
    name = _NOT_PLACE.sub("", "".join(agency.split()))
    if _TOWNSHIP.search(name):
        return "township"
    if _GOVERNMENT.search(name):
        return "government"
    if _DEPARTMENT.search(name):
        return "department"
    return None


def _unverifiable(why: str) -> list[Finding]:
    return [finding("UNVERIFIABLE", f"未核对发布期限：{why}。", [["meta", "published"]])]


def _late(report: Report, due: date, kind: OrganKind, statutory: bool) -> list[Finding]:
    basis = "《条例》第四十九条" if statutory else "所设期限（地方规定）"
    rule = f"{basis}：{KIND_NAMES[kind]}应于 {day(due.isoformat())}前发布"
    published = report.meta.published
    if published is not None:
        when = date.fromisoformat(published.date)
        if when <= due:
            return []
        origin = {"page": "网页元数据", "text": "网页所载发布时间", "user": "使用者提供"}
        days = (when - due).days
        message = (
            f"报告发布日期为 {day(published.date)}（{origin[published.source]}），"
            f"晚于期限 {days} 天（{rule}）。"
        )
        return [finding("PUBLISHED_LATE", message, [["meta", "published"]], actual=days)]
    signoff = signoff_of(report)
    if signoff is not None and signoff.date is not None and date.fromisoformat(signoff.date) > due:
        days = (date.fromisoformat(signoff.date) - due).days
        message = (
            f"报告落款日期为 {day(signoff.date)}，已晚于发布期限 {days} 天，"
            f"报告不可能早于成文日期发布（{rule}）。"
        )
        return [finding("PUBLISHED_LATE", message, [["meta", "signoff"]], actual=days)]
    return _unverifiable(
        f"发布日期未知，期限为 {day(due.isoformat())}（可用 --published 提供发布日期）"
    )


def published_late(report: Report, deadlines: Deadlines = STATUTORY) -> list[Finding]:
    """The report published after the deadline of its kind of organ."""
    year = report.meta.year
    if year is None:
        return _unverifiable("未能确定报告年度")
    if year < _FIRST_YEAR:
        return _unverifiable("2019年5月15日修订的《条例》施行前的期限未收录")
    signoff = signoff_of(report)
    agency = report.meta.agency or (signoff.agency if signoff else None)
    kind = organ_kind(agency)
    if kind is None:
        why = "未能确定发布机关" if not agency else f"无法从机关名称“{agency}”判断机关类型"
        return _unverifiable(why)
    month_day = deadlines.of(kind)
    if month_day is None:
        return _unverifiable(
            f"{KIND_NAMES[kind]}的发布期限由地方规定，未设置（可用 --deadline 乡镇=MM-DD 设置）"
        )
    statutory = month_day == STATUTORY.of(kind)
    return _late(report, date(year + 1, *month_day), kind, statutory)
