"""The application: `create_app(db, token)` wires the store, the pages, the API and the assets.

Every asset is served from this package (htmx, ECharts, Swagger UI, CSS): a clerk's office may
have no Internet, and a page that loads a CDN leaks who reads what. Swagger UI comes from npm
`swagger-ui-dist`, vendored; ReDoc (CDN-only in FastAPI) is off.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongkai import __version__, store
from gongkai.errors import GongkaiError
from gongkai.web import auth, batch_pages, guard, messages, pages
from gongkai.web.batches import Batches
from gongkai.web.routes import build_router
from gongkai.web.uploads import BodyLimit

DESCRIPTION = (
    "政府信息公开工作年度报告的解析、审查与语料库查询接口。页面与接口使用同一份数据："
    "每个页面（如 /reports）都有对应的 JSON 接口（/api/reports）。写入语料库的接口需要令牌。"
)
_SECURITY_HEADERS = {
    # Only our own scripts, styles and images; htmx requests go to this origin only.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' "
    "'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on this
    # site's own form posts, which the cross-site check must refuse. Other sites still get none.
    "Referrer-Policy": "same-origin",
}
_DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"
)
_STATUS_TEXT = {
    401: "需要登录",
    403: "没有权限",
    404: "没有找到",
    405: "不支持此操作",
    413: "文件过大",
    422: "参数有误",
    429: "请求过于频繁",
    500: "服务器内部错误",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(
    request: Request, status: int, detail: Any, headers: Mapping[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=dict(headers or {}))
    message = detail if isinstance(detail, str) else "请求的参数有误，请检查后重试"
    template = "_error.html.j2" if request.headers.get("hx-request") else "error.html.j2"
    page = pages.render(request, template, status=status, message=message,
                        title=_STATUS_TEXT.get(status, "出错了"))  # fmt: skip
    page.headers.update(dict(headers or {}))  # Retry-After, WWW-Authenticate: pages keep them too
    return page


def _handlers(app: FastAPI) -> None:
    # Starlette's class, not FastAPI's subclass: unknown paths and methods get a Chinese answer too.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail
        if detail == HTTPStatus(exc.status_code).phrase:  # Starlette's own English wording
            detail = _STATUS_TEXT.get(exc.status_code, detail)
        return _error(request, exc.status_code, detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if _wants_json(request):
            return _error(request, 422, _jsonable(messages.in_chinese(errors)))
        return _error(request, 422, messages.summary(errors))

    @app.exception_handler(store.StoreError)
    async def store_error(request: Request, exc: store.StoreError) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # A bug of ours: the server logs the traceback (Starlette re-raises after this answer);
        # the user gets a Chinese page, not "Internal Server Error".
        return _error(
            request, 500, "服务器内部错误：这次请求没有完成，请稍后重试；如反复出现，请联系管理员"
        )

    @app.exception_handler(GongkaiError)
    async def gongkai_error(request: Request, exc: GongkaiError) -> Response:
        return _error(request, 422, str(exc))


def _jsonable(errors: Any) -> Any:
    """Validation errors may carry the offending input (bytes, exceptions): keep them printable."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(errors, custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")})


def _docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Gongkai 接口文档",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-favicon.png",
            # validatorUrl null: Swagger UI would otherwise send the spec to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )
        # FastAPI starts Swagger UI with an inline script; only this page may run one.
        page.headers["Content-Security-Policy"] = _DOCS_CSP
        return page


def create_app(db: str | Path = store.DEFAULT_DB, token: str | None = None) -> FastAPI:
    """The web app over the corpus at `db` (created if missing). Without `token` it is read-only
    except for the stateless checks."""
    store.open_db(db, create=True).close()  # create and migrate once, before the first request
    app = FastAPI(title="Gongkai 政府信息公开年报", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=batch_pages.lifespan)  # fmt: skip
    app.state.db = str(db)
    app.state.token = token or None
    # What the app keeps between requests, in memory: a restart forgets it.
    app.state.throttle, app.state.tokens = auth.Throttle(), auth.TokenCache()
    app.state.batches = Batches()
    app.add_middleware(BodyLimit)
    guard.install(app, _error)  # added before security_headers, so inside it: its answers get them

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    static = Path(str(files("gongkai.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    _handlers(app)
    _docs(app)
    app.include_router(build_router())
    return app
