"""OCR reader: seconds per page and exact cells, on scans made from the real sample PDFs.

Each sample in ../shared/samples is rendered to grey images at --scan-dpi with sensor noise, stored
as an image-only PDF (JPEG pages, as scanners write them) and read back with read_scanned_pdf.

Usage: python bench/bench_ocr.py [--scan-dpi 200] [--read-dpi 200] [--noise 8] [NAME ...]
Wall time follows the machine's load; CPU time (all onnxruntime threads) much less so.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PIL import Image

from gongkai.extract import extract
from gongkai.readers import ocr

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def scanned_pdf(pdf: Path, dpi: int, noise: float) -> tuple[bytes, int]:
    doc = pdfium.PdfDocument(str(pdf))
    rng = np.random.default_rng(0)
    images = []
    for page in doc:
        grey = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        noisy = np.asarray(grey, dtype=np.int16) + rng.normal(0, noise, (grey.height, grey.width))
        images.append(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)))
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=80)
    return out.getvalue(), len(images)


def _cells(table: Any) -> list[tuple[str, Any]]:
    """(path, value) of every cell of a table2/3/4 dict."""
    if not table:
        return []
    out = []
    for row, cells in table.items():
        items = cells.items() if isinstance(cells, dict) else enumerate(cells)
        out += [(f"{row}.{col}", value) for col, value in items]
    return out


def score(report: dict[str, Any], expected: dict[str, Any]) -> dict[str, str]:
    """Per table: `exact/total`, plus the first wrong cells."""
    result = {}
    for table in ("table2", "table3", "table4"):
        got = dict(_cells(report.get(table)))
        want = _cells(expected.get(table))
        wrong = [f"{p}={got.get(p)!r}≠{v!r}" for p, v in want if got.get(p) != v]
        result[table] = f"{len(want) - len(wrong)}/{len(want)}" + (f" {wrong[:4]}" if wrong else "")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scan-dpi", type=int, default=200)
    parser.add_argument("--read-dpi", type=int, default=ocr.DPI)
    parser.add_argument("--noise", type=float, default=8.0)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    ocr.DPI = args.read_dpi
    start = time.perf_counter()
    ocr._engine()
    print(f"engine load: {time.perf_counter() - start:.2f} s")
    pdfs = [SAMPLES / f"{n}.pdf" for n in args.names] or sorted(SAMPLES.glob("*.pdf"))
    pages_done, wall, cpu = 0, 0.0, 0.0
    for pdf in pdfs:
        data, pages = scanned_pdf(pdf, args.scan_dpi, args.noise)
        start, cpu_start = time.perf_counter(), time.process_time()
        doc = ocr.read_scanned_pdf(data, pdf.name)
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu_start
        pages_done, wall, cpu = pages_done + pages, wall + elapsed, cpu + used
        expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
        report = extract(doc).to_json()
        rate = f"{elapsed / pages:.2f} s/page (CPU {used / pages:.2f})"
        print(f"{pdf.stem}: {pages} pages, {rate}, cells exact {score(report, expected)}")
    n = max(pages_done, 1)
    print(
        f"all: {wall / n:.2f} s/page, CPU {cpu / n:.2f} s/page (all threads, {os.cpu_count()} cores)"
    )
    print(f"scan {args.scan_dpi} dpi, noise {args.noise}, read at {args.read_dpi} dpi")


if __name__ == "__main__":
    main()
