"""The form's tables as laid out for every renderer, against FORMAT.md §2.4–2.6 and §3.2–3.3."""

from __future__ import annotations

import random
import re

import pytest

from gongkai.model.labels import cell_label, paragraphs
from gongkai.model.report import Report, Section
from gongkai.render import FORMATS, render
from gongkai.render.html import render_html, title_size
from gongkai.render.layout import (
    Grid,
    GridCell,
    fmt_value,
    grids,
    table2_grid,
    table3_grid,
    table4_grid,
)
from gongkai.render.markdown import render_markdown
from gongkai.render.workbook import skeleton

from synthetic import synth_report


def report(t2: str = "2021", t3: str = "2021") -> Report:
    return synth_report(random.Random(7), table2_template=t2, table3_template=t3)  # type: ignore[arg-type]


def anchor(grid: Grid, text: str) -> GridCell:
    return next(c for c in grid.cells if c.text == text)


def test_every_position_is_covered_exactly_once() -> None:
    for t2, t3 in (("2021", "2021"), ("2019", "2019")):
        for grid in grids(report(t2, t3)).values():
            seen: list[tuple[int, int]] = []
            for c in grid.cells:
                seen += [(c.row + r, c.col + k) for r in range(c.rowspan) for k in range(c.colspan)]
            assert sorted(seen) == [(r, k) for r in range(grid.n_rows) for k in range(grid.n_cols)]


@pytest.mark.parametrize(
    ("template", "rows", "results", "other"), [("2021", 25, 22, 3), ("2019", 23, 20, 1)]
)
def test_table3_layout(template: str, rows: int, results: int, other: int) -> None:
    grid = table3_grid(report(t3=template))
    assert (grid.n_rows, grid.n_cols) == (
        3 + rows,
        10,
    )  # three header rows, 3 label + 7 value columns
    assert sum(c.kind == "value" for c in grid.cells) == rows * 7
    note = anchor(grid, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert (note.rowspan, note.colspan) == (3, 3)
    assert anchor(grid, "申请人情况").colspan == 7
    assert anchor(grid, "法人或其他组织").colspan == 5
    assert anchor(grid, "自然人").rowspan == anchor(grid, "总计").rowspan == 2
    assert anchor(grid, "三、本年度办理结果").rowspan == results
    spans = {
        g: anchor(grid, g).rowspan for g in ("（三）不予公开", "（四）无法提供", "（五）不予处理")
    }
    assert spans == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5}
    six = anchor(grid, "（六）其他处理")
    assert (six.rowspan, six.colspan) == ((3, 1) if other == 3 else (1, 2))
    for label in ("一、本年新收政府信息公开申请数量", "四、结转下年度继续办理"):
        assert anchor(grid, label).colspan == 3
    assert anchor(grid, "（七）总计").colspan == 2


def test_table2_layout_2021() -> None:
    grid = table2_grid(report(t2="2021"))
    assert (grid.n_rows, grid.n_cols) == (14, 4)
    captions = [c.text for c in grid.cells if c.kind == "caption"]
    assert captions == [f"第二十条第（{n}）项" for n in ("一", "五", "六", "八")]
    assert all(c.colspan == 4 for c in grid.cells if c.kind == "caption")
    assert anchor(grid, "本年收费金额（单位：万元）").colspan == 3
    assert anchor(grid, "行政规范性文件").kind == "label"
    decisions = [c for c in grid.cells if c.path and c.path[2] == "decisions"]
    assert [c.colspan for c in decisions] == [3, 3, 3]


def test_table2_layout_2019() -> None:
    grid = table2_grid(report(t2="2019"))
    assert (grid.n_rows, grid.n_cols) == (18, 4)
    captions = [c.text for c in grid.cells if c.kind == "caption"]
    assert captions == [f"第二十条第（{n}）项" for n in ("一", "五", "六", "八", "九")]
    assert anchor(grid, "规范性文件").kind == "label"
    assert anchor(grid, "其他对外管理服务事项").kind == "label"
    # The last field of a two-field block takes the rest of the row, as on the form.
    assert anchor(grid, "本年增/减").colspan == 1
    assert anchor(grid, "采购总金额").colspan == 2


def test_table4_layout() -> None:
    grid = table4_grid(report())
    assert (grid.n_rows, grid.n_cols) == (4, 15)
    assert (anchor(grid, "行政复议").colspan, anchor(grid, "行政诉讼").colspan) == (5, 10)
    assert anchor(grid, "未经复议直接起诉").colspan == anchor(grid, "复议后起诉").colspan == 5
    review_heads = [c for c in grid.cells if c.row == 1 and c.col < 5]
    assert [c.rowspan for c in review_heads] == [2] * 5
    assert [c.col for c in grid.cells if c.kind == "value"] == list(range(15))


def test_mixed_templates_are_laid_out_per_table() -> None:
    html = render_html(report(t2="2021", t3="2019"))
    assert "本年制发件数" in html and "本年新制作数量" not in html
    assert 'rowspan="20"' in html and "逾期不补正" not in html


def test_html_carries_the_form_spans() -> None:
    html = render_html(report())
    for attr in ('rowspan="22"', 'rowspan="8"', 'colspan="7"', 'colspan="10"', 'colspan="3"'):
        assert attr in html
    assert '<html lang="zh-CN">' in html
    assert "&#34;" not in html  # the stylesheet is inserted raw, its quotes intact


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (0, "0"),
        (-882, "-882"),
        (0.11, "0.11"),
        (96171.6, "96171.6"),
        (1e-05, "0.00001"),
        (5.0, "5.0"),
    ],
)
def test_values_print_exactly(value: int | float | None, text: str) -> None:
    assert fmt_value(value) == text


def test_blank_cells_stay_blank_in_every_text_format() -> None:
    empty = skeleton("青山县人民政府", 2024)
    html = render_html(empty)
    assert re.findall(r'<td class="val"[^>]*>([^<]*)</td>', html) == [""] * 200
    table_rows = [line for line in render_markdown(empty).splitlines() if line.startswith("| ")]
    assert not any(re.search(r"\|\s*0\s*\|", line) for line in table_rows)


def test_standard_headings_and_table_text_left_out() -> None:
    r = report()
    r.sections = [
        Section(no=1, heading="一、政务信息公开工作总体情况", text="第一段。\n第二段。"),
        Section(
            no=3,
            heading="三、收到和处理政府信息公开申请情况",
            text="申请人情况\t\t自然人\n全年共受理申请。",
        ),
    ]
    assert paragraphs(r, 1) == ["第一段。", "第二段。"]
    assert paragraphs(r, 3) == ["全年共受理申请。"]
    md = render_markdown(r)
    assert "## 一、总体情况" in md and "政务信息公开工作总体情况" not in md
    assert "## 六、其他需要报告的事项" in md


def test_title_fits_one_line() -> None:
    # A wrapped title would read back from PDF as two paragraphs.
    assert title_size("短标题") == 18
    assert title_size("某" * 40) * 41 <= 440  # 10pt floor: up to 43 characters stay on one line


def test_dispatch_returns_text_or_bytes() -> None:
    r = report()
    for fmt in FORMATS:
        out = render(r, fmt)
        assert isinstance(out, bytes if fmt in ("docx", "xlsx", "pdf") else str), fmt
    with pytest.raises(ValueError, match="不支持的输出格式"):
        render(r, "odt")


def test_cell_labels_read_as_on_the_form() -> None:
    assert cell_label("table3.received.6") == "表三“一、本年新收政府信息公开申请数量”·总计"
    assert cell_label("table2.fees.amount") == "表二“行政事业性收费”·本年收费金额（单位：万元）"
    assert (
        cell_label("table2.normative_documents.made", "2019") == "表二“规范性文件”·本年新制作数量"
    )
    assert cell_label("table4.review.4") == "表四“行政复议”·总计"


@pytest.mark.parametrize("seed", range(8))
def test_markdown_reads_back_through_the_text_reader(seed: int) -> None:
    from gongkai.extract import extract
    from gongkai.readers.text import read_text

    original = synth_report(random.Random(f"md-{seed}"), blanks=seed)
    back = extract(read_text(render_markdown(original).encode("utf-8"), "report.md"))
    assert (back.table2, back.table3, back.table4) == (
        original.table2,
        original.table3,
        original.table4,
    )
    assert back.anomalies == []
