"""Compare: two synthetic years of one agency; deltas checked against the models themselves."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from gongkai.analysis.compare import compare, describe, sentences
from gongkai.model.report import Report, Section
from gongkai.render.compare_html import render_compare_html

from synthetic import next_year, synth_report


def years(first: int = 2022, seed: str = "cmp") -> tuple[Report, Report]:
    rng = random.Random(seed)
    a = synth_report(rng, year=first)
    return a, next_year(a, rng)


def cells(report: Report) -> dict[str, Any]:
    """Every cell by path, straight from the model."""
    out: dict[str, Any] = {}
    for item, fields in (report.table2 or {}).items():
        out.update({f"table2.{item}.{f}": v for f, v in fields.items()})
    for table in ("table3", "table4"):
        for key, row in (getattr(report, table) or {}).items():
            out.update({f"{table}.{key}.{c}": v for c, v in enumerate(row)})
    return out


def test_changed_cells_and_deltas_of_two_years() -> None:
    a, b = years()
    result = compare(a, b)
    before, after = cells(a), cells(b)
    assert set(before) == set(after)
    changed = {p for p in before if before[p] != after[p]}
    assert {c.cell for c in result.cells} == changed
    assert result.compared == len(before) == 10 + 175 + 15
    for c in result.cells:
        assert (c.a, c.b) == (before[c.cell], after[c.cell])
        assert c.delta == pytest.approx(after[c.cell] - before[c.cell])
        if before[c.cell]:
            assert c.pct == round((after[c.cell] - before[c.cell]) / before[c.cell] * 100, 1)
        else:
            assert c.pct is None and c.kind == "from_zero"


def test_carried_over_follows_last_year() -> None:
    # The synthetic second year keeps X1: its 二、上年结转 is the first year's 四.
    a, b = years()
    assert (b.table3 or {})["carried_over"] == (a.table3 or {})["carried_forward"]


def test_blank_and_zero_transitions() -> None:
    a, b = years(seed="cmp-blank")
    (a.table3 or {})["granted"][0], (b.table3 or {})["granted"][0] = None, 4
    (a.table3 or {})["partial"][1], (b.table3 or {})["partial"][1] = 0, 3
    (a.table4 or {})["review"][0], (b.table4 or {})["review"][0] = 2, None
    result = compare(a, b)
    by_cell = {c.cell: c for c in result.cells}
    assert (
        by_cell["table3.granted.0"].kind == "from_blank"
        and by_cell["table3.granted.0"].delta is None
    )
    assert (by_cell["table3.partial.1"].kind, by_cell["table3.partial.1"].delta) == ("from_zero", 3)
    assert by_cell["table4.review.0"].kind == "to_blank"
    assert {"table3.granted.0", "table3.partial.1"} <= {c.cell for c in result.from_blank_or_zero}
    assert describe(by_cell["table3.granted.0"]).endswith("空白 → 4（由空白变为有数值）")


def test_sentence_changes() -> None:
    a, b = years(seed="cmp-text")
    a.sections = [
        Section(
            no=5,
            heading="五、存在的主要问题及改进情况",
            text="问题一是培训不足。问题二是更新不及时；整改已完成。",
        )
    ]
    b.sections = [
        Section(
            no=5,
            heading="五、存在的主要问题及改进情况",
            text="问题一是培训不够充分。整改已完成。新增一项制度。",
        )
    ]
    kinds = sorted((s.kind, s.a, s.b) for s in compare(a, b).sentences)
    assert kinds == [
        ("added", None, "新增一项制度。"),
        ("changed", "问题一是培训不足。", "问题一是培训不够充分。"),
        ("removed", "问题二是更新不及时；", None),
    ]
    assert sentences("甲。乙；丙\n丁！") == ["甲。", "乙；", "丙", "丁！"]


def test_across_templates_only_corresponding_cells() -> None:
    a, b = years(first=2020, seed="cmp-2019")  # a: 2019 forms, b: 2021 forms
    result = compare(a, b)
    paths = {c.cell for c in result.cells}
    assert not any(p.startswith("table3.other_") for p in paths)
    t2 = {p.split(".")[1] for p in paths if p.startswith("table2.")}
    assert t2 <= {"licensing", "punishment", "coercion"}
    assert result.compared == 3 + 23 * 7 + 15
    other_b = sum(
        (b.table3 or {})[k][6] or 0
        for k in ("other_no_correction", "other_unpaid_fee", "other_misc")
    )
    # The 2021 （六） rows are compared as their sum, the 2019 single row's counterpart.
    other = next((c for c in result.cells if c.cell == "table3.other.6"), None)
    pair = ((a.table3 or {})["other"][6], other_b)
    assert (other.a, other.b) == pair if other is not None else pair[0] == pair[1]
    assert any("表三格式不同" in n for n in result.notes)


def test_summary_names_the_largest_change() -> None:
    a, b = years()
    result = compare(a, b)
    largest = max((c for c in result.cells if c.delta is not None), key=lambda c: abs(c.delta or 0))
    assert result.summary[0].startswith(
        f"共比较 {result.compared} 个单元格，{len(result.cells)} 个有变化"
    )
    assert result.summary[1].startswith(largest.label)
    assert result.summary[-1].startswith("文字：")


def test_json_and_html_outputs() -> None:
    a, b = years()
    result = compare(a, b)
    doc = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert doc["a"] == f"{a.meta.agency} 2022年" and doc["b"] == f"{a.meta.agency} 2023年"
    html = render_compare_html(result)
    assert result.cells[0].label in html and "文字变化" in html and '<html lang="zh-CN">' in html
