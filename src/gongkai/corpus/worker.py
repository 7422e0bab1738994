"""The parse worker: bytes in, plain rows out. Runs in a process pool or on a Dask worker.

Everything here is a pure function of the job, so the same code runs in-process, in a local pool
or on a remote cluster, and the parent only writes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gongkai import __version__
from gongkai.analysis.agency import agency_key, infer_level, infer_region
from gongkai.analysis.identity import report_agency, values_hash
from gongkai.api import parse_bytes
from gongkai.errors import GongkaiError
from gongkai.model.finding import Finding
from gongkai.model.keys import SUBTOTAL_SUFFIX
from gongkai.model.report import Report
from gongkai.store.records import CellRow, FindingRow, MetaRow, ReportRecord, fingerprint
from gongkai.validate import check
from gongkai.watchdog import Outcome, internal_error


@dataclass(frozen=True, slots=True)
class Job:
    name: str  # the path shown to the user; archive members are archive.zip!member
    data: bytes
    sha256: str
    read_ms: float
    check: bool = True  # False: the rules run later, in check_corpus


def parse_job(job: Job) -> ReportRecord:
    """Parse and check one file. Never raises: a failure becomes an error record."""
    start = time.perf_counter()
    try:
        report = parse_bytes(job.data, job.name, job.sha256)
    except GongkaiError as exc:
        return _failed(job, str(exc), type(exc).__name__, start)
    except Exception:  # a parser bug in one file must not stop a (Dask) batch of thousands
        failed = record_of(job, internal_error(job.name))
        failed.parse_ms = _ms(start)
        return failed
    parse_ms = _ms(start)
    start = time.perf_counter()
    findings = check_report(report, job.sha256) if job.check else None
    record = to_record(report, job, parse_ms, findings)
    record.check_ms = _ms(start) if findings is not None else None
    return record


def parse_batch(jobs: list[Job]) -> list[ReportRecord]:
    """A batch on a Dask worker, in its own process (a daemon, which may not start children: the
    nanny bounds its memory, and ingest retries a dead worker's batch file by file)."""
    return [parse_job(job) for job in jobs]


def record_of(job: Job, outcome: Outcome) -> ReportRecord:
    """The record of a file the watchdog ran: the parser's own, or the watchdog's failure (killed
    over a limit, died, or failed outside the parser's own error handling)."""
    if outcome.error is None:
        record: ReportRecord = outcome.value
        return record
    kind = "internal" if outcome.internal else "watchdog"
    return failed_record(job, outcome.error, kind, outcome.detail)


def check_report(report: Report, sha256: str) -> list[FindingRow] | None:
    """The per-report findings as rows, or None when the rules could not run."""
    try:
        findings = check(report)
    except Exception:  # a rule bug leaves the report unchecked; check_corpus retries it
        return None
    return finding_rows(findings, sha256)


def finding_rows(findings: list[Finding], *documents: str) -> list[FindingRow]:
    return [
        FindingRow(
            f.code,
            f.severity,
            f.message,
            json.dumps(f.cells, ensure_ascii=False),
            f.expected,
            f.actual,
            f.lenient_pass,
            fingerprint(f.code, f.cells, *documents),
        )
        for f in findings
    ]


def to_record(
    report: Report, job: Job, parse_ms: float, findings: list[FindingRow] | None
) -> ReportRecord:
    return ReportRecord(
        source_path=job.name,
        sha256=job.sha256,
        parser_version=__version__,
        status="ok",
        format=report.source.format if report.source else None,
        reader=report.source.reader if report.source else None,
        ocr=bool(report.source and report.source.ocr),
        values_hash=values_hash(report),
        size=len(job.data),
        meta=meta_row(report),
        anomalies=json.dumps(
            [a.model_dump(mode="json") for a in report.anomalies], ensure_ascii=False
        ),
        cells=list(cell_rows(report)),
        sections=[(i, s.no, s.heading, s.text, s.line) for i, s in enumerate(report.sections)],
        findings=findings,
        read_ms=job.read_ms,
        parse_ms=parse_ms,
    )


def meta_row(report: Report) -> MetaRow:
    meta = report.meta
    agency = report_agency(report)
    region = infer_region(agency)
    return MetaRow(
        title=meta.title,
        agency=agency,
        agency_key=agency_key(agency),
        year=meta.year,
        template_t2=meta.templates.table2,
        template_t3=meta.templates.table3,
        region=json.dumps(meta.region, ensure_ascii=False) if meta.region else None,
        level=infer_level(agency, region),
        province=region.province,
        city=region.city,
        county=region.county,
        township=region.township,
        region_code=region.code,
        dates=_dates(report),
    )


def _dates(report: Report) -> str | None:
    dates = {
        key: value.model_dump(mode="json")
        for key, value in (("published", report.meta.published), ("signoff", report.meta.signoff))
        if value is not None
    }
    return json.dumps(dates, ensure_ascii=False) if dates else None


_NO_SOURCE = (None,) * 13
_NO_BOX = (None,) * 4


def cell_rows(report: Report) -> Iterator[CellRow]:
    """Every cell of tables 2–4 in long form, with its provenance when the parser gave one."""
    for table, row, col, value in _cells(report):
        src = report.provenance.get(f"{table}.{row}.{col}")
        if src is None:
            yield (table, row, col, value, *_NO_SOURCE)
        else:
            x0, top, x1, bottom = _NO_BOX if src.bbox is None else src.bbox
            yield (
                table, row, col, value, src.raw, src.unit, src.line, src.page, src.start, src.end,
                x0, top, x1, bottom, src.table_no, src.row_no, src.col_no,
            )  # fmt: skip


def _cells(report: Report) -> Iterator[tuple[str, str, str, Any]]:
    for item, fields in (report.table2 or {}).items():
        for field, value in fields.items():
            yield "table2", item, field, value
    for name, table in (("table3", report.table3), ("table4", report.table4)):
        for row, values in (table or {}).items():
            for col, value in enumerate(values):
                yield name, row, str(col), value
    # Third-party subtotal rows sit with table 3 under their provenance name ("denied_subtotal").
    for block, values in (report.table3_subtotals or {}).items():
        for col, value in enumerate(values):
            yield "table3", f"{block}{SUBTOTAL_SUFFIX}", str(col), value


def failed_record(
    job: Job, message: str, kind: str, detail: str | None = None, parse_ms: float | None = None
) -> ReportRecord:
    """The record of a file that gave no report: its reason, and a bug's traceback in `detail`."""
    record = ReportRecord(
        source_path=job.name,
        sha256=job.sha256,
        parser_version=__version__,
        status="error",
        size=len(job.data),
        error=message,
        error_kind=kind,
        read_ms=job.read_ms,
        parse_ms=parse_ms,
    )
    record.error_detail = detail
    return record


def _failed(job: Job, message: str, kind: str, start: float) -> ReportRecord:
    return failed_record(job, message, kind, parse_ms=_ms(start))


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)
