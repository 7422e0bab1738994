"""The public library functions: a file (or its bytes) → a canonical report; a report → its
findings. Re-exported by `gongkai/__init__.py`; the CLI, the corpus and the web app call these."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from gongkai.errors import NotAReport
from gongkai.extract import extract
from gongkai.model.report import Published, Report, Source, SourceFormat
from gongkai.readers import load, read_bytes
from gongkai.readers.files import shown_path
from gongkai.validate import STATUTORY, Deadlines, check, check_pair

__all__ = [
    "Policy",
    "check_file",
    "check_report",
    "has_errors",
    "parse_bytes",
    "parse_file",
]


@dataclass(frozen=True, slots=True)
class Policy:
    """What a reviewer knows or sets beyond the file: when it was published (ISO date; it
    overrides a date found in the file) and the publication deadlines per kind of organ."""

    published: str | None = None
    deadlines: Deadlines = STATUTORY


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
    return parse_bytes(load(path), shown_path(path))


def check_report(
    report: Report,
    *,
    lenient: bool = False,
    previous: Report | None = None,
    policy: Policy | None = None,
) -> Report:
    """Set `report.findings`: every rule, and the cross-year ones when last year's report is given.
    `policy` carries what the user knows and sets: the publication date, the deadlines."""
    policy = policy or Policy()
    if policy.published is not None:
        report.meta.published = Published(date=policy.published, source="user")
    findings = check(report, lenient=lenient, deadlines=policy.deadlines)
    if previous is not None:
        findings += check_pair(previous, report)
    report.findings = findings
    return report


def check_file(
    path: str | Path,
    *,
    lenient: bool = False,
    previous: str | Path | Report | None = None,
    policy: Policy | None = None,
) -> Report:
    """Parse and check one file. Raises a GongkaiError subclass when a file cannot be read."""
    prior = parse_file(previous) if isinstance(previous, str | Path) else previous
    return check_report(parse_file(path), lenient=lenient, previous=prior, policy=policy)


def has_errors(report: Report) -> bool:
    return any(f.severity == "error" for f in report.findings or [])
