"""Run work on untrusted uploads in a child process under the watchdog's time and memory limits.

A hostile or broken file must not take the server down: the work runs in a child (gongkai.watchdog:
a fork server's child, since the server runs threads) that is killed when it runs past its time or
memory; only the pickled result crosses back. At most one child per core runs at a time, so a burst
of uploads queues instead of thrashing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai import watchdog
from gongkai.watchdog import ADDRESS_SPACE_BYTES, Limits, run_one

TIME_LIMIT_S = 60.0
_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class Outcome:
    """Either a report as JSON (with findings and provenance) or a one-line Chinese error."""

    report: dict[str, Any] | None
    error: str | None


def run_limited(
    target: Callable[..., Any],
    *args: Any,
    label: str = "任务",
    time_limit: float = TIME_LIMIT_S,
    memory: int = ADDRESS_SPACE_BYTES,
) -> watchdog.Outcome:
    """`target(*args)` in a child process: its value, or a one-line Chinese error; never raises
    for what the child does.

    `target` must be a module-level function (it is pickled by name).
    """
    limits = Limits(seconds=time_limit, address_space=memory)
    with _SLOTS:
        return run_one(target, *args, label=label, limits=limits)


def check_path(path: str) -> dict[str, Any]:
    """Parse and check one file; the report as JSON with findings and provenance (child side)."""
    from gongkai.api import check_file

    return check_file(Path(path)).to_json(provenance=True)


def check_in_sandbox(
    path: Path,
    time_limit: float = TIME_LIMIT_S,
    memory: int = ADDRESS_SPACE_BYTES,
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
