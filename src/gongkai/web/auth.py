"""Who may write: one shared token, set at start-up.

Without a token the app is read-only: browsing, downloads and the stateless checks (upload and
check, authoring, compare, roll-up) work, writing to the corpus does not. With a token, a write
needs it as `Authorization: Bearer …`, as `X-Gongkai-Token`, or as the cookie the login page sets
(HttpOnly, SameSite=Strict, so another site cannot make a browser send it).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

COOKIE = "gongkai_token"
HEADER = "x-gongkai-token"
READ_ONLY = "当前为只读模式：服务启动时未设置 --token，不能写入语料库"
NEED_TOKEN = "需要令牌：请先登录，或在请求头 Authorization: Bearer 中提供令牌"

bearer = HTTPBearer(auto_error=False, description="启动时 --token 指定的令牌")


def configured(request: Request) -> str | None:
    token: str | None = request.app.state.token
    return token


def presented(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.headers.get(HEADER) or request.cookies.get(COOKIE)


def valid(expected: str | None, given: str | None) -> bool:
    # compare_digest: the time taken does not tell how much of a guess was right.
    return bool(expected and given and hmac.compare_digest(expected.encode(), given.encode()))


def can_write(request: Request) -> bool:
    """For pages: show the write controls only to whoever could use them."""
    return valid(configured(request), presented(request, None))


def require_write(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Dependency of every endpoint that changes the corpus."""
    expected = configured(request)
    if expected is None:
        raise HTTPException(403, READ_ONLY)
    if not valid(expected, presented(request, credentials)):
        raise HTTPException(401, NEED_TOKEN, headers={"WWW-Authenticate": "Bearer"})


WriteAccess = Annotated[None, Depends(require_write)]
