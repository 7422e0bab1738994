"""The library entry point: a file on disk → a canonical report."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import get_args

from gongkai.errors import NotAReport
from gongkai.extract import extract
from gongkai.model.report import Report, Source, SourceFormat
from gongkai.readers import read_path


def parse_file(path: str | Path) -> Report:
    """Read and extract one report. Raises a GongkaiError subclass with a user-facing message."""
    doc, data = read_path(path)
    report = extract(doc)
    if (
        report.table2 is None
        and report.table3 is None
        and report.table4 is None
        and not report.sections
    ):
        raise NotAReport(str(path), "未找到报告的章节或统计表")
    report.source = Source.model_validate(
        {
            "file": str(path),
            "sha256": hashlib.sha256(data).hexdigest(),
            "format": doc.format if doc.format in get_args(SourceFormat) else None,
            "reader": doc.format,
        }
    )
    return report
