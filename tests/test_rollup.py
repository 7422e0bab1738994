"""Roll-up: sums of tables 二–四, exact template mapping, blanks kept apart from zeros."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from typing import Any

import pytest

from gongkai.analysis.rollup import rollup
from gongkai.api import parse_file
from gongkai.model.report import Report
from gongkai.render.html import render_html

from conftest import golden_files, load, needs_shared, seed_for
from synthetic import synth_report

OTHER_2021 = ("other_no_correction", "other_unpaid_fee", "other_misc")
HAS_VALIDATE = importlib.util.find_spec("gongkai.validate") is not None


def total(values: list[Any]) -> Any:
    """Blank if any operand is blank, else the sum: the rule the roll-up promises."""
    return None if any(v is None for v in values) else sum(values)


def hand_sums(goldens: list[dict[str, Any]]) -> dict[str, Any]:
    """The expected roll-up of the golden files, computed here without gongkai.analysis.rollup.

    Table 3 goes to the 2019 shape (the goldens mix both), the 2021 （六） rows adding up to the
    single 2019 row; table 2 to the 2021 shape, where only 处理决定数量 means the same in both
    forms; table 4 is the same in both.
    """
    rows_2019 = next(g["table3"] for g in goldens if "other" in g["table3"])

    def t3_cell(g: dict[str, Any], key: str, col: int) -> Any:
        if key == "other" and "other" not in g["table3"]:
            return total([g["table3"][k][col] for k in OTHER_2021])
        return g["table3"][key][col]

    table3 = {
        key: [total([t3_cell(g, key, c) for g in goldens]) for c in range(7)] for key in rows_2019
    }
    table4 = {
        key: [total([g["table4"][key][c] for g in goldens]) for c in range(5)]
        for key in goldens[0]["table4"]
    }
    fields_2021 = next(g["table2"] for g in goldens if "issued" in g["table2"]["regulations"])
    table2 = {
        item: {
            f: total([g["table2"][item][f] for g in goldens]) if f == "decisions" else None
            for f in fields
        }
        for item, fields in fields_2021.items()
    }
    return {"table2": table2, "table3": table3, "table4": table4}


@pytest.fixture(scope="module")
def seeds() -> list[Path]:
    return [seed_for(g) for g in golden_files()]


@needs_shared
def test_rollup_of_the_seeds_equals_the_hand_sums(seeds: list[Path]) -> None:
    result = rollup([parse_file(p) for p in seeds], "某某县人民政府（汇总）")
    expected = hand_sums([load(g) for g in golden_files()])
    got = result.report
    assert {"table2": got.table2, "table3": got.table3, "table4": got.table4} == expected
    # Spot checks by hand: 5+0+0+5+536, 30+0+0+7+2393, 7+0+1+1+120.
    t2 = got.table2 or {}
    assert [t2[i]["decisions"] for i in ("licensing", "punishment", "coercion")] == [546, 2430, 129]
    assert (got.meta.templates.table2, got.meta.templates.table3) == ("2021", "2019")
    assert got.meta.agency == "某某县人民政府（汇总）"


@needs_shared
def test_rollup_lists_inputs_errors_and_excluded_cells(seeds: list[Path]) -> None:
    result = rollup([parse_file(p) for p in seeds], "某某县人民政府（汇总）")
    assert [i.file for i in result.inputs] == [str(p) for p in seeds]
    excluded = {e.cell: e for e in result.excluded}
    # 000 left its five 行政复议 cells blank; 003 its 自然人 cells of every outcome row.
    assert all("000_" in excluded[f"table4.review.{c}"].inputs[0] for c in range(5))
    blank_003 = excluded["table3.granted.0"]
    assert len(blank_003.inputs) == 1 and "003_" in blank_003.inputs[0]
    assert blank_003.partial_sum == 0 and "不按 0 计入" in blank_003.reason
    refused = excluded["table2.regulations.issued"]
    assert "2019 年格式" in refused.reason and len(refused.inputs) == 2
    assert len(result.excluded) == 7 + 5 + 19  # table 2 refused, 行政复议, 003's 自然人 column
    assert any("年度不一致" in note for note in result.notes)


@needs_shared
@pytest.mark.skipif(not HAS_VALIDATE, reason="the rule engine (gongkai.validate) is not there yet")
def test_rollup_names_the_inputs_with_errors(seeds: list[Path]) -> None:
    result = rollup([parse_file(p) for p in seeds], "某某县人民政府（汇总）")
    flagged = [i for i in result.inputs if i.errors]
    assert result.checked
    assert [Path(i.file or "").name[:3] for i in flagged] == ["000", "003"]
    assert result.inputs_with_errors == [i.name for i in flagged]


def two(t3a: str = "2021", t3b: str = "2021", **kwargs: Any) -> list[Report]:
    rng = random.Random(f"rollup-{t3a}-{t3b}")
    return [
        synth_report(rng, table2_template="2021", table3_template=t3, year=2021, **kwargs)  # type: ignore[arg-type]
        for t3 in (t3a, t3b)
    ]


def test_same_template_sums_every_cell() -> None:
    a, b = two()
    got = rollup([a, b], "合计").report
    for key, row in (got.table3 or {}).items():
        pairs = zip((a.table3 or {})[key], (b.table3 or {})[key], strict=True)
        assert row == [(x or 0) + (y or 0) for x, y in pairs]  # no blanks in these two
    assert got.meta.year == 2021 and got.meta.title == "合计2021年政府信息公开工作年度报告"


def test_2021_rows_fold_into_the_2019_shape_exactly() -> None:
    a, b = two("2021", "2019")
    got = rollup([a, b], "合计")
    t3a, t3b = a.table3 or {}, b.table3 or {}
    other = [sum(t3a[k][c] or 0 for k in OTHER_2021) + (t3b["other"][c] or 0) for c in range(7)]
    assert got.report.meta.templates.table3 == "2019"
    assert (got.report.table3 or {})["other"] == other
    assert not set(OTHER_2021) & set(got.report.table3 or {})
    assert any("表三格式不一" in note for note in got.notes)


def test_blank_operand_leaves_the_cell_blank_with_the_partial_sum() -> None:
    a, b = two()
    (a.table3 or {})["granted"][2] = None
    result = rollup([a, b], "合计")
    assert (result.report.table3 or {})["granted"][2] is None
    [cell] = [e for e in result.excluded if e.cell == "table3.granted.2"]
    assert cell.partial_sum == (b.table3 or {})["granted"][2]
    assert cell.inputs == [result.inputs[0].name]


def test_money_sums_exactly() -> None:
    a, b = two()
    (a.table2 or {})["fees"]["amount"], (b.table2 or {})["fees"]["amount"] = 0.1, 0.2
    assert (rollup([a, b], "合计").report.table2 or {})["fees"]["amount"] == 0.3


def test_missing_table_is_refused_not_zero() -> None:
    a, b = two()
    b.table4 = None
    result = rollup([a, b], "合计")
    assert result.report.table4 == {k: [None] * 5 for k in (a.table4 or {})}
    assert all(e.reason == "该报告缺少表四" for e in result.excluded if e.cell.startswith("table4"))


def test_result_renders_like_any_report() -> None:
    a, b = two()
    result = rollup([a, b], "某某县人民政府（汇总）")
    html = render_html(result.report)
    assert "某某县人民政府（汇总）2021年政府信息公开工作年度报告" in html
    assert "由 2 份报告汇总生成" in html
    assert result.to_json()["report"]["meta"]["agency"] == "某某县人民政府（汇总）"


def test_nothing_to_sum() -> None:
    with pytest.raises(ValueError, match="没有可汇总的报告"):
        rollup([], "合计")
