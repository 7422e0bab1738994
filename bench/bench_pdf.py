"""PDF throughput: pages/s for reader + extract, per core and on all cores.

Usage: python bench/bench_pdf.py [--rounds N] [--readme README.md]
Over the three real samples (../shared/samples) and the LibreOffice/Chromium fixtures
(tests/fixtures/generated). With --readme, the figures replace the BENCH-PDF block.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2

from gongkai.extract import extract
from gongkai.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT.parent / "shared" / "samples").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "generated").glob("*.pdf")
)
MARK = re.compile(r"(<!-- BENCH-PDF -->\n).*?(<!-- /BENCH-PDF -->)", re.S)


def _pages(path: Path) -> int:
    return len(pypdfium2.PdfDocument(str(path)))


def _run(paths: list[Path], rounds: int) -> int:
    pages = 0
    for _ in range(rounds):
        for path in paths:
            extract(read_pdf(path.read_bytes(), str(path)))
            pages += _pages(path)
    return pages


def rate(workers: int, rounds: int) -> float:
    _run(FILES[:1], 1)  # warm-up: imports are not what is measured
    start = time.perf_counter()
    if workers == 1:
        pages = _run(FILES, rounds)
    else:
        with ProcessPoolExecutor(workers) as pool:
            pages = sum(pool.map(_run, [FILES] * workers, [rounds] * workers))
    return pages / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--readme", type=Path)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    one, many = rate(1, args.rounds), rate(cores, args.rounds)
    text = (
        f"PDF reader + extract over {len(FILES)} PDFs ({sum(map(_pages, FILES))} pages): "
        f"**{one:.1f} pages/s on one core**, {many:.1f} pages/s on {cores} cores.\n"
    )
    print(text)
    if args.readme:
        readme = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(MARK.sub(lambda m: m[1] + text + m[2], readme), encoding="utf-8")


if __name__ == "__main__":
    main()
