"""Agency (发布机关) and year on openings the first extractor got wrong or missed (FORMAT.md §2.3).

Each class was seen in real reports: no title in the body (the year only in the statistics period,
deep in a long first paragraph), the report named in a preamble phrase, a 发文字号 above the title,
CMS labels and converter headings, browser print furniture and page numbers glued to the opening.
A wrong agency or year is worse than none, so the look-alikes that must give None are here too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.extract import extract
from gongkai.extract.meta import extract_meta
from gongkai.readers import read_path
from gongkai.readers.raw import RawCell, Row
from gongkai.readers.text import read_text

from conftest import SHARED

REAL = SHARED / "real"
BODY = "\n\n一、总体情况\n\n正文。\n"
# Pushes the statistics period well past the first 200 characters of the paragraph.
FILLER = "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等部分组成。" * 6


def _meta(text: str) -> tuple[str | None, int | None]:
    meta = extract(read_text(text.encode(), "t.txt")).meta
    return meta.agency, meta.year


def _rows(*lines: str) -> list[Row]:
    """Paragraph rows as any reader gives them, for what a reader may leave glued together."""
    return [Row((RawCell(line, i + 1),), is_table=False) for i, line in enumerate(lines)]


@pytest.mark.parametrize(
    ("period", "year"),
    [
        ("本年度报告所列数据统计期限自2024年1月1日至2024年12月31日，如有疑问请联系。", 2024),
        ("本报告中所列数据的统计期限自2024 年1月1日起至12月31日止，电子版可下载。", 2024),
        ("报告中所列统计数据时限从2019年1月1日起至2019年12月31日止。", 2019),
        ("本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", 2023),
        ("报告中的数据统计时间为2022年1月1日至12月31日。", 2022),
        ("本报告数据时限为 2025 年 1 月 1 日至 2025 年 12 月 31 日。", 2025),
    ],
)
def test_year_from_a_period_deep_in_the_first_paragraph(period: str, year: int) -> None:
    opening = "根据《中华人民共和国政府信息公开条例》要求编制本报告。" + FILLER + period
    assert len(opening) > 200
    assert _meta(opening + BODY) == (None, year)


def test_period_under_the_first_heading_still_counts() -> None:
    text = (
        "一、总体情况\n\n本报告根据《条例》编制。"
        + FILLER
        + "统计期限自2021年1月1日起至2021年12月31日止。\n"
    )
    assert _meta(text) == (None, 2021)


def test_period_wrapped_over_lines_and_pages() -> None:
    text = (
        "本报告由某某区人民政府办公室编制。报告中所列数据统计期限自 2023 年 1 月 1 日\n"
        "12/3/26, 10:22 AM\n"
        "起至 2023 年 12 月 31 日止。如对本报告有疑问，请联系。\n" + BODY
    )
    assert _meta(text) == (None, 2023)


@pytest.mark.parametrize(
    "period",
    [
        "统计期限自2022年1月1日至2023年12月31日。",  # two years: which one is the report's?
        "《条例》自2019年5月15日起施行。",  # a date, not a statistics period
    ],
)
def test_no_year_from_what_is_not_a_whole_year_period(period: str) -> None:
    assert _meta("根据要求编制本报告。" + period + BODY) == (None, None)


@pytest.mark.parametrize(
    ("preamble", "agency", "year"),
    [
        (
            "根据《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求，"
            "发布《莆田市城市管理局2024年度政府信息公开工作年度报告》。",
            "莆田市城市管理局",
            2024,
        ),
        (
            "根据有关要求，特向社会公布莆田市城市管理局2021年度政府信息公开工作年度报告。本报告由六部分组成。",
            "莆田市城市管理局",
            2021,
        ),
        (
            "根据《莆田市人民政府办公室关于开展2019年政府信息公开工作年度报告编制发布有关事项的通知》规定，"
            "现将编制的莆田市统计局2019年政府信息公开工作年度报告予以公布。",
            "莆田市统计局",
            2019,
        ),
        ("我局编制了《2024年度政府信息公开工作年度报告》。", None, 2024),
        ("根据《中华人民共和国政府信息公开工作年度报告格式》编制本报告。", None, None),
        (
            "根据《莆田市人民政府办公室关于开展2019年政府信息公开工作年度报告编制发布有关事项的通知》"
            "规定编制本报告。",
            None,
            None,
        ),
    ],
)
def test_report_named_in_the_preamble(preamble: str, agency: str | None, year: int | None) -> None:
    assert _meta(preamble + BODY) == (agency, year)


def test_named_report_of_another_year_gives_no_agency() -> None:
    text = "参照往年，发布《某某市人民政府2023年政府信息公开工作年度报告》。统计期限自2024年1月1日至2024年12月31日。"
    assert _meta(text + BODY) == (None, 2024)


def test_report_name_wrapped_mid_word_is_no_title() -> None:
    # A hard-wrapped preamble: the second line looks like a title but starts inside a name.
    text = (
        "（国办公开办函〔2021〕30号）等工作要求，发布《莆田市科学\n"
        "技术局2024年度政府信息公开工作年度报告》\n"
        "。报告全文包括总体情况等六个方面。\n" + BODY
    )
    assert _meta(text) == ("莆田市科学技术局", 2024)


@pytest.mark.parametrize(
    ("opening", "agency", "year"),
    [
        ("莆统〔2020〕7 号\n\n莆田市统计局2019年政府信息公开工作年度报告", "莆田市统计局", 2019),
        (
            "某府办〔2024〕12号\n某某县人民政府\n2023年政府信息公开工作年度报告",
            "某某县人民政府",
            2023,
        ),
        ("标题：莆田市统计局2019年政府信息公开工作年度报告", "莆田市统计局", 2019),
        ("文章标题：某某市商务局2022年政府信息公开工作年度报告", "某某市商务局", 2022),
        ("题名： 某某县人民政府 2021 年政府信息公开工作年度报告", "某某县人民政府", 2021),
        ("正文\n\n2024年度政府信息公开工作年度报告", None, 2024),
        ("目录\n\n淮安市2024年政府信息公开工作年度报告", "淮安市", 2024),
        ("淮安市2024年政府信息公开工作年度报告", "淮安市", 2024),
        ("某某市人民政府2023年政府信息公开工作年度报告（全文）", "某某市人民政府", 2023),
        (
            "某某市人民政府办公室\n某某市人民政府2023年政府信息公开工作年度报告",
            "某某市人民政府",
            2023,
        ),
    ],
)
def test_title_without_what_stands_around_it(opening: str, agency: str | None, year: int) -> None:
    assert _meta(opening + BODY) == (agency, year)


@pytest.mark.parametrize(
    "opening",
    [
        "12/3/26, 10:22 AM\n洪泽区人民政府\n2023 年政府信息公开工作年度报告",
        "2026/12/3 10:22\n洪泽区人民政府\n2023 年政府信息公开工作年度报告",
        "洪泽区人民政府\nfile:///work/x/201.html 1/4\n2023 年政府信息公开工作年度报告",
        "洪泽区人民政府\n2023 年政府信息公开工作年度报告\nhttps://www.example.gov.cn/a/b.html 2/5",
        "- 1 -\n洪泽区人民政府\n2023 年政府信息公开工作年度报告",
        "-1-洪泽区人民政府\n2023 年政府信息公开工作年度报告",
        "－１－洪泽区人民政府2023年政府信息公开工作年度报告",
        "第 1 页 共 4 页\n洪泽区人民政府\n2023 年政府信息公开工作年度报告",
    ],
)
def test_page_furniture_is_never_part_of_the_agency(opening: str) -> None:
    assert _meta(opening + BODY) == ("洪泽区人民政府", 2023)


@pytest.mark.parametrize(
    "lines",
    [
        ("12/3/26, 10:22 AM 莆田市统计局2019年政府信息公开工作年度报告",),
        ("2026/12/3 10:22 莆田市统计局2019年政府信息公开工作年度报告",),
        ("莆田市统计局2019年政府信息公开工作年度报告 file:///work/x/201.html 1/4",),
        (
            "莆田市统计局",
            "https://www.example.gov.cn/a/b.html 2/5",
            "2019年政府信息公开工作年度报告",
        ),
        ("- 1 -莆田市统计局", "2019年政府信息公开工作年度报告"),
        ("莆统〔2020〕7号莆田市统计局2019年政府信息公开工作年度报告",),
    ],
)
def test_furniture_glued_into_a_line_by_a_reader(lines: tuple[str, ...]) -> None:
    # Readers drop whole furniture lines; meta must hold even where one is left glued to text.
    _title, agency, year = extract_meta(_rows(*lines, "一、总体情况"))
    assert (agency, year) == ("莆田市统计局", 2019)


@pytest.mark.parametrize(
    "lines",
    [
        ("标题", "2024年度政府信息公开工作年度报告"),
        ("来源", "2024年度政府信息公开工作年度报告"),
        ("分享到", "打印本页", "2024年度政府信息公开工作年度报告"),
    ],
)
def test_a_word_above_a_title_without_agency_is_no_agency(lines: tuple[str, ...]) -> None:
    _title, agency, year = extract_meta(_rows(*lines, "一、总体情况"))
    assert (agency, year) == (None, 2024)


def test_label_cell_of_a_metadata_table_is_not_the_agency() -> None:
    label = Row(
        (RawCell("名称", 1), RawCell("某某市商务局2022年政府信息公开工作年度报告", 1)), True
    )
    _title, agency, year = extract_meta([label, *_rows("一、总体情况")])
    assert (agency, year) == ("某某市商务局", 2022)


def _real_files() -> list[Path]:
    return sorted(REAL.glob("*.html")) if REAL.is_dir() else []


@pytest.mark.skipif(not _real_files(), reason="../shared/real not present")
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.stem)
def test_real_report_meta(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["meta"]
    doc, _data = read_path(path)
    meta = extract(doc).meta
    if "year" in expected:
        assert meta.year == expected["year"]
    if "agency" in expected:
        assert meta.agency == expected["agency"]
    elif meta.agency is not None:
        # Not compared where the file does not name the report, but never made up.
        text = "".join("".join(t.split()) for row in doc.rows() for t in row.texts())
        assert meta.agency in text
