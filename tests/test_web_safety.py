"""Safety of the web app: the token for writes, read-only without one, upload limits, the parsing
sandbox's time and memory limits, local assets only, no endpoint that fetches a URL."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from gongkai import store
from gongkai.web import sandbox
from gongkai.web.auth import READ_ONLY
from gongkai.web.uploads import MAX_FILE_BYTES, BodyLimit, judge
from test_web_support import (
    SEED_000,
    TOKEN,
    client,
    corpus_db,
    fresh_db,
    seed_000_id,
    write_series,
    writer,
)

__all__ = ["client", "corpus_db", "fresh_db", "writer"]  # fixtures, imported for pytest
WEB = Path(__file__).resolve().parents[1] / "src" / "gongkai" / "web"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _review(c: TestClient, rid: int, **headers: str) -> int:
    body = {"code": "T3_BALANCE", "decision": "dismiss", "note": "已与填报人核实"}
    status: int = c.post(f"/api/reports/{rid}/reviews", json=body, headers=headers).status_code
    return status


# Token and read-only mode ---------------------------------------------------------------------


def test_without_a_token_the_app_is_read_only_but_checks_still_work(client: TestClient) -> None:
    rid = seed_000_id(client)
    response = client.post(
        f"/api/reports/{rid}/reviews", json={"code": "T3_BALANCE", "decision": "confirm"}
    )
    assert response.status_code == 403 and response.json()["detail"] == READ_ONLY
    assert (
        client.post("/api/reports", files=[("files", ("a.txt", b"x", "text/plain"))]).status_code
        == 403
    )
    files = [("files", (SEED_000.name, SEED_000.read_bytes(), "text/plain"))]
    assert client.post("/api/check", files=files).status_code == 200
    assert "只读" in client.get("/").text


def test_writes_need_the_token_and_the_decision_is_kept(writer: TestClient) -> None:
    rid = seed_000_id(writer)
    assert _review(writer, rid) == 401
    assert _review(writer, rid, Authorization="Bearer wrong") == 401
    assert _review(writer, rid, **BEARER) == 200
    finding = next(
        f for f in writer.get(f"/api/reports/{rid}").json()["findings"] if f["code"] == "T3_BALANCE"
    )
    assert finding["decision"] == "dismiss" and finding["note"] == "已与填报人核实"
    assert _review(writer, rid, **{"X-Gongkai-Token": TOKEN}) == 200


def test_login_sets_a_strict_cookie_that_allows_reviews_from_the_page(writer: TestClient) -> None:
    rid = seed_000_id(writer)
    assert writer.post("/login", data={"secret": "wrong", "next": "/"}).status_code == 401
    response = writer.post(
        "/login", data={"secret": TOKEN, "next": "//evil.example/"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    fingerprint = next(
        f["fingerprint"]
        for f in writer.get(f"/api/reports/{rid}").json()["findings"]
        if f["code"] == "T3_ROW_SUM"
    )
    fragment = writer.post(
        f"/reports/{rid}/review",
        data={
            "code": "T3_ROW_SUM",
            "fingerprint": fingerprint,
            "decision": "confirm",
            "note": "确有错误",
        },
    )
    assert fragment.status_code == 200 and "已确认" in fragment.text and "确有错误" in fragment.text
    assert "确认" in writer.get(f"/reports/{rid}").text
    writer.post("/logout")
    writer.cookies.clear()
    assert (
        writer.post(
            f"/reports/{rid}/review", data={"code": "T3_ROW_SUM", "decision": "confirm"}
        ).status_code
        == 401
    )


def test_upload_into_the_corpus_with_the_token(writer: TestClient, tmp_path: Path) -> None:
    new = write_series(tmp_path)[0]
    text = new.read_text(encoding="utf-8").replace("泾源县黄花乡", "泾源县新民乡")
    files = [
        ("files", ("新民乡.txt", text.encode(), "text/plain")),
        ("files", ("x.exe", b"MZ", "application/octet-stream")),
    ]
    assert writer.post("/api/reports", files=files).status_code == 401
    body = writer.post("/api/reports", files=files, headers=BEARER).json()
    assert body["added"] == 1 and body["rejected"][0][0] == "x.exe"
    assert writer.get("/api/reports", params={"agency": "泾源县新民乡"}).json()["total"] == 1
    again = writer.post("/api/reports", files=files[:1], headers=BEARER).json()
    assert again["skipped"] == 1 and again["added"] == 0


def test_delete_is_offered_once_the_store_can_delete(writer: TestClient) -> None:
    rid = seed_000_id(writer)
    if not hasattr(store, "delete_report"):
        response = writer.delete(f"/api/reports/{rid}", headers=BEARER)
        assert response.status_code == 405 and response.json()["detail"] == "不支持此操作"
        return
    assert writer.delete(f"/api/reports/{rid}").status_code == 401
    assert writer.delete(f"/api/reports/{rid}", headers=BEARER).status_code == 204
    assert writer.get(f"/api/reports/{rid}").status_code == 404


# Limits ---------------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused() -> None:
    verdict = judge("big.txt", b"x" * (MAX_FILE_BYTES + 1))
    assert getattr(verdict, "reason", "").startswith("文件超过")


def _echo_app(limit: int) -> TestClient:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app.add_middleware(BodyLimit, limit=limit)
    return TestClient(app)


def test_the_body_limit_holds_with_and_without_content_length() -> None:
    c = _echo_app(limit=100)
    assert c.post("/echo", content=b"x" * 100).json() == {"bytes": 100}
    declared = c.post("/echo", content=b"x" * 101)
    assert declared.status_code == 413 and "上限" in declared.text
    streamed = c.post("/echo", content=iter([b"x" * 60, b"x" * 60]))  # chunked: no length
    assert streamed.status_code == 413


def test_the_sandbox_stops_a_slow_child() -> None:
    start = time.monotonic()
    result = sandbox.run_limited(time.sleep, 30, label="慢文件", time_limit=1.0)
    assert result.error is not None and result.error.startswith("慢文件: 处理超时（超过 1 秒）")
    assert time.monotonic() - start < 10


def test_the_sandbox_stops_a_child_that_eats_memory() -> None:
    result = sandbox.run_limited(bytearray, 2 * 1024**3, label="大文件", memory=512 * 1024**2)
    assert result.error is not None and "内存" in result.error


def test_the_sandbox_checks_a_file_and_hides_the_temporary_path(tmp_path: Path) -> None:
    path = tmp_path / "000_上传.txt"
    path.write_text("这不是年报。", encoding="utf-8")
    outcome = sandbox.check_in_sandbox(path, name="我的文件.txt")
    assert outcome.report is None and outcome.error is not None
    assert outcome.error.startswith("我的文件.txt") and str(tmp_path) not in outcome.error


# Local assets, no fetching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/check", "/reports", "/compare", "/years", "/rollup", "/author", "/docs", "/login"],
)
def test_pages_load_nothing_from_other_sites(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert not re.findall(r'(?:src|href)\s*=\s*"(?:https?:)?//', response.text), path
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_vendored_assets_are_served(client: TestClient) -> None:
    for asset in ("htmx.min.js", "echarts.min.js", "swagger-ui-bundle.js", "swagger-ui.css"):
        response = client.get(f"/static/vendor/{asset}")
        assert response.status_code == 200 and len(response.content) > 10_000, asset
    assert "validatorUrl" in client.get("/docs").text  # set to null: no spec sent to a validator


def test_no_module_of_the_web_package_can_fetch_a_url() -> None:
    clients = re.compile(
        r"^\s*(?:import|from)\s+(?:urllib\.request|http\.client|httpx|requests|aiohttp|socket)\b",
        re.M,
    )
    offenders = [p.name for p in WEB.rglob("*.py") if clients.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_html_errors_are_pages_in_chinese(client: TestClient) -> None:
    missing = client.get("/reports/999999")
    assert missing.status_code == 404 and "没有编号为 999999 的报告" in missing.text
    assert "<html" in missing.text
    bad = client.get("/reports?page=abc")
    assert bad.status_code == 422 and "参数有误" in bad.text
