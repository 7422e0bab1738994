"""Batch ingest: parse in workers (a local process pool or a Dask cluster), write in this process.

Resumable by construction: every report is committed whole (a transaction holds one or more
complete reports, see `store.ReportWriter`), and a file whose content hash is already stored is
skipped. Killing the run at any moment (SIGKILL included) loses at most the reports being parsed or
not yet committed; running it again parses exactly those.
"""

from __future__ import annotations

import logging
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gongkai import __version__
from gongkai.corpus.scheduler import connect
from gongkai.corpus.sources import Source, iter_sources, load
from gongkai.corpus.worker import Job, failed_record, parse_batch, parse_job, record_of
from gongkai.errors import GongkaiError, UnreadableInput
from gongkai.readers.files import os_reason
from gongkai.store import (
    DEFAULT_DB,
    ReportWriter,
    add_paths,
    open_db,
    refresh_editions,
    stored_version,
)
from gongkai.store.records import ReportRecord
from gongkai.watchdog import TIME_LIMIT_S, Call, Limits, run_each

log = logging.getLogger(__name__)

EventKind = Literal["added", "updated", "skipped", "failed"]
# Jobs go to Dask workers in batches (one round trip per batch, not per file), and only a few
# batches per worker are in flight: enough to keep every worker busy, few enough that memory stays
# flat. Local workers take one file at a time, each under the watchdog's limits.
_BATCH = 8
_WINDOW_PER_WORKER = 3


class MissingDependency(GongkaiError):
    reason = "缺少可选依赖"


@dataclass(frozen=True, slots=True)
class IngestEvent:
    kind: EventKind
    name: str
    report_id: int | None = None
    message: str | None = None
    detail: str | None = None  # an internal error's traceback


@dataclass(slots=True)
class IngestSummary:
    total: int = 0
    added: int = 0
    updated: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, event: IngestEvent) -> None:
        if event.kind == "failed":
            self.failed.append((event.name, event.message or ""))
            if event.detail:  # shown with --verbose
                log.debug("%s 内部错误的调用栈：\n%s", event.name, event.detail)
        elif event.kind == "added":
            self.added += 1
        elif event.kind == "updated":
            self.updated += 1
        else:
            self.skipped += 1


Listener = Callable[[IngestEvent], None]
Runner = Callable[[Iterable[Job]], Iterator[ReportRecord]]


def ingest(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    jobs: int | None = None,
    reparse: bool = False,
    force: bool = False,
    check: bool = True,
    dask: str | None = None,
    seconds: float = TIME_LIMIT_S,
    on_start: Callable[[int], None] | None = None,
    on_event: Listener | None = None,
) -> IngestSummary:
    """Parse every file, folder and .zip under `paths` into the corpus at `db`.

    A stored content hash is skipped, unless `reparse` and it was parsed by another parser version,
    or `force`. `jobs` worker processes parse (default: one per core), each file under the
    watchdog's limits (`seconds` of wall-clock time, see gongkai.watchdog); with `dask`, the
    workers of the Dask scheduler at that address parse instead. The per-report rules run in the
    workers too, unless `check` is False (then `check_corpus` runs them later).
    """
    start = time.perf_counter()
    con = open_db(db)
    paths = list(paths)
    # Counted first and enumerated again lazily, so memory does not grow with the corpus.
    summary = IngestSummary(total=sum(1 for _ in iter_sources(paths)))
    if on_start is not None:
        on_start(summary.total)

    def emit(event: IngestEvent) -> None:
        summary.count(event)
        if on_event is not None:
            on_event(event)

    writer = ReportWriter(con)
    try:
        plan = _Plan(writer, reparse, force, check, emit)
        run = _runner(jobs, dask, Limits(seconds=seconds), writer.commit)
        for record in run(plan.jobs(iter_sources(paths))):
            report_id = writer.write(record)
            emit(plan.outcome(record, report_id))
    finally:
        writer.commit()  # the open group holds whole reports only: kept on Ctrl-C too
        try:
            add_paths(con, plan.seen_again)  # a copy of a stored file: one more path of it
            refresh_editions(con)
        finally:
            con.close()
    summary.seconds = time.perf_counter() - start
    return summary


class _Plan:
    """Decides per file: parse, or skip; and whether a write adds or updates a report."""

    def __init__(
        self, writer: ReportWriter, reparse: bool, force: bool, check: bool, emit: Listener
    ) -> None:
        self.writer, self.reparse, self.force, self.emit = writer, reparse, force, emit
        self.check = check
        # Hashes being parsed right now; once written, the store itself answers for them.
        self.in_flight: dict[str, EventKind] = {}
        self.seen_again: list[tuple[str, str]] = []  # (hash, path) of skipped copies

    def jobs(self, sources: Iterable[Source]) -> Iterator[Job]:
        for source in sources:
            try:
                loaded = load(source)
            except (GongkaiError, OSError, zipfile.BadZipFile, KeyError, RuntimeError) as exc:
                self._unreadable(source, exc)
                continue
            kind = self._decide(loaded.sha256)
            if kind == "skipped":
                self.seen_again.append((loaded.sha256, source.name))
                self.emit(IngestEvent("skipped", source.name))
                continue
            self.in_flight[loaded.sha256] = kind
            yield Job(source.name, loaded.data, loaded.sha256, loaded.read_ms, self.check)

    def _decide(self, sha256: str) -> EventKind:
        if sha256 in self.in_flight:  # the same content twice in one run: parsed once
            return "skipped"
        stored = stored_version(self.writer.con, sha256)
        if stored is None:
            return "added"
        if self.force or stored[1] != "ok" or (self.reparse and stored[0] != __version__):
            return "updated"  # a failure is tried again: a bug fixed since, or a first copy damaged
        return "skipped"

    def _unreadable(self, source: Source, exc: Exception) -> None:
        message = (
            str(exc)
            if isinstance(exc, GongkaiError)
            else str(UnreadableInput(source.name, _reason(exc)))
        )
        record = ReportRecord(source.name, None, __version__, "error", error=message)
        record.error_kind = "UnreadableInput"
        report_id = self.writer.write(record)
        self.emit(IngestEvent("failed", source.name, report_id, message))

    def outcome(self, record: ReportRecord, report_id: int) -> IngestEvent:
        kind = self.in_flight.pop(record.sha256 or "", "added")
        if record.status == "error":
            return IngestEvent(
                "failed", record.source_path, report_id, record.error, record.error_detail
            )
        return IngestEvent(kind, record.source_path, report_id)


def _reason(exc: Exception) -> str:
    """Why an input could not be read, in Chinese: the OS's reason, or what is wrong with the
    archive (damaged; a member gone; encrypted or compressed in a way zipfile cannot undo)."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, zipfile.BadZipFile):
        return "ZIP 压缩包损坏，无法读取其中的文件"
    if isinstance(exc, KeyError):
        return "压缩包中已没有这个文件"
    return "压缩包成员已加密或使用了不支持的压缩方式，无法读取"


def _runner(jobs: int | None, dask: str | None, limits: Limits, idle: Callable[[], None]) -> Runner:
    """How files are parsed. `idle` is called before waiting on workers: the writer commits then,
    so no write lock is held while a slow file is parsed (`gongkai review` and the web app write
    meanwhile)."""
    if dask:
        return lambda items: _run_dask(items, dask, idle)
    workers = jobs or os.cpu_count() or 1
    return lambda items: _run_local(items, workers, limits, idle)


def _run_local(
    items: Iterable[Job], workers: int, limits: Limits, idle: Callable[[], None]
) -> Iterator[ReportRecord]:
    calls = (Call(job, parse_job, (job,), job.name) for job in items)
    for job, outcome in run_each(calls, workers=workers, limits=limits, on_idle=idle):
        yield record_of(job, outcome)


def _batches(items: Iterable[Job]) -> Iterator[list[Job]]:
    batch: list[Job] = []
    for job in items:
        batch.append(job)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_dask(
    items: Iterable[Job], address: str, idle: Callable[[], None]
) -> Iterator[ReportRecord]:
    """Parse on the Dask cluster at `address`; results come back here to be written.

    Dask's nanny bounds a worker's memory and restarts it; a batch whose worker died is sent
    again one file at a time, so only the file that kills a worker fails, with a reason.
    """
    try:
        from distributed import as_completed
    except ImportError as exc:
        raise MissingDependency("dask", "请安装 dask[distributed] 以使用 --dask") from exc
    client = connect(address)  # or one line naming why, within DASK_CONNECT_SECONDS
    with client:
        window = max(1, sum(client.nthreads().values())) * _WINDOW_PER_WORKER
        running: Any = as_completed()  # type: ignore[no-untyped-call]
        batches: dict[Any, list[Job]] = {}

        def submit(batch: list[Job]) -> None:
            future = client.submit(parse_batch, batch, pure=False)
            batches[future.key] = batch
            running.add(future)

        for batch in _batches(items):
            submit(batch)
            if running.count() >= window:
                idle()
                yield from _take(next(running), batches.pop, submit)
        while running.count():
            idle()
            yield from _take(next(running), batches.pop, submit)


def _take(
    future: Any, batch_of: Callable[[Any], list[Job]], submit: Callable[[list[Job]], None]
) -> list[ReportRecord]:
    batch = batch_of(future.key)
    try:
        records: list[ReportRecord] = future.result()
    except Exception:  # the worker died (KilledWorker) or the batch could not run
        if len(batch) > 1:
            for job in batch:  # once more, alone: only the culprit fails
                submit([job])
            return []
        message = f"{batch[0].name}: 处理进程异常退出（文件可能损坏或过于复杂）"
        return [failed_record(batch[0], message, "watchdog")]
    finally:
        future.release()
    return records
