"""Tables 3 and 4 from the request register satisfy the form's relations whatever the register
holds (hypothesis), and count what a clerk would count on a small hand-made year."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.analysis.register_tables import conclusion, report_of, table3, table4
from gongkai.model.register import (
    APPLICANTS,
    CASE_KINDS,
    CASE_RESULTS,
    OUTCOMES,
    Case,
    Event,
    Request,
)
from gongkai.validate import check

YEAR = 2025
_ARITHMETIC = {"T3_BALANCE", "T3_TOTAL_ROW", "T3_ROW_SUM", "T4_GROUP_SUM", "NEGATIVE_VALUE"}
_DAYS = st.dates(min_value=date(YEAR - 2, 1, 1), max_value=date(YEAR + 1, 12, 31))
_KINDS = ["correction_requested", "correction_received", "consultation_started",
          "consultation_ended", "extension_approved", "fee_notified", "fee_paid"]  # fmt: skip


@st.composite
def _register(draw: st.DrawFn) -> tuple[list[Request], dict[int, list[Event]]]:
    """Requests with any valid sequence of events: steps after receipt, maybe a conclusion."""
    requests, events = [], {}
    for rid in range(1, draw(st.integers(0, 40)) + 1):
        received = draw(_DAYS)
        requests.append(
            Request(id=rid, received=received, applicant=draw(st.sampled_from(APPLICANTS)))
        )
        day, steps = received, []
        for kind in draw(st.lists(st.sampled_from(_KINDS), max_size=4)):
            day += timedelta(days=draw(st.integers(0, 60)))
            steps.append(Event(request_id=rid, kind=kind, on=day))  # type: ignore[arg-type]
        ending = draw(st.sampled_from(["open", "answered", "withdrawn"]))
        if ending != "open":
            day += timedelta(days=draw(st.integers(0, 400)))
            outcome = draw(st.sampled_from(OUTCOMES)) if ending == "answered" else None
            steps.append(Event(request_id=rid, kind=ending, on=day, outcome=outcome))  # type: ignore[arg-type]
        events[rid] = steps
    return requests, events


_CASES = st.lists(
    st.builds(
        Case,
        kind=st.sampled_from(CASE_KINDS),
        filed=_DAYS,
        result=st.sampled_from(CASE_RESULTS),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(_register(), _CASES, st.integers(YEAR - 1, YEAR + 1))
def test_derived_tables_satisfy_every_relation_of_the_form(
    register: tuple[list[Request], dict[int, list[Event]]], cases: list[Case], year: int
) -> None:
    requests, events = register
    report = report_of("某某县人民政府", year, requests, events, cases)
    errors = [f for f in check(report) if f.code in _ARITHMETIC]
    assert errors == [], [f.message for f in errors]
    t3 = report.table3 or {}
    # Every request received by the year's end and not concluded before it is counted once on
    # each side.
    open_in_year = [
        r for r in requests
        if r.received.year <= year
        and not ((ended := conclusion(events[r.id or 0])) is not None and ended.on.year < year)
    ]  # fmt: skip
    assert (t3["received"][6] or 0) + (t3["carried_over"][6] or 0) == len(open_in_year)
    assert (t3["total"][6] or 0) + (t3["carried_forward"][6] or 0) == len(open_in_year)
    t4 = report.table4 or {}
    assert sum(int(row[4] or 0) for row in t4.values()) == sum(c.filed.year == year for c in cases)


def test_a_small_year_counts_as_a_clerk_would() -> None:
    requests = [
        Request(id=1, received=date(2024, 12, 20), applicant="natural"),  # carried over
        Request(id=2, received=date(2025, 3, 5), applicant="natural"),  # answered: 予以公开
        Request(id=3, received=date(2025, 6, 1), applicant="commercial"),  # withdrawn
        Request(id=4, received=date(2025, 12, 25), applicant="legal"),  # open at year end
        Request(id=5, received=date(2024, 2, 1), applicant="natural"),  # concluded in 2024
    ]
    events = {
        1: [Event(request_id=1, kind="answered", on=date(2025, 1, 10), outcome="partial")],
        2: [Event(request_id=2, kind="answered", on=date(2025, 3, 20), outcome="granted")],
        3: [Event(request_id=3, kind="withdrawn", on=date(2025, 6, 3))],
        5: [Event(request_id=5, kind="answered", on=date(2024, 2, 20), outcome="granted")],
    }
    t3 = table3(requests, events, 2025)
    assert t3["received"] == [1, 1, 0, 0, 1, 0, 3]
    assert t3["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["partial"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["other_misc"] == [0, 1, 0, 0, 0, 0, 1]
    assert t3["total"] == [2, 1, 0, 0, 0, 0, 3]
    assert t3["carried_forward"] == [0, 0, 0, 0, 1, 0, 1]
    cases = [
        Case(kind="review", filed=date(2025, 4, 1), result="upheld"),
        Case(kind="review", filed=date(2025, 9, 1), result="pending"),
        Case(kind="litigation_direct", filed=date(2024, 9, 1), result="corrected"),
    ]
    t4 = table4(cases, 2025)
    assert t4["review"] == [1, 0, 0, 1, 2] and t4["litigation_direct"] == [0, 0, 0, 0, 0]
