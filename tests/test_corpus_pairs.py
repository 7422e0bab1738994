"""Cross-year checks over the corpus, agency pairing, and review decisions that outlive re-parsing
and re-checking."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gongkai.analysis.identity import Ambiguity, Candidate, identities
from gongkai.corpus import check_corpus, ingest, review, show
from gongkai.corpus.pairs import consecutive_pairs
from gongkai.store import PairCandidate

from corpus_support import rows, synth

BROKEN_COLUMN = 2  # 科研机构


def _two_years(folder: Path, *, broken: bool, names: tuple[str, str] | None = None) -> Path:
    """Two consecutive years of one agency as text files; optionally a broken carry-over."""
    gen = synth()
    first, second = gen.series(random.Random(11), "彭阳县小岔乡人民政府", 2021, 2)
    if broken:
        gen.break_carry(second, BROKEN_COLUMN)
    folder.mkdir(parents=True, exist_ok=True)
    for report, name in zip((first, second), names or ("2021.txt", "2022.txt"), strict=True):
        (folder / name).write_text(gen.to_text(report), encoding="utf-8")
    return folder


def _findings(db: Path, code: str) -> list[tuple[object, ...]]:
    return rows(db, "SELECT report_id, prev_report_id, cells FROM findings WHERE code = ?", code)


def test_broken_carry_over_is_reported_on_its_column(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    ingest([_two_years(tmp_path / "in", broken=True)], db, jobs=1)
    summary = check_corpus(db)
    assert summary.pairs == 1
    found = _findings(db, "X_CARRY")
    locations = [c for _, _, cells in found for c in json.loads(str(cells))]
    flagged = {c[2] for c in locations if c[:2] == ["table3", "carried_over"]}
    # The broken column, and the 总计 column whose sum it changes; no other.
    assert flagged == {BROKEN_COLUMN, 6}
    (report_id, prev_id, _cells), *_ = found
    assert rows(
        db, "SELECT year FROM reports WHERE id IN (?, ?) ORDER BY id", prev_id, report_id
    ) == [
        (2021,),
        (2022,),
    ]


def test_consistent_years_give_no_carry_finding(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    ingest([_two_years(tmp_path / "in", broken=False)], db, jobs=1)
    assert check_corpus(db).pairs == 1
    assert _findings(db, "X_CARRY") == []


def test_rechecking_replaces_cross_year_findings(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    ingest([_two_years(tmp_path / "in", broken=True)], db, jobs=1)
    check_corpus(db)
    first = rows(db, "SELECT count(*) FROM findings")
    check_corpus(db, recheck=True)
    assert rows(db, "SELECT count(*) FROM findings") == first


def test_review_decision_survives_reparse_and_recheck(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    folder = _two_years(tmp_path / "in", broken=True)
    ingest([folder], db, jobs=1)
    check_corpus(db)
    report_id = int(str(_findings(db, "X_CARRY")[0][0]))
    prints = review(
        report_id, "X_CARRY", "dismiss", db, note="机构调整，上年数据口径不同", who="张三"
    )
    assert len(prints) == 2  # the two flagged columns

    ingest([folder], db, jobs=1, force=True)  # re-parse: findings are rebuilt from scratch
    assert _findings(db, "X_CARRY") == []  # cross-year findings wait for the next check
    check_corpus(db, recheck=True)
    decided = [f for f in show(report_id, db).findings if f.code == "X_CARRY"]
    assert len(decided) == 2
    assert {(f.decision, f.note, f.who) for f in decided} == {
        ("dismiss", "机构调整，上年数据口径不同", "张三")
    }
    # A later decision replaces the earlier one.
    review(report_id, "X_CARRY", "confirm", db, fingerprint=prints[0][:8])
    decisions = {
        f.fingerprint: f.decision for f in show(report_id, db).findings if f.code == "X_CARRY"
    }
    assert decisions[prints[0]] == "confirm" and decisions[prints[1]] == "dismiss"


def test_review_of_an_absent_code_is_a_user_error(tmp_path: Path) -> None:
    from gongkai.errors import GongkaiError

    db = tmp_path / "c.sqlite"
    ingest([_two_years(tmp_path / "in", broken=False)], db, jobs=1)
    with pytest.raises(GongkaiError, match="X_CARRY"):
        review(1, "X_CARRY", "dismiss", db)


def _cand(id_: int, key: str | None, year: int, unit: int | None = None) -> Candidate:
    return Candidate(id_, f"sha{id_}", key, unit, year, f"values{id_}")


def _pairs(cands: list[Candidate]) -> list[tuple[int, int]]:
    identity, _ = identities(cands)
    counted = [PairCandidate(c.id, c.sha256, identity[c.id], c.year) for c in cands]
    return sorted((a.id, b.id) for a, b in consecutive_pairs(counted))


def test_pairing_joins_abbreviated_names_and_prefers_units() -> None:
    pairs = _pairs(
        [
            _cand(1, "宁夏回族自治区中宁县新堡镇政府", 2021),
            _cand(2, "新堡镇政府", 2022),  # the only longer name it abbreviates
            _cand(3, "中宁县新堡镇政府", 2023),
            _cand(4, "朝阳区政府", 2021, unit=9),
            _cand(5, "北京市朝阳区政府", 2022, unit=9),  # same unit, different spelling
            _cand(6, "甲县政府", 2020),
            _cand(7, "甲县政府", 2022),  # 2021 missing: no pair across the gap
        ]
    )
    assert pairs == [(1, 2), (2, 3), (4, 5)]


def test_a_name_that_may_be_two_agencies_is_reported_with_its_candidates() -> None:
    cands = [
        _cand(1, "中宁县新堡镇政府", 2021),
        _cand(2, "沙坡头区新堡镇政府", 2021),
        _cand(3, "新堡镇政府", 2022),  # which 新堡镇? Not paired with either.
    ]
    identity, ambiguous = identities(cands)
    assert ambiguous == [Ambiguity("新堡镇政府", ("中宁县新堡镇政府", "沙坡头区新堡镇政府"))]
    assert identity[3] == "name:新堡镇政府" and _pairs(cands) == []


def test_review_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corpus_support import corpus_app

    db = tmp_path / "c.sqlite"
    ingest([_two_years(tmp_path / "in", broken=True)], db, jobs=1)
    check_corpus(db)
    report_id = str(_findings(db, "X_CARRY")[0][0])
    runner, app = CliRunner(), corpus_app()
    args = ["review", report_id, "X_CARRY", "--dismiss", "--note", "已核实", "--who", "李四"]
    assert runner.invoke(app, [*args, "--db", str(db)]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["show", report_id, "--json", "--db", str(db)]).output)
    carry = [f for f in shown["findings"] if f["code"] == "X_CARRY"]
    assert carry and all((f["decision"], f["who"]) == ("dismiss", "李四") for f in carry)
    assert runner.invoke(app, ["review", report_id, "X_CARRY", "--db", str(db)]).exit_code == 2


def test_rules_skipped_at_ingest_run_in_check_corpus(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    ingest([_two_years(tmp_path / "in", broken=True)], db, jobs=1, check=False)
    assert rows(db, "SELECT count(*), sum(checked) FROM reports") == [(2, 0)]
    summary = check_corpus(db)
    assert (summary.reports_checked, summary.pairs) == (2, 1)
    assert rows(db, "SELECT sum(checked) FROM reports") == [(2,)]
    assert check_corpus(db).reports_checked == 0  # nothing left to check
    assert _findings(db, "X_CARRY")
