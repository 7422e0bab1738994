"""Guessing the token is slowed down (issue 13): after five wrong tokens from one address within a
minute, that address is refused — on the login page and on the API — even with the right token."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from gongkai.web.app import create_app
from gongkai.web.auth import MAX_FAILURES

TOKEN = "the-right-token"


def test_login_is_refused_after_five_wrong_tokens(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "c.sqlite", TOKEN)) as c:
        for _ in range(MAX_FAILURES):
            wrong = c.post("/login", data={"secret": "guess", "next": "/"}, follow_redirects=False)
            assert wrong.status_code == 401
        refused = c.post("/login", data={"secret": TOKEN, "next": "/"}, follow_redirects=False)
        assert refused.status_code == 429 and "1 分钟后再试" in refused.text
        assert refused.headers["Retry-After"] == "60"


def test_the_api_is_refused_after_five_wrong_bearer_tokens(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "c.sqlite", TOKEN)) as c:
        for _ in range(MAX_FAILURES):
            wrong = c.delete("/api/reports/1", headers={"Authorization": "Bearer guess"})
            assert wrong.status_code == 401
        right = c.delete("/api/reports/1", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 429
        assert "1 分钟后再试" in right.json()["detail"]


def test_a_missing_token_is_not_counted_as_a_guess(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "c.sqlite", TOKEN)) as c:
        for _ in range(MAX_FAILURES + 2):
            assert c.delete("/api/reports/1").status_code == 401
        right = c.delete("/api/reports/1", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 404  # allowed; there is no report 1
