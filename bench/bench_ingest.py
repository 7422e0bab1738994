"""Ingest throughput and memory: N synthetic text reports into a fresh corpus, end to end.

Each measured run is a fresh process (so its peak RSS is its own): it enumerates, reads, hashes,
parses on `--jobs` worker processes, checks (when the rule engine is installed) and writes every
report into SQLite. Peak memory is reported for the writer process and for the largest worker;
Python allocations of the writer are traced with tracemalloc when --trace is given (slower).

Usage: python bench/bench_ingest.py [-n 1000 10000] [--jobs 2] [--no-check] [--trace] [--readme README.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"(<!-- BENCH-INGEST -->\n).*?(<!-- /BENCH-INGEST -->)", re.S)


def measure(folder: Path, db: Path, jobs: int, trace: bool, check: bool) -> dict[str, float]:
    """Run one ingest in this process; figures as a dict."""
    from gongkai.corpus import ingest

    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    summary = ingest([folder], db, jobs=jobs, check=check)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    done = summary.added + summary.updated
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    return {
        "cpu_seconds": cpu,
        # What 2 dedicated cores give when every process is busy: robust to other load on the
        # machine, which stretches wall time but not CPU time.
        "reports_per_s_2_cores": done / (cpu / 2),
        "reports": done,
        "failed": len(summary.failed),
        "seconds": seconds,
        "reports_per_s": done / seconds,
        "writer_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "traced_peak_mib": traced / 2**20,
        "db_mib": db.stat().st_size / 2**20,
    }


def run(count: int, jobs: int, trace: bool, check: bool) -> dict[str, float]:
    """Generate `count` reports, then measure their ingest in a fresh process."""
    sys.path.insert(0, str(HERE))
    import synth

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "corpus")
        synth.write_corpus(folder, count, seed=count)
        cmd = [sys.executable, __file__, "--child", str(folder), str(Path(tmp, "c.sqlite"))]
        cmd += ["--jobs", str(jobs)] + (["--trace"] if trace else [])
        cmd += [] if check else ["--no-check"]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out)
    result["n"] = count
    return result


def table(results: list[dict[str, float]], jobs: int, check: bool) -> str:
    lines = [
        f"Measured by `python bench/bench_ingest.py` on {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, `--jobs {jobs}`{', `--no-check`' if not check else ''},"
        " synthetic text reports"
        " (bench/synth.py), fresh database:",
        "",
        "| reports | wall s | reports/s (wall) | CPU s | reports/s per 2 cores of CPU | writer peak RSS | worker peak RSS | database |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['n']):,} | {r['seconds']:.1f} | {r['reports_per_s']:.0f}"
            f" | {r['cpu_seconds']:.1f} | {r['reports_per_s_2_cores']:.0f}"
            f" | {r['writer_peak_mib']:.0f} MiB | {r['worker_peak_mib']:.0f} MiB"
            f" | {r['db_mib']:.0f} MiB |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Corpus ingest benchmark")
    parser.add_argument("-n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--no-check", action="store_true", help="parse only; rules run later")
    parser.add_argument("--readme", type=Path)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, db = args.child
        print(json.dumps(measure(folder, db, args.jobs, args.trace, not args.no_check)))
        return
    results = [run(n, args.jobs, args.trace, not args.no_check) for n in args.n]
    for r in results:
        print(json.dumps(r))
    text = table(results, args.jobs, not args.no_check)
    print(text)
    if args.readme:
        readme = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(MARK.sub(lambda m: m.group(1) + text + m.group(2), readme))


if __name__ == "__main__":
    main()
