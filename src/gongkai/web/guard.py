"""The gate every request passes: cross-site writes refused, the caller identified, anonymous
visitors sent to the login page when the database has accounts, and every write recorded in the
audit log once it has been answered.

Cross-site requests: a state-changing request (anything but GET/HEAD/OPTIONS) is refused before it
reaches an endpoint unless the browser's Sec-Fetch-Site says same-origin (or none: typed by the
user), or — from a browser too old to send it — its Origin, else its Referer, names this host. "Another site" includes another port of this host (issue 13: a
form on another port dismissed a finding). Programs that send neither header are let through:
they authenticate with a header a browser never adds on its own, never with the cookie.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Final
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gongkai.web import auth

SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
CROSS_SITE: Final = "拒绝跨站请求：写入只能来自本站页面（请求来源与本站地址不一致）"
# Served to anyone, signed in or not: the login page and what it needs.
PUBLIC: Final = re.compile(r"^/(login|logout|favicon\.ico|static/.*)$")
Handler = Callable[[Request], Awaitable[Response]]
ErrorPage = Callable[[Request, int, str, Mapping[str, str] | None], Response]

# Route path → the action in words, for the audit log (a path not listed is logged as itself).
ACTIONS: Final = {
    "/reports/{report_id}/review": "复核审查意见",
    "/api/reports/{report_id}/reviews": "复核审查意见",
    "/reports/{report_id}/delete": "删除报告",
    "/api/reports/{report_id}": "删除报告",
    "/reports/{report_id}/edition": "选定计入统计的版本",
    "/api/reports/{report_id}/edition": "选定计入统计的版本",
    "/ingest": "存入语料库",
    "/api/reports": "存入语料库",
    "/register": "登记依申请公开申请",
    "/register/{request_id}/answer": "记录申请的答复",
}


def _netloc(url: str) -> str | None:
    try:
        return urlsplit(url).netloc.lower() or None
    except ValueError:
        return None


def same_site(request: Request) -> bool:
    """Whether a state-changing request comes from this site's own pages (or from a program)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:  # the browser's own word, which a page cannot forge
        return fetch_site in ("same-origin", "none")
    host = (request.headers.get("host") or "").lower()
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != "null" and _netloc(origin) == host
    referer = request.headers.get("referer")
    return referer is None or _netloc(referer) == host


def _login_needed(request: Request, page: ErrorPage) -> Response:
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        return JSONResponse({"detail": auth.NEED_LOGIN}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    if request.method not in SAFE_METHODS or request.headers.get("hx-request"):
        return page(request, 401, auth.NEED_LOGIN, None)
    target = path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _record(request: Request, status: int) -> None:
    """The audit line of a write that passed its permission check (whatever its outcome)."""
    who = auth.current(request)
    template = getattr(request.scope.get("route"), "path", request.url.path)
    action = ACTIONS.get(template, f"{request.method} {template}")
    detail = getattr(request.state, "audit_detail", None)
    auth.record(request, who.name if who else "?", action, status=status, detail=detail)


def install(app: FastAPI, page: ErrorPage) -> None:
    """Add the gate to `app`; `page` renders an error the way the app's handlers do."""

    @app.middleware("http")
    async def gate(request: Request, call_next: Handler) -> Response:
        path = request.url.path
        if path.startswith("/static/"):
            return await call_next(request)
        identity = await run_in_threadpool(auth.identify, request)
        request.state.user, request.state.accounts = identity.who, identity.accounts
        if request.method not in SAFE_METHODS and not same_site(request):
            return page(request, 403, CROSS_SITE, None)
        if identity.refused:  # over the failure limit: the token was not even checked
            return page(request, 429, auth.TOO_MANY, {"Retry-After": str(int(auth.WINDOW_S))})
        if identity.bad_secret:
            return page(request, 401, auth.BAD_TOKEN, {"WWW-Authenticate": "Bearer"})
        if identity.accounts and identity.who is None and not PUBLIC.match(path):
            return _login_needed(request, page)
        response = await call_next(request)
        if getattr(request.state, "audit", False):
            await run_in_threadpool(_record, request, response.status_code)
        return response
