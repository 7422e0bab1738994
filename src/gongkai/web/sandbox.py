"""Run work on untrusted uploads in a child process with a time and a memory limit.

A hostile or broken file must not take the server down: the child gets an address-space limit and
is killed when it runs past its time; only the pickled result crosses back. Children come from a
fork server (started once, with the parser preloaded) rather than from a fork of the server itself:
forking a process that runs a thread pool can copy a lock held by another thread and hang the child.
At most one child per core runs at a time, so a burst of uploads queues instead of thrashing.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from gongkai.errors import GongkaiError

TIME_LIMIT_S = 60.0
MEMORY_LIMIT_BYTES = 2 * 1024**3
_PRELOAD = ["gongkai.api", "gongkai.web.sandbox"]
_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
_CTX_LOCK = threading.Lock()
_ctx: Any = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """Either a report as JSON (with findings and provenance) or a one-line Chinese error."""

    report: dict[str, Any] | None
    error: str | None


@dataclass(frozen=True, slots=True)
class Limited:
    """What a limited call gives back: its value, or a one-line Chinese error."""

    value: Any
    error: str | None


def _context() -> Any:
    global _ctx
    with _CTX_LOCK:
        if _ctx is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _ctx = ctx
        return _ctx


def _child(target: Callable[..., Any], args: Sequence[Any], conn: Connection, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    label = str(args[0]) if args else "任务"
    try:
        conn.send(Limited(target(*args), None))
    except GongkaiError as exc:
        conn.send(Limited(None, str(exc)))
    except MemoryError:
        conn.send(Limited(None, f"{label}: 文件过大或过于复杂，超出内存限制"))
    except Exception as exc:  # the child must always answer; the parent reports it as a failure
        conn.send(Limited(None, f"{label}: 处理失败（{type(exc).__name__}）"))
    finally:
        conn.close()


def _receive(conn: Connection, label: str, time_limit: float, proc: Any) -> Limited:
    if not conn.poll(time_limit):
        proc.kill()  # before anything else: a runaway child keeps eating its CPU meanwhile
        return Limited(None, f"{label}: 处理超时（超过 {time_limit:.0f} 秒）")
    try:
        result: Limited = conn.recv()
    except EOFError:  # the child died without answering (killed by the memory limit, a crash)
        return Limited(None, f"{label}: 处理进程异常退出（可能超出内存限制）")
    return result


def run_limited(
    target: Callable[..., Any],
    *args: Any,
    label: str = "任务",
    time_limit: float = TIME_LIMIT_S,
    memory: int = MEMORY_LIMIT_BYTES,
) -> Limited:
    """`target(*args)` in a child process; never raises for what the child does.

    `target` must be a module-level function (the fork server pickles it by name).
    """
    with _SLOTS:
        ctx = _context()
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(target, args, child, memory), daemon=True)
        proc.start()
        child.close()
        try:
            return _receive(parent, label, time_limit, proc)
        finally:
            parent.close()
            _reap(proc)


def _reap(proc: Any) -> None:
    """Wait briefly for a child that answered; kill one that did not (it may be stuck)."""
    proc.join(1)
    if proc.is_alive():
        proc.kill()
        proc.join()


def check_path(path: str) -> dict[str, Any]:
    """Parse and check one file; the report as JSON with findings and provenance (child side)."""
    from gongkai.api import check_file

    return check_file(Path(path)).to_json(provenance=True)


def check_in_sandbox(
    path: Path,
    time_limit: float = TIME_LIMIT_S,
    memory: int = MEMORY_LIMIT_BYTES,
    *,
    name: str | None = None,
) -> Outcome:
    """Parse and check one file in a child; errors and the report name `name` instead of the path
    (uploads live under a temporary name the user never chose)."""
    shown = name or path.name
    result = run_limited(check_path, str(path), label=shown, time_limit=time_limit, memory=memory)
    if result.error is not None:
        return Outcome(None, result.error.replace(str(path), shown))
    report: dict[str, Any] = result.value
    if isinstance(report.get("source"), dict):
        report["source"]["file"] = shown
    return Outcome(report, None)
