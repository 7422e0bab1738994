"""Per-file work in child processes under a wall-clock budget and a memory cap (see `pool`)."""

from gongkai.watchdog.pool import (
    ADDRESS_SPACE_BYTES,
    RSS_LIMIT_BYTES,
    TIME_LIMIT_S,
    Call,
    Limits,
    Outcome,
    internal_error,
    run_each,
    run_one,
)

__all__ = [
    "ADDRESS_SPACE_BYTES",
    "RSS_LIMIT_BYTES",
    "TIME_LIMIT_S",
    "Call",
    "Limits",
    "Outcome",
    "internal_error",
    "run_each",
    "run_one",
]
