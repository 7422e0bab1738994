"""Text parsing throughput: in one process, on all cores, and as whole `gongkai parse` processes.

Usage: python bench/bench_parse.py [--seconds S] [--readme README.md]
With --readme, the figures replace the block between the BENCH-PARSE markers in that file.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gongkai.extract import extract
from gongkai.readers.text import read_text

SEEDS = sorted((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("*.txt"))
MARK = re.compile(r"(<!-- BENCH-PARSE -->\n).*?(<!-- /BENCH-PARSE -->)", re.S)


def _parse_all(blobs: list[tuple[str, bytes]], rounds: int) -> int:
    for _ in range(rounds):
        for name, data in blobs:
            extract(read_text(data, name))
    return rounds * len(blobs)


def in_process(seconds: float) -> float:
    blobs = [(p.name, p.read_bytes()) for p in SEEDS]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += _parse_all(blobs, 10)
    return done / (time.perf_counter() - start)


def all_cores(seconds: float, workers: int) -> float:
    blobs = [(p.name, p.read_bytes()) for p in SEEDS]
    rounds = max(1, int(in_process(0.5) * seconds / len(blobs) / 10))
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        done = sum(pool.map(_parse_all, [blobs] * workers, [rounds] * workers))
    return done / (time.perf_counter() - start)


def processes(runs: int) -> tuple[float, float]:
    """(seconds per `gongkai parse --json` process of one file, reports/s for all seeds in one)."""
    exe = str(Path(sys.executable).with_name("gongkai"))
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run([exe, "parse", "--json", str(SEEDS[0])], capture_output=True, check=True)
    per_process = (time.perf_counter() - start) / runs
    batch = [str(p) for p in SEEDS] * 40
    start = time.perf_counter()
    subprocess.run([exe, "parse", "--json", *batch], capture_output=True, check=True)
    return per_process, len(batch) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--readme")
    args = ap.parse_args()
    workers = os.cpu_count() or 1
    one = in_process(args.seconds)
    many = all_cores(args.seconds, workers)
    per_process, batch = processes(5)
    text = (
        f"Measured by `make bench` on {platform.machine()}, {workers} cores, Python "
        f"{platform.python_version()}, over the {len(SEEDS)} seed reports:\n\n"
        f"| measure | figure |\n|---|---|\n"
        f"| text reports/s, one process | {one:,.0f} |\n"
        f"| text reports/s, {workers} processes | {many:,.0f} |\n"
        f"| one `gongkai parse --json` process (start-up included) | {per_process * 1000:,.0f} ms |\n"
        f"| one `gongkai parse --json` process given 200 files | {batch:,.0f} reports/s |\n"
    )
    print(text)
    if args.readme:
        readme = Path(args.readme)
        readme.write_text(
            MARK.sub(lambda m: m[1] + text + m[2], readme.read_text("utf-8")), "utf-8"
        )


if __name__ == "__main__":
    main()
