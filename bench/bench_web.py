"""Web latency: p50/p95 of the report list and the report detail page with N reports in the store.

The corpus is made by bench/synth.py (consistent synthetic reports, text format) and ingested with
the corpus library; a database from an earlier run is reused when it already holds N reports. The
server runs as `gongkai serve` in its own process on the loopback, so the client does not share its
interpreter. Sequential mode: a bounded number of requests per page, after a short warm-up.

Concurrent mode (--clients 1 4 8): for each count, that many client processes (not threads: the
client must not queue on one interpreter) each loop over the same pages in a shuffled order, with
keep-alive and the lightweight http.client, for --seconds after one warm-up pass. The server and
the clients share the machine, so the table says how much CPU each used.

Usage: python bench/bench_web.py [-n 10000] [--requests 200] [--db PATH] [--jobs 2]
       python bench/bench_web.py -n 10000 --clients 1 4 8 [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

HERE = Path(__file__).resolve().parent
TARGET_MS = 100.0
TARGET_CONCURRENT_MS = 200.0
WARM_UP = 20


def _synth() -> object:
    sys.path.insert(0, str(HERE))
    import synth  # bench/ is not a package

    return synth


def build(db: Path, n: int, jobs: int) -> int:
    """Make sure `db` holds at least `n` reports; returns how many it holds."""
    from gongkai.corpus import list_reports

    if db.exists():
        total, _ = list_reports(db, limit=0)
        if total >= n:
            return total
    from gongkai.corpus import ingest

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-web-") as folder:
        start = time.perf_counter()
        paths = _synth().write_corpus(Path(folder), n, seed=1, years=3)  # type: ignore[attr-defined]
        print(f"generated {len(paths)} reports in {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        summary = ingest([folder], db, jobs=jobs)
        print(f"ingested {summary.added} in {time.perf_counter() - start:.1f} s", flush=True)
    total, _ = list_reports(db, limit=0)
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gongkai",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
    ]
    env = os.environ | {"GONGKAI_TOKEN": ""}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/static/app.css", timeout=2)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client: httpx.Client, paths: Callable[[], str], count: int) -> list[float]:
    """Milliseconds of `count` sequential GETs (after a warm-up); every answer must be 200."""
    for _ in range(WARM_UP):
        client.get(paths())
    times = []
    for _ in range(count):
        path = paths()
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def common_phrases() -> list[str]:
    """Every 4- to 6-character run of the table 3 row labels: ~400 phrases, each in thousands of
    reports, for searches that the server's result cache has (mostly) not seen yet."""
    from gongkai.model.keys import T3_LABELS

    runs = [run for label in T3_LABELS.values() for run in re.findall(r"[\u4e00-\u9fff]+", label)]
    found = {r[i : i + n] for r in runs for n in (4, 5, 6) for i in range(len(r) - n + 1)}
    return sorted(found)


def cases(total: int, rng: random.Random) -> dict[str, Callable[[], str]]:
    pages = max(1, total // 50)
    phrases = common_phrases()
    return {
        "列表 /reports（第 1 页）": lambda: "/reports",
        "列表 /reports（随机页）": lambda: f"/reports?page={rng.randint(1, pages)}",
        "列表 /reports?year=2021": lambda: "/reports?year=2021",
        "列表 /reports?has_errors=true": lambda: "/reports?has_errors=true",
        "列表 /reports?q=东华镇（全文，少见）": lambda: "/reports?q=东华镇",
        "列表 /reports?q=政务公开（全文，每份都有）": lambda: "/reports?q=政务公开",
        "列表 /reports?q=法律服务机构（全文，只在表三）": lambda: "/reports?q=法律服务机构",
        "列表 /reports?q=公开（两个字，LIKE）": lambda: "/reports?q=公开",
        "列表 /reports?q=（表三表头短语，每次随机）": lambda: f"/reports?q={rng.choice(phrases)}",
        "列表 JSON /api/reports": lambda: "/api/reports",
        "首页 /（统计按库缓存）": lambda: "/",
        "详情 /reports/{id}": lambda: f"/reports/{rng.randint(1, total)}",
        "详情 JSON /api/reports/{id}": lambda: f"/api/reports/{rng.randint(1, total)}",
    }


def table(proc: subprocess.Popen[str], base: str, total: int, requests: int) -> None:
    """One Markdown row per page: wall-clock p50/p95/max and the server's CPU per request (the
    latter holds when other work shares the machine; wall clock does not)."""
    print("| page | p50 ms | p95 ms | max ms | server CPU ms/request |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with httpx.Client(base_url=base, timeout=30) as client:
        for name, paths in cases(total, random.Random(7)).items():
            before = cpu_seconds(proc.pid)
            times = measure(client, paths, requests)
            cpu = (cpu_seconds(proc.pid) - before) * 1000 / (requests + WARM_UP)
            figures = (statistics.median(times), p95(times), max(times), cpu)
            print(f"| {name} | " + " | ".join(f"{v:.1f}" for v in figures) + " |", flush=True)


def _client(base: str, total: int, seed: int, seconds: float, start: Any, out: Any) -> None:
    """One client process: a warm-up pass, then shuffled rounds of every page until the time is up;
    puts (page, ms) pairs, its own CPU seconds and the wall seconds it ran into `out`."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    rng = random.Random(seed)
    pages = list(cases(total, rng).items())

    def get(path: str) -> None:
        connection.request("GET", quote(path, safe="/?=&"))
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")

    for _name, paths in pages:
        get(paths())
    start.wait()
    cpu, began = time.process_time(), time.perf_counter()
    deadline = began + seconds
    times: list[tuple[str, float]] = []
    while time.perf_counter() < deadline:
        rng.shuffle(pages)
        for name, paths in pages:
            path = paths()
            sent = time.perf_counter()
            get(path)
            times.append((name, (time.perf_counter() - sent) * 1000))
    out.put((times, time.process_time() - cpu, time.perf_counter() - began))
    connection.close()


def concurrent(proc: subprocess.Popen[str], base: str, total: int, n: int, seconds: float) -> None:
    """A Markdown table for `n` concurrent clients: per page p50/p95/max, then the totals."""
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(n + 1), ctx.Queue()
    clients = [
        ctx.Process(target=_client, args=(base, total, 100 + i, seconds, start, out))
        for i in range(n)
    ]
    for client in clients:
        client.start()
    start.wait()
    server_cpu = cpu_seconds(proc.pid)
    results = [out.get() for _ in clients]
    server_cpu = cpu_seconds(proc.pid) - server_cpu
    for client in clients:
        client.join()
    wall = max(r[2] for r in results)
    by_page: dict[str, list[float]] = {}
    for times, _cpu, _wall in results:
        for name, ms in times:
            by_page.setdefault(name, []).append(ms)
    every = [ms for times in by_page.values() for ms in times]
    print(f"\n#### {n} client{'s' if n > 1 else ''}, {seconds:.0f} s\n")
    print("| page | requests | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in cases(total, random.Random(0)):
        times = by_page[name]
        figures = f"{statistics.median(times):.1f} | {p95(times):.1f} | {max(times):.1f}"
        print(f"| {name} | {len(times)} | {figures} |")
    client_cpu = sum(r[1] for r in results)
    print(
        f"| **all pages** | {len(every)} | {statistics.median(every):.1f} | {p95(every):.1f}"
        f" | {max(every):.1f} |\n\n{len(every) / wall:.1f} requests/s; CPU of a core: server"
        f" {server_cpu / wall:.0%}, clients {client_cpu / wall:.0%}"
        f" ({server_cpu * 1000 / len(every):.1f} ms server CPU per request)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    default_db = Path(tempfile.gettempdir()) / "gongkai-bench-web.sqlite"
    parser.add_argument("--db", type=Path, default=default_db)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--clients", type=int, nargs="+", help="concurrent mode: client counts")
    parser.add_argument("--seconds", type=float, default=20.0, help="per client count")
    args = parser.parse_args()
    total = build(args.db, args.n, args.jobs)
    proc, base = start_server(args.db)
    try:
        if args.clients:
            print(f"\n{total} reports in {args.db}; concurrent clients, mixed pages")
            for n in args.clients:
                concurrent(proc, base, total, n, args.seconds)
        else:
            print(f"\n{total} reports in {args.db}; {args.requests} sequential requests per row\n")
            table(proc, base, total, args.requests)
    finally:
        proc.terminate()
        proc.wait(10)
    load = os.getloadavg()[0]
    print(
        f"\ntarget: p95 < {TARGET_MS:.0f} ms (1 client), < {TARGET_CONCURRENT_MS:.0f} ms (8);"
        f" load average {load:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
