"""What every command module shares: the consoles, and how a user-facing error is printed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from gongkai.errors import GongkaiError
from gongkai.readers.files import shown_path
from gongkai.watchdog import TIME_LIMIT_S, Call, Limits, run_each

if TYPE_CHECKING:  # the store is opened only by the commands that need it
    import sqlite3

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

TimeLimitOpt = Annotated[
    float,
    typer.Option(
        "--time-limit",
        min=1,
        help="每个文件的处理时限（秒）；页数很多的扫描件约需每页 5 秒",
    ),
]


def each_file(
    paths: Iterable[Path], target: Callable[..., T], *args: Any, seconds: float = TIME_LIMIT_S
) -> Iterator[tuple[Path, T | None, int]]:
    """`target(path, *args)` for each file, each in a child process under the watchdog's limits:
    (path, the result, 0), or (path, None, the exit code its failure asks for: 2 for a file that
    cannot be read or ran past a limit, EXIT_INTERNAL for a bug), the failure said in one line."""
    calls = (Call(path, target, (path, *args), shown_path(path)) for path in paths)
    for path, outcome in run_each(calls, limits=Limits(seconds=seconds)):
        if outcome.error is None:
            yield path, outcome.value, 0
        elif outcome.internal:
            logging.getLogger("gongkai").debug("%s 的调用栈：\n%s", path, outcome.detail)
            _print_failure("内部错误", outcome.error)
            yield path, None, EXIT_INTERNAL
        else:
            _print_failure("错误", outcome.error)
            yield path, None, 2


def _print_failure(kind: str, message: str) -> None:
    err_console.print(f"[red]{kind}[/red] {escape(message)}", highlight=False, soft_wrap=True)


def report_error(exc: GongkaiError) -> None:
    """One line naming the file and the reason; markup-escaped, since paths may hold brackets."""
    _print_failure("错误", str(exc))


def run_or_exit(action: Callable[[], T]) -> T:
    """Run a library call; a GongkaiError becomes one red line and exit code 2."""
    try:
        return action()
    except GongkaiError as exc:
        report_error(exc)
        raise typer.Exit(2) from exc


def in_store(db: Path, action: Callable[[sqlite3.Connection], T], *, create: bool = False) -> T:
    """`action` on the store at `db`, opened for it; a GongkaiError becomes one red line."""
    from gongkai.corpus import connected

    def run() -> T:
        with connected(db, create=create) as con:
            return action(con)

    return run_or_exit(run)


def audit(db: Path, action: str, detail: str) -> None:
    """The audit-log line of a team write made on the command line (users, reviews, editions):
    who is the operating-system account, the place 本机. Written after the write succeeded."""
    import getpass

    from gongkai.store.users import audit as write

    who = f"命令行：{getpass.getuser()}"
    in_store(db, lambda con: write(con, who, action, detail=detail, address="本机"))
