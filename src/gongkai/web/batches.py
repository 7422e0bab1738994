"""批量检查: up to 500 uploaded files, or the members of uploaded .zip files, checked in the
background through the fair queue (web.fair) while the page polls for progress.

A batch lives in memory under an unguessable id, with a bound on how many are kept and for how
long; its files wait in a private temporary folder, each removed once checked, the folder once
the batch is done. Results are kept compressed: 500 reports with the provenance of every cell
are tens of megabytes as objects, a few as zlib'd JSON.
"""

from __future__ import annotations

import functools
import logging
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Literal

from fastapi import HTTPException
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from gongkai import watchdog
from gongkai.corpus.sources import Source, iter_sources
from gongkai.errors import GongkaiError
from gongkai.web import sandbox
from gongkai.web.models import CheckResult
from gongkai.web.uploads import (
    ARCHIVE_SUFFIXES,
    MAX_BATCH_BYTES,
    MAX_BATCH_FILES,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    Accepted,
    Rejected,
    judge,
    printable,
    safe_name,
)
from gongkai.web.views import result_of

_log = logging.getLogger(__name__)
MAX_BATCHES = 20  # kept in memory at once, finished or not
MAX_OPEN_PER_KEY = 3  # unfinished batches of one client: more would only queue behind each other
KEEP_S = 3600.0  # a finished batch's results stay this long
TOO_MANY = f"一次最多检查 {MAX_BATCH_FILES} 个文件（压缩包中的文件逐个计数），请分批上传"
OVER_BUDGET = f"本批文件合计超过 {MAX_BATCH_BYTES // 1024**2} MB 的上限，未检查"
# An archive's entries, reports or not: listing a directory of 100,000 costs seconds.
MAX_ZIP_ENTRIES = 5000
BUSY = "正在进行的批量检查过多，请等当前的检查完成后再试"
GONE = "没有这个批次：链接有误，或结果已超过 1 小时被清除"


class BatchRow(BaseModel):
    n: int = Field(description="批次中的序号，从 1 起")
    name: str
    state: Literal["waiting", "done"]
    agency: str | None = None
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    error: str | None = Field(default=None, description="未能检查的原因")


class BatchOut(BaseModel):
    id: str
    total: int
    checked: int
    done: bool
    errors: int
    warnings: int
    failed: int = Field(description="未能检查的文件数（被拒收或解析失败）")
    rows: list[BatchRow]


class TooMany(Exception):
    pass


@dataclass
class Batch:
    key: str  # whose: the fair queue's key, and the per-client bound
    folder: Path
    rows: list[BatchRow]
    paths: dict[int, Path]  # n → the file still to check
    id: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    finished_at: float | None = None
    _results: dict[int, bytes] = field(default_factory=dict)  # n → zlib'd CheckResult JSON
    _futures: list[Future[watchdog.Outcome]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        """Queue every file; a batch with nothing to check is done at once."""
        for n, path in self.paths.items():
            name = self.rows[n - 1].name
            future = sandbox.submit(sandbox.check_path, str(path), key=self.key, label=name)
            future.add_done_callback(functools.partial(self._record, n))
            self._futures.append(future)
        self._settle()

    def _record(self, n: int, future: Future[watchdog.Outcome]) -> None:
        """(worker thread) One file's outcome into its row; the file is no longer needed. Never
        raises: an exception here would be swallowed by the future and leave the batch waiting
        for ever, its files on disk and its slot taken."""
        if future.cancelled():
            return
        path, row = self.paths[n], self.rows[n - 1]
        try:
            result = result_of(row.name, sandbox.outcome_of(future.result(), path, row.name))
        except Exception:  # the worker's or our own failure, not the file's: say so, go on
            _log.exception("batch %s, file %d", self.id, n)
            result = CheckResult(name=row.name, error=f"{row.name}: 检查时发生内部错误")
        finally:
            path.unlink(missing_ok=True)
        with self._lock:
            self.rows[n - 1] = _row(n, result)
            self._results[n] = zlib.compress(result.model_dump_json(by_alias=True).encode())
        self._settle()

    def _settle(self) -> None:
        with self._lock:
            if self.finished_at is None and all(r.state == "done" for r in self.rows):
                self.finished_at = time.monotonic()
                shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        """Forget the batch: what has not started never will, and its files go."""
        for future in self._futures:
            future.cancel()
        shutil.rmtree(self.folder, ignore_errors=True)

    def out(self) -> BatchOut:
        with self._lock:
            rows = [r.model_copy() for r in self.rows]
        done = [r for r in rows if r.state == "done"]
        return BatchOut(
            id=self.id, total=len(rows), checked=len(done), done=len(done) == len(rows),
            errors=sum(r.errors for r in rows), warnings=sum(r.warnings for r in rows),
            failed=sum(1 for r in done if r.error), rows=rows,
        )  # fmt: skip

    def result(self, n: int) -> CheckResult | None:
        """The full result of file `n` once checked; None while it waits."""
        with self._lock:
            blob = self._results.get(n)
            row = self.rows[n - 1] if 1 <= n <= len(self.rows) else None
        if row is None:
            raise HTTPException(404, f"这个批次没有第 {n} 个文件")
        if blob is not None:
            return CheckResult.model_validate_json(zlib.decompress(blob))
        return CheckResult(name=row.name, error=row.error) if row.state == "done" else None

    def results(self) -> list[CheckResult]:
        """Every checked file's result, in order."""
        found = (self.result(n) for n in range(1, len(self.rows) + 1))
        return [r for r in found if r is not None]


def _row(n: int, result: CheckResult) -> BatchRow:
    meta = result.report.meta if result.report is not None else None
    return BatchRow(
        n=n, name=result.name, state="done", agency=meta.agency if meta else None,
        year=meta.year if meta else None, errors=result.errors, warnings=result.warnings,
        error=result.error,
    )  # fmt: skip


# Intake ----------------------------------------------------------------------------------------


def intake(uploads: Sequence[UploadFile], key: str) -> Batch:
    """(blocking) The uploads judged and saved, .zip files expanded member by member, one file
    in memory at a time; TooMany over MAX_BATCH_FILES. Not started yet."""
    folder = Path(tempfile.mkdtemp(prefix="gongkai-batch-"))
    try:
        batch = Batch(key, folder, [], {})
        left = [MAX_BATCH_BYTES]  # bytes the batch may still write: unzipping can multiply them
        for upload in uploads:
            data = upload.file.read(MAX_FILE_BYTES + 1)
            verdict = judge(upload.filename or "", data, archives=True)
            if isinstance(verdict, Accepted) and _suffix(verdict.name) in ARCHIVE_SUFFIXES:
                _unzip(batch, verdict, left)
            else:
                _add(batch, verdict.name, verdict, left)
            if len(batch.rows) > MAX_BATCH_FILES:
                raise TooMany
        return batch
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def _add(batch: Batch, name: str, verdict: Accepted | Rejected, left: list[int]) -> None:
    n = len(batch.rows) + 1
    if isinstance(verdict, Accepted) and len(verdict.data) > left[0]:
        verdict = Rejected(name, OVER_BUDGET)
    if isinstance(verdict, Rejected):
        batch.rows.append(BatchRow(n=n, name=name, state="done", error=verdict.reason))
        return
    path = batch.folder / safe_name(name, n)
    path.write_bytes(verdict.data)
    left[0] -= len(verdict.data)
    batch.paths[n] = path
    batch.rows.append(BatchRow(n=n, name=name, state="waiting"))


def _unzip(batch: Batch, archive: Accepted, left: list[int]) -> None:
    """Every report in the archive as a file of the batch, read by ingest's own archive reader
    (names in GBK, members bounded whatever size they declare) from the archive opened once."""
    path = batch.folder / f"archive-{len(batch.rows) + 1}.zip"
    path.write_bytes(archive.data)
    try:
        with zipfile.ZipFile(path) as opened:
            if len(opened.infolist()) > MAX_ZIP_ENTRIES:
                why = f"压缩包中的条目超过 {MAX_ZIP_ENTRIES} 个，未检查"
                _add(batch, archive.name, Rejected(archive.name, why), left)
                return
            sources = list(iter_sources([path]))
            if len(batch.rows) + len(sources) > MAX_BATCH_FILES:
                raise TooMany
            if not sources:
                why = "压缩包中没有可检查的报告文件"
                _add(batch, archive.name, Rejected(archive.name, why), left)
            for source in sources:
                shown = _member_name(source.name)
                _add(batch, shown, _member(opened, source, shown, left), left)
    except (OSError, zipfile.BadZipFile) as exc:
        _add(batch, archive.name, Rejected(archive.name, f"压缩包无法打开（{exc}）"), left)
    finally:
        path.unlink(missing_ok=True)


def _member_name(source_name: str) -> str:
    """The member's path inside the archive, as the user knows it; its end if too long."""
    member = source_name.partition("!")[2] or source_name
    return printable(member)[-MAX_NAME_CHARS:]


def _member(
    archive: zipfile.ZipFile, source: Source, shown: str, left: list[int]
) -> Accepted | Rejected:
    """One member, read within what the batch may still write: a member refused as too large
    has been decompressed all the same, so it uses up the batch's budget too (else 500 members
    of 20 MB each would cost 10 GB of decompression, all thrown away)."""
    if left[0] <= 0:
        return Rejected(shown, OVER_BUDGET)
    limit = min(MAX_FILE_BYTES, left[0])
    try:
        data = source.read(limit, archive)
    except GongkaiError as exc:  # over the size limit, or unreadable: the reason, named already
        left[0] -= limit
        why = getattr(exc, "detail", None) or str(exc)
        return Rejected(shown, why if limit == MAX_FILE_BYTES else OVER_BUDGET)
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error):
        return Rejected(shown, "无法从压缩包中读出（已损坏、加密或压缩方式不受支持）")
    verdict = judge(shown, data)
    return (
        Accepted(shown, data) if isinstance(verdict, Accepted) else Rejected(shown, verdict.reason)
    )


# The kept batches --------------------------------------------------------------------------------


class Batches:
    """The batches of one app, bounded in number and age; thread-safe."""

    def __init__(self) -> None:
        self._all: dict[str, Batch] = {}
        # Batches being uploaded, not yet added: counted with the running ones, so that
        # simultaneous uploads cannot all pass the check before any of them is added.
        self._reserved: Counter[str] = Counter()
        self._lock = threading.Lock()

    def room_for(self, key: str) -> None:
        """Reserve a place for `key`'s next batch before reading any upload; 429 if `key` or the
        server already has too many running. `add` or `release` ends the reservation."""
        with self._lock:
            self._expire()
            open_ = [b for b in self._all.values() if b.finished_at is None]
            if sum(1 for b in open_ if b.key == key) + self._reserved[key] >= MAX_OPEN_PER_KEY:
                raise HTTPException(
                    429, f"您已有 {MAX_OPEN_PER_KEY} 个批次正在检查，请等其完成后再试"
                )
            if len(open_) + self._reserved.total() >= MAX_BATCHES:
                raise HTTPException(429, BUSY)
            self._reserved[key] += 1

    def release(self, key: str) -> None:
        """The reserved place of an upload that did not become a batch."""
        with self._lock:
            self._unreserve(key)

    def _unreserve(self, key: str) -> None:
        self._reserved[key] -= 1
        if self._reserved[key] <= 0:
            del self._reserved[key]

    def add(self, batch: Batch) -> None:
        """Keep `batch` (in the place reserved for it), making room by dropping the oldest
        finished ones."""
        with self._lock:
            self._unreserve(batch.key)
            self._expire()
            while len(self._all) >= MAX_BATCHES:
                finished = [b for b in self._all.values() if b.finished_at is not None]
                if not finished:
                    batch.close()
                    raise HTTPException(429, BUSY)
                oldest = min(finished, key=lambda b: b.finished_at or 0.0)
                self._all.pop(oldest.id).close()
            self._all[batch.id] = batch
        batch.start()

    def close_all(self) -> None:
        """At shutdown: every batch's files go (the results were only ever in memory)."""
        with self._lock:
            for batch in self._all.values():
                batch.close()
            self._all.clear()

    def get(self, batch_id: str) -> Batch:
        with self._lock:
            self._expire()
            found = self._all.get(batch_id)
        if found is None:
            raise HTTPException(404, GONE)
        return found

    def _expire(self) -> None:
        now = time.monotonic()
        for batch in list(self._all.values()):
            if batch.finished_at is not None and now - batch.finished_at > KEEP_S:
                self._all.pop(batch.id).close()


def sweep(older_than_s: float = 86_400.0) -> None:
    """Remove batch folders a server left behind (it stopped before they were done): at start-up,
    only those untouched for a day, so another server's running batches are left alone."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob("gongkai-batch-*"):
        try:
            if now - folder.stat().st_mtime > older_than_s:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
