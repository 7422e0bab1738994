"""Every per-file parse runs in a child process under a wall-clock budget and a memory cap.

Limits inside the readers bound what we can foresee (pages, cells, digits, drawing work); this
bounds the rest: a library stuck in a loop, a decoder that allocates without end. The child is a
long-lived worker that takes one file at a time, so a batch pays for a process once, not per file.
A child that runs past its time, grows past its memory, or dies, is killed and replaced: that file
becomes a failure with a Chinese reason, and the next file goes to a fresh child. Nothing of a
failed file's batch-mates is lost, because each file is its own call.

The memory cap is two limits: the parent reads each busy child's resident memory every tick and
kills it past `rss_bytes`; the child's address space is capped at `address_space`, which stops a
runaway allocation between two ticks (a MemoryError the child reports itself). The address space
must be larger than the resident limit: OCR's ONNX runtime reserves about 2 GB it never touches.

Children are forked directly when this process runs a single thread (the command line: cheap, and
they inherit what is already imported), and from a fork server otherwise (the web app, a progress
bar's thread): forking a threaded process can copy a lock another thread holds and hang the child.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import resource
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

from gongkai.errors import GongkaiError

T = TypeVar("T")

# Seconds one file may take. A text report takes well under a second; a 6-page scan read by OCR
# about 25 s on one core. A file that needs more is hostile or broken, or a long scan: those take
# `--time-limit` (about 5 s per scanned page).
TIME_LIMIT_S = 50.0
# Resident memory of one child: parsing a text report takes under 200 MB, OCR of a scan about 1.2 GB.
RSS_LIMIT_BYTES = 1536 * 2**20
ADDRESS_SPACE_BYTES = 3 * 2**30
_TICK_S = 0.1  # how often busy children are looked at: the memory cap's granularity
_MAX_DETAIL = 20_000  # characters of an internal error's traceback kept (the end, where it is)


@dataclass(frozen=True, slots=True)
class Limits:
    seconds: float = TIME_LIMIT_S
    rss_bytes: int = RSS_LIMIT_BYTES
    address_space: int = ADDRESS_SPACE_BYTES


@dataclass(frozen=True, slots=True)
class Outcome:
    """A call's value, or why there is none: a one-line Chinese error naming the file. `internal`
    marks a bug (an exception we did not expect), with its traceback in `detail`."""

    value: Any = None
    error: str | None = None
    internal: bool = False
    detail: str | None = None
    child_exits: bool = False  # the child quits after this answer (its heap is not to be trusted)


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """What one child runs: `target(*args)`; `label` names the file in messages. `target` must be a
    module-level function (it is pickled by name)."""

    item: T
    target: Callable[..., Any]
    args: Sequence[Any]
    label: str


def _serve(conn: Connection, address_space: int) -> None:
    """The child: run calls until the parent closes the pipe."""
    _die_with_parent()
    # Ctrl-C reaches the whole process group: the parent decides what stops and kills its
    # children, which must not each print a KeyboardInterrupt traceback. A forked child would also
    # inherit the command line's SIGTERM handler; the default just ends it, quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError, OSError):  # a platform without the limit runs without
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    while True:
        try:
            target, args, label = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = _run(target, args, label)
        except MemoryError:  # the heap may be in any state now: a fresh child takes over
            message = f"{label}: 文件过大或过于复杂，超出内存限制，未读取"
            conn.send(Outcome(error=message, child_exits=True))
            return
        try:
            conn.send(outcome)
        except Exception:  # a value that cannot be pickled: a bug, said like any other
            conn.send(internal_error(label))


def _run(target: Callable[..., Any], args: Sequence[Any], label: str) -> Outcome:
    try:
        return Outcome(target(*args))
    except GongkaiError as exc:
        return Outcome(error=str(exc))
    except MemoryError:
        raise
    except Exception:  # a bug in one file: said, with its traceback, never a dead batch
        return internal_error(label)


def internal_error(label: str) -> Outcome:
    """A bug, called while its exception is handled: the user's line says so in Chinese; the
    traceback (`--verbose`) says where."""
    detail = traceback.format_exc()[-_MAX_DETAIL:]
    message = f"{label}: 程序内部错误，已跳过该文件；加 --verbose 可看调用栈，请报告此问题"
    return Outcome(error=message, internal=True, detail=detail)


def _die_with_parent() -> None:
    """Linux: the child is killed when its parent dies, even by SIGKILL, instead of finishing a
    long parse for nobody."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_CTX_LOCK = threading.Lock()
_server: Any = None


def _context() -> Any:
    global _server
    if threading.active_count() == 1:
        return mp.get_context("fork")
    with _CTX_LOCK:
        if _server is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["gongkai.api", "gongkai.watchdog.pool"])
            _server = ctx
        return _server


# Calls sent ahead to one child: the next file waits in its pipe while the parent writes the last
# result, so the child never idles (one at a time cost ingest a quarter of its throughput). Only the
# call at the head is running; its clock starts when the one before it finished. What waits must
# fit in the pipe's buffer (a socket pair's, 200 KB and more on Linux), or the parent would block
# on sending to a child stuck on its head call and never see its time run out: larger files go
# only to an idle child.
_AHEAD = 8
_AHEAD_BYTES = 32 * 2**10


class _Child:
    """One worker process and the calls sent to it, the first of them running."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.proc: Any = None
        self.conn: Connection | None = None
        # The calls sent, with their sizes in the pipe (the head's too: it may not be read yet).
        self.queue: deque[tuple[Call[Any], int]] = deque()
        self.started = 0.0

    @property
    def head(self) -> Call[Any]:
        return self.queue[0][0]

    def room_for(self, payload: bytes) -> bool:
        if not self.queue:
            return True
        queued = sum(size for _call, size in self.queue)
        return len(self.queue) < _AHEAD and queued + len(payload) <= _AHEAD_BYTES

    def give(self, call: Call[Any], payload: bytes) -> None:
        if self.proc is None:
            self._spawn()
        assert self.conn is not None
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append((call, len(payload)))
        with contextlib.suppress(BrokenPipeError, OSError):  # it died: receive() says so
            self.conn.send_bytes(payload)

    def _spawn(self) -> None:
        ctx = _context()
        parent, child = ctx.Pipe()
        # Not a daemon: a daemon may not start processes, and a web upload's ingest runs its own
        # children. run_each stops every child it started; _die_with_parent covers a killed parent.
        self.proc = ctx.Process(target=_serve, args=(child, self.limits.address_space))
        self.proc.start()
        child.close()
        self.conn = parent

    def receive(self) -> tuple[Outcome, bool]:
        """The head call's outcome (it answered, or its pipe closed), and whether the child is
        gone and must be replaced."""
        assert self.conn is not None and self.queue
        try:
            outcome: Outcome = self.conn.recv()
        except (EOFError, OSError):  # died without answering: a crash in C, the kernel's OOM killer
            label = self.head.label
            return Outcome(error=f"{label}: 处理进程异常退出（文件可能损坏或过于复杂）"), True
        self.started = time.monotonic()
        return outcome, outcome.child_exits

    def overrun(self) -> tuple[Outcome | None, bool]:
        """Why the head call must stop now (the child is then killed), or None while it is
        within its limits."""
        label = self.head.label
        if time.monotonic() - self.started > self.limits.seconds:
            seconds = f"{self.limits.seconds:.0f}"
            return Outcome(error=f"{label}: 处理超时（超过 {seconds} 秒），未读取"), True
        if _resident(self.proc.pid) > self.limits.rss_bytes:
            limit = self.limits.rss_bytes // 2**20
            return Outcome(error=f"{label}: 处理时内存超过 {limit} MB 的上限，未读取"), True
        return None, False

    def stop(self) -> list[Call[Any]]:
        """Kill the child; the calls it had not started, to be given to another."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join()
            self.proc = None
        waiting = [call for call, _size in self.queue]
        self.queue.clear()
        return waiting


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # gone, or not Linux: the address-space cap holds
        return 0


def run_each(
    calls: Iterable[Call[T]],
    *,
    workers: int = 1,
    limits: Limits | None = None,
    on_idle: Callable[[], None] | None = None,
) -> Iterator[tuple[T, Outcome]]:
    """Run every call in a child process, at most `workers` at a time; yield each item with its
    outcome as it finishes (in order when `workers` is 1). Never raises for what a call does.

    `on_idle` is called whenever a tick passes with nothing finished (ingest commits then, so no
    write lock is held while it waits). Closing the iterator kills the children.
    """
    limits = limits or Limits()
    children = [_Child(limits) for _ in range(max(1, workers))]
    pending = iter(calls)
    # Calls to give before new ones: sent to a child killed before it started them, or too large
    # for any child's room yet (with their pickled bytes, so a large file is pickled once).
    retry: deque[tuple[Call[T], bytes | None]] = deque()
    try:
        while True:
            _fill(children, retry, pending)
            busy = [c for c in children if c.queue]
            if not busy:
                return
            ready = wait([c.conn for c in busy if c.conn is not None], timeout=_TICK_S)
            finished = False
            for child in busy:
                outcome, broken = child.receive() if child.conn in ready else child.overrun()
                if outcome is None:
                    continue
                call, _size = child.queue.popleft()
                if broken:  # killed or gone: its other calls start afresh
                    retry.extend((waiting, None) for waiting in child.stop())
                finished = True
                yield call.item, outcome
            if not finished and on_idle is not None:
                on_idle()
    finally:
        for child in children:
            child.stop()


def _fill(
    children: list[_Child],
    retry: deque[tuple[Call[T], bytes | None]],
    pending: Iterator[Call[T]],
) -> None:
    """Give each child calls while it has room (in order: one child, when `workers` is 1,
    answers in the order given). A call that does not fit waits, at the front, for the next."""
    for child in children:
        while True:
            call, payload = retry.popleft() if retry else (next(pending, None), None)
            if call is None:
                return
            payload = payload or _pickle(call)
            if not child.room_for(payload):
                retry.appendleft((call, payload))
                break
            child.give(call, payload)


def _pickle(call: Call[Any]) -> bytes:
    return bytes(ForkingPickler.dumps((call.target, call.args, call.label)))


def run_one(
    target: Callable[..., Any], *args: Any, label: str, limits: Limits | None = None
) -> Outcome:
    """One call in a child process under the limits."""
    [(_item, outcome)] = run_each([Call(None, target, args, label)], limits=limits)
    return outcome
