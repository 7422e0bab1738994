"""`%` and `_` in a search are the characters themselves, not LIKE wildcards (issue 13): a search
for "_" or "%" used to match every report."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.corpus import ingest, list_reports
from gongkai.store import Filters

from conftest import SEEDS_DIR, needs_shared
from corpus_support import rows

pytestmark = needs_shared


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("escape") / "c.sqlite"
    ingest(sorted(SEEDS_DIR.glob("*.txt")), db, jobs=1)
    return db


@pytest.mark.parametrize("field", ["agency", "region", "text"])
@pytest.mark.parametrize("query", ["_", "%", "%%", "县_"])
def test_wildcards_match_only_themselves(seeds_db: Path, field: str, query: str) -> None:
    total, _ = list_reports(seeds_db, Filters(**{field: query}))
    if field == "text":  # short texts go through LIKE on the sections: count them by hand
        holding = rows(
            seeds_db, "SELECT count(DISTINCT report_id) FROM sections WHERE instr(text, ?)", query
        )
        assert total == holding[0][0]
    else:
        assert total == 0


def test_an_ordinary_search_still_finds(seeds_db: Path) -> None:
    assert list_reports(seeds_db, Filters(agency="泾源"))[0] == 1
    assert list_reports(seeds_db, Filters(region="中宁"))[0] == 1


@pytest.mark.parametrize("query", ["le", "led", "app"])  # LED and APP, written in capitals
def test_a_snippet_marks_the_text_found_whatever_its_case(seeds_db: Path, query: str) -> None:
    """Searches ignore ASCII case (LIKE below 3 characters, the trigram index above); the snippet
    used to look for the exact query and, not finding it, cut the text at the wrong place."""
    from gongkai.store import open_db, search_sections

    con = open_db(seeds_db)
    hits = search_sections(con, query, limit=10)
    assert hits
    for report_id, _, snippet in hits:
        assert f"【{query.upper()}】" in snippet, (report_id, snippet)
        among = search_sections(con, query, limit=10, among=[report_id])
        assert among and all(f"【{query.upper()}】" in s for _, _, s in among)
    con.close()
