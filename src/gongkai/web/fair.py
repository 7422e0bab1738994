"""A fair share of the check workers between the people who use them.

Issue 13: two large uploads from one user filled both worker slots, and another user's 0.4 s
check waited 59 s. Here every job is queued under its client's key (auth.client_key), and a
worker that comes free takes the next job of the key with the fewest jobs running — so a single
check waits for at most one running job, however many files someone else has queued.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class FairQueue(Generic[T]):
    """Items queued per key; `take` hands out the next item of the key with the fewest items
    running, ties going to the key served longest ago (a new key first). Thread-safe."""

    def __init__(self) -> None:
        self._waiting: dict[str, deque[T]] = {}
        self._running: Counter[str] = Counter()
        self._served: dict[str, int] = {}  # key → the turn it was last served at
        self._turn = 0
        self._ready = threading.Condition()

    def put(self, key: str, item: T) -> None:
        with self._ready:
            self._waiting.setdefault(key, deque()).append(item)
            self._ready.notify()

    def take(self, *, wait: bool = True) -> tuple[str, T] | None:
        """The next (key, item), counted as running until `finished(key)`; None if nothing is
        waiting and `wait` is false."""
        with self._ready:
            while not self._waiting:
                if not wait:
                    return None
                self._ready.wait()
            key = min(self._waiting, key=lambda k: (self._running[k], self._served.get(k, 0)))
            queue = self._waiting[key]
            item = queue.popleft()
            if not queue:
                del self._waiting[key]
            self._running[key] += 1
            self._turn += 1
            self._served[key] = self._turn
            return key, item

    def finished(self, key: str) -> None:
        with self._ready:
            self._running[key] -= 1
            if self._running[key] <= 0:
                del self._running[key]
                if (
                    key not in self._waiting
                ):  # forget idle keys: the maps stay as small as the queue
                    self._served.pop(key, None)

    def waiting(self, key: str) -> int:
        with self._ready:
            return len(self._waiting.get(key, ()))


Job = tuple[Callable[[], Any], "Future[Any]"]


class Workers:
    """`size` threads that run the fair queue's jobs; started on first use, daemons (a job is
    a watchdog child under its own time limit, so none can hold a thread for long)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.queue: FairQueue[Job] = FairQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, key: str, job: Callable[[], T]) -> Future[T]:
        """Queue `job` under `key`; its result (or exception) arrives in the future. A future
        cancelled before its turn is skipped."""
        future: Future[T] = Future()
        self._start()
        self.queue.put(key, (job, future))
        return future

    def _start(self) -> None:
        with self._lock:
            while len(self._threads) < self.size:
                name = f"gongkai-check-{len(self._threads) + 1}"
                thread = threading.Thread(target=self._work, name=name, daemon=True)
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        while True:
            taken = self.queue.take()
            assert taken is not None  # take(wait=True) waits for an item
            key, (job, future) = taken
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(job())
                    except BaseException as exc:  # the caller's to see, never the worker's end
                        future.set_exception(exc)
            finally:
                self.queue.finished(key)
