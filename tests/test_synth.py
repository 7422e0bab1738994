"""The synthetic corpora (bench/synth.py over bench/synthetic.py): their reports keep the form's arithmetic
and chain across years, and the text reader parses them back to exactly the generated values."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest

from gongkai.api import parse_file
from gongkai.model.keys import T3_OUTCOME_KEYS

from corpus_support import synth
from synthetic import synth_report

REPORTS = list(synth().corpus(120, seed=9, years=4))


def _consistent(report: Any) -> None:
    t3, template = report.table3, report.meta.templates.table3
    for col in range(7):
        assert (
            t3["received"][col] + t3["carried_over"][col]
            == t3["total"][col] + t3["carried_forward"][col]
        )
        assert t3["total"][col] == sum(t3[k][col] for k in T3_OUTCOME_KEYS[template])
    for values in t3.values():
        assert values[6] == sum(values[:6])
    for values in report.table4.values():
        assert values[4] == sum(values[:4])


@pytest.mark.parametrize("index", range(0, len(REPORTS), 7))
def test_generated_report_parses_back_exactly(tmp_path: Path, index: int) -> None:
    report = REPORTS[index]
    _consistent(report)
    path = tmp_path / "r.txt"
    path.write_text(synth().to_text(report), encoding="utf-8")
    parsed = parse_file(path)
    assert (parsed.meta.agency, parsed.meta.year) == (report.agency, report.year)
    assert parsed.meta.templates.table2 == parsed.meta.templates.table3 == report.template
    assert parsed.table2 == report.table2
    assert parsed.table3 == report.table3
    assert parsed.table4 == report.table4
    assert [s.no for s in parsed.sections] == [1, 2, 3, 4, 5, 6]
    assert parsed.anomalies == []


def test_whole_corpus_parses_back_exactly(tmp_path: Path) -> None:
    paths = synth().write_corpus(tmp_path, 60, seed=4, years=3)
    for path, report in zip(paths, synth().corpus(60, seed=4, years=3), strict=True):
        parsed = parse_file(path)
        assert (parsed.table2, parsed.table3, parsed.table4) == (
            report.table2,
            report.table3,
            report.table4,
        )


def test_consecutive_years_chain() -> None:
    gen = synth()
    reports = gen.series(random.Random(3), "泾源县人民政府", 2019, 5)
    assert [r.template for r in reports] == ["2019", "2019", "2021", "2021", "2021"]
    for prev, cur in itertools.pairwise(reports):
        assert cur.table3["carried_over"] == prev.table3["carried_forward"]
        if prev.template == cur.template == "2021":
            for item in ("regulations", "normative_documents"):
                t2, p2 = cur.table2[item], prev.table2[item]
                assert t2["in_force"] == p2["in_force"] + t2["issued"] - t2["repealed"]
        if prev.template == cur.template == "2019":
            for item in ("licensing", "punishment", "fees"):
                assert (
                    cur.table2[item]["prior_items"]
                    == prev.table2[item]["prior_items"] + prev.table2[item]["change"]
                )


def test_generated_reports_pass_the_rules(tmp_path: Path) -> None:
    validate = pytest.importorskip("gongkai.validate")
    path = tmp_path / "r.txt"
    for report in REPORTS[:20]:
        path.write_text(synth().to_text(report), encoding="utf-8")
        findings = validate.check(parse_file(path))
        assert [f for f in findings if f.severity != "info"] == [], report.agency


def test_broken_carry_keeps_the_year_consistent() -> None:
    report = synth_report(random.Random(1), agency="某镇人民政府", year=2022)
    synth().break_carry(report, 3)
    _consistent(report)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_html_and_docx_corpora_parse_back_exactly(tmp_path: Path, fmt: str) -> None:
    pytest.importorskip("docx" if fmt == "docx" else "jinja2")
    paths = synth().write_corpus(tmp_path, 6, seed=8, years=2, fmt=fmt)
    for path, report in zip(paths, synth().corpus(6, seed=8, years=2), strict=True):
        parsed = parse_file(path)
        assert (parsed.meta.agency, parsed.meta.year) == (report.agency, report.year)
        assert (parsed.table2, parsed.table3, parsed.table4) == (
            report.table2,
            report.table3,
            report.table4,
        )


def test_mixed_format_corpus_ingests(tmp_path: Path) -> None:
    from gongkai.corpus import ingest

    pytest.importorskip("docx")
    for fmt in ("txt", "html", "docx"):
        synth().write_corpus(tmp_path / "in" / fmt, 4, seed=12, years=2, fmt=fmt)
    summary = ingest([tmp_path / "in"], tmp_path / "c.sqlite", jobs=2)
    # The same reports in three formats: three distinct files each, all parsed.
    assert (summary.added, summary.failed) == (12, [])
