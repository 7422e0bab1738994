"""The web app's result lists (web/corpus.page_of) are the store's: same count, same rows, same
order, for every filter and page, by either way of running a full-text filter; kept until the
database changes, and no longer (issue 13: a common word searched by several browsers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.corpus import ingest
from gongkai.store import Filters, count_reports, list_reports, open_db
from gongkai.store.queries import report_ids
from gongkai.web import corpus

from corpus_support import synthetic_corpus, write_synthetic

FILTERS = [
    Filters(),
    Filters(year=2021),
    Filters(text="法律服务机构"),  # table 3, every report
    Filters(text="政务公开", year=2021),
    Filters(text="商业"),  # two characters: LIKE
    Filters(text="无此文字"),
    Filters(text='政务"公开'),
    Filters(agency="镇", text="予以公开"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("list-cache"))


@pytest.mark.parametrize("few", [0, 10**9], ids=["index-map", "sql"])
@pytest.mark.parametrize("filters", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
def test_a_cached_list_is_the_store_list(
    db: Path, filters: Filters, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "_FEW_SECTIONS", few)
    corpus._RECENT.clear()
    con = open_db(db)
    every, total = list_reports(con, filters), count_reports(con, filters)
    assert report_ids(con, filters) == [r.id for r in every]
    con.close()
    for page in (1, 2, 3, 100):
        for _ in range(2):  # computed, then from the cache
            assert corpus.page_of(db, filters, page, 5) == (total, every[(page - 1) * 5 : page * 5])


def test_a_write_moves_the_cached_list(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    ingest(write_synthetic(tmp_path / "in", 6, years=2), path, jobs=1)
    filters = Filters(text="法律服务机构")
    total, rows = corpus.page_of(path, filters, 1, 50)
    assert corpus.snippets(path, "法律服务机构", [r.id for r in rows])
    assert corpus.delete_report(path, rows[0].id)
    after, left = corpus.page_of(path, filters, 1, 50)
    assert (after, [r.id for r in left]) == (total - 1, [r.id for r in rows[1:]])
    assert rows[0].id not in {i for i, _, _ in corpus.snippets(path, "法律服务机构", [rows[0].id])}


def test_a_missing_database_is_a_store_error_not_a_new_file(tmp_path: Path) -> None:
    from gongkai.store import StoreError

    with pytest.raises(StoreError):
        corpus.page_of(tmp_path / "none.sqlite", Filters(), 1, 50)
    assert not (tmp_path / "none.sqlite").exists()
