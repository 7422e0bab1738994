"""Selecting reports: the filters shared by `ls` and `export`, summaries, full-text search."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Every unit under a unit (itself included): the roll-up follows the hierarchy.
SUBTREE = (
    "WITH RECURSIVE subtree(id) AS ("
    " SELECT id FROM units WHERE name = ? OR CAST(id AS TEXT) = ?"
    " UNION SELECT u.id FROM units u JOIN subtree s ON u.parent_id = s.id)"
)
_FTS_MIN = 3  # trigram tokens: shorter queries fall back to LIKE
_NARRATIVE = "(1, 5, 6)"  # the sections in the full-text index


@dataclass(frozen=True, slots=True)
class Filters:
    year: int | None = None
    agency: str | None = None  # a part of the name as written or of its key
    region: str | None = None  # a part of province/city/county/township, or a code prefix
    code: str | None = None  # has a finding with this rule code
    has_errors: bool = False  # has a finding of severity error, or failed to parse
    failed: bool = False  # failed to parse
    unit: str | None = None  # attached to this unit or one below it (name or id)
    text: str | None = None  # a section contains this text

    def where(self) -> tuple[str, list[Any]]:
        """A WHERE clause over `reports r`, with its arguments."""
        parts, args = ["1 = 1"], []
        for clause, values in self._clauses():
            parts.append(clause)
            args.extend(values)
        return " AND ".join(parts), args

    def _clauses(self) -> Iterator[tuple[str, list[Any]]]:
        if self.year is not None:
            yield "r.year = ?", [self.year]
        if self.agency:
            yield "(r.agency LIKE ? OR r.agency_key LIKE ?)", [f"%{self.agency}%"] * 2
        if self.region:
            like = f"%{self.region}%"
            yield (
                "(r.province LIKE ? OR r.city LIKE ? OR r.county LIKE ? OR r.township LIKE ?"
                " OR r.region_code LIKE ?)",
                [like, like, like, like, f"{self.region}%"],
            )
        if self.code:
            yield "r.id IN (SELECT report_id FROM findings WHERE code = ?)", [self.code]
        if self.has_errors:
            yield (
                "(r.status = 'error' OR r.id IN"
                " (SELECT report_id FROM findings WHERE severity = 'error'))",
                [],
            )
        if self.failed:
            yield "r.status = 'error'", []
        yield from self._joined()

    def _joined(self) -> Iterator[tuple[str, list[Any]]]:
        if self.unit:
            yield (
                "r.id IN (SELECT report_id FROM report_units WHERE unit_id IN"
                f" ({SUBTREE} SELECT id FROM subtree))",
                [self.unit, self.unit],
            )
        if self.text:
            yield _text_clause(self.text)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _text_clause(text: str) -> tuple[str, list[Any]]:
    """Sections containing `text`: the index for the narrative, LIKE for the rest (see schema)."""
    like = f"%{text}%"
    if len(text) < _FTS_MIN:
        return "r.id IN (SELECT report_id FROM sections WHERE text LIKE ?)", [like]
    return (
        "(r.id IN (SELECT s.report_id FROM sections_fts f JOIN sections s ON s.id = f.rowid"
        f" WHERE sections_fts MATCH ?) OR r.id IN (SELECT report_id FROM sections"
        f" WHERE no NOT IN {_NARRATIVE} AND text LIKE ?))",
        [_phrase(text), like],
    )


@dataclass(frozen=True, slots=True)
class ReportRow:
    id: int
    agency: str | None
    year: int | None
    template_t2: str | None
    template_t3: str | None
    status: str
    errors: int
    warnings: int
    source_path: str
    error: str | None
    region: str | None


_SUMMARY = (
    "SELECT r.id, r.agency, r.year, r.template_t2, r.template_t3, r.status,"
    " (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error'),"
    " (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning'),"
    " r.source_path, r.error, coalesce(r.county, r.city, r.province)"
    " FROM reports r"
)


def count_reports(con: sqlite3.Connection, filters: Filters) -> int:
    where, args = filters.where()
    return int(con.execute(f"SELECT count(*) FROM reports r WHERE {where}", args).fetchone()[0])


def list_reports(
    con: sqlite3.Connection, filters: Filters, *, limit: int | None = None, offset: int = 0
) -> list[ReportRow]:
    where, args = filters.where()
    sql = f"{_SUMMARY} WHERE {where} ORDER BY r.agency_key, r.year, r.id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [ReportRow(*row) for row in con.execute(sql, args)]


def report_row(con: sqlite3.Connection, report_id: int) -> dict[str, Any] | None:
    """Every stored column of one report, by name."""
    cur = con.execute("SELECT * FROM reports WHERE id = ?", (report_id,))
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def search_sections(
    con: sqlite3.Connection, text: str, *, limit: int = 20
) -> list[tuple[int, int, str]]:
    """(report id, section no, snippet) of sections containing `text`."""
    like = f"%{text}%"
    plain = "SELECT report_id, no, seq, text FROM sections WHERE text LIKE ?"
    if len(text) < _FTS_MIN:
        found = con.execute(f"{plain} ORDER BY report_id, seq LIMIT ?", (like, limit))
        return [(r[0], r[1], _snippet(r[3], text)) for r in found]
    indexed = (
        "SELECT s.report_id, s.no, s.seq, snippet(sections_fts, 1, '【', '】', '…', 24)"
        " FROM sections_fts JOIN sections s ON s.id = sections_fts.rowid"
        " WHERE sections_fts MATCH ?"
    )
    rows = con.execute(
        f"{indexed} UNION ALL {plain} AND no NOT IN {_NARRATIVE} ORDER BY 1, 3 LIMIT ?",
        (_phrase(text), like, limit),
    )
    return [(r[0], r[1], r[3] if r[1] in (1, 5, 6) else _snippet(r[3], text)) for r in rows]


def _snippet(body: str, text: str, width: int = 16) -> str:
    at = body.find(text)
    return (
        "…" + body[max(0, at - width) : at] + f"【{text}】" + body[at + len(text) :][:width] + "…"
    )


@dataclass(frozen=True, slots=True)
class PairCandidate:
    id: int
    sha256: str
    agency_key: str | None
    year: int | None
    unit_id: int | None


def pair_candidates(con: sqlite3.Connection) -> list[PairCandidate]:
    """Parsed reports with a year, newest ingest last (it wins when an agency-year repeats)."""
    sql = (
        "SELECT r.id, r.sha256, r.agency_key, r.year, ru.unit_id FROM reports r"
        " LEFT JOIN report_units ru ON ru.report_id = r.id"
        " WHERE r.status = 'ok' AND r.year IS NOT NULL ORDER BY r.id"
    )
    return [PairCandidate(*row) for row in con.execute(sql)]
