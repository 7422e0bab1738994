"""The words a clerk types for the register's fields → their keys (model/register.py).

Each parser accepts the key itself or the Chinese a clerk would write, and raises ValueError with
a Chinese message listing what is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from gongkai.extract.normalize import norm
from gongkai.model.keys import T3_ROWS
from gongkai.model.register import (
    APPLICANT_NAMES,
    OUTCOMES,
    Applicant,
    CaseKind,
    CaseResult,
    Channel,
    EventKind,
)

_APPLICANTS: dict[str, str] = {
    **{name: key for key, name in APPLICANT_NAMES.items()},
    "公民": "natural", "个人": "natural", "企业": "commercial", "公司": "commercial",
    "律师事务所": "legal", "社会组织": "social",
}  # fmt: skip
_CHANNELS: dict[str, str] = {
    "当面": "in_person", "现场": "in_person", "当面提交": "in_person",
    "挂号信": "registered_post", "邮寄": "registered_post", "EMS": "registered_post",
    "平信": "ordinary_post", "信函": "ordinary_post",
    "网上": "online", "网络": "online", "互联网": "online", "在线": "online", "网站": "online",
    "传真": "fax", "其他": "other",
}  # fmt: skip
_EVENTS: dict[str, str] = {
    "补正通知": "correction_requested", "发出补正通知": "correction_requested",
    "补正收到": "correction_received", "收到补正": "correction_received",
    "征求意见开始": "consultation_started", "征求意见": "consultation_started",
    "征求意见结束": "consultation_ended", "延期": "extension_approved",
    "延长答复期限": "extension_approved", "收费通知": "fee_notified", "缴费": "fee_paid",
    "答复": "answered", "办结": "answered", "撤回": "withdrawn",
}  # fmt: skip
_CASE_KINDS: dict[str, str] = {
    "行政复议": "review", "复议": "review", "直接起诉": "litigation_direct",
    "未经复议直接起诉": "litigation_direct", "复议后起诉": "litigation_after_review",
}  # fmt: skip
_CASE_RESULTS: dict[str, str] = {
    "维持": "upheld", "结果维持": "upheld", "纠正": "corrected", "结果纠正": "corrected",
    "其他": "other", "其他结果": "other", "尚未审结": "pending", "未审结": "pending",
}  # fmt: skip


def _outcome_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for key, label in T3_ROWS["2021"]:
        if key in OUTCOMES:
            words[norm(label)] = key
            words[norm(label.split(" ", 1)[-1])] = key  # the leaf alone: 1.属于国家秘密
    return words


_OUTCOMES = _outcome_words()


def _parse(words: Mapping[str, str], text: str, what: str) -> str:
    cleaned = text.strip()
    if cleaned in words.values():
        return cleaned
    for word, key in words.items():
        if norm(word) == norm(cleaned):
            return key
    shown = "、".join(list(words)[:12])
    raise ValueError(f"{what}“{text}”无法识别，可写：{shown}")


def applicant_of(text: str) -> Applicant:
    return cast(Applicant, _parse(_APPLICANTS, text, "申请人类型"))


def channel_of(text: str) -> Channel:
    return cast(Channel, _parse(_CHANNELS, text, "申请方式"))


def event_kind_of(text: str) -> EventKind:
    return cast(EventKind, _parse(_EVENTS, text, "办理步骤"))


def case_kind_of(text: str) -> CaseKind:
    return cast(CaseKind, _parse(_CASE_KINDS, text, "案件类型"))


def case_result_of(text: str) -> CaseResult:
    return cast(CaseResult, _parse(_CASE_RESULTS, text, "案件结果"))


def outcome_of(text: str) -> str:
    key = norm(text)
    if text.strip() in OUTCOMES:
        return text.strip()
    if key in _OUTCOMES:
        return _OUTCOMES[key]
    found = {v for k, v in _OUTCOMES.items() if key and key in k}
    if len(found) == 1:
        return found.pop()
    raise ValueError(f"办理结果“{text}”无法识别，应为表三“三、本年度办理结果”中的一项，如 予以公开")
