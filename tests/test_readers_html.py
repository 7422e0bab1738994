"""The HTML reader: charsets, page furniture, merged cells, cell text, and hostile markup."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.api import parse_file
from gongkai.errors import GongkaiError, NotAReport, UnreadableInput
from gongkai.readers.grid import expand
from gongkai.readers.html import read_html
from gongkai.readers.raw import Paragraph, RawDocument, Table

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>某县2021年政府信息公开工作年度报告_某县</title>
<style>p {{ color: red; }}</style><script>var x = "<p>脚本里的年度报告</p>";</script></head>
<body>
<div class="nav"><a href="/">首页</a><a href="/ndbg">政府信息公开年报</a></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<h1>某县人民政府2021年政府信息公开工作年度报告</h1>
<p>　　一、总体情况</p>
<p style="display:none">隐藏的文字</p>
<p>正文第一行<br>正文第二行</p>
{body}
<div class="footer">版权所有：某县人民政府</div>
</body></html>
"""


def _doc(body: str = "", charset: str = "utf-8", encoding: str = "utf-8") -> RawDocument:
    return read_html(PAGE.format(charset=charset, body=body).encode(encoding), "t.html")


def _texts(doc: RawDocument) -> list[list[str]]:
    return [row.texts() for row in doc.rows()]


def _tables(doc: RawDocument) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_page_furniture_is_dropped_and_paragraphs_keep_their_order() -> None:
    assert _texts(_doc()) == [
        ["某县人民政府2021年政府信息公开工作年度报告"],
        ["一、总体情况"],
        ["正文第一行"],
        ["正文第二行"],
    ]


@pytest.mark.parametrize(
    ("charset", "encoding"),
    [
        ("gb2312", "gbk"),
        ("GBK", "gb18030"),
        ("utf-8", "gbk"),
        ("gb2312", "utf-8"),
        ("utf-8", "utf-8"),
    ],
)
def test_charset_from_meta_or_detected_when_the_meta_is_wrong(charset: str, encoding: str) -> None:
    doc = _doc("<p>本年新收政府信息公开申请“三安全一稳定”</p>", charset, encoding)
    assert ["本年新收政府信息公开申请“三安全一稳定”"] in _texts(doc)


def test_spans_leave_empty_cells_never_copies() -> None:
    body = """<table border="1">
      <tr><td rowspan="2" colspan="2">信息内容</td><td colspan="2">申请人情况</td></tr>
      <tr><td>自然人</td><td>总计</td></tr>
      <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>3</td><td>&nbsp;</td></tr>
      <tr><td>（二）部分公开</td><td></td><td>1</td></tr>
    </table>"""
    (table,) = _tables(_doc(body))
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["信息内容", "", "申请人情况", ""],
        ["", "", "自然人", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "3", ""],
        ["", "（二）部分公开", "", "1"],
    ]


def test_line_breaks_in_cells_join_without_inventing_spaces() -> None:
    body = """<table><tr><td>本年新<br />制作数量</td><td><p>结果</p><p>维持</p></td>
      <td>Total<br>Count</td><td>  本年\n  处理  </td></tr></table>"""
    (table,) = _tables(_doc(body))
    assert [c.text for c in table.rows[0].cells] == [
        "本年新制作数量",
        "结果维持",
        "Total Count",
        "本年处理",
    ]


def test_cells_keep_the_source_line() -> None:
    body = "<table>\n<tr><td>行政许可</td>\n<td>5</td></tr>\n</table>"
    doc = _doc(body)
    (table,) = _tables(doc)
    page = PAGE.format(charset="utf-8", body=body).split("\n")
    for cell in table.rows[0].cells:
        assert cell.line is not None and cell.text in page[cell.line - 1]


def test_layout_tables_are_walked_and_inner_data_tables_kept() -> None:
    body = """<table class="layout"><tr><td>
        <p>二、主动公开政府信息情况</p>
        <table><tr><td>行政处罚</td><td>30</td></tr></table>
      </td></tr><tr><td>单列表格的一行</td></tr></table>
      <table><caption>表四</caption><tr><td>一</td></tr><tr><td>二</td></tr></table>"""
    texts = _texts(_doc(body))[4:]
    assert texts == [
        ["二、主动公开政府信息情况"],
        ["行政处罚", "30"],
        ["单列表格的一行"],
        ["表四"],
        ["一"],
        ["二"],
    ]


def test_caption_precedes_its_table() -> None:
    doc = _doc(
        "<table><caption>第二十条第（一）项</caption><tr><td>规章</td><td>0</td></tr></table>"
    )
    captions = [
        i
        for i, b in enumerate(doc.blocks)
        if isinstance(b, Paragraph) and "第二十条" in b.cell.text
    ]
    assert captions and isinstance(doc.blocks[captions[0] + 1], Table)


def test_huge_spans_give_one_clear_error() -> None:
    rows = '<tr><td colspan="1000">x</td><td>1</td></tr>' * 300
    with pytest.raises(UnreadableInput, match="表格过大"):
        read_html(f"<table>{rows}</table>".encode(), "big.html")


def test_empty_page_reads_as_an_empty_document() -> None:
    assert read_html(b"   ", "empty.html").blocks == []


def test_a_page_with_no_report_is_not_a_report(tmp_path: Path) -> None:
    page = tmp_path / "news.html"
    page.write_text(
        "<html><body><h1>县政府召开常务会议</h1><p>会议研究了有关事项。</p></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(NotAReport):
        parse_file(page)


# Property: the span expansion puts every source cell exactly once into a rectangular grid.
_layouts = st.lists(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=0, max_size=6),
    min_size=0,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_layouts)
def test_expand_is_rectangular_and_places_each_cell_once(
    spans: list[list[tuple[int, int]]],
) -> None:
    rows = [[(f"{r}.{c}", rs, cs) for c, (rs, cs) in enumerate(row)] for r, row in enumerate(spans)]
    grid = expand(rows)
    assert len(grid) == len(rows)
    assert len({len(row) for row in grid}) <= 1
    placed = [value for row in grid for value in row if value is not None]
    assert sorted(placed) == sorted(v for row in rows for v, _rs, _cs in row)
    for r, row in enumerate(grid):  # a cell sits in its own source row
        assert all(v.split(".")[0] == str(r) for v in row if v is not None)


_TAGS = ["p", "div", "table", "tr", "td", "th", "br", "span", "script", "style", "caption", "b"]
_markup = st.recursive(
    st.text(alphabet="一二三四五、年报告0123456789 &<>;\"'\n\t", max_size=12),
    lambda inner: st.builds(
        lambda tag, attrs, body: f"<{tag}{attrs}>{''.join(body)}</{tag}>",
        st.sampled_from(_TAGS),
        st.sampled_from(
            [
                "",
                ' rowspan="3"',
                ' colspan="0"',
                ' colspan="x"',
                ' style="display:none"',
                ' class="nav"',
            ]
        ),
        st.lists(inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_markup, st.sampled_from(["utf-8", "gb18030"]))
def test_random_markup_never_crashes(markup: str, encoding: str) -> None:
    with contextlib.suppress(GongkaiError):
        doc = read_html(markup.encode(encoding), "fuzz.html")
        widths = [{len(row.cells) for row in b.rows} for b in doc.blocks if isinstance(b, Table)]
        assert all(len(w) == 1 for w in widths)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(GongkaiError):
        read_html(b"<html>" + data, "fuzz.html")
