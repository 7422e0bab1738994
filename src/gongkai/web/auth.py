"""Who is asking, and what they may do.

Two set-ups. **Accounts** (`gongkai users add`): named users with a role — 查看 reads, 审核 also
reviews findings, stores reports and keeps the register, 管理 also deletes and reads the audit
log; with any account in the database, nothing but the login page is served to an anonymous
visitor. **One shared token** (`serve --token`, a one-person set-up): its holder is 管理, and
reading stays open to all. With neither, the app is read-only and open.

A signed-in browser holds a signed session cookie (user id, issue time, HMAC-SHA256 over them and
the user's secret-change time with a key kept in the database): never the secret itself, void
after SESSION_S or once the secret changes, and worthless once the user is disabled. A program
sends its token as `Authorization: Bearer …` or `X-Gongkai-Token`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBearer

from gongkai.corpus import accounts
from gongkai.store import users as store_users
from gongkai.web.corpus import connection

SESSION: Final = "gongkai_session"
HEADER: Final = "x-gongkai-token"
SESSION_S: Final = 12 * 3600
TOKEN_HOLDER: Final = "令牌持有人"
READ_ONLY = "当前为只读模式：服务启动时未设置 --token，也没有用户账户，不能写入语料库"
NEED_LOGIN = "需要登录：请先登录，或在请求头 Authorization: Bearer 中提供令牌"
BAD_TOKEN = "令牌无效（或该用户已停用）"

bearer = HTTPBearer(auto_error=False, description="用户令牌（gongkai users add）或启动时的 --token")


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: str
    user_id: int  # 0: the holder of the start-up token
    stamp: str  # what a session signature covers besides id and time: the secret's version

    def may(self, role: str) -> bool:
        return accounts.RANK[self.role] >= accounts.RANK[role]


# Sessions ------------------------------------------------------------------------------------------


def _mac(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def session_value(key: bytes, who: Principal, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    return f"{who.user_id}.{issued}.{_mac(key, f'{who.user_id}.{issued}.{who.stamp}')}"


def _token_holder(token: str) -> Principal:
    # The stamp is the token's hash: a restart with another token voids the old sessions.
    return Principal(TOKEN_HOLDER, "管理", 0, hashlib.sha256(token.encode()).hexdigest()[:32])


def _account(user: store_users.UserRow) -> Principal:
    return Principal(user.name, user.role, user.id, user.secret_set_at)


def from_session(con: sqlite3.Connection, value: str, token: str | None) -> Principal | None:
    try:
        uid_text, issued_text, mac = value.split(".")
        uid, issued = int(uid_text), int(issued_text)
    except ValueError:
        return None
    if not 0 <= time.time() - issued <= SESSION_S:
        return None
    if uid == 0:
        who = _token_holder(token) if token else None
    else:
        user = store_users.user_by_id(con, uid)
        who = _account(user) if user is not None and not user.disabled else None
    if who is None:
        return None
    expected = _mac(store_users.session_key(con), f"{uid}.{issued}.{who.stamp}")
    return who if hmac.compare_digest(expected, mac) else None


class TokenCache:
    """Checked API tokens by their SHA-256, so a program's every call does not cost an argon2
    check (50 ms); the user's row is still read each time (disabled? secret changed?)."""

    def __init__(self, size: int = 1000) -> None:
        self._seen: OrderedDict[str, tuple[int, str]] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def find(self, con: sqlite3.Connection, token: str) -> Principal | None:
        """The user of a token checked before, if it still holds; None: check it (`remember`)."""
        digest = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            seen = self._seen.get(digest)
        if seen is None:
            return None
        user = store_users.user_by_id(con, seen[0])
        if user is not None and not user.disabled and user.secret_set_at == seen[1]:
            return _account(user)
        return None

    def remember(self, token: str, user: store_users.UserRow) -> None:
        with self._lock:
            self._seen[hashlib.sha256(token.encode()).hexdigest()] = (user.id, user.secret_set_at)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)


# Identifying a request (run by the app's middleware, before any endpoint) --------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    who: Principal | None
    accounts: bool  # the database has accounts: anonymous visitors see only the login page
    bad_secret: bool = False  # a token was presented and matched nobody (counted as a failure)
    refused: bool = False  # a token was presented from an address over the failure limit


def presented(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get(HEADER) or None


def identify(request: Request) -> Identity:
    """Who sent `request` (blocking: reads the database; the middleware runs it in a thread)."""
    con = connection(request.app.state.db)
    has_accounts = store_users.has_accounts(con)
    given = presented(request)
    if given is not None:
        return _by_token(request, con, given, has_accounts)
    cookie = request.cookies.get(SESSION)
    who = from_session(con, cookie, request.app.state.token) if cookie else None
    return Identity(who, has_accounts)


def _by_token(
    request: Request, con: sqlite3.Connection, given: str, has_accounts: bool
) -> Identity:
    guard, where, claimed = throttle(request), address(request), _claimed(given)
    if guard.blocked(
        where, claimed
    ):  # every token refused, the right one too: else guessing goes on
        return Identity(None, has_accounts, refused=True)
    token: str | None = request.app.state.token
    if token and hmac.compare_digest(token.encode(), given.encode()):
        return Identity(_token_holder(token), has_accounts)
    cache = tokens(request)
    known = cache.find(con, given) if has_accounts else None
    if known is not None:
        return Identity(known, has_accounts)
    # The slow check (argon2): counted as a failure while it runs, so a burst of simultaneous
    # guesses gets no more checks than a sequence would.
    if not guard.begin(where, claimed):
        return Identity(None, has_accounts, refused=True)
    user = None
    try:
        user = accounts.user_of_token(con, given) if has_accounts else None
    finally:
        guard.end(where, claimed, failed=user is None)
    if user is None:
        return Identity(None, has_accounts, bad_secret=True)
    cache.remember(given, user)
    return Identity(_account(user), has_accounts)


def _claimed(token: str) -> str:
    """Whose a presented token says it is (gk_<id>_…), for the throttle; "" if it says none."""
    found = accounts.TOKEN.match(token)
    return f"#{found.group(1)}" if found else ""


def tokens(request: Request) -> TokenCache:
    found: TokenCache = request.app.state.tokens  # made by create_app
    return found


def sign_in(request: Request, name: str, secret: str) -> Principal | None:
    """The login form: a user's name and password or token; or, name left empty, the start-up
    token."""
    token: str | None = request.app.state.token
    if not name:
        ok = bool(token) and hmac.compare_digest(str(token).encode(), secret.encode())
        return _token_holder(str(token)) if ok else None
    user = accounts.check_secret(connection(request.app.state.db), name, secret)
    return _account(user) if user is not None else None


def new_session(request: Request, who: Principal) -> str:
    return session_value(store_users.session_key(connection(request.app.state.db)), who)


# Guessing is slowed down (issue 13: 300 guesses took 1.5 s): after MAX_FAILURES wrong secrets
# for one user from one address within WINDOW_S seconds, that user is refused (429) from that
# address until the window has passed; after MAX_ADDRESS_FAILURES for any users, the address is.
# Per user first: a team behind one office address is not locked out by one colleague's typos.
# Kept in memory: a restart forgets, which costs a guesser a restart.
MAX_FAILURES = 5
MAX_ADDRESS_FAILURES = 30
WINDOW_S = 60.0
_MAX_KEYS = 10_000
TOO_MANY = "登录失败次数过多，请 1 分钟后再试"


class Throttle:
    """Recent failures per (address, claimed user) and per address; thread-safe (the app
    serves from a thread pool).

    A check in progress counts as a failure until it has succeeded: `begin` refuses once
    failures plus checks under way reach a limit, so a burst of simultaneous guesses gets no
    more argon2 checks (50 ms, 64 MiB each) than a sequence of them would."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._pending: Counter[str] = Counter()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(address: str, claimed: str) -> tuple[tuple[str, int], tuple[str, int]]:
        return (f"{address}\x1f{claimed}", MAX_FAILURES), (address, MAX_ADDRESS_FAILURES)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > WINDOW_S:
            times.popleft()
        return times

    def blocked(self, address: str, claimed: str = "") -> bool:
        now = time.monotonic()
        with self._lock:
            keys = self._keys(address, claimed)
            return any(len(self._recent(key, now)) >= limit for key, limit in keys)

    def begin(self, address: str, claimed: str = "") -> bool:
        """Start checking a secret; False (do not check it) when over a limit."""
        now = time.monotonic()
        with self._lock:
            keys = self._keys(address, claimed)
            if any(len(self._recent(k, now)) + self._pending[k] >= n for k, n in keys):
                return False
            for key, _ in keys:
                self._pending[key] += 1
            return True

    def end(self, address: str, claimed: str = "", *, failed: bool) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= _MAX_KEYS:
                self._failures.clear()  # bounded memory; a flood of addresses resets the count
            for key, _ in self._keys(address, claimed):
                self._pending[key] -= 1
                if self._pending[key] <= 0:
                    del self._pending[key]
                if failed:
                    self._recent(key, now).append(now)


def too_many() -> HTTPException:
    return HTTPException(429, TOO_MANY, headers={"Retry-After": str(int(WINDOW_S))})


def address(request: Request) -> str:
    return request.client.host if request.client else "?"


def client_key(request: Request) -> str:
    """Whose work this is, for fair sharing of the check workers: the signed-in user, else the
    client address."""
    who = current(request)
    return f"user:{who.name}" if who is not None else f"addr:{address(request)}"


def throttle(request: Request) -> Throttle:
    found: Throttle = request.app.state.throttle  # made by create_app
    return found


# Permissions ---------------------------------------------------------------------------------------


def current(request: Request) -> Principal | None:
    who: Principal | None = getattr(request.state, "user", None)
    return who


def has_accounts(request: Request) -> bool:
    return bool(getattr(request.state, "accounts", False))


def read_only(request: Request) -> bool:
    """Nobody can write: no start-up token and no accounts."""
    return request.app.state.token is None and not has_accounts(request)


def can_write(request: Request) -> bool:
    """For pages: show the write controls only to whoever could use them."""
    who = current(request)
    return who is not None and who.may("审核")


def is_admin(request: Request) -> bool:
    who = current(request)
    return who is not None and who.may("管理")


def _require(role: str) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        who = current(request)
        if who is None:
            if read_only(request):
                raise HTTPException(403, READ_ONLY)
            raise HTTPException(401, NEED_LOGIN, headers={"WWW-Authenticate": "Bearer"})
        if not who.may(role):
            raise HTTPException(403, f"需要「{role}」权限（{who.name} 的角色是「{who.role}」）")
        request.state.audit = True  # the middleware records the write once it is answered
        return who

    return dependency


def record(
    request: Request, who: str, action: str, *, status: int, detail: str | None = None
) -> None:
    """One line of the audit log (blocking: call it from a thread)."""
    store_users.audit(connection(request.app.state.db), who, action, target=request.url.path,
                      detail=detail, status=status, address=address(request))  # fmt: skip


def audit_note(request: Request, detail: str) -> None:
    """What the audit log should say about this write, beyond its action and path."""
    request.state.audit_detail = detail[:2000]


WriteAccess = Annotated[Principal, Depends(_require("审核"))]
AdminAccess = Annotated[Principal, Depends(_require("管理"))]
