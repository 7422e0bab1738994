"""Full-text search over every section (migration 4): it finds what the LIKE scan found, tables
included; short queries still go through LIKE; one page of a result is counted and listed at once."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from gongkai.corpus import ingest
from gongkai.store import (
    Filters,
    count_reports,
    list_reports,
    migrations,
    open_db,
    page_reports,
    search_sections,
)

from corpus_support import rows, synthetic_corpus, write_synthetic

TABLE_ONLY = "法律服务机构"  # a column of table 3; no narrative section says it
TWO_CHARS = "商业"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("fts"))


def _ids(con: sqlite3.Connection, text: str) -> set[int]:
    return {row.id for row in list_reports(con, Filters(text=text))}


def _containing(db: Path, text: str) -> set[int]:
    """The reports with a section whose heading or text contains `text`, by a plain scan."""
    sql = "SELECT report_id FROM sections WHERE instr(text, ?1) OR instr(heading, ?1)"
    return {int(str(r[0])) for r in rows(db, sql, text)}


def _samples(db: Path, count: int) -> list[str]:
    """Substrings of 3 to 10 characters of random sections, tables as often as narrative."""
    rng = random.Random(4)
    texts = [str(r[0]) for r in rows(db, "SELECT text FROM sections ORDER BY id")]
    out = []
    while len(out) < count:
        text = rng.choice(texts)
        size = rng.randint(3, 10)
        start = rng.randrange(max(1, len(text) - size))
        piece = text[start : start + size]
        if len(piece) >= 3 and piece.strip() == piece and piece.lower() == piece.upper():
            out.append(piece)  # no cased letters: the index folds case, instr does not
    return out


def test_search_finds_exactly_the_reports_containing_the_text(db: Path) -> None:
    con = open_db(db)
    for text in [TABLE_ONLY, TWO_CHARS, *_samples(db, 60)]:
        assert _ids(con, text) == _containing(db, text), text
        assert count_reports(con, Filters(text=text)) == len(_containing(db, text))
    con.close()


def test_text_only_in_a_table_section_is_found_with_a_snippet(db: Path) -> None:
    con = open_db(db)
    hits = search_sections(con, TABLE_ONLY, limit=100)
    assert hits and {no for _, no, _ in hits} == {3}
    assert all(f"【{TABLE_ONLY}】" in snippet for _, _, snippet in hits)
    assert len(_ids(con, TABLE_ONLY)) == rows(db, "SELECT count(*) FROM reports")[0][0]
    con.close()


def test_two_characters_are_found_through_like(db: Path) -> None:
    con = open_db(db)
    assert _ids(con, TWO_CHARS) and _ids(con, TWO_CHARS) == _containing(db, TWO_CHARS)
    hits = search_sections(con, TWO_CHARS, limit=5)
    assert hits and all(f"【{TWO_CHARS}】" in snippet for _, _, snippet in hits)
    con.close()


@pytest.mark.parametrize("text", [TABLE_ONLY, TWO_CHARS])
def test_snippets_can_be_limited_to_some_reports(db: Path, text: str) -> None:
    con = open_db(db)
    every = search_sections(con, text, limit=1000)
    among = {report_id for report_id, _, _ in every[::7]}
    assert search_sections(con, text, limit=1000, among=among) == [
        hit for hit in every if hit[0] in among
    ]
    assert search_sections(con, text, among=[]) == []
    con.close()


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(text=TABLE_ONLY),
        Filters(text=TWO_CHARS, year=2021),
        Filters(text="无此文字"),
        Filters(year=2021, has_errors=True),
    ],
    ids=["all", "fts", "like", "none", "findings"],
)
def test_a_page_is_counted_and_listed_at_once(db: Path, filters: Filters) -> None:
    con = open_db(db)
    total, every = count_reports(con, filters), list_reports(con, filters)
    for offset in (0, 5, total, total + 5):
        assert page_reports(con, filters, limit=5, offset=offset) == (
            total,
            every[offset : offset + 5],
        )
    con.close()


def test_a_database_from_before_migration_4_is_reindexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    with monkeypatch.context() as patch:
        # Every migration but the one under test: the writer needs the later columns.
        without = tuple(m for m in migrations.MIGRATIONS if m[0] != 4)
        patch.setattr(migrations, "MIGRATIONS", without)
        ingest(write_synthetic(tmp_path / "in", 4), path, jobs=1)
    match = "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH ?"
    assert rows(path, match, f'"{TABLE_ONLY}"') == [(0,)]  # the tables were not indexed
    con = open_db(path)
    assert (
        con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        == migrations.MIGRATIONS[-1][0]
    )
    assert rows(path, match, f'"{TABLE_ONLY}"') == [(4,)]
    assert _ids(con, TABLE_ONLY) == _containing(path, TABLE_ONLY)
    con.execute("INSERT INTO sections_fts (sections_fts, rank) VALUES ('integrity-check', 1)")
    con.close()
