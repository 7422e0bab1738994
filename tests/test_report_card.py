"""体检报告: an agency's findings, its figures year by year and its place among its peers, each
checked against values computed here from the generated reports, not by gongkai.corpus.report_card."""

from __future__ import annotations

import io
import random
import statistics
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.corpus import check_corpus, ingest, review
from gongkai.corpus.report_card import ReportCard, report_card
from gongkai.model.report import Report
from gongkai.render.report_card import render_card_docx, render_card_html

from corpus_support import rows, synth
from synthetic import township_agencies

YEARS = (2022, 2023)
COUNTY = "彭阳县人民政府"  # another level (县): never among the townships' peers


def _n(value: Any) -> float:
    assert value is not None  # generated reports have no blanks unless asked for
    return float(value)


def _received(r: Report) -> float:
    return _n((r.table3 or {})["received"][6])


def _disclosure(r: Report) -> float | None:
    t3 = r.table3 or {}
    total = _n(t3["total"][6])
    return (_n(t3["granted"][6]) + _n(t3["partial"][6])) / total if total else None


def _correction(r: Report) -> float | None:
    t4 = r.table4 or {}
    groups = ("review", "litigation_direct", "litigation_after_review")
    total = sum(_n(t4[g][4]) for g in groups)
    return sum(_n(t4[g][1]) for g in groups) / total if total else None


class Corpus:
    """Five townships and one county, two years each, as text files ingested into a database."""

    def __init__(self, folder: Path) -> None:
        gen, rng = synth(), random.Random(23)
        self.names = [*township_agencies(rng, 5), COUNTY]
        self.reports = {n: gen.series(rng, n, YEARS[0], 2) for n in self.names}
        gen.break_carry(self.reports[self.target][1], column=0)  # an X_CARRY finding
        folder.mkdir()
        for i, series in enumerate(self.reports.values()):
            for report in series:
                (folder / f"{i}_{report.year}.txt").write_text(gen.to_text(report), "utf-8")
        self.db = folder.parent / "c.sqlite"
        ingest([folder], self.db, jobs=1)
        check_corpus(self.db)

    @property
    def target(self) -> str:
        return self.names[0]

    def report_id(self, year: int) -> int:
        sql = "SELECT id FROM reports WHERE agency = ? AND year = ?"
        return int(str(rows(self.db, sql, self.target, year)[0][0]))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    made = Corpus(tmp_path_factory.mktemp("card") / "in")
    review(made.report_id(YEARS[1]), "X_CARRY", "dismiss", made.db, note="已核实")
    return made


@pytest.fixture(scope="module")
def card(corpus: Corpus) -> ReportCard:
    return report_card(corpus.target, corpus.db)


def test_both_years_figures_are_the_tables_cells(corpus: Corpus, card: ReportCard) -> None:
    assert card.agency == corpus.target
    assert card.year == YEARS[1]  # the latest year by default
    assert [y.year for y in card.years] == list(YEARS)
    for figures, report in zip(card.years, corpus.reports[corpus.target], strict=True):
        t3, t4 = report.table3 or {}, report.table4 or {}
        assert figures.received == t3["received"][6]
        assert figures.handled == t3["total"][6]
        assert figures.carried_forward == t3["carried_forward"][6]
        assert figures.review_total == t4["review"][4]
        assert figures.litigation_total == (
            t4["litigation_direct"][4] + t4["litigation_after_review"][4]
        )
        assert figures.disclosure_rate == pytest.approx(_disclosure(report))
        assert figures.correction_rate == pytest.approx(_correction(report))


def test_findings_carry_plain_words_and_the_review(card: ReportCard) -> None:
    carry = [f for f in card.findings if f.code == "X_CARRY"]
    assert carry
    assert all(f.decision == "已排除" and f.note == "已核实" for f in carry)
    assert "上年结转" in carry[0].plain
    assert card.findings[-1].decision == "已排除"  # cleared findings go last


def _percentile(value: float, values: list[float]) -> float:
    below = len([v for v in values if v < value])
    return 100 * (below + values.count(value) / 2) / len(values)


def test_peers_are_same_level_agencies_of_the_year(corpus: Corpus, card: ReportCard) -> None:
    peers = [s[1] for n, s in corpus.reports.items() if n != COUNTY]
    own = corpus.reports[corpus.target][1]
    assert card.level == "乡"
    for standing, pick in zip(card.peers, (_received, _disclosure, _correction), strict=True):
        values = [v for v in map(pick, peers) if v is not None]
        q1, median, q3 = statistics.quantiles(values, n=4)
        assert standing.peers == len(values) == len(peers)
        assert (standing.q1, standing.median, standing.q3) == pytest.approx((q1, median, q3))
        assert standing.value == pytest.approx(pick(own))
        assert standing.percentile == pytest.approx(_percentile(_n(pick(own)), values))


def test_an_earlier_year_can_be_asked_for(corpus: Corpus) -> None:
    earlier = report_card(corpus.target, corpus.db, year=YEARS[0])
    assert earlier.year == YEARS[0]
    assert earlier.current.received == _received(corpus.reports[corpus.target][0])
    assert not [f for f in earlier.findings if f.code == "X_CARRY"]


def test_html_names_the_agency_and_prints_the_figures(corpus: Corpus, card: ReportCard) -> None:
    html = render_card_html(card)
    assert corpus.target in html
    for report in corpus.reports[corpus.target]:
        assert f"<td>{_received(report):.0f}</td>" in html
        assert f"<td>{(_disclosure(report) or 0) * 100:.1f}%</td>" in html
    assert "中位数" in html and "已排除" in html


def test_docx_opens_and_is_a4(corpus: Corpus, card: ReportCard) -> None:
    document = docx.Document(io.BytesIO(render_card_docx(card)))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text = "\n".join(p.text for p in document.paragraphs)
    assert corpus.target in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert f"{_received(corpus.reports[corpus.target][1]):.0f}" in cells


def test_cli_writes_the_card(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "card.docx"
    args = ["report-card", corpus.target, "--db", str(corpus.db), "--to", "docx", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert corpus.target in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)


@pytest.mark.parametrize(("agency", "said"), [("不存在的机关", "没有"), ("人民政府", "请写全称")])
def test_cli_refuses_an_unknown_or_ambiguous_agency(corpus: Corpus, agency: str, said: str) -> None:
    result = CliRunner().invoke(app, ["report-card", agency, "--db", str(corpus.db)])
    assert result.exit_code == 2
    assert said in result.output
