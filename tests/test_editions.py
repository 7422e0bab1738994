"""Each report counted once (issue 12): the same file twice, the same report as text and HTML, and
corrected editions of an agency-year; one agency identity for pairing and report cards; roll-ups
that count an input once."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.corpus import (
    check_corpus,
    choose_edition,
    export,
    import_units,
    ingest,
    rollup,
    show,
    stats,
)
from gongkai.corpus.report_card import report_card
from gongkai.store import Filters

from conftest import SEEDS_DIR, SHARED, needs_shared
from corpus_support import rows

pytestmark = needs_shared
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "generated"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
REAL = SHARED / "real"
runner = CliRunner()


def _seed(prefix: str) -> Path:
    return next(SEEDS_DIR.glob(prefix + "_*"))


def _edited_copy(folder: Path, source: Path, old: str, new: str) -> Path:
    """Another edition: the same report with one value changed."""
    text = source.read_text("utf-8")
    assert text.count(old) == 1, old
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"更正版-{source.name}"
    out.write_text(text.replace(old, new), "utf-8")
    return out


# The 004 seed's 本年新收 row, total column: changed in the corrected copy.
_004_RECEIVED = "一、本年新收政府信息公开申请数量\t\t6\t0\t0\t0\t0\t0\t6"


def _units(folder: Path) -> Path:
    """One parent over the five seed agencies."""
    lines = ["名称,级别,上级", "测试市人民政府,市,"]
    lines += [
        f"{name},{level},测试市人民政府"
        for name, level in (
            ("中宁县新堡镇人民政府", "乡"),
            ("彭阳县小岔乡人民政府", "乡"),
            ("沙坡头区文昌镇人民政府", "乡"),
            ("白璧镇人民政府", "乡"),
            ("泾源县人民政府", "县"),
        )
    ]
    path = folder / "units.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _totals(db: Path, tmp_path: Path) -> dict[str, object]:
    """What a user counts: statistics, the unit roll-up, the export."""
    import_units(_units(tmp_path), db)
    summary = stats(db)
    out = tmp_path / f"{db.stem}.csv"
    exported = export(out, "csv", db)
    with out.open(encoding="utf-8-sig") as f:
        records = list(csv.DictReader(f))
    keys = sorted((r["agency"], r["year"]) for r in records)
    return {
        "reports": summary.reports,
        "requests": summary.requests_by_year,
        "outcomes": summary.outcomes,
        "rollup": [(r.name, r.reports, r.received) for r in rollup("测试市人民政府", db)],
        "exported": exported,
        "export_keys": keys,
    }


def test_text_html_and_an_edited_copy_count_as_the_seeds_alone(tmp_path: Path) -> None:
    alone = tmp_path / "alone.sqlite"
    ingest(SEEDS, alone, jobs=1)
    mixed = tmp_path / "mixed.sqlite"
    htmls = [FIXTURES / f"{p.stem}.html" for p in SEEDS]
    assert all(p.is_file() for p in htmls)
    edited = _edited_copy(
        tmp_path / "in", _seed("004"), _004_RECEIVED, _004_RECEIVED.replace("6", "7")
    )
    ingest([*SEEDS, *htmls, edited], mixed, jobs=1)
    assert rows(mixed, "SELECT count(*) FROM reports") == [(11,)]
    assert _totals(mixed, tmp_path) == _totals(alone, tmp_path)
    # The HTML of each seed is the same edition (same agency, year, values) as its text.
    (jingyuan,) = rows(mixed, "SELECT id FROM reports WHERE source_path = ?", str(_seed("004")))
    detail = show(int(str(jingyuan[0])), mixed)
    assert detail.row["current"] == 1 and len(detail.editions) == 3
    kinds = {(e.current, e.same_values) for e in detail.editions}
    assert kinds == {(True, True), (False, True), (False, False)}
    corrected = next(e for e in detail.editions if not e.same_values)
    assert corrected.differs == 2  # 本年新收 自然人 and 总计


def test_the_same_file_at_two_paths_is_one_report_with_both_paths(tmp_path: Path) -> None:
    copy = tmp_path / "copy" / _seed("001").name
    copy.parent.mkdir()
    shutil.copy(_seed("001"), copy)
    db = tmp_path / "c.sqlite"
    ingest([_seed("001"), copy], db, jobs=1)
    assert rows(db, "SELECT count(*) FROM reports") == [(1,)]
    assert show(1, db).paths == sorted([str(_seed("001")), str(copy)])


def test_equal_values_alone_do_not_make_two_agencies_one(tmp_path: Path) -> None:
    """Two agencies' all-zero reports of one year are two reports, both counted."""
    first = _seed("001")  # 彭阳县小岔乡人民政府 2022
    other = tmp_path / "other.txt"
    other.write_text(first.read_text("utf-8").replace("小岔乡", "王洼镇"), "utf-8")
    db = tmp_path / "c.sqlite"
    ingest([first, other], db, jobs=1)
    assert rows(db, "SELECT count(*) FROM reports WHERE current = 1") == [(2,)]


def _signed_copy(folder: Path, day: str, change: tuple[int, str] | None = None) -> Path:
    """Real report 201 (signed 2025年1月10日), re-signed on `day`; `change` replaces one line."""
    lines = (REAL / "201.html").read_text("utf-8").split("\n")
    if change is not None:
        lines[change[0]] = change[1]
    text = "\n".join(lines)
    assert text.count("2025年1月10日") == 1
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"201-{day}.html"
    out.write_text(text.replace("2025年1月10日", day), "utf-8")
    return out


def _received_changed(path: Path) -> tuple[int, str]:
    """The line of 201's table-3 本年新收 自然人 cell (its `<p>`), with another number."""
    from gongkai.api import parse_file

    where = parse_file(path).provenance["table3.received.0"]
    assert where.line is not None
    line = path.read_text("utf-8").split("\n")[where.line]  # the line after the <td>
    assert line.count(f">{where.raw}<") == 1
    return where.line, line.replace(f">{where.raw}<", f">{int(where.raw) + 1}<")


def test_the_later_signed_edition_counts_and_a_choice_survives_reingest(tmp_path: Path) -> None:
    original = REAL / "201.html"
    corrected = _signed_copy(tmp_path / "in", "2025年1月20日", _received_changed(original))
    db = tmp_path / "c.sqlite"
    ingest([original, corrected], db, jobs=1)
    counted = "SELECT source_path FROM reports WHERE current = 1"
    assert rows(db, counted) == [(str(corrected),)]  # signed later: the corrected edition
    (first,) = rows(db, "SELECT id FROM reports WHERE source_path = ?", str(original))
    choose_edition(int(str(first[0])), db, who="张三", note="更正版有误")
    assert rows(db, counted) == [(str(original),)]
    ingest([original, corrected], db, jobs=1, force=True)  # parsed again: the choice stays
    assert rows(db, counted) == [(str(original),)]
    assert rows(db, "SELECT who, note FROM edition_choices") == [("张三", "更正版有误")]


def test_undated_editions_keep_the_first_received_and_say_undecided(tmp_path: Path) -> None:
    edited = _edited_copy(
        tmp_path / "in", _seed("004"), _004_RECEIVED, _004_RECEIVED.replace("6", "7")
    )
    db = tmp_path / "c.sqlite"
    ingest([_seed("004")], db, jobs=1)
    ingest([edited], db, jobs=1)
    assert rows(db, "SELECT source_path, current, undecided FROM reports ORDER BY id") == [
        (str(_seed("004")), 1, 1),
        (str(edited), 0, 1),
    ]


def test_cross_year_pairs_and_report_card_use_the_counted_editions(tmp_path: Path) -> None:
    """泾源县人民政府 2019 and 2020, and a corrected 2020 edition: one pair, of the counted
    report; the report card's history is the same two years."""
    source = _seed("004")
    last_year = tmp_path / "in" / "jingyuan-2019.txt"
    last_year.parent.mkdir(parents=True)
    last_year.write_text(source.read_text("utf-8").replace("2020", "2019"), "utf-8")
    edited = _edited_copy(tmp_path / "in", source, _004_RECEIVED, _004_RECEIVED.replace("6", "7"))
    db = tmp_path / "c.sqlite"
    ingest([last_year, source, edited], db, jobs=1)
    summary = check_corpus(db)
    assert summary.pairs == 1
    (counted,) = rows(db, "SELECT id FROM reports WHERE year = 2020 AND current = 1")
    pair = rows(db, "SELECT DISTINCT report_id FROM findings WHERE origin = 'pair'")
    assert pair == [counted]
    card = report_card("泾源县人民政府", db)
    assert [y.year for y in card.years] == [2019, 2020]


# Roll-up -----------------------------------------------------------------------------------------


def _rollup_json(*files: Path) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["rollup", "--as", "某县（汇总）", *map(str, files)])
    return result.exit_code, json.loads(result.stdout)


def test_rollup_of_the_same_report_twice_counts_it_once_with_a_note() -> None:
    code_once, once = _rollup_json(_seed("000"), _seed("001"))
    code_twice, twice = _rollup_json(_seed("000"), _seed("001"), _seed("000"))
    assert code_once == code_twice == 0
    assert twice["report"] == once["report"]
    assert any("同一文件" in note for note in twice["notes"])  # type: ignore[union-attr]


def test_rollup_counts_a_report_and_its_html_once() -> None:
    code, result = _rollup_json(_seed("000"), FIXTURES / f"{_seed('000').stem}.html")
    _, alone = _rollup_json(_seed("000"))
    assert code == 0 and result["report"] == alone["report"]
    assert any("同一份报告" in note for note in result["notes"])  # type: ignore[union-attr]


def test_rollup_lists_an_unreadable_input_and_compiles_the_others(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    result = runner.invoke(app, ["rollup", "--as", "某县（汇总）", str(_seed("000")), str(broken)])
    assert result.exit_code == 2
    assert str(broken) in result.stderr
    _, alone = _rollup_json(_seed("000"))
    assert json.loads(result.stdout)["report"] == alone["report"]


@pytest.mark.parametrize("editions", [False, True])
def test_ls_counts_each_report_once_unless_asked_for_every_edition(
    tmp_path: Path, editions: bool
) -> None:
    db = tmp_path / "c.sqlite"
    ingest([_seed("004"), FIXTURES / f"{_seed('004').stem}.html"], db, jobs=1)
    from gongkai.corpus import list_reports

    total, _ = list_reports(db, Filters(editions=editions))
    assert total == (2 if editions else 1)


def test_check_corpus_names_an_agency_that_may_be_two(tmp_path: Path) -> None:
    """新堡镇人民政府 may be 中宁县's or 沙坡头区's: reported with both, paired with neither."""
    text = _seed("000").read_text("utf-8")  # 中宁县新堡镇人民政府 2021
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "b.txt").write_text(text.replace("中宁县新堡镇", "沙坡头区新堡镇"), "utf-8")
    (folder / "c.txt").write_text(
        text.replace("中宁县新堡镇", "新堡镇").replace("2021", "2022"), "utf-8"
    )
    db = tmp_path / "c.sqlite"
    ingest([folder], db, jobs=1)
    result = runner.invoke(app, ["check", "--corpus", "--db", str(db)])
    assert result.exit_code == 0, result.stdout
    assert "机关不明" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "机关不明" in x)
    assert "中宁县新堡镇政府" in line and "沙坡头区新堡镇政府" in line
    assert check_corpus(db).pairs == 0


def test_ls_piped_names_an_agency_once_though_the_corpus_holds_it_twice(tmp_path: Path) -> None:
    """The acceptance line `gongkai ls --db DB | grep -c 泾源县人民政府` is 1, with the seed held as
    text and as HTML; `--editions` shows both, `edition ID` lists them."""
    import subprocess
    import sys

    db = tmp_path / "c.sqlite"
    ingest([*SEEDS, *(FIXTURES / f"{p.stem}.html" for p in SEEDS)], db, jobs=1)
    command = [sys.executable, "-m", "gongkai", "ls", "--db", str(db)]
    piped = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    assert sum("泾源县人民政府" in line for line in piped.stdout.splitlines()) == 1
    every = subprocess.run(
        [*command, "--editions"], capture_output=True, text=True, timeout=120, check=True
    )
    assert sum("泾源县人民政府" in line for line in every.stdout.splitlines()) == 2
    (rid,) = rows(db, "SELECT id FROM reports WHERE source_path = ?", str(_seed("004")))
    listed = runner.invoke(app, ["edition", str(rid[0]), "--db", str(db)])
    assert listed.exit_code == 0 and "同一版本的另一文件" in listed.stdout


def test_edition_command_records_the_choice(tmp_path: Path) -> None:
    edited = _edited_copy(
        tmp_path / "in", _seed("004"), _004_RECEIVED, _004_RECEIVED.replace("6", "7")
    )
    db = tmp_path / "c.sqlite"
    ingest([_seed("004"), edited], db, jobs=1)
    (rid,) = rows(db, "SELECT id FROM reports WHERE source_path = ?", str(edited))
    args = [
        "edition",
        str(rid[0]),
        "--current",
        "--who",
        "李四",
        "--note",
        "更正版",
        "--db",
        str(db),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stdout
    assert rows(db, "SELECT source_path FROM reports WHERE current = 1") == [(str(edited),)]
    assert rows(db, "SELECT who, note FROM edition_choices") == [("李四", "更正版")]


def test_a_corpus_from_before_editions_is_decided_when_opened(tmp_path: Path) -> None:
    """A database made before migration 7 gets its editions decided on first open: its agency
    held twice (text and HTML) counts once at once."""
    import sqlite3

    from gongkai.store import open_db

    db = tmp_path / "old.sqlite"
    ingest([_seed("004"), FIXTURES / f"{_seed('004').stem}.html"], db, jobs=1)
    con = sqlite3.connect(db)
    con.executescript(
        "DROP INDEX reports_identity_year; DROP TABLE report_paths; DROP TABLE edition_choices;"
        " ALTER TABLE reports DROP COLUMN identity; ALTER TABLE reports DROP COLUMN current;"
        " ALTER TABLE reports DROP COLUMN edition_of; ALTER TABLE reports DROP COLUMN undecided;"
        " ALTER TABLE reports DROP COLUMN values_hash; DELETE FROM schema_version WHERE version = 7;"
    )
    con.close()
    open_db(db).close()
    assert rows(db, "SELECT count(*), sum(current) FROM reports") == [(2, 1)]
