"""Units: a hierarchy imported from CSV or XLSX, reports attached by name, roll-ups down the tree."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.corpus import attach_unit, import_units, ingest, list_reports, rollup
from gongkai.store import Filters

from corpus_support import corpus_app, rows, synth
from synthetic import synth_report

UNITS = [
    ("名称", "级别", "上级", "区划代码", "曾用名"),
    ("中卫市", "市", "", "640500", ""),
    ("中宁县人民政府", "县", "中卫市", "640521", ""),
    ("新堡镇", "乡", "中宁县人民政府", "", ""),
    ("石空镇", "乡", "中宁县人民政府", "", "石空乡"),
    ("财政局", "部门", "中宁县人民政府", "", ""),
    ("沙坡头区", "县", "中卫市", "640502", "中卫县"),
]
# (agency as the report writes it, year, requests received in the 总计 column)
REPORTS = [
    ("中宁县新堡镇人民政府", 2021),
    ("中宁县新堡镇人民政府", 2022),
    ("中宁县石空乡人民政府", 2021),  # the old name, listed as an alias
    ("中宁县财政局", 2022),  # a department listed by its short name under the county
    ("中卫县人民政府", 2021),  # the pre-rename name of 沙坡头区
    ("中宁县人民政府", 2022),  # the county government itself
    ("白璧镇人民政府", 2021),  # in no unit
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    gen, rng, folder = synth(), random.Random(5), tmp_path / "in"
    folder.mkdir()
    for i, (agency, year) in enumerate(REPORTS):
        report = synth_report(rng, agency=agency, year=year)
        (folder / f"{i}.txt").write_text(gen.to_text(report), encoding="utf-8")
    db = tmp_path / "c.sqlite"
    ingest([folder], db, jobs=1)
    return db


def _received(db: Path, *agencies: str) -> float:
    marks = ",".join("?" * len(agencies))
    (total,) = rows(
        db,
        "SELECT coalesce(sum(c.value), 0) FROM cells c JOIN reports r ON r.id = c.report_id"
        " WHERE c.tbl = 'table3' AND c.row_key = 'received' AND c.col_key = '6'"
        f" AND r.agency IN ({marks})",
        *agencies,
    )[0]
    return float(str(total))


def _write_csv(path: Path) -> Path:
    path.write_text("\n".join(",".join(r) for r in UNITS) + "\n", encoding="gb18030")
    return path


def test_csv_units_attach_reports_and_roll_up(corpus: Path, tmp_path: Path) -> None:
    assert import_units(_write_csv(tmp_path / "units.csv"), corpus) == len(UNITS) - 1
    linked = rows(
        corpus,
        "SELECT r.agency, u.name FROM report_units ru JOIN reports r ON r.id = ru.report_id JOIN units u ON u.id = ru.unit_id ORDER BY r.id",
    )
    assert sorted(set(linked)) == sorted({
        ("中宁县新堡镇人民政府", "新堡镇"), ("中宁县石空乡人民政府", "石空镇"),
        ("中宁县财政局", "财政局"), ("中卫县人民政府", "沙坡头区"),
        ("中宁县人民政府", "中宁县人民政府"),
    })  # fmt: skip
    top = {r.name: r for r in rollup("中卫市", corpus)}
    assert top["中宁县人民政府"].reports == 5
    assert top["沙坡头区"].reports == 1
    assert top["中卫市（本级）"].reports == 0
    county = _received(
        corpus, "中宁县新堡镇人民政府", "中宁县石空乡人民政府", "中宁县财政局", "中宁县人民政府"
    )
    assert top["中宁县人民政府"].received == county
    by_year = {r.name: r.reports for r in rollup("中宁县人民政府", corpus, year=2022)}
    assert by_year == {"中宁县人民政府（本级）": 1, "新堡镇": 1, "石空镇": 0, "财政局": 1}
    total, _ = list_reports(corpus, Filters(unit="中卫市"))
    assert total == 6


def test_xlsx_units_and_manual_attach(corpus: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in UNITS:
        sheet.append([640500 if cell == "640500" else cell for cell in row])
    book.save(tmp_path / "units.xlsx")
    import_units(tmp_path / "units.xlsx", corpus)
    assert rows(corpus, "SELECT region_code FROM units WHERE name = '中卫市'") == [("640500",)]
    (orphan,) = rows(corpus, "SELECT id FROM reports WHERE agency = '白璧镇人民政府'")
    attach_unit(int(str(orphan[0])), "石空镇", corpus)
    import_units(tmp_path / "units.xlsx", corpus)  # re-import keeps manual links, adds no units
    assert rows(corpus, "SELECT count(*) FROM units") == [(len(UNITS) - 1,)]
    manual = "SELECT unit_id FROM report_units WHERE report_id = ? AND how = 'manual'"
    assert rows(corpus, manual, orphan[0])  # the re-import kept the hand-made link
    # 石空镇 now has two different reports for 2021: two editions, counted once in the roll-up.
    assert {r.name: r.reports for r in rollup("中宁县人民政府", corpus)}["石空镇"] == 1
    editions = "SELECT count(*), sum(current) FROM reports WHERE year = 2021 AND identity = ?"
    (unit_id,) = rows(corpus, "SELECT id FROM units WHERE name = '石空镇'")
    assert rows(corpus, editions, f"unit:{unit_id[0]}") == [(2, 1)]


def test_units_cli(corpus: Path, tmp_path: Path) -> None:
    runner, app = CliRunner(), corpus_app()
    result = runner.invoke(
        app, ["units", "import", str(_write_csv(tmp_path / "u.csv")), "--db", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["units", "rollup", "中卫市", "--db", str(corpus)])
    assert result.exit_code == 0 and "中宁县人民政府" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,级别\n某局,科级\n", encoding="utf-8")
    result = runner.invoke(app, ["units", "import", str(bad), "--db", str(corpus)])
    assert result.exit_code == 2 and "级别" in result.output
