"""Regression tests for the reading-order strategy's failure modes an adversarial review found
(issue 11): each case is a hand-written report in a layout real captures produce, built from the
known values in layouts.py, and each asserts the cell is read right or left blank, never wrong."""

from __future__ import annotations

from gongkai.api import parse_bytes
from gongkai.model.report import Report
from gongkai.validate import check

from layouts import OPENING, T3_2021, T4, Values, expected_t3, t4_groups

_HEADER = "申请人情况 自然人 法人或其他组织 总计"
_ORG = "商业企业 科研机构 社会公益组织 法律服务机构 其他"
_NEXT = "四、政府信息公开行政复议、行政诉讼情况"


def _text(text: str) -> Report:
    return parse_bytes(text.encode(), "report.txt")


def _line(label: str, values: Values) -> str:
    return " ".join([label, *("" if v is None else str(v) for v in values)]).rstrip()


def _raw(lines: list[str], t4: str = " ".join(map(str, T4))) -> str:
    """Space-separated rows as `pdftotext -raw` or a copy from a PDF viewer gives them."""
    body = ["三、收到和处理政府信息公开申请情况", _HEADER, *lines]
    return OPENING + "\n".join(body) + f"\n{_NEXT}\n{t4}\n五、存在的主要问题及改进情况\n无。\n"


def _rows() -> list[str]:
    return [_line(label, values) for label, values in T3_2021]


def test_a_total_wrapped_onto_its_own_line_stays_in_its_row() -> None:
    lines = _rows()
    label, values = T3_2021[2]
    lines[2] = _line(label, values[:6]) + "\n" + str(values[6])
    report = _text(_raw(lines))
    assert report.table3 == expected_t3()


def test_a_bare_page_number_at_a_page_break_is_not_a_value() -> None:
    lines = _rows()
    lines[12] += "\n7\n\f"  # the page's number, then the next page
    report = _text(_raw(lines))
    assert report.table3 == expected_t3()


def test_a_row_cut_by_a_page_break_does_not_take_the_page_number() -> None:
    lines = _rows()
    label, values = T3_2021[12]
    lines[12] = _line(label, values[:6]) + "\n7\n\f"  # the row's total lost with the page
    report = _text(_raw(lines))
    assert report.table3 is not None
    assert report.table3["unavailable_not_held"] == [None] * 7
    assert any(a.row == "unavailable_not_held" for a in report.anomalies)
    rest = {k: v for k, v in expected_t3().items() if k != "unavailable_not_held"}
    assert {k: report.table3[k] for k in rest} == rest


def _with_subtotal(dropped: int, heading: str = "小计") -> Report:
    """Eight columns (a 法人或其他组织小计 among them); the first row's cell `dropped` left empty
    and lost by the capture, so the row has seven values."""
    rows = [[*v[:6], sum(x or 0 for x in v[1:6]), v[6]] for _label, v in T3_2021]
    lines = [_line(label, row) for (label, _v), row in zip(T3_2021, rows, strict=True)]
    lines[0] = _line(T3_2021[0][0], rows[0][:dropped] + rows[0][dropped + 1 :])
    return _text(_raw(lines).replace(_HEADER, f"申请人情况 自然人 {_ORG} {heading} 总计".strip()))


def test_an_org_subtotal_row_without_its_subtotal_is_read_when_the_sum_proves_it() -> None:
    report = _with_subtotal(dropped=6)
    assert report.table3 == expected_t3()


def test_an_org_subtotal_row_without_its_total_is_left_blank_not_shifted() -> None:
    """Seven values whose sum does not close: any cell may be the lost one, so none is read."""
    report = _with_subtotal(dropped=7)
    assert report.table3 is not None
    assert report.table3["received"] == [None] * 7
    assert report.table3["granted"] == expected_t3()["granted"]


def test_a_row_of_seven_among_rows_of_eight_is_not_read_unless_its_sum_closes() -> None:
    """No heading names the eighth column, but the rows show it: a row of seven has lost a cell."""
    report = _with_subtotal(dropped=7, heading="")
    assert report.table3 is not None
    assert report.table3["received"] == [None] * 7
    assert report.table3["granted"] in ([None] * 7, expected_t3()["granted"])


def test_a_numbering_typo_against_the_words_does_not_move_a_row() -> None:
    """“1.无正当理由大量反复申请” (the form's 4.): the words say one row, the numbering another,
    so the row is not read rather than written over 1.信访举报投诉类申请."""
    rows = [(label, list(v)) for label, v in T3_2021]
    for key in (0, 18, 23):  # received, declined_excessive, total: one more request each
        rows[key][1][0] = (rows[key][1][0] or 0) + 1
        rows[key][1][6] = (rows[key][1][6] or 0) + 1
    lines = [_line(label, v) for label, v in rows]
    lines[18] = lines[18].replace("4.无正当", "1.无正当")
    report = _text(_raw(lines))
    assert report.table3 is not None
    assert report.table3["declined_petition"] == [0] * 7
    assert report.table3["declined_excessive"] in ([None] * 7, rows[18][1])
    if report.table3["declined_excessive"] == [None] * 7:  # unread, and the report says where
        assert any("1.无正当理由大量反复申请" in a.message for a in report.anomalies)


def test_table3_present_but_unreadable_is_not_reported_missing() -> None:
    lines = [_line(label, v[:6]) for label, v in T3_2021]  # every row lost its total
    report = _text(_raw(lines))
    assert report.table3 is not None and all(v == [None] * 7 for v in report.table3.values())
    findings = check(report)
    assert not [f for f in findings if f.code == "MISSING_TABLE" and "表三" in f.message]


def _t4_per_line(values: list[str]) -> str:
    """Table 4 one cell per line (a copy from a browser), its 15 cells after the headings."""
    heads = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    heads += ["未经复议直接起诉", "复议后起诉"] + heads[2:] * 2
    return "\n".join(heads + values)


def test_table4_one_per_line_with_a_blank_dropped_is_not_read_shifted() -> None:
    values = [str(v) for v in T4]
    values[0] = ""  # 行政复议·结果维持 left blank: the capture drops the empty line
    text = _raw(_rows(), t4=_t4_per_line([v for v in values if v]))
    report = _text(text)
    assert report.table4 is not None
    assert report.table4["review"] == [None] * 5
    assert any(a.table == "table4" for a in report.anomalies)


def test_table4_one_per_line_complete_is_read() -> None:
    report = _text(_raw(_rows(), t4=_t4_per_line([str(v) for v in T4])))
    assert report.table4 == t4_groups()


def test_a_value_with_a_trailing_full_stop_is_not_split_into_a_numbering_mark() -> None:
    """“13.”: laid-out text glues a value to the next row's mark (“1” and “3.”), but a value
    followed by a stray full stop looks the same; the split stands only if the row then adds up."""
    rows = [(label, list(v)) for label, v in T3_2021]
    for key in (0, 2, 23):  # received, granted, total: ten more requests from 自然人
        rows[key][1][0] = (rows[key][1][0] or 0) + 10
        rows[key][1][6] = (rows[key][1][6] or 0) + 10
    lines = [_line(label, v) for label, v in rows]
    lines[2] += "."
    report = _text(_raw(lines))
    assert report.table3 is not None
    assert report.table3["granted"] in ([None] * 7, rows[2][1])
    assert report.table3["partial"] == rows[3][1]
