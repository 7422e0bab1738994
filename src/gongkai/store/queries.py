"""Selecting reports: the filters shared by `ls` and `export`, summaries, full-text search."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

# Every unit under a unit (itself included): the roll-up follows the hierarchy.
SUBTREE = (
    "WITH RECURSIVE subtree(id) AS ("
    " SELECT id FROM units WHERE name = ? OR CAST(id AS TEXT) = ?"
    " UNION SELECT u.id FROM units u JOIN subtree s ON u.parent_id = s.id)"
)
# Trigram tokens find substrings of 3+ characters; shorter queries fall back to LIKE. Every section
# is in the index (migration 4), so a query of 3+ characters never scans the sections' text.
_FTS_MIN = FTS_MIN = 3
_IDS = "(SELECT value FROM json_each(?))"  # a JSON list of ids: one parameter, however many
_MATCHING = (
    "SELECT s.report_id FROM sections_fts f JOIN sections s ON s.id = f.rowid"
    " WHERE sections_fts MATCH ?"
)


def contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally (use with
    ESCAPE '\\'): a search for 100% must not match every report."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ESC = " ESCAPE '\\'"


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
    # Every edition of an agency-year, not only the one that counts (see store/editions.py).
    editions: bool = False

    def where(self) -> tuple[str, list[Any]]:
        """A WHERE clause over `reports r`, with its arguments."""
        parts, args = ["1 = 1"], []
        for clause, values in self._clauses():
            parts.append(clause)
            args.extend(values)
        return " AND ".join(parts), args

    def by_subquery(self) -> bool:
        """Whether a filter looks into another table (findings, units, sections)."""
        return bool(self.code or self.has_errors or self.unit or self.text)

    def _clauses(self) -> Iterator[tuple[str, list[Any]]]:
        if not self.editions:
            yield "r.current = 1", []
        if self.year is not None:
            yield "r.year = ?", [self.year]
        if self.agency:
            yield (
                f"(r.agency LIKE ?{_ESC} OR r.agency_key LIKE ?{_ESC})",
                [contains(self.agency)] * 2,
            )
        if self.region:
            like = contains(self.region)
            yield (
                f"(r.province LIKE ?{_ESC} OR r.city LIKE ?{_ESC} OR r.county LIKE ?{_ESC}"
                f" OR r.township LIKE ?{_ESC} OR r.region_code LIKE ?{_ESC})",
                [like, like, like, like, like[1:]],
            )
        if self.code:
            yield "r.id IN (SELECT report_id FROM open_findings WHERE code = ?)", [self.code]
        if self.has_errors:
            yield (
                "(r.status = 'error' OR r.id IN"
                " (SELECT report_id FROM open_findings WHERE severity = 'error'))",
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
    """Reports with a section containing `text`: the full-text index, or LIKE below 3 characters."""
    if len(text) < _FTS_MIN:
        return (
            f"r.id IN (SELECT report_id FROM sections WHERE text LIKE ?{_ESC})",
            [contains(text)],
        )
    return f"r.id IN ({_MATCHING})", [_phrase(text)]


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
    identity: str | None  # the agency as analysis.identity decides it
    current: bool  # the report that counts for its agency and year
    editions: int  # how many reports the corpus holds for its agency and year (1: only this)


_SUMMARY_COLUMNS = (
    "r.id, r.agency, r.year, r.template_t2, r.template_t3, r.status,"
    " (SELECT count(*) FROM open_findings f WHERE f.report_id = r.id AND f.severity = 'error'),"
    " (SELECT count(*) FROM open_findings f WHERE f.report_id = r.id AND f.severity = 'warning'),"
    " r.source_path, r.error, coalesce(r.county, r.city, r.province), r.identity,"
    " r.current = 1, CASE WHEN r.identity IS NULL OR r.year IS NULL THEN 1 ELSE"
    " (SELECT count(*) FROM reports e WHERE e.identity = r.identity AND e.year = r.year"
    " AND e.status = 'ok') END"
)
_SUMMARY = f"SELECT {_SUMMARY_COLUMNS} FROM reports r"
_ORDER = "ORDER BY r.agency_key, r.year, r.id"


def count_reports(con: sqlite3.Connection, filters: Filters) -> int:
    where, args = filters.where()
    return int(con.execute(f"SELECT count(*) FROM reports r WHERE {where}", args).fetchone()[0])


def list_reports(
    con: sqlite3.Connection, filters: Filters, *, limit: int | None = None, offset: int = 0
) -> list[ReportRow]:
    where, args = filters.where()
    sql = f"{_SUMMARY} WHERE {where} {_ORDER}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [_row(row) for row in con.execute(sql, args)]


def page_reports(
    con: sqlite3.Connection, filters: Filters, *, limit: int, offset: int = 0
) -> tuple[int, list[ReportRow]]:
    """(how many reports match, one page of them, in list order).

    A filter by subquery (full text above all: 20 ms at 10,000 reports for a phrase every report
    has) is evaluated once, in one statement that counts and pages the ids it found, and only the
    page's rows get their finding counts. Without one, the count and the index-ordered page are
    cheaper apart (0.2 ms instead of 5)."""
    if not filters.by_subquery():
        return count_reports(con, filters), list_reports(con, filters, limit=limit, offset=offset)
    where, args = filters.where()
    sql = (
        f"WITH hit(id) AS MATERIALIZED (SELECT r.id FROM reports r WHERE {where}),"
        f" page(id) AS (SELECT r.id FROM reports r WHERE r.id IN hit {_ORDER} LIMIT ? OFFSET ?)"
        f" SELECT (SELECT count(*) FROM hit), {_SUMMARY_COLUMNS} FROM reports r"
        f" WHERE r.id IN page {_ORDER}"
    )
    found = con.execute(sql, [*args, limit, offset]).fetchall()
    if not found:  # no row to carry the count: none match, or the page is past the end
        return (count_reports(con, filters) if offset else 0), []
    return int(found[0][0]), [_row(row[1:]) for row in found]


def report_ids(con: sqlite3.Connection, filters: Filters) -> list[int]:
    """The ids of every matching report, in list order: what a cache of result lists holds (the
    web app pages through it; see web/corpus.page_of)."""
    where, args = filters.where()
    # One row, not one per report: each row fetched takes the GIL again, and in the web server's
    # threads, under load, 10,000 of them queue behind the other requests (p95 0.5 s at 8 clients).
    # The aggregate reads its subquery in the subquery's order (SQLite never flattens an ordered
    # subquery into an aggregate); tests/test_web_list_cache.py holds it to list_reports.
    sql = f"SELECT json_group_array(id) FROM (SELECT r.id FROM reports r WHERE {where} {_ORDER})"
    ids: list[int] = json.loads(con.execute(sql, args).fetchone()[0])
    return ids


def matching_sections(con: sqlite3.Connection, text: str) -> list[int]:
    """The ids of the sections containing `text` (3 characters or more: the full-text index
    alone, 5 ms for a phrase in every report at 10,000 reports)."""
    sql = "SELECT json_group_array(rowid) FROM sections_fts WHERE sections_fts MATCH ?"
    ids: list[int] = json.loads(con.execute(sql, [_phrase(text)]).fetchone()[0])
    return ids


def section_owners(con: sqlite3.Connection) -> dict[int, int]:
    """Section id → report id, for every section, from the (report_id, seq) index: looking the
    reports of 30,000 matching sections up in the sections table itself, one row at a time, costs
    25 ms at 10,000 reports."""
    sql = "SELECT json_group_array(id), json_group_array(report_id) FROM sections"
    sections, reports = con.execute(sql).fetchone()
    return dict(zip(json.loads(sections), json.loads(reports), strict=True))


def summaries(con: sqlite3.Connection, ids: Collection[int]) -> list[ReportRow]:
    """The list rows of these reports (those that still exist), in list order."""
    sql = f"{_SUMMARY} WHERE r.id IN {_IDS} {_ORDER}"
    return [_row(row) for row in con.execute(sql, [json.dumps(list(ids))])]


def _row(values: tuple[Any, ...]) -> ReportRow:
    row = ReportRow(*values)
    object.__setattr__(row, "current", bool(row.current))
    return row


def counted_report(con: sqlite3.Connection, identity: str, year: int) -> int | None:
    """The id of the report that counts for an agency identity and year, if the corpus has one."""
    found = con.execute(
        "SELECT id FROM reports WHERE identity = ? AND year = ? AND current = 1 AND status = 'ok'",
        (identity, year),
    ).fetchone()
    return None if found is None else int(found[0])


def report_row(
    con: sqlite3.Connection, report_id: int, *, detail: bool = False
) -> dict[str, Any] | None:
    """Every stored column of one report, by name; an internal error's traceback only when
    `detail` is asked for (the command line's --verbose, never the web app)."""
    cur = con.execute("SELECT * FROM reports WHERE id = ?", (report_id,))
    row = cur.fetchone()
    if row is None:
        return None
    found = dict(zip([d[0] for d in cur.description], row, strict=True))
    if detail:
        trace = con.execute("SELECT traceback FROM error_details WHERE report_id = ?", (report_id,))
        found["error_detail"] = next((t for (t,) in trace), None)
    return found


def search_sections(
    con: sqlite3.Connection, text: str, *, limit: int = 20, among: Collection[int] | None = None
) -> list[tuple[int, int, str]]:
    """(report id, section no, snippet) of sections containing `text`, in report and section
    order; only in the reports `among` when given (the page of a result list)."""
    if len(text) < _FTS_MIN:
        return _like_sections(con, text, limit, among)
    if among is not None:
        return _page_sections(con, text, limit, among)
    sql = (
        "SELECT s.report_id, s.no, s.heading, s.text"
        " FROM sections_fts JOIN sections s ON s.id = sections_fts.rowid"
        " WHERE sections_fts MATCH ? ORDER BY s.report_id, s.seq LIMIT ?"
    )
    pattern = re.compile(re.escape(text), re.IGNORECASE)  # as the trigram index: no case
    return [
        (report_id, no, _snippet(body, pattern) or _snippet(heading, pattern))
        for report_id, no, heading, body in con.execute(sql, (_phrase(text), limit))
    ]


def _page_sections(
    con: sqlite3.Connection, text: str, limit: int, among: Collection[int]
) -> list[tuple[int, int, str]]:
    """The page's sections that contain `text` (heading or body, ignoring case as the trigram
    index does), found in Python: FTS5 walks every match of a common phrase before its rowid
    filter applies, and snippet() tokenizes each section again — 30–50 ms for one page at
    10,000 reports; reading the page's 300 sections and searching them takes 1 ms."""
    pattern = re.compile(re.escape(text), re.IGNORECASE)
    sql = f"SELECT report_id, no, heading, text FROM sections WHERE report_id IN {_IDS}"
    out: list[tuple[int, int, str]] = []
    for report_id, no, heading, body in con.execute(
        f"{sql} ORDER BY report_id, seq", [json.dumps(sorted(among))]
    ):
        if pattern.search(body) or pattern.search(heading):
            out.append((report_id, no, _snippet(body, pattern) or _snippet(heading, pattern)))
            if len(out) >= limit:
                break
    return out


def _like_sections(
    con: sqlite3.Connection, text: str, limit: int, among: Collection[int] | None
) -> list[tuple[int, int, str]]:
    sql = f"SELECT report_id, no, text FROM sections WHERE text LIKE ?{_ESC}"
    args: list[Any] = [contains(text)]
    if among is not None:
        sql += f" AND report_id IN {_IDS}"
        args.append(json.dumps(sorted(among)))
    rows = con.execute(f"{sql} ORDER BY report_id, seq LIMIT ?", (*args, limit))
    pattern = re.compile(re.escape(text), re.IGNORECASE)  # LIKE ignores ASCII case too
    return [(r[0], r[1], _snippet(r[2], pattern)) for r in rows]


def _snippet(body: str, pattern: re.Pattern[str], width: int = 16) -> str:
    """The first match in `body` marked 【】 with `width` characters either side; "" if none."""
    found = pattern.search(body)
    if found is None:
        return ""
    start, end = found.span()
    before = ("…" if start > width else "") + body[max(0, start - width) : start]
    after = body[end : end + width] + ("…" if end + width < len(body) else "")
    return f"{before}【{found.group()}】{after}"


@dataclass(frozen=True, slots=True)
class PairCandidate:
    id: int
    sha256: str
    identity: str | None  # the agency as analysis.identity decides it
    year: int | None


def pair_candidates(con: sqlite3.Connection) -> list[PairCandidate]:
    """The counted report (current edition) of every agency-year, in the order received."""
    sql = (
        "SELECT r.id, r.sha256, r.identity, r.year FROM reports r"
        " WHERE r.status = 'ok' AND r.year IS NOT NULL AND r.current = 1 ORDER BY r.id"
    )
    return [PairCandidate(*row) for row in con.execute(sql)]
