"""Title, agency, year and section headings on hand-written report openings (FORMAT.md §5.1–5.2)."""

from __future__ import annotations

import pytest

from gongkai.extract import extract
from gongkai.readers.text import read_text


def _report(text: str):  # type: ignore[no-untyped-def]
    return extract(read_text(text.encode(), "t.txt"))


@pytest.mark.parametrize(
    ("opening", "agency", "year"),
    [
        ("某某县人民政府2023年政府信息公开工作年度报告", "某某县人民政府", 2023),
        ("某某市商务局 2022 年政府信息公开工作年度报告", "某某市商务局", 2022),
        ("2021年度某某市人民政府政府信息公开工作年度报告", "某某市人民政府", 2021),
        ("某某乡人民政府\n\n2020 年政府信息公开工作年度报告", "某某乡人民政府", 2020),
        ("# 某某镇人民政府 2024年政府信息公开年报", "某某镇人民政府", 2024),
    ],
)
def test_title_gives_agency_and_year(opening: str, agency: str, year: int) -> None:
    meta = _report(opening + "\n\n一、总体情况\n\n正文。\n").meta
    assert (meta.agency, meta.year) == (agency, year)


def test_year_from_statistics_period_when_title_has_none() -> None:
    text = "某某局政府信息公开工作年度报告\n\n本报告统计数据从 2022 年 1 月 1 日至 12 月 31 日。\n"
    assert _report(text).meta.year == 2022


def test_heading_variants_are_found_in_order() -> None:
    text = "\n".join(
        [
            "一、政务信息公开工作总体情况",
            "## 二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "**四、政府信息公开行政复议、行政诉讼情况**",
            "五、存在的主要问题及改进措施",
            "六、其它需要报告的事项",
            "无。",
        ]
    )
    sections = _report(text).sections
    assert [s.no for s in sections] == [1, 2, 3, 4, 5, 6]
    assert sections[5].text == "无。"


def test_table3_rows_starting_with_numerals_are_not_headings() -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1\n"
        "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    assert [s.no for s in _report(text).sections] == [3, 4]


def test_long_narrative_starting_with_a_numeral_is_not_a_heading() -> None:
    text = "二、主动公开方面，我局全年主动公开政府信息一千余条，较上年有所增长，公开质量持续提升，群众满意度不断提高。\n"
    assert _report(text).sections == []


def test_label_split_across_lines_is_repaired_and_recorded() -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1\n"
        "\t（五）不予处理\t1.要求提供公开\t0\t0\t0\t0\t0\t0\t0\n"
        "\t\t出版物\t\t\t\t\t\t\t\n"
    )
    report = _report(text)
    assert report.table3 is not None and report.table3["declined_publication"] == [0] * 7
    assert [(a.kind, a.row) for a in report.anomalies if a.kind == "repaired_label"] == [
        ("repaired_label", "declined_publication")
    ]
