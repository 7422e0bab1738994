"""Properties: consistent reports give no error; any single changed cell is caught at that cell."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.model.keys import T2_LAYOUT, T3_ROWS, T4_GROUPS
from gongkai.model.report import Report
from gongkai.validate import check, check_pair

from rulekit import cells_of, clean, consistent_t3

_count = st.integers(min_value=0, max_value=40)
_six = st.lists(_count, min_size=6, max_size=6)


@st.composite
def consistent_reports(draw: st.DrawFn) -> Report:
    template = draw(st.sampled_from(["2019", "2021"]))
    outcomes = [k for k, _l in T3_ROWS[template][2:-2]]
    busy = draw(st.lists(st.sampled_from(outcomes), max_size=6, unique=True))
    leaves = {key: draw(_six) for key in busy}
    table3 = consistent_t3(template, leaves, forward=draw(_six), carried=draw(_six))
    table4: dict[str, list[int | float | None]] = {}
    for key, _label in T4_GROUPS:
        parts = draw(st.lists(_count, min_size=4, max_size=4))
        table4[key] = [*parts, sum(parts)]
    table2: dict[str, dict[str, Any]] = {}
    for _caption, items, fields in T2_LAYOUT[template]:
        for item in items:
            table2[item] = {f: draw(_count) for f in fields}
    return clean(template, table2=table2, table3=table3, table4=table4)


@settings(max_examples=150, deadline=None)
@given(consistent_reports())
def test_consistent_report_has_no_error(report: Report) -> None:
    errors = [f for f in check(report) if f.severity == "error"]
    assert errors == []


def _cell_choices(report: Report) -> list[tuple[str, str, int]]:
    out = [("table3", key, c) for key in report.table3 or {} for c in range(7)]
    return out + [("table4", key, c) for key in report.table4 or {} for c in range(5)]


@settings(max_examples=300, deadline=None)
@given(consistent_reports(), st.data())
def test_any_changed_cell_gives_an_error_naming_it(report: Report, data: st.DataObject) -> None:
    table, row, col = data.draw(st.sampled_from(_cell_choices(report)))
    rows = report.table3 if table == "table3" else report.table4
    assert rows is not None
    old = rows[row][col]
    new = data.draw(st.integers(min_value=-3, max_value=300).filter(lambda v: v != old))
    rows[row][col] = new
    errors = [f for f in check(report) if f.severity == "error"]
    assert any((table, row, col) in cells_of(f) for f in errors), errors


_cell = st.one_of(st.none(), st.integers(-5, 500), st.floats(-5, 500, allow_nan=False))
_text = st.text(
    alphabet="共其中受理收到政府信息公开申请行政复议诉讼维持纠正件条率%无0123456789，。、；",
    max_size=80,
)


@st.composite
def arbitrary_reports(draw: st.DrawFn) -> Report:
    """Anything extraction might produce: blanks, fractions, negatives, rows or sections missing."""
    report = draw(consistent_reports())
    for rows in (report.table3, report.table4):
        assert rows is not None
        for key in list(rows):
            if draw(st.booleans()):
                rows[key] = [draw(_cell) for _ in rows[key]]
            elif draw(st.integers(0, 9)) == 0:
                del rows[key]
    for section in report.sections:
        section.text = draw(_text)
    report.meta.year = draw(st.one_of(st.none(), st.integers(2015, 2030)))
    return report


@settings(max_examples=150, deadline=None)
@given(arbitrary_reports(), arbitrary_reports())
def test_rules_never_fail_on_odd_input(report: Report, previous: Report) -> None:
    for lenient in (False, True):
        assert not [f for f in check(report, lenient=lenient) if "未能执行" in f.message]
    previous.meta.year = None if report.meta.year is None else report.meta.year - 1
    assert not [f for f in check_pair(previous, report) if "未能执行" in f.message]
