"""Deleting a report from the store: all of it goes, in one transaction, and nothing else does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gongkai.corpus import check_corpus, ingest
from gongkai.store import (
    Filters,
    UnitSpec,
    count_reports,
    delete_report,
    import_units,
    list_reports,
    open_db,
    search_sections,
    source_in_use,
)
from test_web_support import BROKEN_AGENCY, BROKEN_YEAR, write_series

from corpus_support import rows

# What belongs to one report, table by table: (table, WHERE clause naming the report).
OWNED = (
    ("cells", "report_id = ?1"),
    ("sections", "report_id = ?1"),
    ("findings", "report_id = ?1 OR prev_report_id = ?1"),
    ("report_units", "report_id = ?1"),
)
COUNTS = (
    "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM cells),"
    " (SELECT count(*) FROM sections), (SELECT count(*) FROM findings),"
    " (SELECT count(*) FROM report_units), (SELECT count(*) FROM reviews)"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Six synthetic reports of two agencies; the broken one has a cross-year finding in 2022,
    and is attached to a unit."""
    path = tmp_path / "corpus.sqlite"
    ingest(write_series(tmp_path / "in"), path, jobs=1)
    con = open_db(path)
    import_units(con, [UnitSpec(BROKEN_AGENCY, "乡")])
    con.close()
    check_corpus(path)
    return path


def _id(db: Path, year: int) -> int:
    con = open_db(db)
    try:
        [row] = list_reports(con, Filters(agency=BROKEN_AGENCY, year=year))
    finally:
        con.close()
    return row.id


def _owned(db: Path, report_id: int) -> dict[str, int]:
    return {
        table: int(str(rows(db, f"SELECT count(*) FROM {table} WHERE {where}", report_id)[0][0]))
        for table, where in OWNED
    }


def _unique_phrase(db: Path, report_id: int) -> str:
    """A piece of the report's narrative text that no other report has."""
    for (text,) in rows(db, "SELECT text FROM sections WHERE report_id = ?", report_id):
        for start in range(0, len(str(text)) - 12, 6):
            piece = str(text)[start : start + 12]
            sql = "SELECT count(DISTINCT report_id) FROM sections WHERE instr(text, ?)"
            if rows(db, sql, piece) == [(1,)]:
                return piece
    raise AssertionError("no unique phrase")


def _fts_consistent(con: sqlite3.Connection) -> None:
    # Raises if the full-text index disagrees with the sections it indexes.
    con.execute("INSERT INTO sections_fts (sections_fts, rank) VALUES ('integrity-check', 1)")


def test_deleting_a_report_removes_all_of_it(db: Path) -> None:
    victim = _id(db, BROKEN_YEAR - 1)  # the earlier year of the broken pair
    owned = _owned(db, victim)
    assert all(owned.values()), owned  # cells, sections, findings (pair too), unit link
    phrase = _unique_phrase(db, victim)
    con = open_db(db)
    assert [hit[0] for hit in search_sections(con, phrase)] == [victim]
    assert delete_report(con, victim) is True
    assert search_sections(con, phrase) == []
    assert count_reports(con, Filters(text=phrase)) == 0
    _fts_consistent(con)
    con.close()
    assert rows(db, "SELECT count(*) FROM reports WHERE id = ?", victim) == [(0,)]
    assert _owned(db, victim) == dict.fromkeys(owned, 0)


def test_other_reports_are_untouched(db: Path) -> None:
    victim = _id(db, BROKEN_YEAR)
    before = rows(db, COUNTS)[0]
    others = rows(db, "SELECT id, sha256 FROM reports WHERE id != ? ORDER BY id", victim)
    owned = _owned(db, victim)
    con = open_db(db)
    delete_report(con, victim)
    con.close()
    after = rows(db, COUNTS)[0]
    assert rows(db, "SELECT id, sha256 FROM reports ORDER BY id") == others
    expected = (
        before[0] - 1,
        before[1] - owned["cells"],
        before[2] - owned["sections"],
        before[3] - owned["findings"],
        before[4] - owned["report_units"],
        before[5],  # review decisions are the reviewer's: kept
    )
    assert after == expected


def test_pair_findings_naming_the_report_go_on_either_side(db: Path) -> None:
    later, earlier = _id(db, BROKEN_YEAR), _id(db, BROKEN_YEAR - 1)
    pair = "SELECT count(*) FROM findings WHERE origin = 'pair' AND prev_report_id = ?"
    assert rows(db, pair, earlier) != [(0,)]
    cells = rows(db, "SELECT count(*) FROM cells WHERE report_id = ?", later)
    con = open_db(db)
    delete_report(con, earlier)  # the report named as the previous year, not as the report
    con.close()
    assert rows(db, pair, earlier) == [(0,)]
    assert rows(db, "SELECT count(*) FROM cells WHERE report_id = ?", later) == cells


def test_deleting_an_unknown_report_changes_nothing(db: Path) -> None:
    before = rows(db, COUNTS)
    con = open_db(db)
    assert delete_report(con, 999_999) is False
    assert not con.in_transaction
    con.close()
    assert rows(db, COUNTS) == before


def test_delete_does_not_depend_on_foreign_keys_being_on(db: Path) -> None:
    victim = _id(db, BROKEN_YEAR)
    con = open_db(db)
    con.execute("PRAGMA foreign_keys = OFF")  # as in a connection not opened by open_db
    assert delete_report(con, victim)
    _fts_consistent(con)
    con.close()
    assert set(_owned(db, victim).values()) == {0}


def test_a_failed_delete_leaves_the_report_whole(db: Path) -> None:
    victim = _id(db, BROKEN_YEAR)
    before = rows(db, COUNTS)
    con = open_db(db)
    # A trigger that refuses the last step: everything done before it must be rolled back.
    con.execute(
        "CREATE TEMP TRIGGER refuse BEFORE DELETE ON main.reports"
        " BEGIN SELECT raise(ABORT, 'refused'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        delete_report(con, victim)
    assert not con.in_transaction
    _fts_consistent(con)
    con.close()
    assert rows(db, COUNTS) == before


def test_source_in_use_knows_archive_members(db: Path) -> None:
    con = open_db(db)
    path = "/data/uploads/abc_报告.zip"
    con.execute("UPDATE reports SET source_path = ? WHERE id = 1", (path + "!a/2021.txt",))
    assert source_in_use(con, path)
    assert not source_in_use(con, path[:-4])  # a prefix of the name is another file
    assert not source_in_use(con, "/data/uploads/other.zip")
    con.close()
