"""批量检查 on the web: POST /check (and /api/check/batches) starts a batch of up to 500 files or
.zip files; the batch page polls GET /check/batches/{id} for progress and the summary table;
each file's details and the batch's findings as XLSX have their own addresses.

The synchronous POST /api/check stays as it was, for up to 20 files: a script that wants the
full reports at once keeps getting them; larger sets go through the batch endpoints.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongkai.corpus.findings_export import in_words, xlsx_bytes
from gongkai.web import auth, pages
from gongkai.web.actions import download
from gongkai.web.batches import TOO_MANY, Batch, Batches, BatchOut, TooMany, intake, sweep
from gongkai.web.models import CheckResult
from gongkai.web.uploads import MAX_BATCH_BYTES, MAX_BATCH_FILES

BatchId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{10,64}$", description="批次编号")]
FileNo = Annotated[int, Path(ge=1, le=MAX_BATCH_FILES, description="文件在批次中的序号")]
QUICK_WAIT_S = 10.0  # a one-file batch is answered complete if it finishes within this
_POLL_S = 0.05
COLUMNS = (
    ("file", "文件"), ("agency", "发布机关"), ("year", "年度"), ("code", "代码"),
    ("rule", "规则"), ("severity", "级别"), ("where", "位置"), ("actual", "数值"),
    ("expected", "应为"), ("message", "说明"),
)  # fmt: skip


def store(request: Request) -> Batches:
    """The app's batches (made by create_app, like the login throttle)."""
    found: Batches = request.app.state.batches
    return found


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Batch folders: stale ones of an earlier run removed at start, this run's at shutdown."""
    await run_in_threadpool(sweep)
    yield
    app.state.batches.close_all()


async def start(request: Request) -> Batch:
    """Read the upload form (at most MAX_BATCH_FILES files: the parser stops at one more), judge
    and save the files, and queue them under the client's key."""
    key = auth.client_key(request)
    batches = store(request)
    batches.room_for(key)
    try:
        batch = await _read(request, key)
    except BaseException:
        batches.release(key)
        raise
    batches.add(batch)
    return batch


async def _read(request: Request, key: str) -> Batch:
    try:
        form = await request.form(max_files=MAX_BATCH_FILES, max_fields=100)
    except StarletteHTTPException as exc:  # Starlette's own words are English
        raise HTTPException(
            422, TOO_MANY if "files" in str(exc.detail) else "上传内容无法解析"
        ) from exc
    try:
        uploads = [v for v in form.getlist("files") if isinstance(v, UploadFile)]
        if not uploads:
            raise HTTPException(422, "请选择要检查的文件")
        return await run_in_threadpool(intake, uploads, key)
    except TooMany as exc:
        raise HTTPException(422, TOO_MANY) from exc
    finally:
        await form.close()


async def start_page(request: Request) -> Response:
    """POST /check: a one-file batch is answered with its result once checked (as fast as before
    batches); any other answers at once with the page that shows its progress."""
    batch = await start(request)
    if len(batch.rows) == 1:
        await _settled(batch, QUICK_WAIT_S)
    target = f"/check/batches/{batch.id}"
    if not request.headers.get("hx-request"):
        return RedirectResponse(target, status_code=303)  # reloading the page must not upload again
    response = _render(request, batch, fragment=True)
    response.headers["HX-Push-Url"] = target
    return response


async def _settled(batch: Batch, limit: float) -> None:
    """Wait (without holding a thread) until `batch` is done or `limit` seconds have passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while batch.finished_at is None and loop.time() < deadline:
        await asyncio.sleep(_POLL_S)


def _render(request: Request, batch: Batch, *, fragment: bool) -> HTMLResponse:
    data = batch.out()
    single = batch.result(1) if data.done and data.total == 1 else None
    context: dict[str, Any] = {"b": data, "single": single}
    if fragment:
        return pages.render(request, "_batch.html.j2", **context)
    return pages.render(request, "check.html.j2", active="check", **_limits(), **context)


def _limits() -> dict[str, int]:
    return {"batch_files": MAX_BATCH_FILES, "batch_mb": MAX_BATCH_BYTES // 1024**2}


def check_form(request: Request) -> HTMLResponse:
    return pages.render(request, "check.html.j2", active="check", **_limits())


async def start_api(request: Request) -> BatchOut:
    """批量检查：上传至多 500 个文件或装有报告的 .zip，在后台逐个检查；返回批次编号与进度。

    表单字段 files，可多个。用 GET /api/check/batches/{id} 查看进度与汇总，
    GET /check/batches/{id}/findings.xlsx 下载全部审查意见。"""
    return (await start(request)).out()


def batch_view(request: Request, batch_id: BatchId) -> BatchOut:
    """批量检查的进度与汇总：每个文件的发布机关、年度、错误与警告数，或未能检查的原因。"""
    return store(request).get(batch_id).out()


def batch_page(request: Request, batch_id: BatchId) -> HTMLResponse:
    batch = store(request).get(batch_id)
    return _render(request, batch, fragment=bool(request.headers.get("hx-request")))


def file_page(request: Request, batch_id: BatchId, n: FileNo) -> HTMLResponse:
    """One file of a batch: its tables with the findings beside them."""
    batch = store(request).get(batch_id)
    result = batch.result(n)
    if result is None:
        raise HTTPException(404, "这个文件还在等待检查，请稍后再看")
    if request.headers.get("hx-request"):
        return pages.render(request, "_check_result.html.j2", r=result, n=n)
    return pages.render(
        request, "check_file.html.j2", active="check", r=result, n=n, batch_id=batch_id
    )


def findings_xlsx(request: Request, batch_id: BatchId) -> Response:
    """本批全部审查意见的 XLSX：每条意见一行（文件、发布机关、年度、代码、规则、位置、数值、说明）。"""
    batch = store(request).get(batch_id)
    rows = [row for result in batch.results() for row in finding_rows(result)]
    return download(xlsx_bytes(rows, COLUMNS, "审查意见"), "批量检查审查意见.xlsx", "xlsx")


def finding_rows(result: CheckResult) -> list[dict[str, Any]]:
    """One row per finding of one file, its place in words."""
    meta = result.report.meta if result.report is not None else None
    return [
        {"file": result.name, "agency": meta.agency if meta else None,
         "year": meta.year if meta else None, "code": f.code, "actual": f.actual,
         "expected": f.expected, "message": f.message} | in_words(f.code, f.severity, f.labels)
        for f in result.findings
    ]  # fmt: skip


def routes(router: APIRouter, tag: str) -> None:
    """Mounted by routes.build_router; POST /check itself is routes.check_page."""
    router.add_api_route(
        "/api/check/batches", start_api, methods=["POST"], tags=[tag], status_code=202,
        summary="批量检查", openapi_extra=_FORM,
    )  # fmt: skip
    router.add_api_route(
        "/api/check/batches/{batch_id}", batch_view, methods=["GET"], tags=[tag],
        summary="批量检查的进度与汇总",
    )  # fmt: skip
    for path, endpoint in (
        ("/check/batches/{batch_id}", batch_page),
        ("/check/batches/{batch_id}/files/{n}", file_page),
        ("/check/batches/{batch_id}/findings.xlsx", findings_xlsx),
    ):
        router.add_api_route(
            path, endpoint, methods=["GET"], include_in_schema=False, response_model=None
        )


# The form is read by hand (to stop at 501 files), so the API docs are told its shape.
_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "报告文件或 .zip，至多 500 个（压缩包中的文件逐个计数）",
                        }
                    },
                }
            }
        },
    }
}
