"""Plain rows handed from a parse worker to the writer: cheap to pickle, ready for executemany."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Value = int | float | None
# tbl, row_key, col_key, value, raw, unit, line, page, span_start, span_end, then where a person
# finds the cell: bbox_x0, bbox_top, bbox_x1, bbox_bottom (PDF), table_no, row_no, col_no (DOCX, HTML)
CellRow = tuple[
    str, str, str, Value, str | None, str | None, int | None, int | None, int | None, int | None,
    float | None, float | None, float | None, float | None, int | None, int | None, int | None,
]  # fmt: skip
# seq, no, heading, text, line
SectionRow = tuple[int, int, str, str, int | None]


@dataclass(frozen=True, slots=True)
class FindingRow:
    code: str
    severity: str
    message: str
    cells: str  # JSON
    expected: float | None
    actual: float | None
    lenient_pass: bool | None
    fingerprint: str


@dataclass(frozen=True, slots=True)
class MetaRow:
    title: str | None = None
    agency: str | None = None
    agency_key: str | None = None
    year: int | None = None
    template_t2: str | None = None
    template_t3: str | None = None
    region: str | None = None  # meta.region as parsed, JSON
    level: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None
    region_code: str | None = None
    # meta.published and meta.signoff (JSON), which the deadline and sign-off rules read again
    # when the corpus is re-checked.
    dates: str | None = None


@dataclass(slots=True)
class ReportRecord:
    """Everything stored for one input file, parsed or failed."""

    source_path: str
    sha256: str | None
    parser_version: str
    status: Literal["ok", "error"]
    format: str | None = None  # the schema's format name, None for one it does not list
    reader: str | None = None  # the reader that read the file
    ocr: bool = False  # read by OCR: a re-check words its findings for a scan
    values_hash: str | None = None  # the table values: equal ones make the same edition
    size: int | None = None
    error: str | None = None
    error_kind: str | None = None
    error_detail: str | None = None  # an internal error's traceback (developers only)
    meta: MetaRow = field(default_factory=MetaRow)
    anomalies: str = "[]"
    cells: list[CellRow] = field(default_factory=list)
    sections: list[SectionRow] = field(default_factory=list)
    findings: list[FindingRow] | None = None  # None: the rules did not run
    read_ms: float | None = None
    parse_ms: float | None = None
    check_ms: float | None = None


def fingerprint(code: str, cells: Sequence[Sequence[str | int]], *documents: str) -> str:
    """A finding's identity across re-parsing and re-checking.

    It covers what the finding is about (the rule, the cells, the content hashes of the reports
    involved) and leaves out its wording and figures, which change when the rules are improved.
    """
    payload = json.dumps([code, [list(c) for c in cells], list(documents)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]
