"""What every command module shares: the consoles, and how a user-facing error is printed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from gongkai.errors import GongkaiError
from gongkai.readers.files import shown_path

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)


def configure_logging(verbose: bool) -> None:
    """The library logs through `logging` (loggers named after their modules); the command line
    shows warnings, and with --verbose everything, internal errors' tracebacks included."""
    handler = RichHandler(console=err_console, show_path=False, show_time=False)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(name)s: %(message)s",
        handlers=[handler],
        force=True,
    )


# Exit code of a command that met an internal error (a bug) in some file: distinct from 1 (`check`
# found errors) and 2 (a file could not be read), so a crash never passes for a result.
EXIT_INTERNAL = 3


def report_internal(path: str | Path, exc: Exception) -> None:
    """One line for a file that hit a bug; the traceback goes to the log (shown by --verbose)."""
    logging.getLogger("gongkai").debug("%s 的内部错误", path, exc_info=exc)
    err_console.print(
        f"[red]内部错误[/red] {escape(shown_path(path))}: 程序出错（{type(exc).__name__}），已跳过该文件；"
        "加 --verbose 可看调用栈，请报告此问题",
        highlight=False,
        soft_wrap=True,
    )


def attempt(path: str | Path, action: Callable[[], T]) -> tuple[T | None, int]:
    """One file of a batch: (the result, 0), or (None, the exit code its failure asks for: 2 for
    a file that cannot be read, EXIT_INTERNAL for a bug), the failure said in one line."""
    try:
        return action(), 0
    except GongkaiError as exc:
        report_error(exc)
        return None, 2
    except Exception as exc:  # a bug in one file: said in one line, the batch goes on
        report_internal(path, exc)
        return None, EXIT_INTERNAL


def report_error(exc: GongkaiError) -> None:
    """One line naming the file and the reason; markup-escaped, since paths may hold brackets."""
    err_console.print(f"[red]错误[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)


def run_or_exit(action: Callable[[], T]) -> T:
    """Run a library call; a GongkaiError becomes one red line and exit code 2."""
    try:
        return action()
    except GongkaiError as exc:
        report_error(exc)
        raise typer.Exit(2) from exc
