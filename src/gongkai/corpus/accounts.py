"""Accounts: create, check and disable users; their secrets are kept only as argon2 hashes.

A user signs in with a password (chosen at `gongkai users add --password`) or with a token (made
and shown once by `gongkai users add`). A token is `gk_<id>_<random>`: the id lets an API call
find its user without trying every hash, the random part (192 bits) is what is secret.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import dataclass
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gongkai.errors import GongkaiError
from gongkai.store import users as store_users
from gongkai.store.users import ROLES, AuditRow, UserRow

MIN_PASSWORD: Final = 10
MAX_SECRET: Final = 200
_NAME = re.compile(r"^[\w\u4e00-\u9fff.\-]{1,40}$")
TOKEN = re.compile(r"^gk_(\d{1,12})_[A-Za-z0-9_\-]{20,60}$")
# argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes): about 50 ms a check,
# which is what makes a stolen database slow to guess from.
_HASHER: Final = PasswordHasher()
RANK: Final = {role: n for n, role in enumerate(ROLES, 1)}
LOGIN_NAMES: Final = {"token": "令牌", "password": "密码"}  # users.secret_kind in words

__all__ = ["ROLES", "AccountError", "AuditRow", "UserRow", "add", "check_secret", "user_of_token"]


class AccountError(GongkaiError):
    """A user name, role or secret that cannot be used."""

    reason = "账户设置有误"


@dataclass(frozen=True, slots=True)
class Created:
    user: UserRow
    token: str | None  # shown once; None when a password was set


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name))


def add(con: sqlite3.Connection, name: str, role: str, password: str | None = None) -> Created:
    """A new user with `role`; a token is made unless a password is given."""
    if not valid_name(name):
        raise AccountError(name, "用户名只能用汉字、字母、数字和 . _ -，最多 40 个字符")
    if role not in ROLES:
        raise AccountError(name, f"角色只能是 {'、'.join(ROLES)}")
    _check_password(name, password)
    user_id = store_users.add_user(con, name, role, _kind(password))
    return _give_secret(con, user_id, password)


def reset(con: sqlite3.Connection, name: str, password: str | None = None) -> Created:
    """A new secret for `name` (a new token unless a password is given); the old one and every
    session signed with it stop working."""
    user = store_users.user_by_name(con, name)
    if user is None:
        raise AccountError(name, "没有这个用户")
    _check_password(name, password)
    return _give_secret(con, user.id, password)


def _kind(password: str | None) -> str:
    return "token" if password is None else "password"


def _give_secret(con: sqlite3.Connection, user_id: int, password: str | None) -> Created:
    """The password, or a new token, as the user's secret (stored hashed)."""
    secret = password if password is not None else f"gk_{user_id}_{secrets.token_urlsafe(24)}"
    store_users.set_secret(con, user_id, _HASHER.hash(secret), _kind(password))
    user = store_users.user_by_id(con, user_id)
    assert user is not None  # just written
    return Created(user, None if password is not None else secret)


def _check_password(name: str, password: str | None) -> None:
    if password is not None and not MIN_PASSWORD <= len(password) <= MAX_SECRET:
        raise AccountError(name, f"密码至少 {MIN_PASSWORD} 个字符（最多 {MAX_SECRET} 个）")


def _matches(user: UserRow, secret: str) -> bool:
    if len(secret) > MAX_SECRET:
        return False
    try:
        return _HASHER.verify(user.secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def check_secret(con: sqlite3.Connection, name: str, secret: str) -> UserRow | None:
    """The enabled user `name` if `secret` is theirs; else None. A missing user costs a hash
    too, so the time taken does not tell which names exist."""
    user = store_users.user_by_name(con, name)
    if user is None:
        _matches(_dummy(), secret)
        return None
    return user if _matches(user, secret) and not user.disabled else None


def user_of_token(con: sqlite3.Connection, token: str) -> UserRow | None:
    """The enabled user whose token this is, or None."""
    found = TOKEN.match(token)
    if found is None:
        return None
    user = store_users.user_by_id(con, int(found.group(1)))
    if user is None or user.secret_kind != "token" or user.disabled:
        return None
    return user if _matches(user, token) else None


@cache
def _dummy() -> UserRow:
    """A user no secret matches (made on first use: a hash costs 50 ms, imports stay quick)."""
    return UserRow(0, "", "查看", _HASHER.hash(secrets.token_urlsafe(16)), "password", True, "", "")
