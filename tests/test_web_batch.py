"""Batch checks (issue 13, part 4): up to 500 files or a .zip per batch, checked in the background
with a summary table and the findings as XLSX; the fair queue between clients; upload limits
that hold while the body streams."""

from __future__ import annotations

import asyncio
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from gongkai.web.app import create_app
from gongkai.web.fair import FairQueue, Workers
from gongkai.web.uploads import (
    MAX_BATCH_BYTES,
    MAX_BATCH_FILES,
    MAX_BODY_BYTES,
    MAX_FILE_BYTES,
    BodyLimit,
    PartCounter,
)

from conftest import SEEDS_DIR, SHARED

REAL_DIR = SHARED / "real"
SOURCES = sorted(SEEDS_DIR.glob("*.txt")) + sorted(REAL_DIR.glob("*.html"))
COPIES = 5  # 20 distinct reports, each under five names: a 100-file batch
needs_reports = pytest.mark.skipif(len(SOURCES) < 20, reason="../shared seeds or real missing")


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path_factory.mktemp("batch") / "db.sqlite")) as c:
        yield c


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _finished(c: TestClient, batch_id: str) -> dict[str, Any]:
    """The batch once every file is checked (polled as the page does; ends when it is done)."""
    while True:
        out: dict[str, Any] = c.get(f"/api/check/batches/{batch_id}").json()
        if out["done"]:
            return out
        time.sleep(0.2)


# The fair queue --------------------------------------------------------------------------------


def test_a_freed_slot_goes_to_the_client_who_has_none_running() -> None:
    queue: FairQueue[str] = FairQueue()
    for i in range(10):
        queue.put("A", f"a{i}")
    assert queue.take(wait=False) == ("A", "a0")  # two workers, both busy with A's batch
    assert queue.take(wait=False) == ("A", "a1")
    queue.put("B", "b0")
    queue.finished("A")
    assert queue.take(wait=False) == ("B", "b0")
    queue.finished("A")
    assert queue.take(wait=False) == ("A", "a2")  # then A again, in its own order
    assert queue.waiting("A") == 7


def test_workers_start_the_other_clients_job_after_one_running_job() -> None:
    workers = Workers(1)
    started: list[str] = []
    release = threading.Event()

    def job(name: str) -> None:
        started.append(name)
        if name == "a0":
            release.wait()

    futures = [workers.submit("A", lambda: job("a0"))]
    while not started:  # the one worker is running A's first job
        time.sleep(0.01)
    futures += [workers.submit("A", lambda i=i: job(f"a{i}")) for i in range(1, 10)]
    futures.append(workers.submit("B", lambda: job("b0")))
    release.set()
    for future in futures:
        future.result()
    assert started[:3] == ["a0", "b0", "a1"]


# A batch of 100 reports -------------------------------------------------------------------------


@needs_reports
def test_a_100_file_zip_batch_matches_the_single_checks(app_client: TestClient) -> None:
    sources = SOURCES[:20]
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in sources]
    single = {r["name"]: r for r in app_client.post("/api/check", files=files).json()["results"]}
    members = {f"第{k}组/{p.name}": p.read_bytes() for k in range(1, COPIES + 1) for p in sources}
    body = _zip(members)
    started = app_client.post("/api/check/batches", files=[("files", ("年报.zip", body, "x"))])
    assert started.status_code == 202 and started.json()["total"] == len(members) == 100
    out = _finished(app_client, started.json()["id"])
    assert sorted(r["name"] for r in out["rows"]) == sorted(members)
    for row in out["rows"]:
        alone = single[row["name"].split("/")[-1]]
        report = alone["report"]
        assert row["agency"] == (report["meta"]["agency"] if report else None), row["name"]
        assert row["year"] == (report["meta"]["year"] if report else None), row["name"]
        assert (row["errors"], row["warnings"]) == (alone["errors"], alone["warnings"])
    page = app_client.get(f"/check/batches/{out['id']}")
    assert page.status_code == 200 and "hx-trigger" not in page.text  # done: no more polling
    assert page.text.count('<tr id="batch-row-') == 100 and "findings.xlsx" in page.text
    _check_xlsx(app_client, out["id"], members, single)
    detail = app_client.get(f"/check/batches/{out['id']}/files/1")
    assert detail.status_code == 200 and 'id="result-1"' in detail.text


def _check_xlsx(
    c: TestClient, batch_id: str, members: dict[str, bytes], single: dict[str, Any]
) -> None:
    response = c.get(f"/check/batches/{batch_id}/findings.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("文件", "发布机关", "年度", "代码", "规则")
    expected = sum(len(single[name.split("/")[-1]]["findings"]) for name in members)
    assert expected > 0 and len(rows) == expected
    assert {r[0] for r in rows} <= set(members)
    assert all(r[3] and r[4] for r in rows)  # every row has its code and its rule's name


@needs_reports
def test_one_file_is_answered_with_its_result_on_the_same_page(app_client: TestClient) -> None:
    seed = SOURCES[0]
    files = [("files", (seed.name, seed.read_bytes(), "text/plain"))]
    page = app_client.post("/check", files=files)  # follows the redirect to the batch's page
    assert page.status_code == 200 and "/check/batches/" in str(page.url)
    assert 'id="result-1"' in page.text and f"<h2>{seed.name}</h2>" in page.text
    fragment = app_client.post("/check", files=files, headers={"HX-Request": "true"})
    assert fragment.headers["HX-Push-Url"].startswith("/check/batches/")
    assert 'id="result-1"' in fragment.text and "<html" not in fragment.text


# Refusals ------------------------------------------------------------------------------------------


def test_501_files_are_refused_with_a_chinese_message(app_client: TestClient) -> None:
    text = "政府信息公开工作年度报告".encode()
    files = [("files", (f"{i}.txt", text, "text/plain")) for i in range(MAX_BATCH_FILES + 1)]
    refused = app_client.post("/check", files=files)
    assert refused.status_code == 422 and "一次最多检查 500 个文件" in refused.text
    archive = _zip({f"{i}.txt": text for i in range(MAX_BATCH_FILES + 1)})
    zipped = app_client.post("/api/check/batches", files=[("files", ("a.zip", archive, "x"))])
    assert zipped.status_code == 422 and "一次最多检查 500 个文件" in zipped.json()["detail"]


def test_bad_members_are_listed_not_checked(app_client: TestClient) -> None:
    archive = _zip({"假的.pdf": b"not a pdf", "空.txt": b"", "程序.exe": b"MZ"})
    started = app_client.post("/api/check/batches", files=[("files", ("a.zip", archive, "x"))])
    out = _finished(app_client, started.json()["id"])
    reasons = {r["name"]: r["error"] for r in out["rows"]}
    assert set(reasons) == {"假的.pdf", "空.txt"}  # not a report's kind: not even listed
    assert "文件内容不符" in reasons["假的.pdf"] and reasons["空.txt"] == "文件为空"
    assert out["failed"] == 2


def test_an_unknown_batch_is_a_chinese_404(app_client: TestClient) -> None:
    missing = app_client.get("/check/batches/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert missing.status_code == 404 and "没有这个批次" in missing.text


# Body limits while streaming ---------------------------------------------------------------------


def _call(
    app: Any, path: str, headers: list[tuple[bytes, bytes]], chunks: Iterator[bytes]
) -> tuple[int, int]:
    """(status, how many body chunks the app asked for) of one POST straight through ASGI."""
    asked, sent = [0], []

    async def receive() -> dict[str, Any]:
        asked[0] += 1
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers, "http_version": "1.1",
             "scheme": "http", "server": ("test", 80), "client": ("127.0.0.1", 1), "root_path": ""}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start"), asked[0]


BOUNDARY = b"gongkai-test-boundary"
MULTIPART = [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)]


def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_read(tmp_path: Path) -> None:
    app = create_app(tmp_path / "db.sqlite")
    too_long = [(b"content-length", str(MAX_BATCH_BYTES + 1).encode()), *MULTIPART]
    assert _call(app, "/check", too_long, iter([b"x"])) == (413, 0)
    # Elsewhere the tighter limit holds: a batch's size is too much for the 20-file check.
    over = [(b"content-length", str(MAX_BODY_BYTES + 1).encode()), *MULTIPART]
    assert MAX_BODY_BYTES < MAX_BATCH_BYTES and _call(app, "/api/check", over, iter([])) == (413, 0)


def test_a_streamed_batch_over_the_cap_is_cut_off(tmp_path: Path) -> None:
    app = create_app(tmp_path / "db.sqlite")
    head = (b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="files"; '
            b'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n')  # fmt: skip
    chunk = b"x" * 2**22  # 4 MB; a new part every four chunks keeps each file under its cap
    parts = MAX_BATCH_BYTES // (4 * len(chunk)) + 2
    pieces = (b"\r\n" + head, chunk, chunk, chunk, chunk)  # a boundary starts a line
    chunks = iter([piece for _ in range(parts) for piece in pieces])
    status, asked = _call(app, "/check", MULTIPART, chunks)  # no length: chunked
    # Cut by the batch's cap, not a file's: after about 500 MB, not 20.
    assert status == 413 and MAX_BATCH_BYTES // len(chunk) <= asked <= 5 * parts


def test_the_limit_depends_on_the_path() -> None:
    app = FastAPI()

    @app.post("/{path}")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app.add_middleware(BodyLimit, limit=100, routes={"/check": 1000})
    c = TestClient(app)
    assert c.post("/check", content=b"x" * 500).json() == {"bytes": 500}
    assert c.post("/other", content=b"x" * 500).status_code == 413
    assert c.post("/check", content=iter([b"x" * 600, b"x" * 600])).status_code == 413


def test_one_file_over_the_limit_is_cut_off_as_it_streams(tmp_path: Path) -> None:
    """Issue 13: a 200 MB upload was refused only once all of it had arrived."""
    app = create_app(tmp_path / "db.sqlite")
    head = (b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="files"; '
            b'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n')  # fmt: skip
    chunk = b"x" * 2**20
    status, asked = _call(app, "/api/check", MULTIPART, iter([head, *[chunk] * 200]))
    assert status == 413 and asked <= MAX_FILE_BYTES // len(chunk) + 3  # ~21 of 201 chunks


_ALPHABET = st.binary(min_size=0, max_size=40).map(lambda b: b.replace(b"-", b"x"))


@given(
    payloads=st.lists(_ALPHABET, min_size=1, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=12),
    limit=st.integers(min_value=4, max_value=45),
)
def test_a_part_is_measured_exactly_however_the_body_is_chunked(
    payloads: list[bytes], cuts: list[int], limit: int
) -> None:
    delimiter = b"\r\n--" + BOUNDARY  # the first one without its line break, as in a real body
    body = (b"".join(delimiter + p for p in payloads) + delimiter + b"--\r\n")[2:]
    counter = PartCounter(BOUNDARY, limit=limit)
    edges = sorted({0, len(body), *(c for c in cuts if c < len(body))})
    fed = [counter.feed(body[a:b]) for a, b in pairwise(edges)]
    assert all(fed) == (max(len(p) for p in payloads) <= limit)


def test_simultaneous_uploads_cannot_pass_the_per_client_limit(tmp_path: Path) -> None:
    """The room was checked before the upload was read and the batch added after: 8 uploads at
    once from one client all got in (the limit is 3), 20 filled the server."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from gongkai.web.batches import MAX_OPEN_PER_KEY
    from test_web_browser import served

    big = (SOURCES[0].name, SOURCES[0].read_bytes())
    files = [("files", (f"{k}_{big[0]}", big[1], "text/plain")) for k in range(40)]
    with served(create_app(tmp_path / "db.sqlite")) as base, ThreadPoolExecutor(8) as pool:

        def upload(_: int) -> int:
            return httpx.post(f"{base}/api/check/batches", files=files, timeout=120).status_code

        codes = list(pool.map(upload, range(8)))
    assert codes.count(202) <= MAX_OPEN_PER_KEY and codes.count(429) >= 8 - MAX_OPEN_PER_KEY


def test_an_archive_of_too_many_entries_is_refused_unread(app_client: TestClient) -> None:
    from gongkai.web.batches import MAX_ZIP_ENTRIES

    archive = _zip({f"x/{i}.dat": b"" for i in range(MAX_ZIP_ENTRIES + 1)})
    started = app_client.post("/api/check/batches", files=[("files", ("many.zip", archive, "x"))])
    rows = _finished(app_client, started.json()["id"])["rows"]
    assert [r["name"] for r in rows] == ["many.zip"] and "条目超过" in rows[0]["error"]


def test_members_refused_as_too_large_use_up_the_batch_budget(app_client: TestClient) -> None:
    """Each was decompressed before being refused: 500 of them cost 10 GB of work."""
    over = MAX_FILE_BYTES + 1
    count = MAX_BATCH_BYTES // MAX_FILE_BYTES + 3
    archive = _zip({f"{i:02d}.txt": b"0" * over for i in range(count)})
    started = app_client.post("/api/check/batches", files=[("files", ("big.zip", archive, "x"))])
    rows = _finished(app_client, started.json()["id"])["rows"]
    assert len(rows) == count and all(r["error"] for r in rows)
    assert "文件过大" in rows[0]["error"]
    assert "本批文件合计超过" in rows[-1]["error"]  # not read at all once the budget is gone


def test_a_control_character_in_a_name_does_not_break_the_xlsx(app_client: TestClient) -> None:
    text = SOURCES[0].read_bytes()
    archive = _zip({"报告\x01.txt": text})
    started = app_client.post("/api/check/batches", files=[("files", ("a.zip", archive, "x"))])
    out = _finished(app_client, started.json()["id"])
    assert [r["name"] for r in out["rows"]] == ["报告_.txt"]
    sheet = app_client.get(f"/check/batches/{out['id']}/findings.xlsx")
    assert sheet.status_code == 200
    names = {row[0] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(
        min_row=2, values_only=True)}  # fmt: skip
    assert names == {"报告_.txt"}


def test_an_unexpected_error_is_answered_in_chinese(tmp_path: Path) -> None:
    app = create_app(tmp_path / "db.sqlite")

    def broken() -> None:
        raise ZeroDivisionError  # stands for any bug of ours

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        page = c.get("/broken")
    assert page.status_code == 500 and "服务器内部错误" in page.text
    assert "Internal Server Error" not in page.text


def test_a_boundary_inside_a_file_does_not_restart_the_count() -> None:
    """Only a boundary at the start of a line ends a part; the same bytes mid-line used to reset
    the count, so a file could carry them to pass the early cut-off."""
    counter = PartCounter(BOUNDARY, limit=100)
    head = b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="files"\r\n\r\n'
    fed = [counter.feed(head)]
    for _ in range(10):
        fed.append(counter.feed(b"x" * 20 + b"--" + BOUNDARY))
    assert not all(fed)
