"""Tables 3 and 4 of a year from the request register: consistent by construction.

Table 3 for year Y, per applicant column (总计 = the sum of the six):
- 一、本年新收: requests received in Y;
- 二、上年结转: requests received before Y and not concluded by the end of Y−1;
- 三、办理结果: requests concluded in Y, by their outcome (an `answered` event's outcome; a
  `withdrawn` request is （六）3 其他);
- （七）总计: the sum of the outcomes; 四、结转下年度继续办理: received by the end of Y, not
  concluded by then.

Each request received by the end of Y is counted once on the left (new or carried over, or it was
concluded before Y) and once on the right (concluded in Y, or carried forward), so R1 (一 + 二 = （七）
+ 四), R2 and R3 hold for every register. Table 4 counts the cases filed in Y, by their result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from gongkai.model.keys import T2_LAYOUT, T3_ROWS, T4_GROUPS
from gongkai.model.register import APPLICANTS, CONCLUDING, Case, Event, Request
from gongkai.model.report import Meta, Report, Section, Templates

TEMPLATE = "2021"
_OTHER = "other_misc"  # （六）3 其他: where a withdrawn request goes
_RESULT_COLUMN = {"upheld": 0, "corrected": 1, "other": 2, "pending": 3}


@dataclass(frozen=True, slots=True)
class Conclusion:
    on: date
    outcome: str


def conclusion(events: Iterable[Event]) -> Conclusion | None:
    """How and when a request ended: its first concluding event (later ones are ignored)."""
    for event in sorted(events, key=lambda e: (e.on, e.id or 0)):
        if event.kind in CONCLUDING:
            outcome = event.outcome if event.kind == "answered" and event.outcome else _OTHER
            return Conclusion(event.on, outcome)
    return None


def table3(
    requests: Sequence[Request], events: Mapping[int, Sequence[Event]], year: int
) -> dict[str, list[int | float | None]]:
    keys = [key for key, _ in T3_ROWS[TEMPLATE]]
    table: dict[str, list[int | float | None]] = {key: [0] * 7 for key in keys}
    start, end = date(year, 1, 1), date(year, 12, 31)
    for request in requests:
        if request.received > end:
            continue
        col = APPLICANTS.index(request.applicant)
        ended = conclusion(events.get(request.id or 0, ()))
        if ended is not None and ended.on < start:
            continue  # concluded before the year: in no row of this year's table
        _add(table, "received" if request.received >= start else "carried_over", col)
        if ended is not None and ended.on <= end:
            _add(table, ended.outcome, col)
            _add(table, "total", col)
        else:
            _add(table, "carried_forward", col)
    return table


def _add(table: dict[str, list[int | float | None]], key: str, col: int) -> None:
    row = table[key]
    row[col] = int(row[col] or 0) + 1
    row[6] = int(row[6] or 0) + 1


def table4(cases: Sequence[Case], year: int) -> dict[str, list[int | float | None]]:
    table: dict[str, list[int | float | None]] = {key: [0] * 5 for key, _ in T4_GROUPS}
    for case in cases:
        if case.filed.year != year:
            continue
        row = table[case.kind]
        col = _RESULT_COLUMN[case.result]
        row[col] = int(row[col] or 0) + 1
        row[4] = int(row[4] or 0) + 1
    return table


def report_of(
    agency: str,
    year: int,
    requests: Sequence[Request],
    events: Mapping[int, Sequence[Event]],
    cases: Sequence[Case],
) -> Report:
    """The year's tables 3 and 4 as a report of the 2021 format (table 2 left blank: the register
    does not hold 主动公开 figures), for `render`, `check` and `compare`."""
    sections = [
        Section(no=3, heading="三、收到和处理政府信息公开申请情况", text=""),
        Section(no=4, heading="四、政府信息公开行政复议、行政诉讼情况", text=""),
    ]
    table2: dict[str, dict[str, int | float | None]] = {
        item: dict.fromkeys(fields)
        for _caption, items, fields in T2_LAYOUT[TEMPLATE]
        for item in items
    }
    return Report(
        meta=Meta(
            title=f"{agency}{year}年政府信息公开工作年度报告（依申请公开台账生成）",
            agency=agency,
            year=year,
            templates=Templates(table2=TEMPLATE, table3=TEMPLATE),
        ),
        sections=sections,
        table2=table2,
        table3=table3(requests, events, year),
        table4=table4(cases, year),
    )
