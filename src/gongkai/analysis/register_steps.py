"""The steps of handling a request, replayed one by one on the reply clock (register_deadline.py).

A `Clock` holds where the 20 working days count from, the pauses, the extension and the sentences
said so far; each event kind has one small function that moves it and says why, citing the article
of the 《政府信息公开条例》 (or 国办函〔2020〕109号 for fees). A record that contradicts the rules (a
second correction notice, an extension after the period ran out, an end without a start) changes
nothing and is said as a warning ("注意：…"), so a clerk sees what to check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal, TypeVar

from gongkai.analysis.workdays import Calendar, CalendarNotCovered
from gongkai.model.register import EVENT_NAMES, Event

T = TypeVar("T")
PauseKind = Literal["correction", "consultation", "fee"]

REPLY_DAYS: Final = 20  # 第三十三条第二款: 自收到申请之日起20个工作日内予以答复
EXTENSION_DAYS: Final = 20  # 第三十三条第二款: 延长的期限最长不得超过20个工作日
CORRECTION_DAYS: Final = 7  # 第三十条: 自收到申请之日起7个工作日内一次性告知补正
CONSULTATION_DAYS: Final = 15  # 第三十二条, 第三十四条: 自收到征求意见书之日起15个工作日内
PAYMENT_DAYS: Final = 20  # 国办函〔2020〕109号: 收到收费通知次日起20个工作日内缴纳

_DAY = timedelta(days=1)
_WEEKDAYS = "一二三四五六日"


def day_text(day: date) -> str:
    """2026年10月13日（星期二）: the weekday lets a clerk check a date against a wall calendar."""
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def or_beyond(day: date | None) -> str:
    return day_text(day) if day else "（超出工作日历覆盖的年度，暂无法确定）"


def maybe(compute: Callable[[], T]) -> T | None:
    """A value only shown in the sentences: None when it lies in a year the calendar does not
    cover (the values that decide the state are computed without this, and raise)."""
    try:
        return compute()
    except CalendarNotCovered:
        return None


@dataclass(slots=True)
class Pause:
    """The clock stops on the days in (start, end]; `end` None while it lasts."""

    kind: PauseKind
    start: date
    end: date | None = None

    def holds(self, day: date) -> bool:
        return self.start < day and (self.end is None or day <= self.end)


def run(
    calendar: Calendar,
    start: date,
    n: int,
    pauses: Sequence[Pause],
    until: date | None = None,
) -> date | None:
    """The n-th working day after `start` outside every pause: the last day to reply. None when
    the clock stops for good first (a pause still open), or when `until` passes first (so a
    question about the past needs the calendar only up to `until`)."""
    day, left = start, n
    while left:
        day += _DAY
        if until is not None and day > until:
            return None
        pause = _holding(pauses, day)
        if pause is not None:
            if pause.end is None:
                return None
            continue
        if calendar.is_workday(day):
            left -= 1
    if n and any(p.start == day for p in pauses):
        return _through_pause(calendar, day, pauses, until)
    return day


def _holding(pauses: Sequence[Pause], day: date) -> Pause | None:
    return next((p for p in pauses if p.holds(day)), None)


def _through_pause(
    calendar: Calendar, last: date, pauses: Sequence[Pause], until: date | None
) -> date | None:
    """A pause that begins on the last day still counts (a pause counts when it begins on or
    before the last day), but leaves no working day to run after it: the reply is due the day
    the pause ends (the opinion or payment arrives), or the next working day when that day is
    not one (期间届满日遇节假日顺延). None while the pause lasts or past `until`."""
    day = last
    while (pause := _holding(pauses, day + _DAY)) is not None:
        if pause.end is None:
            return None
        day += _DAY
    while not calendar.is_workday(day):
        day += _DAY
    return None if until is not None and day > until else day


def paused_workdays(calendar: Calendar, start: date, end: date, pauses: Sequence[Pause]) -> int:
    """The working days in (start, end] that a pause held: those the due date moved by."""
    count, day = 0, start
    while day < end:
        day += _DAY
        count += _holding(pauses, day) is not None and calendar.is_workday(day)
    return count


@dataclass(slots=True)
class Clock:
    """The reply clock of one request as the events are replayed."""

    received: date
    start: date  # the day the 20 working days count from (receipt, or the corrected request)
    pauses: list[Pause] = field(default_factory=list)
    extended: bool = False
    correction_asked: bool = False
    concluded: Event | None = None
    consultation_by: date | None = None
    pay_by: date | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def budget(self) -> int:
        return REPLY_DAYS + (EXTENSION_DAYS if self.extended else 0)

    def say(self, text: str) -> None:
        self.reasons.append(text)

    def warn(self, text: str) -> None:
        self.reasons.append("注意：" + text)

    def open_pause(self, kind: PauseKind) -> Pause | None:
        return next((p for p in self.pauses if p.kind == kind and p.end is None), None)


def replay(clock: Clock, events: Sequence[Event], calendar: Calendar) -> None:
    """Move the clock by each event in turn (events sorted by day)."""
    for event in events:
        name = f"{day_text(event.on)}的“{EVENT_NAMES[event.kind]}”"
        if clock.concluded is not None:
            clock.warn(f"{name}记录在办结之后，不影响期限。")
            continue
        if event.on < clock.received:
            clock.warn(f"{name}早于收到申请之日，请核对日期。")
        _STEPS[event.kind](clock, event, calendar)


def _pause_length(calendar: Calendar, pause: Pause, end: date) -> str:
    """How long a pause took: the working days in (start, end], said as calendar dates."""
    count = maybe(lambda: calendar.workdays_between(pause.start, end))
    days = f"{count}个工作日" if count is not None else "若干工作日（超出工作日历覆盖的年度）"
    if end <= pause.start:
        return f"当日结束，暂停{days}"
    first = pause.start + _DAY
    return f"自{first.year}年{first.month}月{first.day}日至{end.year}年{end.month}月{end.day}日暂停，其中{days}不计入答复期限"


# 第三十条: 补正 ---------------------------------------------------------------------------------


def _correction_requested(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    if clock.correction_asked:
        clock.warn(
            f"{on}再次发出补正通知：第三十条规定补正应一次性告知，第二次通知不暂停、不重新计算期限。"
        )
        return
    clock.correction_asked = True
    # The 7 days count from receipt on plain working days, whatever else happened meanwhile.
    limit = run(calendar, clock.received, CORRECTION_DAYS, (), until=event.on)
    clock.pauses.append(Pause("correction", event.on))
    clock.say(
        f"{on}发出补正通知（第三十条）：答复期限暂停，收到补正后的申请之日起重新计算20个工作日。"
    )
    if limit is not None and limit < event.on:
        clock.warn(
            f"补正通知晚于收到申请后的第7个工作日（{day_text(limit)}），"
            "不符合第三十条“自收到申请之日起7个工作日内一次性告知”的要求。"
        )


def _correction_received(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    if clock.open_pause("correction") is None:
        clock.warn(
            f"{on}登记了收到补正，但此前没有等待中的补正通知：不重新计算期限，请核对是否漏登补正通知。"
        )
        return
    # The period starts afresh: days used and pauses closed before it no longer matter; a pause
    # still open (a consultation under way) continues from the restart.
    clock.start = event.on
    clock.pauses = [
        Pause(p.kind, max(p.start, event.on))
        for p in clock.pauses
        if p.end is None and p.kind != "correction"
    ]
    restart = maybe(lambda: calendar.add_workdays(event.on, REPLY_DAYS))
    clock.say(
        f"{on}收到补正后的申请：答复期限自该日重新计算（第三十条），该日不计入，"
        f"第20个工作日为{or_beyond(restart)}；此前已经过的工作日不再计算。"
    )


# 第三十二条、第三十三条第三款、第三十四条: 征求意见 ------------------------------------------------


def _consultation_started(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    if clock.open_pause("consultation") is not None:
        clock.warn(f"{on}再次登记开始征求意见，上一次尚未结束：按同一次征求意见计算。")
        return
    clock.pauses.append(Pause("consultation", event.on))
    clock.consultation_by = maybe(lambda: calendar.add_workdays(event.on, CONSULTATION_DAYS))
    clock.say(
        f"{on}开始征求第三方或其他机关意见：征求意见所需时间不计入答复期限（第三十三条第三款），"
        "发出之日照常计入，自次日起暂停；被征求意见方应自收到征求意见书之日起15个工作日内提出意见"
        f"（第三十二条、第三十四条），按发出之日推算最迟为{or_beyond(clock.consultation_by)}。"
    )


def _consultation_ended(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    pause = clock.open_pause("consultation")
    if pause is None:
        clock.warn(f"{on}登记了征求意见结束，但没有进行中的征求意见：不影响期限。")
        return
    pause.end = event.on
    clock.say(
        f"{on}征求意见结束：{_pause_length(calendar, pause, event.on)}，"
        "答复期限相应顺延（第三十三条第三款）。"
    )
    if clock.consultation_by is not None and event.on > clock.consultation_by:
        clock.warn(
            "征求意见超过了15个工作日：第三方逾期未提出意见的，由行政机关依照条例决定是否公开"
            "（第三十二条）；被征求意见机关逾期未提出意见的视为同意公开（第三十四条）。"
            "超出的时间仍按登记的结束日计为暂停，请核实。"
        )


# 第三十三条第二款: 延长 ----------------------------------------------------------------------


def _extension_approved(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    if clock.extended:
        clock.warn(f"{on}再次批准延长：第三十三条第二款只允许延长一次，此次不再延长。")
        return
    reached = run(calendar, clock.start, clock.budget, clock.pauses, until=event.on)
    if reached is not None and reached < event.on:
        clock.warn(
            f"{on}批准延长时，答复期限已于{day_text(reached)}届满：期限届满后不能再延长，此次延长不计。"
        )
        return
    clock.extended = True
    clock.say(
        f"{on}经政府信息公开工作机构负责人同意延长答复期限并告知申请人（第三十三条第二款）："
        "延长一次，按最长20个工作日计算。"
    )


# 国办函〔2020〕109号: 信息处理费 ----------------------------------------------------------------


def _fee_notified(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    if clock.open_pause("fee") is not None:
        clock.warn(f"{on}再次发出收费通知，上一次尚未缴费：按第一次通知计算。")
        return
    clock.pauses.append(Pause("fee", event.on))
    clock.pay_by = maybe(lambda: calendar.add_workdays(event.on, PAYMENT_DAYS))
    clock.say(
        f"{on}发出收费通知（国办函〔2020〕109号）：发出通知至申请人缴费的时间不计入答复期限，"
        "通知之日照常计入，自次日起暂停；申请人应在收到通知次日起20个工作日内缴费，"
        f"按发出之日推算最迟为{or_beyond(clock.pay_by)}，逾期未缴纳的视为放弃申请。"
    )


def _fee_paid(clock: Clock, event: Event, calendar: Calendar) -> None:
    on = day_text(event.on)
    pause = clock.open_pause("fee")
    if pause is None:
        clock.warn(f"{on}登记了缴费，但没有等待缴费的收费通知：不影响期限。")
        return
    pause.end = event.on
    clock.say(f"{on}申请人缴费：{_pause_length(calendar, pause, event.on)}，答复期限相应顺延。")
    if clock.pay_by is not None and event.on > clock.pay_by:
        clock.warn(
            f"缴费晚于通知后的第20个工作日（{day_text(clock.pay_by)}）：按国办函〔2020〕109号可视为"
            "放弃申请；此处仍按登记的缴费日恢复计算，请核实。"
        )


# 办结 --------------------------------------------------------------------------------------------


def _concluding(clock: Clock, event: Event, calendar: Calendar) -> None:
    # What the conclusion means for the deadline is said once, at the end (register_deadline).
    clock.concluded = event


_STEPS: Final[dict[str, Callable[[Clock, Event, Calendar], None]]] = {
    "correction_requested": _correction_requested,
    "correction_received": _correction_received,
    "consultation_started": _consultation_started,
    "consultation_ended": _consultation_ended,
    "extension_approved": _extension_approved,
    "fee_notified": _fee_notified,
    "fee_paid": _fee_paid,
    "answered": _concluding,
    "withdrawn": _concluding,
}
