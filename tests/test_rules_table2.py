"""Table-2 plausibility rules of the 2019 format: P3, P4, P5."""

from __future__ import annotations

from typing import Any

from gongkai.model.report import Report
from gongkai.validate.table2 import (
    t2_decisions_look_like_items,
    t2_items_negative,
    t2_published_gt_total,
)

from rulekit import cells_of, clean


def _t2(**items: dict[str, Any]) -> Report:
    report = clean("2019")
    assert report.table2 is not None
    for item, fields in items.items():
        report.table2[item].update(fields)
    return report


def test_published_within_total_passes() -> None:
    report = _t2(normative_documents={"made": 17, "published": 17, "total_published": 58})
    assert t2_published_gt_total(report) == []


def test_published_above_total_is_a_warning_at_both_cells() -> None:
    report = _t2(normative_documents={"made": 20, "published": 20, "total_published": 12})
    found = t2_published_gt_total(report)
    assert len(found) == 1 and found[0].severity == "warning"
    assert cells_of(found[0]) == {
        ("table2", "normative_documents", "published"),
        ("table2", "normative_documents", "total_published"),
    }
    assert "本年新公开数量" in found[0].message and "对外公开总数量" in found[0].message


def test_published_rule_skips_blanks() -> None:
    assert t2_published_gt_total(_t2(regulations={"published": 3, "total_published": None})) == []


def test_items_that_stay_non_negative_pass() -> None:
    assert t2_items_negative(_t2(licensing={"prior_items": 1418, "change": -882})) == []


def test_items_below_zero_are_a_warning() -> None:
    found = t2_items_negative(_t2(licensing={"prior_items": 5, "change": -8}))
    assert len(found) == 1 and found[0].actual == -3 and "行政许可" in found[0].message


def test_items_rule_skips_blanks() -> None:
    assert t2_items_negative(_t2(fees={"prior_items": None, "change": -3})) == []


_P5 = {
    "licensing": {"prior_items": 1418, "change": -882, "decisions": 536},
    "other_services": {"prior_items": 466, "change": -90, "decisions": 376},
    "punishment": {"prior_items": 2532, "change": -139, "decisions": 2393},
    "coercion": {"prior_items": 133, "change": -13, "decisions": 120},
}


def test_decisions_equal_to_items_in_every_row_are_flagged() -> None:
    found = t2_decisions_look_like_items(_t2(**_P5))
    assert len(found) == 1 and found[0].severity == "warning"
    assert ("table2", "punishment", "decisions") in cells_of(found[0])
    assert "2393 = 2532 - 139" in found[0].message


def test_one_row_that_differs_clears_the_pattern() -> None:
    rows = {**_P5, "coercion": {"prior_items": 133, "change": -13, "decisions": 7}}
    assert t2_decisions_look_like_items(_t2(**rows)) == []


def test_all_zero_rows_are_not_a_pattern() -> None:
    assert t2_decisions_look_like_items(clean("2019")) == []


def test_a_single_matching_row_is_a_coincidence() -> None:
    assert t2_decisions_look_like_items(_t2(licensing=_P5["licensing"])) == []


def test_2021_table_has_no_items_to_compare() -> None:
    report = clean("2021")
    assert t2_decisions_look_like_items(report) == t2_items_negative(report) == []
