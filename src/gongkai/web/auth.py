"""Who may write: one shared token, set at start-up.

Without a token the app is read-only: browsing, downloads and the stateless checks (upload and
check, authoring, compare, roll-up) work, writing to the corpus does not. With a token, a write
needs it as `Authorization: Bearer …`, as `X-Gongkai-Token`, or as the cookie the login page sets
(HttpOnly, SameSite=Strict, so another site cannot make a browser send it).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
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


# Guessing the token is slowed down: after MAX_FAILURES wrong tokens from one address within
# WINDOW_S seconds, that address is refused (429) until the window has passed (issue 13: 300
# guesses took 1.5 s). Kept in memory: a restart forgets, which costs a guesser a restart.
MAX_FAILURES = 5
WINDOW_S = 60.0
_MAX_ADDRESSES = 10_000
TOO_MANY = "令牌错误次数过多，请 1 分钟后再试"


class Throttle:
    """Recent failures per client address; thread-safe (the app serves from a thread pool)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.setdefault(address, deque())
        while times and now - times[0] > WINDOW_S:
            times.popleft()
        return times

    def check(self, address: str) -> None:
        with self._lock:
            if len(self._recent(address, time.monotonic())) >= MAX_FAILURES:
                raise HTTPException(429, TOO_MANY, headers={"Retry-After": str(int(WINDOW_S))})

    def fail(self, address: str) -> None:
        with self._lock:
            if len(self._failures) >= _MAX_ADDRESSES:
                self._failures.clear()  # bounded memory; a flood of addresses resets the count
            self._recent(address, time.monotonic()).append(time.monotonic())


def address(request: Request) -> str:
    return request.client.host if request.client else "?"


def throttle(request: Request) -> Throttle:
    found: Throttle | None = getattr(request.app.state, "throttle", None)
    if found is None:
        found = request.app.state.throttle = Throttle()
    return found


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
    given = presented(request, credentials)
    if given is not None:
        throttle(request).check(address(request))
    if not valid(expected, given):
        if given is not None:  # a wrong token, not a missing one: a guess
            throttle(request).fail(address(request))
        raise HTTPException(401, NEED_TOKEN, headers={"WWW-Authenticate": "Bearer"})


WriteAccess = Annotated[None, Depends(require_write)]
