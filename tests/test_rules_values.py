"""Cell rules: NEGATIVE_VALUE, NON_INTEGER, MISSING_TABLE, MISSING_VALUE, CELL_COUNT_MISMATCH."""

from __future__ import annotations

from gongkai.model.report import Anomaly
from gongkai.validate import check
from gongkai.validate.values import (
    cell_count_mismatch,
    missing_table,
    missing_value,
    negative_value,
    non_integer,
)

from rulekit import cells_of, clean, codes, set_row


def test_clean_report_has_no_cell_findings() -> None:
    for template in ("2019", "2021"):
        report = clean(template)
        assert negative_value(report) == non_integer(report) == missing_value(report) == []
        assert missing_table(report) == cell_count_mismatch(report) == []


def test_negative_count_is_an_error_at_the_cell() -> None:
    report = clean()
    assert report.table2 is not None
    report.table2["regulations"]["repealed"] = -1
    found = negative_value(report)
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].cells == [["table2", "regulations", "repealed"]]
    assert (
        "规章" in found[0].message
        and "本年废止件数" in found[0].message
        and "-1" in found[0].message
    )


def test_2019_change_may_be_negative() -> None:
    report = clean("2019")
    assert report.table2 is not None
    report.table2["licensing"].update(prior_items=1418, change=-882, decisions=536)
    assert negative_value(report) == []


def test_negative_cell_in_table3_and_table4() -> None:
    report = set_row(clean(), "granted", [-1, 0, 0, 0, 0, 0, -1])
    assert report.table4 is not None
    report.table4["review"][2] = -2
    found = {tuple(f.cells[0]) for f in negative_value(report)}
    assert found == {("table3", "granted", 0), ("table3", "granted", 6), ("table4", "review", 2)}


def test_fraction_in_a_count_is_an_error_but_money_may_have_decimals() -> None:
    report = set_row(clean(), "granted", [1.5, 0, 0, 0, 0, 0, 1.5])
    assert report.table2 is not None
    report.table2["fees"]["amount"] = 0.11
    report.table2["punishment"]["decisions"] = 3.0  # written "3.0": no fractional part
    found = non_integer(report)
    assert [tuple(f.cells[0]) for f in found] == [
        ("table3", "granted", 0),
        ("table3", "granted", 6),
    ]
    assert "件数应为整数" in found[0].message


def test_missing_table_is_one_error_per_table() -> None:
    report = clean(table4=None)
    found = missing_table(report)
    assert codes(found) == ["MISSING_TABLE"] and found[0].cells == [["table4"]]
    assert "表四" in found[0].message
    assert "MISSING_TABLE" in codes(check(clean(table2=None, table3=None, table4=None)))


def test_rules_do_not_raise_on_a_report_without_tables() -> None:
    report = clean(table2=None, table3=None, table4=None, sections=[])
    found = check(report)
    assert sorted(set(codes(found, "error"))) == ["MISSING_TABLE"]
    assert not [f for f in found if "未能执行" in f.message]


def test_blank_cells_are_missing_values_grouped_by_row_or_column() -> None:
    report = clean()
    assert report.table3 is not None and report.table4 is not None
    for key in ("granted", "partial", "denied_law"):
        report.table3[key][0] = None  # one blank column
    report.table4["review"] = [None] * 5  # one blank row
    found = missing_value(report)
    assert len(found) == 2 and all(f.severity == "warning" for f in found)
    assert {len(f.cells) for f in found} == {3, 5}
    assert any("自然人" in f.message and "（一）予以公开" in f.message for f in found)


def test_missing_table2_item_is_one_finding_for_the_row() -> None:
    report = clean()
    assert report.table2 is not None
    del report.table2["coercion"]
    found = missing_value(report)
    assert len(found) == 1 and "行政强制" in found[0].message and "找不到" in found[0].message
    assert found[0].cells == [["table2", "coercion", "decisions"]]


def test_missing_row_anomaly_becomes_missing_value_not_cell_count_mismatch() -> None:
    report = set_row(clean(), "denied_query", [None] * 7)
    report.anomalies.append(
        Anomaly(kind="missing_row", table="table3", row="denied_query", message="表三缺少该行")
    )
    assert cell_count_mismatch(report) == []
    found = missing_value(report)
    assert (
        len(found) == 1 and "属于行政查询事项" in found[0].message and "找不到" in found[0].message
    )


def test_stray_cells_become_cell_count_mismatch_at_the_row() -> None:
    report = clean()
    note = Anomaly(
        kind="stray_cells",
        table="table3",
        row="declined_duplicate",
        message="该行有 8 个数值单元格（应为 7 个），多出的单元格不影响取值",
        line=79,
    )
    report.anomalies.append(note)
    found = cell_count_mismatch(report)
    assert len(found) == 1 and found[0].severity == "warning"
    assert "重复申请" in found[0].message and "第 79 行" in found[0].message
    assert cells_of(found[0]) == {("table3", "declined_duplicate", c) for c in range(7)}


def test_lost_cells_row_is_not_also_a_missing_value() -> None:
    report = set_row(clean(), "granted", [None] * 7)
    report.anomalies.append(
        Anomaly(kind="lost_cells", table="table3", row="granted", message="该行有 6 个数值单元格")
    )
    assert codes(cell_count_mismatch(report)) == ["CELL_COUNT_MISMATCH"]
    assert missing_value(report) == []


def test_every_other_anomaly_kind_is_a_cell_count_mismatch() -> None:
    report = clean()
    for kind in ("repaired_label", "duplicate_row", "unreadable_value", "missing_header"):
        report.anomalies.append(Anomaly(kind=kind, table="table2", row="fees", message=kind))  # type: ignore[arg-type]
    report.anomalies.append(Anomaly(kind="ambiguous_cells", table="table4", message="表四错位"))
    found = cell_count_mismatch(report)
    assert codes(found) == ["CELL_COUNT_MISMATCH"] * 5
    assert found[0].cells == [["table2", "fees", "amount"]] and len(found[-1].cells) == 15
