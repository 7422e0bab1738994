"""Working days and statutory deadlines of the request register (analysis/workdays.py,
analysis/register_deadline.py, `gongkai register deadline|calendar`).

Every expected date is counted by hand from the State Council's holiday notices, quoted here:

2025 (国办发明电〔2024〕12号): 元旦 1月1日（周三）放假；春节 1月28日（周二）至2月4日（周二）放假，
  1月26日（周日）、2月8日（周六）上班；清明 4月4日（周五）至6日放假；劳动节 5月1日至5日放假，
  4月27日（周日）上班；端午 5月31日至6月2日放假；国庆、中秋 10月1日（周三）至8日（周三）放假，
  9月28日（周日）、10月11日（周六）上班。
2026 (国办发明电〔2025〕7号): 元旦 1月1日（周四）至3日放假，1月4日（周日）上班；春节 2月15日
  （周日）至23日（周一）放假，2月14日（周六）、2月28日（周六）上班；清明 4月4日（周六）至6日
  （周一）放假；劳动节 5月1日（周五）至5日（周二）放假，5月9日（周六）上班；端午 6月19日（周五）
  至21日放假；中秋 9月25日（周五）至27日放假；国庆 10月1日（周四）至7日（周三）放假，
  9月20日（周日）、10月10日（周六）上班。

Counting: the day of receipt (or of the event) is not counted; "(1)" marks the first working day.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.analysis.register_deadline import (
    Due,
    deadline,
    due_within,
    overdue,
    plain_due,
)
from gongkai.analysis.workdays import Calendar, CalendarNotCovered
from gongkai.errors import GongkaiError
from gongkai.model.register import Event, EventKind, Request

OFFICIAL = Calendar()
D = date


def request(received: date) -> Request:
    return Request(id=1, received=received, applicant="natural", channel="online")


def ev(kind: EventKind, on: date, outcome: str | None = None) -> Event:
    return Event(request_id=1, kind=kind, on=on, outcome=outcome)


def due_of(received: date, *events: Event, calendar: Calendar = OFFICIAL) -> Due:
    return deadline(request(received), list(events), calendar)


# Hand counts ---------------------------------------------------------------------------------------

# (received, working days, expected last day), each counted by hand in the comment.
HAND_COUNTS = [
    # Fri 2026-10-09 before the 调休 Saturday 10-10: 10-10 Sat (1), 10-12..16 (6), 10-19..23 (11),
    # 10-26..30 (16), 11-2..5 (20).
    (D(2026, 10, 9), 20, D(2026, 11, 5)),
    # Fri 2025-02-07 before the 调休 Saturday 2-8: 2-8 Sat (1), 2-10..14 (6), 2-17..21 (11),
    # 2-24..28 (16), 3-3..6 (20).
    (D(2025, 2, 7), 20, D(2025, 3, 6)),
    # 春节 2025, received Fri 1-24: 1-25 Sat off, 1-26 Sun worked (1), 1-27 (2), 1-28..2-4 off,
    # 2-5..7 (5), 2-8 Sat worked (6), 2-10..14 (11), 2-17..21 (16), 2-24..27 (20).
    (D(2025, 1, 24), 20, D(2025, 2, 27)),
    # 春节 2026, received Fri 2-13: 2-14 Sat worked (1), 2-15..23 off, 2-24..27 (5), 2-28 Sat
    # worked (6), 3-2..6 (11), 3-9..13 (16), 3-16..19 (20).
    (D(2026, 2, 13), 20, D(2026, 3, 19)),
    # 国庆 2025, received Fri 9-26: 9-27 Sat off, 9-28 Sun worked (1), 9-29, 9-30 (3), 10-1..8
    # off, 10-9, 10-10 (5), 10-11 Sat worked (6), 10-13..17 (11), 10-20..24 (16), 10-27..30 (20).
    (D(2025, 9, 26), 20, D(2025, 10, 30)),
    # 国庆 2026, received Mon 9-28: 9-29, 9-30 (2), 10-1..7 off, 10-8, 10-9 (4), 10-10 Sat worked
    # (5), 10-12..16 (10), 10-19..23 (15), 10-26..30 (20).
    (D(2026, 9, 28), 20, D(2026, 10, 30)),
    # … extended by 20: 11-2..6 (25), 11-9..13 (30), 11-16..20 (35), 11-23..27 (40).
    (D(2026, 9, 28), 40, D(2026, 11, 27)),
    # 补正 limit, received Thu 2026-04-30: 5-1..5 off, 5-6..8 (3), 5-9 Sat worked (4), 5-11..13 (7).
    (D(2026, 4, 30), 7, D(2026, 5, 13)),
]


def library_nth_workday(start: date, n: int) -> date:
    """The n-th working day after `start` straight from chinese-calendar: a second opinion on the
    hand counts, independent of the code under test."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


@pytest.mark.parametrize(("received", "n", "expected"), HAND_COUNTS)
def test_hand_counts_agree_with_chinese_calendar(received: date, n: int, expected: date) -> None:
    assert library_nth_workday(received, n) == expected


@pytest.mark.parametrize(("received", "n", "expected"), HAND_COUNTS)
def test_add_workdays_on_the_official_calendar(received: date, n: int, expected: date) -> None:
    assert OFFICIAL.add_workdays(received, n) == expected
    assert OFFICIAL.workdays_between(received, expected) == n


def test_plain_requests_across_holidays() -> None:
    assert plain_due(D(2026, 10, 9), OFFICIAL) == D(2026, 11, 5)  # 调休 Saturday counted
    assert plain_due(D(2025, 1, 24), OFFICIAL) == D(2025, 2, 27)  # 春节 2025
    assert plain_due(D(2026, 2, 13), OFFICIAL) == D(2026, 3, 19)  # 春节 2026
    assert plain_due(D(2025, 9, 26), OFFICIAL) == D(2025, 10, 30)  # 国庆 2025
    assert plain_due(D(2026, 9, 28), OFFICIAL) == D(2026, 10, 30)  # 国庆 2026
    assert plain_due(D(2026, 9, 28), OFFICIAL, extended=True) == D(2026, 11, 27)


def test_a_plain_request_says_how_its_date_was_found() -> None:
    due = due_of(D(2026, 9, 28))
    assert (due.status, due.due, due.extended) == ("open", D(2026, 10, 30), False)
    assert due.correction_by == D(2026, 10, 13)  # 9-29, 9-30, 10-8, 10-9, 10-10 Sat, 10-12, 10-13
    text = "\n".join(due.reasons)
    assert "第三十一条" in text and "第三十三条" in text and "第三十条" in text
    assert "互联网渠道" in text
    assert "2026年10月30日（星期五）" in due.reasons[-1]


# 补正 (第三十条) ------------------------------------------------------------------------------------


def test_correction_pauses_then_restarts_the_twenty_days() -> None:
    received = D(2026, 4, 30)  # correction limit 2026-05-13 (hand count above)
    waiting = due_of(received, ev("correction_requested", D(2026, 5, 8)))
    assert (waiting.status, waiting.due) == ("awaiting_correction", None)
    assert "暂停" in waiting.reasons[-1] and "视为放弃申请" in waiting.reasons[-1]
    assert not any(r.startswith("注意") for r in waiting.reasons)
    # Corrected request received Wed 5-20: 5-21, 5-22 (2), 5-25..29 (7), 6-1..5 (12), 6-8..12
    # (17), 6-15..17 (20); 端午 (6-19) comes after.
    restarted = due_of(
        received,
        ev("correction_requested", D(2026, 5, 8)),
        ev("correction_received", D(2026, 5, 20)),
    )
    assert (restarted.status, restarted.due) == ("open", D(2026, 6, 17))
    assert library_nth_workday(D(2026, 5, 20), 20) == D(2026, 6, 17)
    assert any("重新计算" in r for r in restarted.reasons)


def test_a_correction_asked_after_seven_working_days_is_flagged() -> None:
    late = due_of(D(2026, 4, 30), ev("correction_requested", D(2026, 5, 14)))
    warnings = [r for r in late.reasons if r.startswith("注意")]
    assert len(warnings) == 1 and "7个工作日" in warnings[0] and "2026年5月13日" in warnings[0]
    assert late.status == "awaiting_correction"


def test_no_correction_concludes_without_being_late() -> None:
    due = due_of(
        D(2026, 4, 30),
        ev("correction_requested", D(2026, 5, 8)),
        ev("answered", D(2026, 7, 31), "other_no_correction"),
    )
    assert (due.status, due.due, due.late, due.concluded_on) == (
        "concluded",
        None,
        False,
        D(2026, 7, 31),
    )
    assert "逾期不补正" in due.reasons[-1]


# 征求意见 (第三十二条、第三十三条、第三十四条) ---------------------------------------------------------


def test_consultation_moves_the_due_date_by_its_working_days() -> None:
    received = D(
        2025, 3, 3
    )  # plain due: 3-4..7 (4), 3-10..14 (9), 3-17..21 (14), 3-24..28 (19), 3-31 (20)
    assert plain_due(received, OFFICIAL) == D(2025, 3, 31)
    started = ev("consultation_started", D(2025, 3, 10))
    consulting = due_of(received, started)
    assert (consulting.status, consulting.due) == ("consulting", None)
    # The consulted side's 15 days after Mon 3-10: 3-11..14 (4), 3-17..21 (9), 3-24..28 (14), 3-31.
    assert consulting.consultation_by == D(2025, 3, 31)
    assert "2025年3月31日" in consulting.reasons[-1]
    # Ended Fri 3-21: the pause (3-10, 3-21] holds 3-11..14 and 3-17..21 = 9 working days; the
    # due date moves 9 working days past 3-31: 4-1..3 (3), 4-4 清明 off, 4-7..11 (8), 4-14 (9).
    ended = due_of(received, started, ev("consultation_ended", D(2025, 3, 21)))
    assert (ended.status, ended.due) == ("open", D(2025, 4, 14))
    assert any("9个工作日" in r for r in ended.reasons)


def test_a_consultation_started_after_the_period_ran_out_does_not_stop_it() -> None:
    due = due_of(D(2025, 3, 3), ev("consultation_started", D(2025, 4, 2)))
    assert (due.status, due.due) == ("open", D(2025, 3, 31))
    assert overdue([due], D(2025, 4, 2)) == [due]


def test_a_pause_begun_on_the_last_day_still_counts() -> None:
    # Due Fri 2026-10-30 (国庆 2026 count). Consultation sent that day, opinion back Fri 11-6:
    # nothing is left to run after the pause, so the reply is due 11-6 itself.
    sent = ev("consultation_started", D(2026, 10, 30))
    assert due_of(D(2026, 9, 28), sent).status == "consulting"
    back = due_of(D(2026, 9, 28), sent, ev("consultation_ended", D(2026, 11, 6)))
    assert (back.status, back.due) == ("open", D(2026, 11, 6))
    # A fee noticed that day and paid on Sat 11-7: due the next working day, Mon 11-9.
    paid = due_of(
        D(2026, 9, 28), ev("fee_notified", D(2026, 10, 30)), ev("fee_paid", D(2026, 11, 7))
    )
    assert paid.due == D(2026, 11, 9)


def test_events_are_taken_in_date_order_and_only_the_requests_own() -> None:
    other = Event(request_id=2, kind="answered", on=D(2026, 10, 9), outcome="granted")
    shuffled = [
        ev("consultation_ended", D(2026, 10, 16)),
        other,
        ev("consultation_started", D(2026, 10, 9)),
    ]
    # (10-9, 10-16] holds 10-10 Sat (调休) and 10-12..16 = 6 working days: 10-30 moves to
    # 11-2..6 (5), 11-9 (6).
    due = deadline(request(D(2026, 9, 28)), shuffled, OFFICIAL)
    assert (due.status, due.due) == ("open", D(2026, 11, 9))
    assert library_nth_workday(D(2026, 10, 30), 6) == D(2026, 11, 9)


# 延长 (第三十三条) --------------------------------------------------------------------------------


def test_extension_adds_twenty_working_days_once() -> None:
    extended = due_of(D(2026, 9, 28), ev("extension_approved", D(2026, 10, 20)))
    assert (extended.due, extended.extended) == (D(2026, 11, 27), True)
    twice = due_of(
        D(2026, 9, 28),
        ev("extension_approved", D(2026, 10, 20)),
        ev("extension_approved", D(2026, 11, 20)),
    )
    assert twice.due == D(2026, 11, 27)
    assert any("只允许延长一次" in r for r in twice.reasons)


def test_an_extension_after_the_period_ran_out_is_not_applied() -> None:
    late = due_of(D(2026, 9, 28), ev("extension_approved", D(2026, 11, 2)))
    assert (late.due, late.extended) == (D(2026, 10, 30), False)
    assert any(r.startswith("注意") and "届满" in r for r in late.reasons)


# 信息处理费 (国办函〔2020〕109号) ------------------------------------------------------------------


def test_fee_notice_pauses_until_payment() -> None:
    received = D(
        2026, 3, 2
    )  # plain due 3-30: 3-3..6 (4), 3-9..13 (9), 3-16..20 (14), 3-23..27 (19), 3-30
    assert plain_due(received, OFFICIAL) == D(2026, 3, 30)
    notice = ev("fee_notified", D(2026, 3, 16))
    waiting = due_of(received, notice)
    assert (waiting.status, waiting.due) == ("awaiting_fee", None)
    # 20 working days to pay after Mon 3-16: 3-17..20 (4), 3-23..27 (9), 3-30..4-3 (14), 4-6 清明
    # off, 4-7..10 (18), 4-13, 4-14 (20).
    assert waiting.pay_by == D(2026, 4, 14)
    assert "2026年4月14日" in waiting.reasons[-1]
    # Paid Wed 3-25: (3-16, 3-25] holds 3-17..20, 3-23..25 = 7 working days; 3-30 + 7: 3-31..4-3
    # (4), 4-6 off, 4-7..9 (7).
    paid = due_of(received, notice, ev("fee_paid", D(2026, 3, 25)))
    assert (paid.status, paid.due) == ("open", D(2026, 4, 9))


def test_unpaid_fee_concludes_the_request() -> None:
    due = due_of(
        D(2026, 3, 2),
        ev("fee_notified", D(2026, 3, 16)),
        ev("answered", D(2026, 4, 15), "other_unpaid_fee"),
    )
    assert (due.status, due.late) == ("concluded", False)


# Concluded -----------------------------------------------------------------------------------------


def test_a_request_answered_late() -> None:
    # Due 2025-10-30 (国庆 2025 count above); answered Tue 11-4: 10-31, 11-3, 11-4 = 3 days late.
    due = due_of(D(2025, 9, 26), ev("answered", D(2025, 11, 4), "granted"))
    assert (due.status, due.due, due.late) == ("concluded", None, True)
    assert (due.concluded_on, due.last_day) == (D(2025, 11, 4), D(2025, 10, 30))
    assert "逾期3个工作日" in due.reasons[-1] and "予以公开" in due.reasons[-1]
    assert overdue([due], D(2025, 12, 1)) == []


def test_answered_on_the_last_day_is_on_time_and_later_records_are_ignored() -> None:
    due = due_of(
        D(2025, 9, 26),
        ev("answered", D(2025, 10, 30), "granted"),
        ev("extension_approved", D(2025, 10, 31)),
    )
    assert (due.late, due.extended) == (False, False)
    assert any("办结之后" in r for r in due.reasons)


def test_withdrawn_concludes() -> None:
    due = due_of(D(2026, 9, 28), ev("withdrawn", D(2026, 10, 9)))
    assert (due.status, due.late, due.concluded_on) == ("concluded", False, D(2026, 10, 9))
    assert "撤回" in due.reasons[-1]


# Years the calendar does not cover ------------------------------------------------------------------


def test_a_date_past_the_covered_years_is_a_clear_error() -> None:
    with pytest.raises(CalendarNotCovered) as caught:
        plain_due(D(2026, 12, 20), OFFICIAL)  # the 20th working day falls in January 2027
    assert isinstance(caught.value, GongkaiError)
    assert str(caught.value).startswith("2027年:")
    assert "gongkai register calendar 2027" in str(caught.value)
    with pytest.raises(CalendarNotCovered):
        due_of(D(2026, 12, 20))
    with pytest.raises(CalendarNotCovered, match="2027年"):
        OFFICIAL.is_workday(D(2027, 3, 1))


def test_a_request_concluded_before_the_covered_years_end_is_still_judged() -> None:
    due = due_of(D(2026, 12, 20), ev("answered", D(2026, 12, 30), "granted"))
    assert (due.status, due.late, due.last_day) == ("concluded", False, None)


def test_a_user_declared_year_makes_it_computable() -> None:
    # A made-up 2027 for the test (the real notice is not out): 1-1 (Fri) off, Sat 1-9 worked.
    user = Calendar(days={D(2027, 1, 1): False, D(2027, 1, 9): True}, years=frozenset({2027}))
    # From Sun 2026-12-20: 12-21..25 (5), 12-28..31 (9), 1-1 off, 1-4..8 (14), 1-9 Sat (15),
    # 1-11..15 (20).
    assert plain_due(D(2026, 12, 20), user) == D(2027, 1, 15)
    assert user.covers(2027) and not user.covers(2028)
    assert user.is_workday(D(2027, 1, 9)) and not user.is_workday(D(2027, 1, 10))
    # The official calendar wins for the years it covers: the user's days there are ignored.
    assert (
        Calendar(days={D(2026, 10, 1): True}, years=frozenset({2026})).is_workday(D(2026, 10, 1))
        is False
    )


# Lists -------------------------------------------------------------------------------------------


def test_overdue_and_due_within() -> None:
    soon = due_of(D(2026, 9, 28))  # due Fri 10-30
    later = due_of(D(2026, 10, 9))  # due Thu 11-5
    paused = due_of(D(2026, 9, 28), ev("consultation_started", D(2026, 10, 9)))
    items = [soon, later, paused]
    assert overdue(items, D(2026, 10, 30)) == []
    assert overdue(items, D(2026, 10, 31)) == [soon]
    # From Mon 10-26: 10-30 is 4 working days on, 11-5 is 8.
    assert due_within(items, D(2026, 10, 26), 4, OFFICIAL) == [soon]
    assert due_within(items, D(2026, 10, 26), 8) == [soon, later]
    assert due_within(items, D(2026, 10, 30), 0)[0] is soon  # due today, the same object


# Property --------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 9, 30)),
    n=st.integers(min_value=1, max_value=60),
)
def test_add_workdays_lands_on_the_nth_working_day(start: date, n: int) -> None:
    result = OFFICIAL.add_workdays(start, n)
    assert result > start
    assert chinese_calendar.is_workday(result)
    span = (start + timedelta(days=k) for k in range(1, (result - start).days + 1))
    assert sum(chinese_calendar.is_workday(d) for d in span) == n
