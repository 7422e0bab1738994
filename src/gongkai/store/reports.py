"""Writing one report (all of it, in one transaction) and reading it back as a canonical Report."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

from gongkai.model.keys import SUBTOTAL_SUFFIX
from gongkai.model.report import Report
from gongkai.store.base import bump_version
from gongkai.store.db import NotFound, transaction
from gongkai.store.editions import refresh_editions
from gongkai.store.records import FindingRow, ReportRecord

_REPORT_COLUMNS = (
    "source_path, sha256, parser_version, status, format, reader, size, error, error_kind,"
    " title, agency, agency_key, year, template_t2, template_t3, region, level, province, city,"
    " county, township, region_code, anomalies, checked, read_ms, parse_ms, check_ms, ingested_at,"
    " ocr, dates, values_hash"
)
_PLACEHOLDERS = ", ".join("?" * len(_REPORT_COLUMNS.split(",")))
_CELL_INSERT = (  # by name: migrations add columns at the end, in the order they run
    "INSERT INTO cells (report_id, tbl, row_key, col_key, value, raw, unit, line, page,"
    " span_start, span_end, bbox_x0, bbox_top, bbox_x1, bbox_bottom, table_no, row_no, col_no)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SECTION_INSERT = (
    "INSERT INTO sections (report_id, seq, no, heading, text, line) VALUES (?, ?, ?, ?, ?, ?)"
)
_FINDING_INSERT = (
    "INSERT INTO findings (report_id, prev_report_id, origin, code, severity, message, cells,"
    " expected, actual, lenient_pass, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def stored_version(con: sqlite3.Connection, sha256: str) -> tuple[str, str] | None:
    """(parser version, status) of the stored report with this content hash, if any."""
    row = con.execute(
        "SELECT parser_version, status FROM reports WHERE sha256 = ?", (sha256,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def write_record(con: sqlite3.Connection, rec: ReportRecord) -> int:
    """Insert or replace the report with this content hash, its cells, sections and findings,
    in a transaction of its own."""
    with transaction(con):
        return _write_alone(con, rec)


class ReportWriter:
    """Writes reports in group commits: each transaction holds one or more *whole* reports and is
    committed after `seconds`, so a report is never half-written, a kill loses at most the last
    fraction of a second of reports (a re-run parses them again), and the full-text index is
    flushed once per group rather than once per report (a third of the write cost)."""

    def __init__(self, con: sqlite3.Connection, seconds: float = 0.25) -> None:
        self.con, self.seconds = con, seconds
        self.opened: float | None = None

    def write(self, rec: ReportRecord) -> int:
        if self.opened is None:
            self.con.execute("BEGIN IMMEDIATE")
            self.opened = time.monotonic()
        try:
            report_id = _write_alone(self.con, rec)
        except BaseException:
            self.con.execute("ROLLBACK")
            self.opened = None
            raise
        if time.monotonic() - self.opened >= self.seconds:
            self.commit()
        return report_id

    def commit(self) -> None:
        if self.opened is not None and self.con.in_transaction:
            bump_version(self.con)
            self.con.execute("COMMIT")
        self.opened = None


def _write_alone(con: sqlite3.Connection, rec: ReportRecord) -> int:
    """One report in a savepoint of its own: a record the database refuses (a value beyond its
    integers, a string it cannot encode) is stored as that file's failure, and the reports written
    before it in the same transaction stay."""
    con.execute("SAVEPOINT report")
    try:
        report_id = _write(con, rec)
    except (sqlite3.Error, OverflowError, UnicodeError, ValueError) as exc:
        con.execute("ROLLBACK TO report")
        report_id = _write(con, _refused(rec, exc))
    con.execute("RELEASE report")
    return report_id


def _refused(rec: ReportRecord, exc: Exception) -> ReportRecord:
    message = f"{rec.source_path}: 无法存入语料库（数值或文字超出数据库的范围），该文件记为失败"
    return ReportRecord(
        rec.source_path, rec.sha256, rec.parser_version, "error", rec.format, rec.reader,
        size=rec.size, error=message, error_kind="internal", error_detail=repr(exc),
    )  # fmt: skip


def _write(con: sqlite3.Connection, rec: ReportRecord) -> int:
    report_id = _upsert_report(con, rec)
    con.executemany(_CELL_INSERT, ((report_id, *cell) for cell in rec.cells))
    con.executemany(_SECTION_INSERT, ((report_id, *sec) for sec in rec.sections))
    if rec.findings is not None:
        insert_findings(con, report_id, None, "report", rec.findings)
    _link_unit(con, report_id, rec.meta.agency_key)
    if rec.sha256 is not None:
        con.execute(
            "INSERT OR IGNORE INTO report_paths VALUES (?, ?)", (report_id, rec.source_path)
        )
    if rec.error_detail is not None:
        con.execute("INSERT INTO error_details VALUES (?, ?)", (report_id, rec.error_detail))
    return report_id


def _upsert_report(con: sqlite3.Connection, rec: ReportRecord) -> int:
    values = _report_values(rec)
    if rec.sha256 is None:
        # An unreadable file has no hash: it is known by its path instead.
        con.execute(
            "DELETE FROM reports WHERE sha256 IS NULL AND source_path = ?", (rec.source_path,)
        )
        row = None
    else:
        row = con.execute("SELECT id FROM reports WHERE sha256 = ?", (rec.sha256,)).fetchone()
    if row is None:
        report_id = _next_id(con)
        con.execute(
            f"INSERT INTO reports (id, {_REPORT_COLUMNS}) VALUES (?, {_PLACEHOLDERS})",
            (report_id, *values),
        )
        return report_id
    report_id = int(row[0])
    _clear(con, report_id)
    assignments = ", ".join(f"{c.strip()} = ?" for c in _REPORT_COLUMNS.split(","))
    con.execute(f"UPDATE reports SET {assignments} WHERE id = ?", (*values, report_id))
    return report_id


def _next_id(con: sqlite3.Connection) -> int:
    """One above every id ever given, deleted ones included: ids are never reused."""
    row = con.execute(
        "UPDATE id_counters SET last = max(last, (SELECT coalesce(max(id), 0) FROM reports)) + 1"
        " WHERE name = 'reports' RETURNING last"
    ).fetchone()
    return int(row[0])


def _report_values(rec: ReportRecord) -> tuple[Any, ...]:
    m = rec.meta
    return (
        rec.source_path, rec.sha256, rec.parser_version, rec.status, rec.format, rec.reader,
        rec.size,
        rec.error, rec.error_kind, m.title, m.agency, m.agency_key, m.year, m.template_t2,
        m.template_t3, m.region, m.level, m.province, m.city, m.county, m.township,
        m.region_code, rec.anomalies, int(rec.findings is not None), rec.read_ms, rec.parse_ms,
        rec.check_ms, datetime.now(UTC).isoformat(timespec="seconds"), int(rec.ocr), m.dates,
        rec.values_hash,
    )  # fmt: skip


def _clear(con: sqlite3.Connection, report_id: int) -> None:
    """Drop what a re-parse replaces. Cross-year findings touching the report go too: they were
    computed from the old figures, and `check_corpus` recomputes them. Reviews stay."""
    con.execute("DELETE FROM cells WHERE report_id = ?", (report_id,))
    con.execute("DELETE FROM sections WHERE report_id = ?", (report_id,))
    con.execute("DELETE FROM error_details WHERE report_id = ?", (report_id,))
    con.execute(
        "DELETE FROM findings WHERE report_id = ? OR prev_report_id = ?", (report_id, report_id)
    )


def delete_report(con: sqlite3.Connection, report_id: int) -> bool:
    """Remove a report and all that is stored of it, in one transaction; False if there is none.

    Its cells, sections (and so their full-text rows, through the sections_ad trigger), findings,
    the cross-year findings it takes part in, and its unit link go with it. Review decisions stay:
    keyed by fingerprint, they are the reviewer's, and apply again if the file is ingested again.
    The children are deleted here rather than left to ON DELETE CASCADE: open_db switches foreign
    keys on, but a connection opened otherwise has them off, and the result must not depend on it.
    """
    with transaction(con):
        if con.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is None:
            return False
        _clear(con, report_id)
        con.execute("DELETE FROM report_units WHERE report_id = ?", (report_id,))
        con.execute("DELETE FROM report_paths WHERE report_id = ?", (report_id,))
        con.execute("DELETE FROM reports WHERE id = ?", (report_id,))
    refresh_editions(con)  # another edition of its agency-year may count now
    return True


def source_in_use(con: sqlite3.Connection, path: str) -> bool:
    """Whether a stored report was read from the file at `path` (or from a member of it, for an
    archive: such a report's path is `archive.zip!member`)."""
    row = con.execute(
        "SELECT 1 FROM reports WHERE source_path = ? OR substr(source_path, 1, ?) = ? LIMIT 1",
        (path, len(path) + 1, path + "!"),
    ).fetchone()
    return row is not None


def _link_unit(con: sqlite3.Connection, report_id: int, key: str | None) -> None:
    """Attach the report to the one unit its agency key names; a manual link is kept."""
    con.execute("DELETE FROM report_units WHERE report_id = ? AND how = 'name'", (report_id,))
    if key:
        con.execute(
            "INSERT OR IGNORE INTO report_units (report_id, unit_id, how)"
            " SELECT ?, min(unit_id), 'name' FROM unit_keys WHERE key = ?"
            " HAVING count(DISTINCT unit_id) = 1",
            (report_id, key),
        )


def insert_findings(
    con: sqlite3.Connection,
    report_id: int,
    prev_report_id: int | None,
    origin: str,
    findings: list[FindingRow],
) -> None:
    con.executemany(
        _FINDING_INSERT,
        (
            (report_id, prev_report_id, origin, f.code, f.severity, f.message, f.cells,
             f.expected, f.actual, None if f.lenient_pass is None else int(f.lenient_pass),
             f.fingerprint)
            for f in findings
        ),
    )  # fmt: skip


def load_report(con: sqlite3.Connection, report_id: int) -> Report:
    """The canonical Report as parsed, rebuilt from the stored rows (findings not included)."""
    con.row_factory = sqlite3.Row
    try:
        row = con.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None or row["status"] != "ok":
            raise NotFound(f"#{report_id}", "没有这份已成功解析的报告")
        doc = _document(row)
        _add_cells(con, report_id, doc)
        doc["sections"] = [
            {k: s[k] for k in ("no", "heading", "text", "line")}
            for s in con.execute(
                "SELECT * FROM sections WHERE report_id = ? ORDER BY seq", (report_id,)
            )
        ]
    finally:
        con.row_factory = None
    return Report.model_validate(doc)


def _document(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "source": {
            "file": row["source_path"],
            "sha256": row["sha256"],
            "format": row["format"],
            "reader": row["reader"],
            "ocr": True if row["ocr"] else None,
        },
        "meta": {
            "title": row["title"],
            "agency": row["agency"],
            "year": row["year"],
            "region": json.loads(row["region"]) if row["region"] else None,
            "templates": {"table2": row["template_t2"], "table3": row["template_t3"]},
            **(json.loads(row["dates"]) if row["dates"] else {}),
        },
        "anomalies": json.loads(row["anomalies"]),
        "provenance": {},
    }


def _add_cells(con: sqlite3.Connection, report_id: int, doc: dict[str, Any]) -> None:
    tables: dict[str, dict[str, Any]] = {}
    for c in con.execute("SELECT * FROM cells WHERE report_id = ?", (report_id,)):
        table = tables.setdefault(c["tbl"], {})
        if c["tbl"] == "table2":
            table.setdefault(c["row_key"], {})[c["col_key"]] = c["value"]
        else:
            width = 7 if c["tbl"] == "table3" else 5
            table.setdefault(c["row_key"], [None] * width)[int(c["col_key"])] = c["value"]
        if c["raw"] is not None:
            box = [c["bbox_x0"], c["bbox_top"], c["bbox_x1"], c["bbox_bottom"]]
            doc["provenance"][f"{c['tbl']}.{c['row_key']}.{c['col_key']}"] = {
                "raw": c["raw"], "unit": c["unit"], "line": c["line"], "page": c["page"],
                "start": c["span_start"], "end": c["span_end"],
                "bbox": None if None in box else box, "table_no": c["table_no"],
                "row_no": c["row_no"], "col_no": c["col_no"],
            }  # fmt: skip
    for name in ("table2", "table3", "table4"):
        doc[name] = tables.get(name)
    rows3 = doc["table3"] or {}
    subtotals = [k for k in rows3 if k.endswith(SUBTOTAL_SUFFIX)]
    if subtotals:
        doc["table3_subtotals"] = {k.removesuffix(SUBTOTAL_SUFFIX): rows3.pop(k) for k in subtotals}
