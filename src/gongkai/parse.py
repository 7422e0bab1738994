"""The library entry point: a file (or its bytes) → a canonical report."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import get_args

from gongkai.errors import NotAReport
from gongkai.extract import extract
from gongkai.model.report import Report, Source, SourceFormat
from gongkai.readers import load, read_bytes


def parse_bytes(data: bytes, name: str, sha256: str | None = None) -> Report:
    """Read and extract one report from bytes already read (archive members, remote workers).
    `name` is used for format detection and messages. Raises a GongkaiError subclass."""
    doc = read_bytes(data, name)
    report = extract(doc)
    tables = (report.table2, report.table3, report.table4)
    if all(t is None for t in tables) and not report.sections:
        raise NotAReport(name, "未找到报告的章节或统计表")
    known = doc.format if doc.format in get_args(SourceFormat) else None
    digest = sha256 or hashlib.sha256(data).hexdigest()
    report.source = Source.model_validate(
        {
            "file": name,
            "sha256": digest,
            "format": known,
            "reader": doc.format,
            "ocr": True if doc.ocr else None,
        }
    )
    return report


def parse_file(path: str | Path) -> Report:
    """Read and extract one report file. Raises a GongkaiError subclass with a one-line message."""
    return parse_bytes(load(path), str(path))
