"""Regression tests for the layouts real reports from unseen sites and their conversions take
(issue 11, classes 1–10), each built by hand from a known table (layouts.py)."""

from __future__ import annotations

import pytest

from gongkai.api import parse_bytes
from gongkai.model.report import Report

from layouts import (
    OPENING,
    T2_2021,
    T3_2021,
    T4,
    cell,
    expected_t3,
    report_html,
    t3_html,
    t4_groups,
    t4_html,
)

pytest.importorskip("lxml")


def _html(data: bytes) -> Report:
    return parse_bytes(data, "report.html")


def _text(text: str) -> Report:
    return parse_bytes(text.encode(), "report.txt")


def _t3_keys_read(report: Report) -> set[str]:
    return {k for k, v in (report.table3 or {}).items() if any(x is not None for x in v)}


# 1. A spacer column ---------------------------------------------------------------------------


@pytest.mark.parametrize("after", [1, 3, 6])
def test_spacer_column_inside_table3_data_area_is_dropped(after: int) -> None:
    report = _html(report_html(t3_html(spacer=after)))
    assert report.table3 == expected_t3()
    assert report.anomalies == []


# 2. Header and data spans disagree --------------------------------------------------------------

_T2_2019_SPANS = (
    "<table><tr>" + cell("第二十条第（五）项", 1, 5) + "</tr>"
    "<tr>" + cell("信息内容") + cell("上一年项目数量") + cell("本年增/减", 1, 2) + cell("处理决定数量")
    + "</tr><tr>" + cell("行政许可") + cell("40", 1, 2) + cell("-6") + cell("64") + "</tr>"
    "<tr>" + cell("其他对外管理服务事项") + cell("80", 1, 2) + cell("+72") + cell("0") + "</tr></table>"
)  # fmt: skip


def test_values_spanning_differently_from_their_headings_are_placed_by_order() -> None:
    report = _html(report_html(t3_html(), t2=_T2_2019_SPANS))
    assert report.table2 is not None
    assert report.table2["licensing"] == {"prior_items": 40, "change": -6, "decisions": 64}
    assert report.table2["other_services"] == {"prior_items": 80, "change": 72, "decisions": 0}


def test_a_value_over_two_headings_without_an_order_to_decide_is_not_read() -> None:
    t2 = (
        "<table><tr>" + cell("信息内容") + cell("上一年项目数量") + cell("本年增/减")
        + cell("处理决定数量") + "</tr><tr>" + cell("行政许可") + cell("40", 1, 2) + cell("")
        + cell("") + "</tr></table>"
    )  # fmt: skip
    report = _html(report_html(t3_html(), t2=t2))
    assert report.table2 is not None
    assert set(report.table2["licensing"].values()) == {None}
    assert any(a.row == "licensing" and "跨在两列" in a.message for a in report.anomalies)


def test_table4_leading_blank_stays_in_its_own_column() -> None:
    values = [None, 0, 0, 0, 0, *T4[5:]]
    report = _html(report_html(t3_html(), t4=t4_html(values)))
    assert report.table4 == t4_groups(values)


# 3. Rows left all blank: identified by their labels ----------------------------------------------


def test_total_column_left_blank_is_read_blank_not_lost() -> None:
    rows = [(label, [*v[:6], None]) for label, v in T3_2021]
    report = _html(report_html(t3_html(rows)))
    assert report.table3 == expected_t3(rows)
    assert not [a for a in report.anomalies if a.kind == "missing_row"]


def test_blank_2019_other_row_makes_a_2019_table() -> None:
    rows = [*T3_2021[:20], ("（六）其他处理", [None] * 7), *T3_2021[23:]]
    html = t3_html(rows).replace(cell("（六）其他处理", 3), "")
    report = _html(report_html(html))
    assert report.meta.templates.table3 == "2019"
    assert report.table3 is not None and report.table3["other"] == [None] * 7
    assert not [a for a in report.anomalies if a.kind == "missing_row"]


# 4. One cell per line ------------------------------------------------------------------------


def _cells_per_line(rows: list[tuple[str, list[str]]]) -> str:
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "总计"]
    for label, values in rows:
        lines += [label, *values]
    return OPENING + "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况\n"


def _as_text(values: list[int | None]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def test_one_cell_per_line_reads_every_row() -> None:
    report = _text(_cells_per_line([(label, _as_text(v)) for label, v in T3_2021]))
    assert report.table3 == expected_t3()


def test_a_number_split_over_two_lines_is_joined_only_by_the_arithmetic() -> None:
    rows = [(label, _as_text(v)) for label, v in T3_2021]
    rows[0] = (rows[0][0], ["16", "1", "0", "2", "0", "0", "1", "9"])  # 19 written as 1 / 9
    report = _text(_cells_per_line(rows))
    assert report.table3 is not None
    assert report.table3["received"] == [16, 1, 0, 2, 0, 0, 19]
    assert any(a.row == "received" and "拆成两行" in a.message for a in report.anomalies)


def test_a_split_that_two_joins_explain_is_not_guessed() -> None:
    rows = [(label, _as_text(v)) for label, v in T3_2021]
    rows[0] = (rows[0][0], ["1", "1", "1", "1", "0", "0", "0", "1", "4"])
    report = _text(_cells_per_line(rows))
    assert report.table3 is not None and report.table3["received"] == [None] * 7


def test_empty_lines_are_cells_where_the_capture_keeps_them() -> None:
    rows = [(label, _as_text(v)) for label, v in T3_2021]
    rows[2] = (rows[2][0], ["", "1", "0", "0", "0", "0", "3"])  # 予以公开: 自然人 left blank
    report = _text(_cells_per_line(rows))
    assert report.table3 is not None and report.table3["granted"] == [None, 1, 0, 0, 0, 0, 3]


def test_empty_lines_that_separate_rows_place_no_blank() -> None:
    """One cell per line, an empty line after each row, a cell dropped: were the empty line a
    cell, the values would shift; the form's column totals reject that reading."""
    rows = [(label, _as_text(v)) for label, v in T3_2021]
    rows[0] = (rows[0][0], ["5", "0", "2", "0", "0", "8"])  # 商业企业's 1 dropped
    lines = ["三、收到和处理政府信息公开申请情况", "自然人", "总计"]
    for i, (label, values) in enumerate(rows):
        lines += [label, *values] + ([] if i == 5 else [""])
    report = _text(OPENING + "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert report.table3 is not None and report.table3["received"] == [None] * 7


# 10. Blank-omitting captures: a value whose column cannot be proven is not read -----------------


def test_a_capture_that_drops_empty_cells_leaves_the_row_blank_with_a_reason() -> None:
    rows = [(label, _as_text(v)) for label, v in T3_2021]
    rows[2] = (rows[2][0], ["1", "0", "0", "0", "0", "1"])  # one cell dropped, place unknown
    text = _cells_per_line(rows).replace("\n\n", "\n")
    report = _text(text)
    assert report.table3 is not None and report.table3["granted"] == [None] * 7
    assert any(
        a.row == "granted" and a.kind in ("lost_cells", "ambiguous_cells") for a in report.anomalies
    )


# 5. Space-separated rows (pdftotext -raw, copy from a PDF viewer) ---------------------------------


def test_space_separated_rows_with_wrapped_labels() -> None:
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况 自然人 法人或其他组织 总计"]
    for label, values in T3_2021:
        head, tail = (label[:9], label[9:]) if len(label) > 14 else (label, "")
        lines += [head] if tail else []
        lines.append(f"{tail or head} {' '.join(map(str, values))}")
    text = OPENING + T2_2021.replace("\t", " ") + "\n".join(lines)
    report = _text(
        text + "\n四、政府信息公开行政复议、行政诉讼情况\n" + " ".join(map(str, T4)) + "\n"
    )
    assert report.table3 == expected_t3()
    assert report.table4 == t4_groups()
    assert report.table2 is not None and report.table2["normative_documents"] == {
        "issued": 3, "repealed": 1, "in_force": 12,
    }  # fmt: skip


# 6. pdftotext -layout: values of one row on several lines, ordered by their columns -------------


def test_laid_out_row_whose_value_sits_on_another_line_is_ordered_by_column() -> None:
    lines = ["三、收到和处理政府信息公开申请情况"]
    for label, values in T3_2021:
        cols = "".join(f"{v:>6}" for v in values)
        lines.append(f"  {label[:12]:<30}{cols}")
    # 一、本年新收: 科研机构 (third value) centred one line lower, as tall cells print.
    first = f"  {T3_2021[0][0][:12]:<30}" + "".join(
        f"{v:>6}" if i != 2 else " " * 6 for i, v in enumerate(T3_2021[0][1])
    )
    lines[1] = first + "\n" + " " * 44 + f"{T3_2021[0][1][2]:>6}"
    report = _text(OPENING + "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert report.table3 is not None and report.table3["received"] == T3_2021[0][1]


def test_layout_table2_header_wrapped_over_two_lines() -> None:
    text = (
        OPENING + "二、主动公开政府信息情况\n                 第二十条第（一）项\n"
        "  信息内容      本年新制作数量   本年新公开数   对外公开总数量\n"
        "                                      量\n"
        "  规章              0              0              0\n"
        "  规范性文件        7              5              9\n"
        "                 第二十条第（五）项\n"
        "  信息内容      上一年项目数量    本年增/减   处理决定数量\n"
        "  行政许可         40             -6            64\n"
        "三、收到和处理政府信息公开申请情况\n"
    )  # fmt: skip
    report = _text(text)
    assert report.table2 is not None
    assert report.table2["normative_documents"] == {"made": 7, "published": 5, "total_published": 9}
    assert report.table2["licensing"] == {"prior_items": 40, "change": -6, "decisions": 64}


# 7. Browser print furniture --------------------------------------------------------------------


def test_browser_header_and_footer_are_not_the_agency_or_values() -> None:
    rows = "\n".join(f"{label} {' '.join(map(str, v))}" for label, v in T3_2021)
    furniture = "12/3/26, 10:22 AM\nfile:///home/user/report.html 2/4\n"
    at = rows.index("4.保护")
    text = (
        furniture + "某某市某某局2024年政府信息公开工作年度报告\n一、总体情况\n正文。\n"
        "三、收到和处理政府信息公开申请情况\n" + rows[:at] + furniture + rows[at:]
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
    )  # fmt: skip
    report = _text(text)
    assert report.meta.agency == "某某市某某局"
    assert report.table3 == expected_t3()


# 8. Markdown from PDF converters ----------------------------------------------------------------


def test_markdown_fragments_with_repeated_headers_and_detached_labels() -> None:
    header = "| 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n| --- | --- | --- | --- | --- | --- | --- |\n"
    parts = [
        "# 正文",
        "",
        "某某市某某局2024年政府信息公开工作年度报告",
        "",
        "## 一、总体情况",
        "正文。",
    ]
    parts.append("## 三、收到和处理政府信息公开申请情况")
    for i in range(0, len(T3_2021), 6):  # one small table every six rows, its header repeated
        parts.append("")
        body = ""
        for label, values in T3_2021[i : i + 6]:
            parts.append(label)  # the label detached above its table
            body += "| " + " | ".join(map(str, values)) + " |\n"
        parts.append(header + body)
    parts.append("## 四、政府信息公开行政复议、行政诉讼情况")
    report = parse_bytes("\n".join(parts).encode(), "report.md")
    assert report.meta.agency == "某某市某某局"
    assert _t3_keys_read(report) >= {"received", "total", "carried_forward"}
    for key, values in expected_t3().items():
        got = (report.table3 or {}).get(key)
        assert got in (values, [None] * 7), key  # never a wrong value
