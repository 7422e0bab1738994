"""`gongkai users …`: the accounts of the web app's team, kept in the corpus database.

gongkai users add 张三 --role 审核 --db DB        (prints a one-time token)
gongkai users add 李四 --role 管理 --password --db DB   (asks for a password)
gongkai users list --db DB        gongkai users disable 张三 --db DB
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gongkai.cli.common import audit, console, err_console, in_store
from gongkai.cli.output import JsonOpt, print_json
from gongkai.store import DEFAULT_DB

users_app = typer.Typer(
    help="网页应用的用户账户：查看（只读）、审核（复核审查意见、存入报告、登记台账）、管理（另可删除报告、查看审计日志）。",
    no_args_is_help=True,
)
DbOpt = Annotated[Path, typer.Option("--db", help="语料库数据库文件")]
NameArg = Annotated[str, typer.Argument(help="用户名")]


class Role(StrEnum):
    viewer = "查看"
    reviewer = "审核"
    admin = "管理"


def _asked(password: bool) -> str | None:
    """A password typed twice, if one was asked for; else None (a token is made)."""
    if not password:
        return None
    secret: str = typer.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    return secret


def _show_token(token: str | None) -> None:
    if token is not None:
        err_console.print("令牌如下，只显示这一次，请转交本人妥善保存：")
        console.print(token, soft_wrap=True, highlight=False)


@users_app.command("add")
def add_command(
    name: NameArg,
    role: Annotated[Role, typer.Option("--role", help="查看、审核或管理")] = Role.viewer,
    password: Annotated[
        bool, typer.Option("--password", help="设置密码（交互输入两次），不生成令牌")
    ] = False,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """添加用户：默认生成一个只显示一次的令牌（用于登录与接口调用）；--password 改为设置密码。"""
    from gongkai.corpus import accounts

    secret = _asked(password)
    made = in_store(db, lambda con: accounts.add(con, name, role.value, secret), create=True)
    audit(db, "添加用户", f"{made.user.name}（{made.user.role}）")
    err_console.print(f"已添加用户 {made.user.name}（{made.user.role}）")
    _show_token(made.token)


@users_app.command("reset")
def reset_command(
    name: NameArg,
    password: Annotated[
        bool, typer.Option("--password", help="设置新密码（交互输入两次），不生成令牌")
    ] = False,
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """为用户换一个新令牌（或新密码）：旧的令牌或密码、以及已登录的会话立即失效。"""
    from gongkai.corpus import accounts

    secret = _asked(password)
    made = in_store(db, lambda con: accounts.reset(con, name, secret))
    audit(db, "更换用户的令牌或密码", name)
    err_console.print(f"已为 {name} 更换{'密码' if secret else '令牌'}，旧的随即失效")
    _show_token(made.token)


@users_app.command("list")
def list_command(db: DbOpt = Path(DEFAULT_DB), as_json: JsonOpt = False) -> None:
    """列出用户（不显示密码或令牌：数据库只保存其哈希值）。"""
    from gongkai.corpus.accounts import LOGIN_NAMES
    from gongkai.store.users import list_users

    rows = in_store(db, list_users)
    records = [
        {"name": u.name, "role": u.role, "login": LOGIN_NAMES[u.secret_kind],
         "disabled": u.disabled, "created_at": u.created_at}
        for u in rows
    ]  # fmt: skip
    if as_json:
        print_json(records)
        return
    table = Table("用户名", "角色", "登录方式", "状态", "添加时间")
    for r in records:
        state = "已停用" if r["disabled"] else "正常"
        table.add_row(str(r["name"]), str(r["role"]), str(r["login"]), state, str(r["created_at"]))
    console.print(table)


def _set_disabled(name: str, db: Path, disabled: bool) -> None:
    from gongkai.store.users import set_disabled

    in_store(db, lambda con: set_disabled(con, name, disabled))


@users_app.command("disable")
def disable_command(name: NameArg, db: DbOpt = Path(DEFAULT_DB)) -> None:
    """停用用户：其登录、会话与令牌立即失效；历史记录保留。"""
    _set_disabled(name, db, True)
    audit(db, "停用用户", name)
    err_console.print(f"已停用用户 {name}")


@users_app.command("enable")
def enable_command(name: NameArg, db: DbOpt = Path(DEFAULT_DB)) -> None:
    """恢复已停用的用户。"""
    _set_disabled(name, db, False)
    audit(db, "恢复用户", name)
    err_console.print(f"已恢复用户 {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
