"""依申请公开台账: the request register an office keeps as requests arrive (docs/register.md).

A request, the events of its handling, its outcome, and the review and litigation cases about
requests. Tables 3 and 4 of the annual report are derived from these (analysis/register_tables.py)
and so satisfy every relation of the form by construction; the statutory deadlines are computed
from them on real working days (analysis/register_deadline.py). No I/O here.

The articles cited are those of the 《政府信息公开条例》 (2019) and 国办函〔2020〕109号 (fees).
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from gongkai.model.keys import T3_COLUMNS, T3_OUTCOME_KEYS, T4_GROUPS

# The six applicant columns of table 3 (the seventh, 总计, is their sum).
Applicant = Literal["natural", "commercial", "research", "social", "legal", "other"]
APPLICANTS: Final[tuple[Applicant, ...]] = (
    "natural",
    "commercial",
    "research",
    "social",
    "legal",
    "other",
)
APPLICANT_NAMES: Final[dict[Applicant, str]] = dict(zip(APPLICANTS, T3_COLUMNS[:6], strict=True))

# 第三十一条: how the day of receipt is fixed depends on the channel. The register stores the day
# so fixed; the channel says which rule fixed it.
Channel = Literal["in_person", "registered_post", "ordinary_post", "online", "fax", "other"]
CHANNEL_NAMES: Final[dict[Channel, str]] = {
    "in_person": "当面提交",
    "registered_post": "挂号信等需签收的邮件",
    "ordinary_post": "平常信函",
    "online": "互联网渠道",
    "fax": "传真",
    "other": "其他",
}
RECEIPT_RULES: Final[dict[Channel, str]] = {
    "in_person": "以提交之日为收到申请之日（第三十一条第一项）",
    "registered_post": "以行政机关签收之日为收到申请之日（第三十一条第二项）",
    "ordinary_post": "以行政机关与申请人确认之日为收到申请之日（第三十一条第二项）",
    "online": "以双方确认之日为收到申请之日（第三十一条第三项）",
    "fax": "以双方确认之日为收到申请之日（第三十一条第三项）",
    "other": "以行政机关确认收到之日为收到申请之日",
}

# The outcome of a request: exactly the result rows of table 3 in the 2021 format.
OUTCOMES: Final[tuple[str, ...]] = T3_OUTCOME_KEYS["2021"]

EventKind = Literal[
    "correction_requested",  # 补正通知 sent (第三十条: within 7 working days of receipt, once)
    "correction_received",  # the corrected request arrived: the clock restarts
    "consultation_started",  # 征求第三方或其他机关意见 (第三十二条, 第三十四条): paused
    "consultation_ended",
    "extension_approved",  # 延长答复期限 approved and the applicant told (第三十三条): +20 days
    "fee_notified",  # 收费通知 (国办函〔2020〕109号): paused; 20 working days to pay
    "fee_paid",
    "answered",  # 答复: concludes the request with its outcome
    "withdrawn",  # 申请人撤回: concludes it as （六）3 其他
]
EVENT_NAMES: Final[dict[str, str]] = {
    "correction_requested": "发出补正通知",
    "correction_received": "收到补正后的申请",
    "consultation_started": "开始征求意见",
    "consultation_ended": "征求意见结束",
    "extension_approved": "批准延长答复期限",
    "fee_notified": "发出收费通知",
    "fee_paid": "申请人缴费",
    "answered": "作出答复",
    "withdrawn": "申请人撤回申请",
}
CONCLUDING: Final[frozenset[str]] = frozenset({"answered", "withdrawn"})
# The states of a request's deadline (analysis/register_deadline.py `Due.status`), as a clerk says.
STATUS_NAMES: Final[dict[str, str]] = {
    "open": "办理中",
    "awaiting_correction": "等待补正",
    "awaiting_fee": "等待缴费",
    "consulting": "征求意见中",
    "concluded": "已办结",
}

CaseKind = Literal["review", "litigation_direct", "litigation_after_review"]
CASE_KINDS: Final[tuple[str, ...]] = tuple(key for key, _ in T4_GROUPS)
CaseResult = Literal["upheld", "corrected", "other", "pending"]  # 维持/纠正/其他/尚未审结
CASE_RESULTS: Final[tuple[CaseResult, ...]] = ("upheld", "corrected", "other", "pending")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Request(_Model):
    """One application for disclosure, as received."""

    id: int | None = None  # given by the store
    number: str | None = Field(None, max_length=100)  # the office's own 编号
    received: date  # the day of receipt as 第三十一条 fixes it
    applicant: Applicant
    channel: Channel = "other"
    content: str = Field("", max_length=5000)
    contact: str | None = Field(None, max_length=500)


class Event(_Model):
    """A step of handling. `outcome` only for `answered` (one of OUTCOMES)."""

    id: int | None = None
    request_id: int
    kind: EventKind
    on: date
    outcome: str | None = None
    note: str | None = Field(None, max_length=2000)


class Case(_Model):
    """A 行政复议 or 行政诉讼 case about disclosure, for table 4."""

    id: int | None = None
    kind: CaseKind
    filed: date
    result: CaseResult = "pending"
    request_id: int | None = None
    note: str | None = Field(None, max_length=2000)
