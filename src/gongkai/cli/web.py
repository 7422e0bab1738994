"""`gongkai serve`: the web app over the corpus. `register(app)` adds the command to the main CLI.

FastAPI and uvicorn are imported only when the command runs, so the other commands start fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

_out = Console()
TOKEN_ENV = "GONGKAI_TOKEN"


def display_url(host: str, port: int) -> str:
    """The address to open: a wildcard bind is reached through the loopback address."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(
    db: Annotated[Path, typer.Option("--db", help="语料库数据库文件（不存在则新建）")] = Path(
        "gongkai.sqlite"
    ),
    host: Annotated[
        str, typer.Option("--host", help="监听地址；对外开放请用 0.0.0.0")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help=f"写入令牌（也可用环境变量 {TOKEN_ENV}）；不设置则为只读，仅可浏览与检查",
            show_default=False,
        ),
    ] = None,
) -> None:
    """启动网页界面与 JSON 接口（页面、图表、上传检查、编写）。"""
    import uvicorn

    from gongkai.web.app import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    app = create_app(db, token)
    mode = access_mode(db, token)
    url = display_url(host, port)
    # soft_wrap: a URL broken over two lines cannot be clicked or copied.
    _out.print(f"Gongkai 网页界面：{url}", highlight=False, soft_wrap=True)
    _out.print(
        f"接口文档：{url}docs · 数据库：{db} · 模式：{mode}", highlight=False, soft_wrap=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def access_mode(db: Path, token: str | None) -> str:
    """The access mode in words: accounts (gongkai users), the start-up token, or read-only."""
    from gongkai.cli.common import in_store
    from gongkai.store.users import list_users

    people = in_store(db, list_users)
    if people:
        active = sum(not u.disabled for u in people)
        extra = "，另有启动令牌（管理）" if token else ""
        return f"账户：{active} 个可用用户，未登录只能看到登录页{extra}"
    return "可写（需令牌）" if token else "只读（未设置 --token，也没有用户账户）"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def _group() -> None:
    """Gongkai 网页界面。"""
