"""管理: the audit log and the list of users, for the 管理 role only (page and JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from gongkai.corpus.accounts import LOGIN_NAMES
from gongkai.store import users as store_users
from gongkai.store.users import AuditRow
from gongkai.web import auth, pages
from gongkai.web.corpus import connection


class UserOut(BaseModel):
    name: str
    role: str
    login: str
    disabled: bool
    created_at: str


class AuditPage(BaseModel):
    entries: list[AuditRow]  # the store's rows as they are
    users: list[UserOut]
    who: str | None
    older: int | None  # the `before` of the next (older) page, if there is one


def audit_view(
    request: Request,
    _: auth.AdminAccess,
    who: Annotated[str | None, Query(max_length=100, description="只看此用户")] = None,
    before: Annotated[int | None, Query(ge=1, description="翻页：早于此编号的记录")] = None,
) -> AuditPage:
    """审计日志：每一次写入（谁、何时、做了什么、结果），最新的在前；以及用户列表；需要「管理」权限。"""
    con = connection(request.app.state.db)
    rows = store_users.audit_log(con, who=who or None, before=before)
    people = store_users.list_users(con)
    full = len(rows) == store_users.AUDIT_PAGE
    return AuditPage(
        entries=rows,
        users=[UserOut(name=u.name, role=u.role, disabled=u.disabled, created_at=u.created_at,
                       login=LOGIN_NAMES[u.secret_kind]) for u in people],
        who=who or None,
        older=rows[-1].id if full else None,
    )  # fmt: skip


def audit_html(
    request: Request,
    user: auth.AdminAccess,
    who: Annotated[str | None, Query(max_length=100)] = None,
    before: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    data = audit_view(request, user, who, before)
    return pages.render(request, "audit.html.j2", data=data)


def routes(router: APIRouter, tag: str) -> None:
    router.add_api_route("/api/audit", audit_view, methods=["GET"], tags=[tag])
    router.add_api_route(
        "/admin/audit", audit_html, methods=["GET"], include_in_schema=False,
        response_class=HTMLResponse, response_model=None,
    )  # fmt: skip
