"""Editions in the web app: the report page lists an agency-year's editions, and its button (or
POST /api/reports/{id}/edition) makes one of them the counted report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongkai.corpus import ingest
from gongkai.web.app import create_app
from test_web_support import TOKEN

from conftest import SEEDS_DIR, needs_shared

pytestmark = needs_shared
BEARER = {"Authorization": f"Bearer {TOKEN}"}
_RECEIVED = "一、本年新收政府信息公开申请数量\t\t6\t0\t0\t0\t0\t0\t6"


@pytest.fixture
def app_with_editions(tmp_path: Path) -> Iterator[tuple[TestClient, int, int]]:
    """泾源县人民政府 2020 (seed 004) and a corrected copy: (client, original id, copy id)."""
    seed = next(SEEDS_DIR.glob("004_*"))
    corrected = tmp_path / "更正版.txt"
    corrected.write_text(seed.read_text("utf-8").replace(_RECEIVED, _RECEIVED.replace("6", "7")))
    db = tmp_path / "c.sqlite"
    ingest([seed, corrected], db, jobs=1)
    with TestClient(create_app(db, TOKEN)) as c:
        yield c, 1, 2


def test_the_report_page_lists_the_editions_and_a_button_switches_them(
    app_with_editions: tuple[TestClient, int, int],
) -> None:
    c, original, corrected = app_with_editions
    detail = c.get(f"/api/reports/{corrected}").json()
    assert detail["current"] is False
    assert [(e["id"], e["current"], e["differs"]) for e in detail["editions"]] == [
        (original, True, 0),
        (corrected, False, 2),
    ]
    page = c.get(f"/reports/{corrected}", headers={"x-gongkai-token": TOKEN}).text
    assert "同一机关同一年度的各个版本" in page and "设为计入统计的版本" in page
    assert c.get("/api/reports").json()["total"] == 1  # the list counts the agency-year once
    done = c.post(
        f"/reports/{corrected}/edition",
        data={"note": "更正版"},
        headers={**BEARER, "HX-Request": "1"},
    )
    assert done.status_code == 204 and done.headers["HX-Redirect"] == f"/reports/{corrected}"
    assert c.get(f"/api/reports/{corrected}").json()["current"] is True
    assert c.get("/api/reports").json()["items"][0]["id"] == corrected


def test_choosing_an_edition_needs_the_token(
    app_with_editions: tuple[TestClient, int, int],
) -> None:
    c, _original, corrected = app_with_editions
    refused = c.post(f"/api/reports/{corrected}/edition", json={})
    assert refused.status_code in (401, 403)
    allowed = c.post(f"/api/reports/{corrected}/edition", json={"note": "x"}, headers=BEARER)
    assert allowed.status_code == 200 and allowed.json()[0]["id"] == corrected
