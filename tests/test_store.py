"""The store: migrations, exact round trip of a report, idempotent writes, full-text search."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.api import parse_file
from gongkai.corpus import ingest
from gongkai.corpus.worker import Job, parse_job
from gongkai.store import (
    Filters,
    integrity_ok,
    list_reports,
    load_report,
    open_db,
    search_sections,
    write_record,
)
from gongkai.store.migrations import MIGRATIONS

from conftest import SEEDS_DIR, needs_shared
from corpus_support import rows

pytestmark = needs_shared

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "corpus.sqlite"
    summary = ingest(SEEDS, db, jobs=1)
    assert summary.added == len(SEEDS) and not summary.failed
    return db


def test_new_database_is_migrated_in_wal_mode(tmp_path: Path) -> None:
    con = open_db(tmp_path / "new.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [number for number, _, _ in MIGRATIONS]
    con.close()
    # Opening again applies nothing twice.
    again = open_db(tmp_path / "new.sqlite")
    assert again.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
    assert integrity_ok(again)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_stored_report_reads_back_exactly(seeded: Path, seed: Path) -> None:
    con = open_db(seeded)
    (report_id,) = (r.id for r in list_reports(con, Filters()) if r.source_path == str(seed))
    stored = load_report(con, report_id).to_json(provenance=True)
    assert stored == parse_file(seed).to_json(provenance=True)


def test_blank_stays_blank_and_decimals_stay_decimal(seeded: Path) -> None:
    # Seed 000 leaves the five 行政复议 cells blank; seed 001 has a fee of 0.11 万元.
    blanks = rows(
        seeded,
        "SELECT count(*) FROM cells c JOIN reports r ON r.id = c.report_id"
        " WHERE r.source_path LIKE '%000_%' AND c.tbl = 'table4' AND c.row_key = 'review'"
        " AND c.value IS NULL",
    )
    assert blanks == [(5,)]
    fee = rows(seeded, "SELECT value, typeof(value) FROM cells WHERE row_key = 'fees'"
               " AND col_key = 'amount' AND value = 0.11")  # fmt: skip
    assert fee == [(0.11, "real")]


def test_rewriting_a_report_replaces_it_in_place(seeded: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    ingest(SEEDS, db, jobs=1)
    before = rows(db, "SELECT count(*), sum(id) FROM reports")
    cells = rows(db, "SELECT count(*) FROM cells")
    data = SEEDS[1].read_bytes()
    con = open_db(db)
    record = parse_job(Job(str(SEEDS[1]), data, load_report(con, 2).source.sha256, 0.0))  # type: ignore[union-attr]
    write_record(con, record)
    write_record(con, record)
    con.close()
    assert rows(db, "SELECT count(*), sum(id) FROM reports") == before
    assert rows(db, "SELECT count(*) FROM cells") == cells


def test_full_text_search_finds_chinese_substrings(seeded: Path) -> None:
    con = open_db(seeded)
    hits = search_sections(con, "政府信息公开申请收费")
    assert [no for _, no, _ in hits] == [6]
    assert "【" in hits[0][2]
    # The table sections are outside the index but found all the same.
    assert 4 in {no for _, no, _ in search_sections(con, "未经复议直接起诉")}
    assert list_reports(con, Filters(text="未经复议直接起诉"))
    # Two characters are below the trigram length: the plain-text fallback still finds them.
    assert search_sections(con, "复议")
    assert list_reports(con, Filters(text="生态小岔"))


def test_missing_database_is_a_user_error(tmp_path: Path) -> None:
    from gongkai.errors import GongkaiError

    with pytest.raises(GongkaiError, match="数据库文件不存在"):
        open_db(tmp_path / "absent.sqlite", create=False)


def test_sign_off_and_publication_date_survive_the_store(tmp_path: Path) -> None:
    """A re-check rebuilds reports from the store; without these, every re-checked report lost
    its sign-off (a false SIGNOFF_MISSING) and its publication date (regression, issue 14)."""
    page = tmp_path / "201-page.html"
    body = (SEEDS_DIR.parent / "real" / "201.html").read_text("utf-8")
    head = '<html><head><meta charset="utf-8"><meta name="PubDate" content="2025-01-20"></head>'
    page.write_text(head + "<body>" + body + "</body></html>", "utf-8")
    db = tmp_path / "c.sqlite"
    ingest([page], db, jobs=1)
    con = open_db(db)
    (row,) = list_reports(con, Filters())
    stored = load_report(con, row.id)
    parsed = parse_file(page)
    assert parsed.meta.signoff is not None and parsed.meta.published is not None
    assert stored.meta.signoff == parsed.meta.signoff
    assert stored.meta.published == parsed.meta.published


def test_report_ids_are_never_reused_after_a_delete(tmp_path: Path) -> None:
    """A deleted report's id named it in links and notes: the next report gets a new one."""
    from gongkai.store import delete_report

    db = tmp_path / "c.sqlite"
    ingest(SEEDS[:2], db, jobs=1)
    con = open_db(db)
    highest = max(r.id for r in list_reports(con, Filters()))
    assert delete_report(con, highest)
    con.close()
    ingest(SEEDS[2:3], db, jobs=1)
    con = open_db(db)
    newest = max(r.id for r in list_reports(con, Filters()))
    con.close()
    assert newest == highest + 1
