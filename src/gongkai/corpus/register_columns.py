"""The 台账 workbook's vocabulary: the headers, values and dates clerks write (docs/register-xlsx.md).

Pure, no openpyxl: register_rows.py turns a row into a request with it, register_xlsx.py reads and
writes the workbook. The first wording of each header and value is the one `write_register` uses,
so an exported workbook reads back through the same tables.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Final, cast

from gongkai.extract.normalize import ideographs
from gongkai.model.keys import T3_ROWS
from gongkai.model.register import (
    APPLICANT_NAMES,
    CHANNEL_NAMES,
    OUTCOMES,
    Applicant,
    Channel,
)

# A register starts with the 2008 条例; a date outside these years is a typo (2205, 0025) or a
# small number Excel read as a serial day, never a request.
EARLIEST: Final = date(1990, 1, 1)
LATEST: Final = date(2099, 12, 31)
_EXCEL_EPOCH: Final = date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's 1900 leap bug


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is plain Chinese without the column's name."""


# The columns: field → the headers that name it, the written one first. "answered" holds the day
# of the concluding event (answer or withdrawal), "result" its outcome, "notes" the events' notes.
HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "number": ("编号", "申请编号", "登记编号", "受理编号", "序号"),
    "received": (
        "收到申请日期",
        "收到日期",
        "受理日期",
        "收到申请时间",
        "收到时间",
        "登记日期",
        "申请日期",
        "申请时间",
    ),
    "applicant": ("申请人类型", "申请人类别", "申请人性质", "申请人身份", "申请主体类型"),
    "channel": ("申请方式", "申请渠道", "渠道", "提交方式", "申请途径"),
    "content": ("申请内容", "申请事项", "申请公开内容", "申请公开的内容", "申请信息内容"),
    "contact": ("联系方式", "联系电话", "电话"),
    "correction_requested": ("补正通知日期", "发出补正通知日期", "告知补正日期", "补正告知日期"),
    "correction_received": ("补正收到日期", "收到补正日期", "收到补正申请日期"),
    "consultation_started": ("征求意见开始日期", "征求意见开始", "征求意见日期"),
    "consultation_ended": ("征求意见结束日期", "征求意见结束", "收到意见日期"),
    "extension_approved": (
        "延长答复期限日期",
        "延期日期",
        "延长答复日期",
        "延期答复日期",
        "延长期限日期",
    ),
    "fee_notified": ("收费通知日期", "发出收费通知日期"),
    "fee_paid": ("缴费日期", "缴纳费用日期"),
    "answered": ("答复日期", "办结日期", "答复时间", "办结时间"),
    "result": ("答复结果", "办理结果", "处理结果", "答复类型"),
    "notes": ("办理备注",),
}
# The events that have a column of their own (the concluding ones share 答复日期 and 答复结果).
STEP_FIELDS: Final[tuple[str, ...]] = (
    "correction_requested",
    "correction_received",
    "consultation_started",
    "consultation_ended",
    "extension_approved",
    "fee_notified",
    "fee_paid",
)
REQUIRED: Final[tuple[str, ...]] = ("received", "applicant")

_BRACKETED = re.compile(r"\([^()]*\)")
_HEADER_RESIDUE = re.compile(r"[\s*:]+")


def header_key(text: str) -> str:
    """A header as matched: no spaces or line breaks, no （说明） or * or trailing colon."""
    return _HEADER_RESIDUE.sub("", _BRACKETED.sub("", ideographs(text))).casefold()


_HEADER_FIELDS: Final[dict[str, tuple[str, int]]] = {
    header_key(word): (field, rank)
    for field, words in HEADERS.items()
    for rank, word in enumerate(words)
}


def field_of(header: str) -> tuple[str, int] | None:
    """(field, rank of the wording) for a recognised header; a lower rank is a better name."""
    return _HEADER_FIELDS.get(header_key(header))


def quote(text: str, limit: int = 40) -> str:
    """A cell's text in a message, cut short: a hostile 32,000-character cell repeated down
    100,000 rows must not become gigabytes of messages."""
    return f"“{text if len(text) <= limit else text[:limit] + '…'}”"


def cell_text(value: object) -> str:
    """A cell as text: a phone or 编号 Excel stored as a number keeps its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value).strip()


# Values ---------------------------------------------------------------------------------------

_ENUMERATION = re.compile(
    r"\([一二三四五六七八九十\d]+\)|(?<!\d)\d{1,2}[.、](?!\d)|^[一二三四五六七八九十]+、"
)
_PUNCTUATION = re.compile(r"[\s\-—–_·•.,、:;'\"“”‘’()\[\]【】《》<>/\\|~～!?]+")


def value_key(text: str) -> str:
    """A value as matched: NFKC, lower case, no numbering （三） 1. and no punctuation."""
    return _PUNCTUATION.sub("", _ENUMERATION.sub("", ideographs(text).casefold()))


_APPLICANT_WORDS: Final[dict[Applicant, tuple[str, ...]]] = {
    "natural": ("自然人", "公民", "个人", "群众"),
    "commercial": ("商业企业", "企业", "公司", "企业法人"),
    "research": ("科研机构", "科研院所", "研究机构"),
    "social": ("社会公益组织", "公益组织", "社会组织"),
    "legal": ("法律服务机构", "律师事务所", "律所"),
    "other": ("其他", "其他组织"),
}
_CHANNEL_WORDS: Final[dict[Channel, tuple[str, ...]]] = {
    "in_person": ("当面提交", "当面", "现场", "现场提交", "当面申请", "现场申请", "窗口"),
    # Plain 邮寄 as the CLI reads it (cli/register_words.py): registered post.
    "registered_post": (
        *("挂号信等需签收的邮件", "挂号信", "EMS", "邮寄（签收）", "邮寄签收", "邮寄"),
        *("快递", "特快专递", "邮政EMS"),
    ),
    "ordinary_post": ("平常信函", "平信", "信函", "普通信函", "平邮"),
    "online": (
        *("互联网渠道", "网上", "网络", "互联网", "在线", "政府网站", "网站", "门户网站"),
        *("网上申请", "在线申请", "网上提交", "电子邮件", "电子邮箱", "邮箱"),
    ),
    "fax": ("传真",),
    "other": ("其他",),
}
APPLICANT_LABELS: Final[dict[str, str]] = {str(k): v for k, v in APPLICANT_NAMES.items()}
CHANNEL_LABELS: Final[dict[str, str]] = {str(k): v for k, v in CHANNEL_NAMES.items()}
# The group header the 2021 form puts over four applicant columns; a clerk may copy it.
_APPLICANT_GROUP = value_key("法人或其他组织")


def _lookup(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {value_key(word): key for key, group in words.items() for word in group}


_APPLICANTS: Final = _lookup(cast(dict[str, tuple[str, ...]], _APPLICANT_WORDS))
_CHANNELS: Final = _lookup(cast(dict[str, tuple[str, ...]], _CHANNEL_WORDS))


def applicant_of(text: str) -> Applicant:
    key = value_key(text)
    if key.startswith(_APPLICANT_GROUP) and key != _APPLICANT_GROUP:
        key = key.removeprefix(_APPLICANT_GROUP)
    if key in _APPLICANTS:
        return cast(Applicant, _APPLICANTS[key])
    shown = "、".join(APPLICANT_NAMES.values())
    raise ValueProblem(f"无法识别的申请人类型{quote(text)}（可填：{shown}）")


def channel_of(text: str) -> Channel:
    if not text:
        return "other"  # the model's default: a register that does not record the channel
    if (key := value_key(text)) in _CHANNELS:
        return cast(Channel, _CHANNELS[key])
    raise ValueProblem(
        f"无法识别的申请方式{quote(text)}（可填：当面、挂号信、平信、网上、传真、其他）"
    )


# Results: the table-3 rows of the 2021 format, their leaves alone, with or without the block's
# word (不予公开-国家秘密), and the wordings registers use. A wording not listed is refused, never
# guessed: a wrong outcome would be a wrong number in table 3.
WITHDRAWN: Final = "withdrawn"
WITHDRAWN_LABEL: Final = "撤回"
OUTCOME_LABELS: Final[dict[str, str]] = {k: v for k, v in T3_ROWS["2021"] if k in OUTCOMES}
_BLOCK_WORDS: Final[dict[str, str]] = {
    "denied_": "不予公开",
    "unavailable_": "无法提供",
    "declined_": "不予处理",
    "other_": "其他处理",
}
_RESULT_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "granted": ("予以公开", "公开", "同意公开", "全部公开"),
    "partial": ("部分公开", "予以部分公开"),
    "denied_state_secret": ("属于国家秘密", "国家秘密", "涉及国家秘密"),
    "denied_law": ("其他法律行政法规禁止公开", "法律行政法规禁止公开", "法律法规禁止公开"),
    "denied_security": ("危及三安全一稳定", "三安全一稳定"),
    "denied_third_party": ("保护第三方合法权益", "第三方合法权益", "损害第三方合法权益"),
    "denied_internal": ("属于三类内部事务信息", "三类内部事务信息", "内部事务信息"),
    "denied_process": ("属于四类过程性信息", "四类过程性信息", "过程性信息"),
    "denied_enforcement": ("属于行政执法案卷", "行政执法案卷"),
    "denied_query": ("属于行政查询事项", "行政查询事项"),
    "unavailable_not_held": (
        *("本机关不掌握相关政府信息", "本机关不掌握", "不掌握相关政府信息"),
        *("信息不存在", "政府信息不存在"),
    ),
    "unavailable_needs_creation": ("没有现成信息需要另行制作", "需要另行制作", "需另行制作"),
    "unavailable_unclear": ("补正后申请内容仍不明确", "申请内容仍不明确", "申请内容不明确"),
    "declined_petition": ("信访举报投诉类申请", "信访举报投诉类", "信访举报投诉"),
    "declined_duplicate": ("重复申请",),
    "declined_publication": ("要求提供公开出版物", "公开出版物"),
    "declined_excessive": ("无正当理由大量反复申请", "大量反复申请"),
    "declined_confirmation": (
        "要求行政机关确认或重新出具已获取信息",
        "确认或重新出具已获取信息",
    ),
    "other_no_correction": (
        *("申请人无正当理由逾期不补正", "无正当理由逾期不补正", "逾期不补正"),
        "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
    ),
    "other_unpaid_fee": (
        *("申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "逾期未缴费"),
        "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
    ),
    "other_misc": ("其他",),
    WITHDRAWN: ("撤回", "申请人撤回", "撤回申请", "申请人撤回申请", "主动撤回"),
}


def _result_lookup() -> dict[str, str]:
    table = {value_key(label): key for key, label in OUTCOME_LABELS.items()}
    for key, words in _RESULT_WORDS.items():
        block = next((w for p, w in _BLOCK_WORDS.items() if key.startswith(p)), "")
        for word in words:
            table[value_key(word)] = key
            table[value_key(block + word)] = key
    return table


_RESULTS: Final = _result_lookup()
# A block without its leaf is refused: 其他处理 alone (one row in the 2019 format) may be any of
# three rows in 2021.
_BARE_BLOCKS: Final[dict[str, str]] = {
    value_key(word): next(
        f"{word}-{label.split('.', 1)[-1]}"
        for key, label in OUTCOME_LABELS.items()
        if key.startswith(prefix)
    )
    for prefix, word in _BLOCK_WORDS.items()
}


def result_of(text: str) -> str:
    """An OUTCOMES key, or WITHDRAWN."""
    key = value_key(text)
    if key in _RESULTS:
        return _RESULTS[key]
    if key in _BARE_BLOCKS:
        example = _BARE_BLOCKS[key]
        raise ValueProblem(f"{quote(text)}须写明表三的细项，如“{example}”")
    raise ValueProblem(
        f"无法识别的答复结果{quote(text)}（应为表三“三、本年度办理结果”中的一项，如“予以公开”"
        "“不予公开-属于国家秘密”“本机关不掌握相关政府信息”，或“撤回”）"
    )


# Dates ----------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_SEPARATORS = re.compile(r"[;,、\n]+")
_DATE_FORMS: Final = "2025-03-05、2025/3/5、2025.3.5、2025年3月5日 或 20250305"


def date_text(day: date) -> str:
    return day.isoformat()


def _in_range(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueProblem(f"日期 {day.isoformat()} 超出 {EARLIEST.year}—{LATEST.year} 年的范围")
    return day


def _ymd(text: str, year: str, month: str, day: str) -> date:
    try:
        day_ = date(int(year), int(month), int(day))
    except ValueError as exc:  # 2025-02-30
        raise ValueProblem(f"日期{quote(text)}不存在") from exc
    return _in_range(day_)


def _number_date(value: float) -> date:
    """A number in a date column: 20250305 as typed, else Excel's serial day (45721)."""
    if not math.isfinite(value):
        raise ValueProblem(f"数值 {value} 不是日期")
    if value.is_integer() and 10_000_000 <= value <= 99_999_999:
        text = str(int(value))
        return _ymd(text, text[:4], text[4:6], text[6:])
    low, high = ((d - _EXCEL_EPOCH).days for d in (EARLIEST, LATEST))
    if not low <= value < high + 1:
        raise ValueProblem(f"数值 {cell_text(value)} 不是 {EARLIEST.year}—{LATEST.year} 年的日期")
    return _EXCEL_EPOCH + timedelta(days=int(value))


def _text_date(text: str) -> date:
    cleaned = ideographs(text).strip()
    for pattern in (_DATE_TEXT, _DATE_COMPACT):
        if match := pattern.fullmatch(cleaned):
            return _ymd(text, *match.groups())
    raise ValueProblem(f"无法识别的日期{quote(text)}（可写作 {_DATE_FORMS}）")


def parse_date(value: object) -> date:
    """One date from a cell: a real Excel date, a serial number, or text in the usual forms."""
    if isinstance(value, datetime):
        return _in_range(value.date())
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, time | timedelta):
        raise ValueProblem("单元格是时间而不是日期")
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}”不是日期")
    if isinstance(value, int | float):
        return _number_date(float(value))
    return _text_date(cell_text(value))


def parse_dates(value: object) -> list[date]:
    """Every date of a cell; several in one text cell are separated by ；、， or line breaks."""
    if not isinstance(value, str):
        return [] if value is None else [parse_date(value)]
    parts = _DATE_SEPARATORS.split(ideographs(value))
    return [parse_date(part.strip()) for part in parts if part.strip()]
