"""The watchdog: a call past its time or memory, or one whose process dies, is that call's failure;
the calls queued behind it still run, in a fresh child; an idle wait lets the caller commit."""

from __future__ import annotations

import os
import signal
import time

from gongkai.watchdog import Call, Limits, run_each, run_one


def _echo(value: int) -> int:
    return value


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _touch(megabytes: int) -> int:
    block = bytearray(megabytes * 2**20)
    for i in range(0, len(block), 4096):  # resident, not only reserved
        block[i] = 1
    time.sleep(5)
    return len(block)


def _die(_: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _allocate(gigabytes: int) -> int:
    return len(bytearray(gigabytes * 2**30))


def _calls(*specs: tuple[object, ...]) -> list[Call[int]]:
    return [Call(i, target, args, f"文件{i}") for i, (target, *args) in enumerate(specs)]


def test_a_call_past_its_time_is_stopped_and_the_next_still_runs() -> None:
    start = time.monotonic()
    calls = _calls((_sleep, 30), (_echo, 7))
    results = dict(run_each(calls, limits=Limits(seconds=1)))
    assert results[0].error is not None and "处理超时（超过 1 秒）" in results[0].error
    assert results[1].value == 7 and results[1].error is None
    assert time.monotonic() - start < 20


def test_a_call_past_its_resident_memory_is_stopped() -> None:
    results = dict(
        run_each(_calls((_touch, 400), (_echo, 1)), limits=Limits(rss_bytes=200 * 2**20))
    )
    assert results[0].error is not None and "内存超过 200 MB" in results[0].error
    assert results[1].value == 1


def test_an_allocation_past_the_address_space_is_a_memory_error_said_in_chinese() -> None:
    outcome = run_one(_allocate, 8, label="大文件", limits=Limits(address_space=2**30))
    assert outcome.error is not None and outcome.error.startswith("大文件: ")
    assert "内存" in outcome.error and not outcome.internal


def test_a_dead_child_fails_only_its_own_call() -> None:
    results = list(run_each(_calls((_echo, 1), (_die, 0), (_echo, 3), (_echo, 4))))
    assert [item for item, _ in results] == [0, 1, 2, 3]  # in order, one worker
    assert results[1][1].error is not None and "异常退出" in results[1][1].error
    assert [o.value for _, o in results if o.error is None] == [1, 3, 4]


def test_an_unexpected_error_is_internal_with_its_traceback() -> None:
    outcome = run_one(int, "不是数字", label="坏文件")
    assert outcome.internal and outcome.error is not None and outcome.error.startswith("坏文件")
    assert outcome.detail is not None and "ValueError" in outcome.detail
    assert "ValueError" not in outcome.error  # the user's line has no Python names


def test_waiting_on_a_slow_call_gives_the_caller_idle_turns() -> None:
    idle: list[float] = []
    results = list(run_each(_calls((_sleep, 1.0)), on_idle=lambda: idle.append(time.monotonic())))
    assert results[0][1].value == 1.0
    assert len(idle) >= 3  # one per tick while the child works


def test_several_workers_run_every_call_once() -> None:
    calls = _calls(*[(_echo, i) for i in range(40)])
    results = list(run_each(calls, workers=2))
    assert sorted(o.value for _, o in results) == list(range(40))


def _sleep_then_size(seconds: float, data: bytes) -> int:
    time.sleep(seconds)
    return len(data)


def test_a_large_file_behind_a_stuck_one_does_not_block_the_watchdog() -> None:
    """Files are sent ahead to a busy child only while they fit in the pipe: a 4 MB file queued
    behind one that hangs would block the parent on sending, and the hang would never time out."""
    import threading

    big = b"x" * (4 * 2**20)
    calls = _calls((_sleep_then_size, 30, big), (_sleep_then_size, 0, big))
    results: dict[int, object] = {}
    worker = threading.Thread(
        target=lambda: results.update(run_each(calls, limits=Limits(seconds=1)))
    )
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the watchdog blocked"
    first, second = results[0], results[1]
    assert first.error is not None and "处理超时" in first.error  # type: ignore[attr-defined]
    assert second.value == len(big)  # type: ignore[attr-defined]
