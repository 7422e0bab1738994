"""The library entry point of `gongkai check`: a file on disk → a report carrying its findings."""

from __future__ import annotations

from pathlib import Path

from gongkai.model.report import Report
from gongkai.parse import parse_file
from gongkai.validate import check, check_pair


def check_report(
    report: Report, *, lenient: bool = False, previous: Report | None = None
) -> Report:
    """Set `report.findings`: every rule, and the cross-year ones when last year's report is given."""
    findings = check(report, lenient=lenient)
    if previous is not None:
        findings += check_pair(previous, report)
    report.findings = findings
    return report


def check_file(
    path: str | Path, *, lenient: bool = False, previous: str | Path | Report | None = None
) -> Report:
    """Parse and check one file. Raises a GongkaiError subclass when a file cannot be read."""
    prior = parse_file(previous) if isinstance(previous, str | Path) else previous
    return check_report(parse_file(path), lenient=lenient, previous=prior)


def has_errors(report: Report) -> bool:
    return any(f.severity == "error" for f in report.findings or [])
