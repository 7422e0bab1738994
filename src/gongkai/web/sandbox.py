"""Run work on untrusted uploads in a child process under the watchdog's time and memory limits.

A hostile or broken file must not take the server down: the work runs in a child (gongkai.watchdog:
a fork server's child, since the server runs threads) that is killed when it runs past its time or
memory; only the pickled result crosses back. At most one child per core runs at a time, so a burst
of uploads queues instead of thrashing; the queue is fair between clients (web.fair), so one
client's batch cannot hold back another's single check.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai import watchdog
from gongkai.watchdog import ADDRESS_SPACE_BYTES, Limits, run_one
from gongkai.web.fair import Workers

TIME_LIMIT_S = 60.0
# The key of work done for no one in particular (page images, which have no uploader): it gets
# its fair share like any one client.
SHARED_KEY = "（共用）"
WORKERS = Workers(max(1, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class Outcome:
    """Either a report as JSON (with findings and provenance) or a one-line Chinese error."""

    report: dict[str, Any] | None
    error: str | None


def submit(
    target: Callable[..., Any],
    *args: Any,
    key: str = SHARED_KEY,
    label: str = "任务",
    time_limit: float = TIME_LIMIT_S,
    memory: int = ADDRESS_SPACE_BYTES,
) -> Future[watchdog.Outcome]:
    """Queue `target(*args)` for a child process under `key`'s fair share of the workers."""
    limits = Limits(seconds=time_limit, address_space=memory)
    return WORKERS.submit(key, lambda: run_one(target, *args, label=label, limits=limits))


def run_limited(
    target: Callable[..., Any],
    *args: Any,
    key: str = SHARED_KEY,
    label: str = "任务",
    time_limit: float = TIME_LIMIT_S,
    memory: int = ADDRESS_SPACE_BYTES,
) -> watchdog.Outcome:
    """`target(*args)` in a child process: its value, or a one-line Chinese error; never raises
    for what the child does. Waits for `key`'s turn; never call it from a worker's own job.

    `target` must be a module-level function (it is pickled by name).
    """
    future = submit(target, *args, key=key, label=label, time_limit=time_limit, memory=memory)
    return future.result()


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
    key: str = SHARED_KEY,
) -> Outcome:
    """Parse and check one file in a child; errors and the report name `name` instead of the path
    (uploads live under a temporary name the user never chose)."""
    shown = name or path.name
    result = run_limited(
        check_path, str(path), key=key, label=shown, time_limit=time_limit, memory=memory
    )
    return outcome_of(result, path, shown)


def outcome_of(result: watchdog.Outcome, path: Path, shown: str) -> Outcome:
    """A check's outcome as the user should see it: named `shown`, not by its temporary path."""
    if result.error is not None:
        return Outcome(None, result.error.replace(str(path), shown))
    report: dict[str, Any] = result.value
    if isinstance(report.get("source"), dict):
        report["source"]["file"] = shown
    return Outcome(report, None)


def stored_page(
    source_path: str, sha256: str | None, page: int, scale: float | None
) -> tuple[Any, str | None]:
    """(child side) Page `page` of a stored report's PDF, read again where it was ingested: its
    box as shown (`scale` None) or its PNG image; or (None, why not, in Chinese). The file must
    still hold what was ingested (same content hash): another file's page would show a box
    around the wrong figures."""
    import hashlib

    from gongkai.errors import GongkaiError
    from gongkai.readers.pdf_render import page_box, render_page

    try:
        data = _stored_bytes(source_path)
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            return None, f"{source_path} 的内容已与入库时不同（文件已被替换或修改）"
        if scale is None:
            return page_box(data, page, source_path), None
        return render_page(data, page, scale, source_path), None
    except GongkaiError as exc:  # the page names the file: the reason alone
        return None, exc.detail or str(exc)


def _stored_bytes(source_path: str) -> bytes:
    """The bytes at a stored report's path: a file, or a member of a .zip (archive.zip!member,
    found again by the name ingest gave it)."""
    import zipfile

    from gongkai.corpus.sources import iter_sources
    from gongkai.errors import UnreadableInput
    from gongkai.readers import load

    archive, bang, _member = source_path.partition("!")
    if not bang or Path(source_path).exists():
        return load(source_path)
    try:
        found = next((s for s in iter_sources([archive]) if s.name == source_path), None)
        if found is None:
            raise UnreadableInput(source_path, "压缩包中已没有这个文件")
        return found.read()
    except (OSError, zipfile.BadZipFile) as exc:
        raise UnreadableInput(source_path, "压缩包无法打开") from exc
