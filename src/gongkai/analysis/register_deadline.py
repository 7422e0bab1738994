"""The statutory reply deadline of a request in the register, on real working days.

Pure functions: a request, its events (model/register.py) and a working-day Calendar
(analysis/workdays.py) give a `Due`: the last day to reply, the request's state, and plain-Chinese
sentences saying how each step moved the date. The rules, from the 《政府信息公开条例》 (2019):

- 第三十一条: the day of receipt is fixed by the channel (RECEIPT_RULES); the register stores it.
- 第三十三条第二款: reply within 20 working days; the day of receipt is not counted, the 20th
  working day after it is the last day. One extension of at most 20 working days, approved by the
  head of the disclosure office and told to the applicant; counted here as the full 20, and only
  when approved on or before the last day (an extension after the period ran out cannot revive it).
- 第三十条: a correction (补正) must be asked for within 7 working days of receipt, once; the
  20 days restart from the day the corrected request arrives. While waiting, the clock stops.
- 第三十三条第三款, 第三十二条, 第三十四条: consulting a third party or another organ does not
  count; the consulted side has 15 working days.
- 国办函〔2020〕109号: from the fee notice to payment does not count; 20 working days to pay.

How a pause is counted (consultation, fee, correction): the pause covers the half-open span
(start, end] — the day the letter or notice goes out still counts toward the reply period, the
clock stops from the next day, and the day it ends (the opinion or payment arrives) is inside the
pause; the period runs again from the day after. This is the statute's own rule for periods (the
day of the event is not counted), so the consulted side's 15 days and the applicant's 20 days to
pay are exactly the pause they may fill, and the due date moves by the working days in
(start, end]. A pause counts when it begins on or before the last day: one begun on the last day
leaves no day to run after it, so the reply is due the day it ends (the next working day when that
is not one); one begun after the period ran out does not stop it and is said as a warning.

Years the calendar does not cover: the date that decides the state (the due date of a running
request, whether a concluded one was late) raises CalendarNotCovered; a date only shown in the
sentences is said to be beyond the calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from gongkai.analysis.register_steps import (
    CORRECTION_DAYS,
    EXTENSION_DAYS,
    REPLY_DAYS,
    Clock,
    day_text,
    maybe,
    or_beyond,
    paused_workdays,
    replay,
    run,
)
from gongkai.analysis.workdays import Calendar
from gongkai.model.keys import T3_LABELS
from gongkai.model.register import CHANNEL_NAMES, RECEIPT_RULES, Event, Request

Status = Literal["open", "awaiting_correction", "awaiting_fee", "consulting", "concluded"]

# Which open pause names the state when several are open: the correction restarts everything,
# the fee ends the request if unpaid, the consultation only delays.
_PAUSE_STATUS: Final[tuple[tuple[str, Status], ...]] = (
    ("correction", "awaiting_correction"),
    ("fee", "awaiting_fee"),
    ("consultation", "consulting"),
)
_PAUSE_NAMES: Final = {"correction": "补正", "consultation": "征求意见", "fee": "等待缴费"}


@dataclass(frozen=True, slots=True)
class Due:
    """Where a request stands against its statutory deadline.

    `due` is the last day to reply while the request runs (status "open"); None while paused and
    once concluded. `last_day` is the last day as the events fix it, also for a concluded request
    (the day its conclusion is measured against); None while paused or beyond the calendar.
    """

    received: date
    due: date | None
    status: Status
    extended: bool
    correction_by: date | None  # 第三十条: last day to ask for a correction (None: beyond calendar)
    reasons: list[str]
    concluded_on: date | None = None
    late: bool = False  # concluded after `last_day`
    last_day: date | None = None
    consultation_by: date | None = None  # 第三十二条/第三十四条: 15 working days after it began
    pay_by: date | None = None  # 国办函〔2020〕109号: 20 working days after the fee notice


def plain_due(received: date, calendar: Calendar, *, extended: bool = False) -> date:
    """The last day to reply to a request with no correction, pause or conclusion."""
    return calendar.add_workdays(received, REPLY_DAYS + (EXTENSION_DAYS if extended else 0))


def plain_deadline(received: date, calendar: Calendar, *, extended: bool = False) -> Due:
    """`plain_due` with the sentences that explain it (the `register deadline` command)."""
    due = plain_due(received, calendar, extended=extended)
    correction_by = maybe(lambda: calendar.add_workdays(received, CORRECTION_DAYS))
    reasons = [
        f"收到申请之日：{day_text(received)}。收到申请之日按第三十一条确定：当面提交的以提交之日为准，"
        "邮寄的以签收或与申请人确认之日为准，网上、传真提交的以双方确认之日为准。",
        _base_sentence(received, calendar),
        _correction_sentence(correction_by),
    ]
    if extended:
        reasons.append(
            "经政府信息公开工作机构负责人同意并告知申请人，可延长一次，最长20个工作日"
            "（第三十三条第二款）：按延长20个工作日计算。"
        )
    reasons.append(f"答复期限：{day_text(due)}。")
    return Due(
        received=received,
        due=due,
        status="open",
        extended=extended,
        correction_by=correction_by,
        reasons=reasons,
        last_day=due,
    )


def deadline(request: Request, events: Sequence[Event], calendar: Calendar) -> Due:
    """The deadline of `request` after `events` (those of other requests are ignored; events of
    one day are taken in the order given, as the store lists them)."""
    mine = [e for e in events if request.id is None or e.request_id == request.id]
    received = request.received
    correction_by = maybe(lambda: calendar.add_workdays(received, CORRECTION_DAYS))
    clock = Clock(received=received, start=received)
    clock.reasons.extend(
        [
            f"收到申请之日：{day_text(received)}。申请方式为{CHANNEL_NAMES[request.channel]}，"
            f"{RECEIPT_RULES[request.channel]}。",
            _base_sentence(received, calendar),
            _correction_sentence(correction_by),
        ]
    )
    replay(clock, sorted(mine, key=lambda e: e.on), calendar)
    if clock.concluded is not None:
        return _concluded(clock, clock.concluded, calendar, correction_by)
    return _running(clock, calendar, correction_by)


def _correction_sentence(correction_by: date | None) -> str:
    return (
        "如申请内容不明确需要补正，应自收到申请之日起7个工作日内一次性告知申请人（第三十条），"
        f"最迟为{or_beyond(correction_by)}。"
    )


def _base_sentence(received: date, calendar: Calendar) -> str:
    plain = maybe(lambda: calendar.add_workdays(received, REPLY_DAYS))
    return (
        "应自收到申请之日起20个工作日内答复（第三十三条第二款）：收到之日不计入，自次日起算，"
        "法定节假日不计，调休上班的周六、周日计入；"
        f"第20个工作日为{or_beyond(plain)}。"
    )


def _running(clock: Clock, calendar: Calendar, correction_by: date | None) -> Due:
    due = run(calendar, clock.start, clock.budget, clock.pauses)
    status: Status = "open"
    if due is None:
        open_kinds = {p.kind for p in clock.pauses if p.end is None}
        status = next(s for kind, s in _PAUSE_STATUS if kind in open_kinds)
        clock.reasons.append(_paused_sentence(status, clock))
    else:
        _late_pauses(clock, due)
        clock.reasons.append(_summary(clock, due, calendar))
    return Due(
        received=clock.received,
        due=due,
        status=status,
        extended=clock.extended,
        correction_by=correction_by,
        reasons=clock.reasons,
        last_day=due,
        consultation_by=clock.consultation_by,
        pay_by=clock.pay_by,
    )


def _late_pauses(clock: Clock, due: date) -> None:
    for pause in clock.pauses:
        if pause.start > due:
            clock.warn(
                f"{day_text(pause.start)}开始的{_PAUSE_NAMES[pause.kind]}晚于答复期限"
                f"{day_text(due)}：期限届满后不能再暂停，该申请按原期限计算。"
            )


def _paused_sentence(status: Status, clock: Clock) -> str:
    if status == "awaiting_correction":
        return (
            "目前正在等待申请人补正，答复期限暂停，暂无到期日：收到补正后的申请之日起重新计算20个工作日"
            "（第三十条）；申请人无正当理由逾期不补正的，视为放弃申请，请登记“作出答复”，"
            "结果为“申请人无正当理由逾期不补正”。"
        )
    if status == "awaiting_fee":
        return (
            f"目前正在等待申请人缴费，答复期限暂停，暂无到期日：申请人最迟可于{or_beyond(clock.pay_by)}"
            "缴费（国办函〔2020〕109号），缴费后恢复计算；逾期未缴纳的视为放弃申请，请登记“作出答复”，"
            "结果为“申请人逾期未按收费通知要求缴纳费用”。"
        )
    return (
        "目前正在征求意见，答复期限暂停，暂无到期日：征求意见结束后按暂停的工作日数顺延"
        f"（第三十三条第三款）；被征求意见方最迟应于{or_beyond(clock.consultation_by)}提出意见"
        "（第三十二条、第三十四条）。"
    )


def _summary(clock: Clock, due: date, calendar: Calendar) -> str:
    used = calendar.workdays_between(clock.start, due)
    paused = paused_workdays(calendar, clock.start, due, clock.pauses)
    parts = [f"自{day_text(clock.start)}次日起算20个工作日"]
    if clock.extended:
        parts.append("延长20个工作日")
    if paused:
        parts.append(f"暂停期间的{paused}个工作日不计")
    if used > clock.budget + paused:  # a pause begun on the last day ended on a day off
        parts.append("暂停在原期限最后一天开始、结束于非工作日，顺延至其后的第一个工作日")
    return f"答复期限：{day_text(due)}（{'，'.join(parts)}）。"


def _concluded(clock: Clock, end: Event, calendar: Calendar, correction_by: date | None) -> Due:
    # Whether it was late needs only the days up to the conclusion: a request concluded in
    # December is judged even when its last day would have fallen in a year not yet covered.
    reached = run(calendar, clock.start, clock.budget, clock.pauses, until=end.on)
    late = reached is not None and reached < end.on
    last_day = reached or maybe(lambda: run(calendar, clock.start, clock.budget, clock.pauses))
    if late and reached is not None:
        behind = calendar.workdays_between(reached, end.on)
        verdict = f"答复期限为{day_text(reached)}，逾期{behind}个工作日办结。"
    elif last_day is not None:
        verdict = f"答复期限为{day_text(last_day)}，在期限内办结。"
    else:
        verdict = "办结时答复期限处于暂停状态或尚未届满，未逾期。"
    how = (
        "申请人撤回申请"
        if end.kind == "withdrawn"
        else f"作出答复（办理结果：{T3_LABELS.get(end.outcome or '', '未注明')}）"
    )
    clock.reasons.append(f"已于{day_text(end.on)}{how}，办理完毕，不再计算期限；{verdict}")
    return Due(
        received=clock.received,
        due=None,
        status="concluded",
        extended=clock.extended,
        correction_by=correction_by,
        reasons=clock.reasons,
        concluded_on=end.on,
        late=late,
        last_day=last_day,
        consultation_by=clock.consultation_by,
        pay_by=clock.pay_by,
    )


# Lists -------------------------------------------------------------------------------------------


def overdue(items: Iterable[Due], today: date) -> list[Due]:
    """The running requests whose last day is before `today` (paused and concluded ones are
    not: a paused request has no running deadline, a concluded one says `late` itself)."""
    return [d for d in items if d.status == "open" and d.due is not None and d.due < today]


def due_within(
    items: Iterable[Due], today: date, n: int, calendar: Calendar | None = None
) -> list[Due]:
    """The running requests not yet overdue whose last day is at most `n` working days after
    `today` (today itself included: n = 0 is those due today). The same objects, in order."""
    cal = calendar or Calendar()
    return [
        d
        for d in items
        if d.status == "open"
        and d.due is not None
        and d.due >= today
        and cal.workdays_between(today, d.due) <= n
    ]


__all__ = [
    "CORRECTION_DAYS",
    "EXTENSION_DAYS",
    "REPLY_DAYS",
    "Due",
    "Status",
    "deadline",
    "due_within",
    "overdue",
    "plain_deadline",
    "plain_due",
]
