"""`gongkai serve`: the command is registered, prints the URL, and the server answers there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import typer
from typer.testing import CliRunner

from gongkai.cli.web import display_url, register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:  # a second command, so typer keeps `serve` as a subcommand
        """占位。"""

    return app


def test_serve_is_registered_with_its_options() -> None:
    result = CliRunner().invoke(_app(), ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--token"):
        assert option in result.output


def test_the_printed_address_is_one_a_browser_can_open() -> None:
    assert display_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert display_url("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert display_url("::", 8080) == "http://[::1]:8080/"
    assert display_url("::1", 8080) == "http://[::1]:8080/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_prints_the_url_and_answers_there(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "new.sqlite"
    command = [
        sys.executable,
        "-m",
        "gongkai",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
    ]
    env = os.environ | {"GONGKAI_TOKEN": ""}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        assert "只读" in proc.stdout.readline()
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        assert response.status_code == 200 and "语料库概况" in response.text
        assert db.exists()  # an empty corpus is created and migrated
    finally:
        proc.terminate()
        proc.wait(10)
