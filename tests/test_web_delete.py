"""Deleting a report through the web app: DELETE /api/reports/{id} (204, then 404), the token,
the copy of an uploaded file, and the button on the report page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from test_web_support import (
    SEED_000,
    SERIES_AGENCY,
    TOKEN,
    client,
    corpus_db,
    fresh_db,
    report_id,
    seed_000_id,
    write_series,
    writer,
)

__all__ = ["client", "corpus_db", "fresh_db", "writer"]  # fixtures, imported for pytest
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _total(c: TestClient, **params: str | int) -> int:
    total: int = c.get("/api/reports", params=params).json()["total"]
    return total


def _upload(c: TestClient, name: str, data: bytes) -> None:
    files = [("files", (name, data, "application/octet-stream"))]
    body = c.post("/api/reports", files=files, headers=BEARER).json()
    assert body["added"] >= 1 and not body["failed"], body


def test_delete_then_get_is_404_and_the_rest_stays(writer: TestClient) -> None:
    rid = seed_000_id(writer)
    total = _total(writer)
    found = _total(writer, q="新堡镇密切关注")
    assert writer.delete(f"/api/reports/{rid}", headers=BEARER).status_code == 204
    assert writer.get(f"/api/reports/{rid}").status_code == 404
    assert writer.get(f"/reports/{rid}").status_code == 404
    assert _total(writer) == total - 1
    assert _total(writer, q="新堡镇密切关注") == found - 1
    assert _total(writer, agency=SERIES_AGENCY) == 3  # the other reports are all there
    assert SEED_000.is_file()  # ingested from the user's own folder: the file is not ours


def test_deleting_an_unknown_or_deleted_report_is_404(writer: TestClient) -> None:
    missing = writer.delete("/api/reports/999999", headers=BEARER)
    assert missing.status_code == 404 and missing.json()["detail"] == "没有编号为 999999 的报告"
    rid = report_id(writer, agency=SERIES_AGENCY, year=2020)
    assert writer.delete(f"/api/reports/{rid}", headers=BEARER).status_code == 204
    assert writer.delete(f"/api/reports/{rid}", headers=BEARER).status_code == 404
    assert writer.delete("/api/reports/0", headers=BEARER).status_code == 422


def test_delete_needs_the_token_and_a_writable_app(writer: TestClient, client: TestClient) -> None:
    rid = seed_000_id(writer)
    denied = writer.delete(f"/api/reports/{rid}", headers={"Authorization": "Bearer wrong"})
    assert denied.status_code == 401
    assert client.delete(f"/api/reports/{rid}").status_code == 403  # read-only: no token set
    assert writer.get(f"/api/reports/{rid}").status_code == 200


def test_the_kept_upload_goes_with_its_report(writer: TestClient, fresh_db: Path) -> None:
    [path] = write_series(fresh_db.parent / "new")[:1]
    text = path.read_text(encoding="utf-8").replace("泾源县黄花乡", "泾源县新民乡")
    _upload(writer, "新民乡.txt", text.encode())
    [kept] = (fresh_db.parent / "uploads").glob("*新民乡.txt")
    rid = report_id(writer, agency="泾源县新民乡")
    assert writer.delete(f"/api/reports/{rid}", headers=BEARER).status_code == 204
    assert not kept.exists()


def test_an_uploaded_archive_stays_until_its_last_report_is_deleted(
    writer: TestClient, fresh_db: Path
) -> None:
    paths = write_series(fresh_db.parent / "new")[:2]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in paths:
            text = path.read_text(encoding="utf-8").replace("泾源县黄花乡", "泾源县新民乡")
            archive.writestr(path.name, text)
    _upload(writer, "两年.zip", buffer.getvalue())
    [kept] = (fresh_db.parent / "uploads").glob("*两年.zip")
    items = writer.get("/api/reports", params={"agency": "泾源县新民乡"}).json()["items"]
    assert len(items) == 2 and all("两年.zip!" in item["source_path"] for item in items)
    assert writer.delete(f"/api/reports/{items[0]['id']}", headers=BEARER).status_code == 204
    assert kept.is_file()  # the other year still comes from it
    assert writer.delete(f"/api/reports/{items[1]['id']}", headers=BEARER).status_code == 204
    assert not kept.exists()


def test_the_report_page_offers_delete_to_writers_only(
    writer: TestClient, client: TestClient
) -> None:
    rid = seed_000_id(writer)
    assert "删除报告" not in client.get(f"/reports/{rid}").text
    page = writer.get(f"/reports/{rid}", headers={"X-Gongkai-Token": TOKEN}).text
    assert f'hx-post="/reports/{rid}/delete"' in page and "hx-confirm=" in page
    assert writer.post(f"/reports/{rid}/delete").status_code == 401
    answer = writer.post(f"/reports/{rid}/delete", headers={**BEARER, "HX-Request": "true"})
    assert answer.status_code == 204 and answer.headers["HX-Redirect"] == "/reports"
    assert writer.get(f"/api/reports/{rid}").status_code == 404
    gone = writer.post(f"/reports/{rid}/delete", headers=BEARER, follow_redirects=False)
    assert gone.status_code == 404 and "没有编号为" in gone.text


def test_a_plain_form_post_is_redirected_to_the_list(writer: TestClient) -> None:
    rid = report_id(writer, agency=SERIES_AGENCY, year=2021)
    answer = writer.post(f"/reports/{rid}/delete", headers=BEARER, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/reports"
