"""HTML and DOCX throughput on the generated fixtures: reader alone, and reader + extract.

Usage: python bench/bench_readers.py [--seconds S]
Prints reports/s in one process and in one process per core. The fixtures are the five seeds as
saved web pages and as LibreOffice DOCX (tests/fixtures/generated/, see make_fixtures.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gongkai.extract import extract
from gongkai.readers.docx import read_docx
from gongkai.readers.html import read_html
from gongkai.readers.raw import RawDocument

GENERATED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "generated"
READERS: dict[str, Callable[[bytes, str], RawDocument]] = {"html": read_html, "docx": read_docx}


def _blobs(kind: str) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(GENERATED.glob(f"*.{kind}"))]


def _rate(kind: str, with_extract: bool, seconds: float) -> float:
    """Reports/s parsing the fixtures round after round for `seconds`, after a warm-up round."""
    read, blobs = READERS[kind], _blobs(kind)
    for name, data in blobs:  # imports and caches are not what is measured
        extract(read(data, name))
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for name, data in blobs:
            doc = read(data, name)
            if with_extract:
                extract(doc)
        done += len(blobs)
    return done / (time.perf_counter() - start)


def rate(kind: str, with_extract: bool, seconds: float, workers: int) -> float:
    """Total reports/s of `workers` processes each parsing for `seconds`."""
    if workers == 1:
        return _rate(kind, with_extract, seconds)
    with ProcessPoolExecutor(workers) as pool:
        args = [kind] * workers, [with_extract] * workers, [seconds] * workers
        return sum(pool.map(_rate, *args))


MARK = re.compile(r"(<!-- BENCH-READERS -->\n).*?(<!-- /BENCH-READERS -->)", re.S)


def table(seconds: float, cores: int) -> str:
    lines = [
        f"{platform.machine()}, {cores} cores, Python {platform.python_version()}:\n",
        f"| format | measure | 1 process | {cores} processes |",
        "|---|---|---|---|",
    ]
    for kind in READERS:
        for with_extract, label in ((False, "reader only"), (True, "reader + extract")):
            one = rate(kind, with_extract, seconds, 1)
            many = rate(kind, with_extract, seconds, cores)
            lines.append(f"| {kind} | {label}, reports/s | {one:,.0f} | {many:,.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--readme", type=Path)
    args = ap.parse_args()
    text = table(args.seconds, os.cpu_count() or 1)
    print(text)
    if args.readme:
        readme = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(MARK.sub(lambda m: m[1] + text + m[2], readme), encoding="utf-8")


if __name__ == "__main__":
    main()
