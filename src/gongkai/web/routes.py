"""URL wiring. Every page view is mounted twice: as HTML at its path and as JSON under /api/.
The HTML-only routes are form posts (htmx fragments, downloads, login) over the same functions."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from gongkai.model.report import Report
from gongkai.web import actions, admin, auth, batch_pages, pages, register, views
from gongkai.web.authoring import report_from_form
from gongkai.web.charts import home_charts
from gongkai.web.models import CheckResults, EditionIn, ReviewIn

Extra = Callable[[Any], dict[str, Any]]
TAGS = {key: label for key, _href, label in pages.NAV} | {"docs": "下载与审查"}
Files = Annotated[list[UploadFile], File(description="报告文件，可多个")]
MAX_FORM_FIELD = 4 * 1024**2  # a report's JSON with the provenance of every cell


def dual(
    router: APIRouter, path: str, view: Callable[..., Any], template: str, *, tag: str,
    extra: Extra | None = None,
) -> None:  # fmt: skip
    """GET `path` renders `template` with the view's data; GET /api`path` returns it as JSON."""
    router.add_api_route(
        "/api" + path, view, methods=["GET"], tags=[TAGS[tag]], summary=summary(view)
    )

    @functools.wraps(view)
    def html(**kwargs: Any) -> HTMLResponse:
        data = view(**kwargs)
        more = extra(data) if extra else {}
        return pages.render(kwargs["ctx"].request, template, data=data, active=tag, **more)

    router.add_api_route(
        path, html, methods=["GET"], include_in_schema=False, response_class=HTMLResponse,
        response_model=None,
    )  # fmt: skip


def page_routes(router: APIRouter) -> None:
    dual(router, "/", views.home, "home.html.j2", tag="home",
         extra=lambda d: {"charts": home_charts(d)})  # fmt: skip
    dual(router, "/reports", views.reports, "reports.html.j2", tag="reports")
    dual(router, "/reports/{report_id}", views.report, "report.html.j2", tag="reports")
    dual(
        router,
        "/reports/{report_id}/cells/{path}",
        views.cell_source,
        "_cell.html.j2",
        tag="reports",
    )
    dual(
        router,
        "/reports/{report_id}/cells/{path}/page",
        views.cell_page,
        "cell_page.html.j2",
        tag="reports",
    )
    dual(router, "/compare", views.compare_view, "compare.html.j2", tag="compare")
    dual(router, "/years", views.years, "years.html.j2", tag="years")
    dual(router, "/rollup", views.rollup_view, "rollup.html.j2", tag="rollup")
    dual(router, "/author", views.author, "author.html.j2", tag="author")


def api_routes(router: APIRouter) -> None:
    """The JSON API beyond the pages: uploads, stateless checks, downloads, writes."""
    for method, path, endpoint, tag, file in (
        ("POST", "/api/check", views.check_files, "check", False),
        ("POST", "/api/parse", parse_files, "check", False),
        ("POST", "/api/validate", actions.validate_report, "author", False),
        ("POST", "/api/render", actions.render_report, "author", True),
        ("POST", "/api/reports", actions.ingest_uploads, "reports", False),
        ("DELETE", "/api/reports/{report_id}", actions.delete_report, "reports", False),
        ("GET", "/api/reports/{report_id}/export", actions.export_report, "reports", True),
        ("GET", "/api/reports/{report_id}/card", actions.report_card, "reports", True),
        ("POST", "/api/reports/{report_id}/reviews", actions.review_finding, "reports", False),
        ("POST", "/api/reports/{report_id}/edition", actions.choose_edition, "reports", False),
        ("GET", "/api/rollup/export", rollup_export, "rollup", True),
        ("GET", "/api/findings/export", actions.findings_export, "reports", True),
    ):
        deleting = method == "DELETE"
        router.add_api_route(
            path, endpoint, methods=[method], tags=[TAGS[tag]], summary=summary(endpoint),
            response_class=Response if file or deleting else JSONResponse,
            responses=_FILE if file else None, status_code=204 if deleting else None,
        )  # fmt: skip
    router.add_api_route(
        "/api/reports/{report_id}/pages/{page}", actions.page_image, methods=["GET"],
        tags=[TAGS["reports"]], summary=summary(actions.page_image), response_class=Response,
        responses=_PNG,
    )  # fmt: skip


def summary(endpoint: Callable[..., Any]) -> str:
    """The first sentence of the docstring: the Chinese title shown in the API docs."""
    doc = (endpoint.__doc__ or "").strip()
    return doc.split("\n")[0].split("：")[0].rstrip("。") or endpoint.__name__


_PNG: dict[int | str, dict[str, Any]] = {
    200: {"description": "该页的 PNG 图像", "content": {"image/png": {}}},
    404: {"description": "没有这份报告或这一页、原件不是 PDF，或原文件已不在入库时的路径"},
}
_FILE: dict[int | str, dict[str, Any]] = {200: {"description": "所选格式的文件", "content": {
    m: {} for m in actions.MEDIA.values()}}}  # fmt: skip


async def parse_files(files: Files) -> CheckResults:
    """解析上传的报告（不附审查意见）；文件在受限的子进程中处理。"""
    results = await views.check_files(files)
    for result in results.results:
        if result.report is not None:
            result.report.findings = None
            result.findings = []
    return results


def rollup_export(
    ctx: views.CtxDep, ids: views.Ids, name: str = "", format: actions.FormatQ = "docx"
) -> Response:
    """下载汇总报告（DOCX、XLSX 等；JSON 含输入清单与留空的单元格）。"""
    out = views.rollup_view(ctx, ids=ids, name=name)
    if out.result is None:
        raise HTTPException(422, out.message or "没有可汇总的报告")
    if format == "json":
        data = json.dumps(out.result.to_json(), ensure_ascii=False, indent=1)
        return actions.download(data, f"{out.result.report.meta.agency}.json", "json")
    return actions.rendered(out.result.report, format)


# HTML form posts ----------------------------------------------------------------------------------


def form_routes(router: APIRouter) -> None:
    add = router.add_api_route
    for path, endpoint in (
        ("/check", check_page), ("/ingest", ingest_page), ("/reports/{report_id}/review", review_page),
        ("/reports/{report_id}/delete", delete_page), ("/reports/{report_id}/edition", edition_page),
        ("/author/check", author_check_page), ("/author/export", author_export),
        ("/export", export_page), ("/login", login), ("/logout", logout),
    ):  # fmt: skip
        add(path, endpoint, methods=["POST"], include_in_schema=False, response_model=None)
    add("/check", check_form, methods=["GET"], include_in_schema=False, response_model=None)
    add("/login", login_form, methods=["GET"], include_in_schema=False, response_model=None)


def check_form(request: Request) -> HTMLResponse:
    return batch_pages.check_form(request)


async def check_page(request: Request) -> Response:
    """A batch: up to 500 files or .zip files, checked in the background (web.batch_pages)."""
    return await batch_pages.start_page(request)


async def ingest_page(ctx: views.CtxDep, files: Files, user: auth.WriteAccess) -> HTMLResponse:
    summary = await actions.ingest_uploads(ctx, files, user)
    return pages.render(ctx.request, "check.html.j2", data=None, ingest=summary, active="check")


def review_page(
    ctx: views.CtxDep,
    report_id: views.ReportId,
    code: Annotated[str, Form(max_length=64)],
    decision: Annotated[Literal["confirm", "dismiss"], Form()],
    user: auth.WriteAccess,
    fingerprint: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    """The decision from the page's form; answers with the finding's updated list item."""
    try:
        body = ReviewIn(
            code=code, decision=decision, note=note or None, fingerprint=fingerprint or None
        )
    except ValidationError as exc:
        raise HTTPException(422, "复核表单内容无效") from exc
    actions.review_finding(ctx, report_id, body, user)
    findings = views.report(ctx, report_id).findings
    index = next(
        i for i, f in enumerate(findings)
        if (f.fingerprint or "").startswith(fingerprint) and f.code == code
    )  # fmt: skip
    return pages.render(ctx.request, "_finding.html.j2", f=findings[index], fid=f"f{index}",
                        report_id=report_id)  # fmt: skip


def delete_page(ctx: views.CtxDep, report_id: views.ReportId, user: auth.AdminAccess) -> Response:
    """The report page's delete button (htmx asks to confirm first); then back to the list."""
    actions.delete_report(ctx, report_id, user)
    if ctx.request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": "/reports"})
    return RedirectResponse("/reports", status_code=303)


def edition_page(
    ctx: views.CtxDep,
    report_id: views.ReportId,
    user: auth.WriteAccess,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The report page's "设为计入统计的版本" button; then the page again, as it now stands."""
    actions.choose_edition(ctx, report_id, EditionIn(note=note or None), user)
    target = f"/reports/{report_id}"
    if ctx.request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(max_fields=2000, max_part_size=MAX_FORM_FIELD)
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def author_check_page(request: Request) -> HTMLResponse:
    result = views.author_check(await _form(request))
    return pages.render(request, "_author_findings.html.j2", check=result)


async def author_export(request: Request) -> Response:
    form = await _form(request)
    fmt = form.get("format", "docx")
    if fmt not in ("docx", "xlsx", "json", "html", "md"):
        raise HTTPException(422, "不支持的导出格式")
    report, problems = report_from_form(form)
    if problems:
        raise HTTPException(422, "；".join(f"{p.label}：{p.message}" for p in problems[:5]))
    return actions.rendered(report, fmt)


async def export_page(request: Request) -> Response:
    form = await _form(request)
    fmt = form.get("format", "json")
    if fmt not in actions.MEDIA:
        raise HTTPException(422, "不支持的导出格式")
    try:
        report = Report.model_validate_json(form.get("report", ""))
    except ValidationError as exc:
        raise HTTPException(422, "报告数据无效") from exc
    return actions.rendered(actions.checked_shape(report), fmt, provenance=True)


def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return pages.render(request, "login.html.j2", next=_local(next), failed=False)


def _local(target: str) -> str:
    """Only a path on this site: an open redirect would lend our name to someone else's page."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def login(
    request: Request,
    secret: Annotated[str, Form(max_length=500)],
    name: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """A user's name and password or token (or, name left empty, the start-up token)."""
    guard, address, claimed = auth.throttle(request), auth.address(request), name.strip()
    if not guard.begin(address, claimed):  # before the check: no argon2 hashes for a guesser
        raise auth.too_many()
    who = None
    try:
        who = auth.sign_in(request, claimed, secret)
    finally:
        guard.end(address, claimed, failed=who is None)
    if who is None:
        request.state.user = None
        auth.record(request, name.strip() or auth.TOKEN_HOLDER, "登录失败", status=401)
        return pages.render(request, "login.html.j2", status=401, next=_local(next), failed=True,
                            name=name)  # fmt: skip
    auth.record(request, who.name, "登录", status=303)
    response = RedirectResponse(_local(next), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(auth.SESSION, auth.new_session(request, who), max_age=auth.SESSION_S,
                        httponly=True, samesite="strict", secure=secure)  # fmt: skip
    return response


def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION)
    return response


def build_router() -> APIRouter:
    router = APIRouter()
    api_routes(router)
    page_routes(router)
    form_routes(router)
    register.routes(router, TAGS["register"])
    batch_pages.routes(router, TAGS["check"])
    admin.routes(router, "管理")
    return router
