"""`gongkai rollup --db DB --where …`: the reports a corpus query selects, summed exactly as
`rollup()` sums the same reports read from their files."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gongkai.analysis.rollup import rollup
from gongkai.api import parse_file
from gongkai.cli import app
from gongkai.cli.documents import parse_where
from gongkai.corpus import ingest
from gongkai.store import Filters

from conftest import SEEDS_DIR, needs_shared
from corpus_support import synth
from synthetic import township_agencies

NAME = "某某县人民政府（汇总）"


def _rollup_db(db: Path, where: str, out: Path) -> Any:
    args = ["rollup", "--db", str(db), "--where", where, "--as", NAME, "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text("utf-8"))


@needs_shared
def test_seeds_of_a_year_match_the_rollup_of_their_files(tmp_path: Path) -> None:
    db = tmp_path / "seeds.sqlite"
    ingest([SEEDS_DIR], db, jobs=1)
    files = [p for p in sorted(SEEDS_DIR.glob("*.txt")) if parse_file(p).meta.year == 2021]
    assert len(files) == 2  # seeds 000 and 003
    expected = rollup([parse_file(p) for p in files], NAME).to_json()
    assert _rollup_db(db, "year=2021", tmp_path / "r.json") == expected


def test_a_where_clause_selects_one_agency_and_year(tmp_path: Path) -> None:
    gen, rng = synth(), random.Random(3)
    folder = tmp_path / "in"
    folder.mkdir()
    names = township_agencies(rng, 3)
    for i, name in enumerate(names):
        for report in gen.series(rng, name, 2022, 2):
            (folder / f"{i}_{report.year}.txt").write_text(gen.to_text(report), encoding="utf-8")
    picked = [folder / "1_2023.txt"]
    agency = names[1]
    db = tmp_path / "c.sqlite"
    ingest([folder], db, jobs=1)
    expected = rollup([parse_file(p) for p in picked], NAME).to_json()
    where = f"year=2023，agency={agency}"  # a full-width comma separates too
    assert _rollup_db(db, where, tmp_path / "r.json") == expected


def test_where_maps_onto_the_store_filters() -> None:
    assert parse_where("year=2024, agency=财政局,region=中宁县,unit=中宁县") == Filters(
        year=2024, agency="财政局", region="中宁县", unit="中宁县"
    )
    assert parse_where("") == Filters()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--db", "x.sqlite", "--where", "yr=2024"], "键可用"),
        (["--db", "x.sqlite", "--where", "year=二〇二四"], "年度应为数字"),
        (["a.txt", "--db", "x.sqlite"], "二者之一"),
        ([], "二者之一"),
        (["a.txt", "--where", "year=2024"], "只能与 --db 合用"),
    ],
)
def test_bad_invocations_exit_2_with_a_chinese_reason(args: list[str], said: str) -> None:
    result = CliRunner().invoke(app, ["rollup", *args, "--as", NAME])
    assert result.exit_code == 2
    assert said in result.output


def test_an_empty_selection_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    folder = tmp_path / "in"
    folder.mkdir()
    ingest([folder], db, jobs=1)
    result = CliRunner().invoke(
        app, ["rollup", "--db", str(db), "--where", "year=2030", "--as", NAME]
    )
    assert result.exit_code == 2
    assert "没有符合条件" in result.output
