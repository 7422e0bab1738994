"""Shared fixtures of the web tests: a corpus built through the corpus library (the five seeds,
two synthetic agencies over three years, one with a broken carry-over, and one file that fails to
parse), and clients of the app.

Imported by the test_web_* modules; it holds no tests itself.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongkai.corpus import check_corpus, ingest
from gongkai.web.app import create_app

from conftest import SEEDS_DIR
from corpus_support import synth

TOKEN = "test-token-5f3a9c"
SEED_000 = SEEDS_DIR / "000_ac4c29f1373e55a6.txt"
SERIES_AGENCY = "泾源县黄花乡人民政府"  # 2019–2021, consistent
BROKEN_AGENCY = "中宁县东华镇人民政府"  # 2020–2022, 2022 breaks the carry-over
BROKEN_YEAR = 2022
BROKEN_COLUMN = 2  # 科研机构

needs_seeds = pytest.mark.skipif(not SEED_000.is_file(), reason="../shared/seeds not present")


def write_series(folder: Path) -> list[Path]:
    """Two agencies over three consecutive years; the broken one's 2022 上年结转 disagrees with
    its 2021 结转 in one column."""
    gen = synth()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for agency, first in ((SERIES_AGENCY, 2019), (BROKEN_AGENCY, 2020)):
        for report in gen.series(random.Random(first), agency, first, 3):
            if agency == BROKEN_AGENCY and report.year == BROKEN_YEAR:
                gen.break_carry(report, BROKEN_COLUMN)
            path = folder / f"{agency}_{report.year}.txt"
            path.write_text(gen.to_text(report), encoding="utf-8")
            paths.append(path)
    return paths


def write_failure(folder: Path) -> Path:
    """A file the corpus records as failed: it reads, but holds no report."""
    path = folder / "不是年报.txt"
    path.write_text("会议纪要：本次会议研究了办公用品采购事宜。\n", encoding="utf-8")
    return path


def build_corpus(folder: Path) -> Path:
    db = folder / "web.sqlite"
    ingest([SEEDS_DIR, *write_series(folder / "series"), write_failure(folder)], db, jobs=1)
    check_corpus(db)
    return db


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared corpus: read it, never write it (writing tests take `fresh_db`)."""
    if not SEED_000.is_file():
        pytest.skip("../shared/seeds not present")
    return build_corpus(tmp_path_factory.mktemp("web-corpus"))


@pytest.fixture
def fresh_db(corpus_db: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus for tests that write."""
    copy = tmp_path / "copy.sqlite"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{corpus_db}{suffix}")
        if source.exists():
            shutil.copy(source, f"{copy}{suffix}")
    return copy


@pytest.fixture(scope="session")
def client(corpus_db: Path) -> Iterator[TestClient]:
    """A read-only app (no token) over the shared corpus."""
    with TestClient(create_app(corpus_db)) as c:
        yield c


@pytest.fixture
def writer(fresh_db: Path) -> Iterator[TestClient]:
    """An app with a token over a private copy of the corpus."""
    with TestClient(create_app(fresh_db, TOKEN)) as c:
        yield c


def report_id(client: TestClient, **filters: str | int | bool) -> int:
    """The id of the only report matching the filters."""
    items = client.get("/api/reports", params=filters).json()["items"]
    assert len(items) == 1, items
    found: int = items[0]["id"]
    return found


def seed_000_id(client: TestClient) -> int:
    return report_id(client, agency="中宁县新堡镇", year=2021)
