"""Accounts and the audit log: the SQL only. Hashing secrets is gongkai.corpus.accounts' work;
this module stores and reads what it is given."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from gongkai.store.base import NotFound, StoreError, transaction

ROLES: Final = ("查看", "审核", "管理")
AUDIT_PAGE: Final = 100


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    name: str
    role: str
    secret_hash: str
    secret_kind: str
    disabled: bool
    created_at: str
    secret_set_at: str


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: str
    who: str
    action: str
    target: str | None
    detail: str | None
    status: int | None
    address: str | None


_USER_COLUMNS = "id, name, role, secret_hash, secret_kind, disabled, created_at, secret_set_at"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _user(row: tuple[object, ...] | None) -> UserRow | None:
    if row is None:
        return None
    uid, name, role, hashed, kind, disabled, created, set_at = row
    return UserRow(int(str(uid)), str(name), str(role), str(hashed), str(kind), bool(disabled),
                   str(created), str(set_at))  # fmt: skip


def add_user(con: sqlite3.Connection, name: str, role: str, kind: str) -> int:
    """A new account without a usable secret yet (`set_secret` gives it one); its id. The role
    is checked by gongkai.corpus.accounts (and the table's CHECK)."""
    now = _now()
    try:
        with transaction(con):
            cur = con.execute(
                "INSERT INTO users (name, role, secret_hash, secret_kind, created_at,"
                " secret_set_at) VALUES (?, ?, '!', ?, ?, ?)",
                (name, role, kind, now, now),
            )
    except sqlite3.IntegrityError as exc:
        raise StoreError(name, "已有同名用户") from exc
    return int(cur.lastrowid or 0)


def set_secret(con: sqlite3.Connection, user_id: int, secret_hash: str, kind: str) -> None:
    """Replace the user's secret; sessions signed before now no longer verify."""
    with transaction(con):
        con.execute(
            "UPDATE users SET secret_hash = ?, secret_kind = ?, secret_set_at = ? WHERE id = ?",
            (secret_hash, kind, datetime.now(UTC).isoformat(timespec="microseconds"), user_id),
        )


def user_by_id(con: sqlite3.Connection, user_id: int) -> UserRow | None:
    sql = f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?"
    return _user(con.execute(sql, (user_id,)).fetchone())


def user_by_name(con: sqlite3.Connection, name: str) -> UserRow | None:
    sql = f"SELECT {_USER_COLUMNS} FROM users WHERE name = ?"
    return _user(con.execute(sql, (name,)).fetchone())


def list_users(con: sqlite3.Connection) -> list[UserRow]:
    rows = con.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY id")
    return [u for u in map(_user, rows) if u is not None]


def has_accounts(con: sqlite3.Connection) -> bool:
    """Whether any account exists (disabled ones too: a team that disabled everyone has not gone
    back to an open, anonymous site)."""
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0])


def set_disabled(con: sqlite3.Connection, name: str, disabled: bool = True) -> None:
    """Disabling also voids the user's sessions for good (their signatures cover secret_set_at):
    enabling again must not bring back a browser left signed in."""
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    with transaction(con):
        cur = con.execute(
            "UPDATE users SET disabled = ?,"
            " secret_set_at = CASE WHEN ? THEN ? ELSE secret_set_at END WHERE name = ?",
            (int(disabled), int(disabled), now, name),
        )
        if cur.rowcount == 0:
            raise NotFound(name, "没有这个用户")


def session_key(con: sqlite3.Connection) -> bytes:
    """The key sessions are signed with: made once per database, kept in it (a restart keeps
    everyone signed in; a copied database carries its own key)."""
    row = con.execute("SELECT value FROM app_secrets WHERE name = 'session'").fetchone()
    if row is not None:
        return bytes(row[0])
    # One statement in autocommit mode: atomic, and not a corpus change that voids caches.
    con.execute(
        "INSERT OR IGNORE INTO app_secrets VALUES ('session', ?)", (secrets.token_bytes(32),)
    )
    if con.in_transaction:  # a connection not in autocommit mode opened one: keep the key
        con.commit()
    return bytes(con.execute("SELECT value FROM app_secrets WHERE name = 'session'").fetchone()[0])


def audit(
    con: sqlite3.Connection,
    who: str,
    action: str,
    *,
    target: str | None = None,
    detail: str | None = None,
    status: int | None = None,
    address: str | None = None,
) -> None:
    """One line of the audit log: one statement in autocommit mode, not a corpus change (the
    caches keyed on the write counter stay valid)."""
    con.execute(
        "INSERT INTO audit_log (at, who, action, target, detail, status, address)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (_now(), who, action, target, detail, status, address),
    )


def audit_log(
    con: sqlite3.Connection, *, who: str | None = None, before: int | None = None,
    limit: int = AUDIT_PAGE,
) -> list[AuditRow]:  # fmt: skip
    """The newest entries first; `before` pages back from an entry's id."""
    query = "SELECT id, at, who, action, target, detail, status, address FROM audit_log WHERE 1"
    args: list[object] = []
    if who:
        query += " AND who = ?"
        args.append(who)
    if before:
        query += " AND id < ?"
        args.append(before)
    query += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    return [AuditRow(*row) for row in con.execute(query, args)]
