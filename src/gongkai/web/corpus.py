"""Thin adapters between the pages and the corpus layer (gongkai.corpus, gongkai.store).

Everything here calls existing library functions; no SQL is written in the web package. Where the
corpus layer lacks a piece the pages need, the adapter says so in its docstring (and the app either
builds it from what exists, or answers with a clear "not available yet").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from gongkai import store
from gongkai.corpus import stats as store_stats
from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.store import Filters, ReportRow, Stats, StoredFinding
from gongkai.store.base import version as store_version
from gongkai.store.export_rows import iter_cells, iter_meta
from gongkai.web.uploads import upload_folder

_SOURCE_LINE_MAX_BYTES = 5 * 1024**2
_TEXT_FORMATS = frozenset({"text", "markdown"})


@contextmanager
def connect(db: str | Path) -> Iterator[sqlite3.Connection]:
    con = store.open_db(db, create=False)
    try:
        yield con
    finally:
        con.close()


def page_of(
    db: str | Path, filters: Filters, page: int, per_page: int
) -> tuple[int, list[ReportRow]]:
    """(matching reports, the rows of one page)."""
    with connect(db) as con:
        return store.page_reports(con, filters, limit=per_page, offset=(page - 1) * per_page)


def rows_of(db: str | Path, filters: Filters, limit: int) -> list[ReportRow]:
    with connect(db) as con:
        return store.list_reports(con, filters, limit=limit)


def snippets(db: str | Path, text: str, ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(report id, section no, snippet) for the reports of one page: up to one per part (six)."""
    with connect(db) as con:
        return store.search_sections(con, text, limit=6 * len(ids), among=ids)


def report_row(db: str | Path, report_id: int) -> dict[str, Any] | None:
    with connect(db) as con:
        return store.report_row(con, report_id)


def load(db: str | Path, report_id: int) -> Report:
    """The stored report with its stored findings (so a roll-up does not re-run the rules)."""
    with connect(db) as con:
        report = store.load_report(con, report_id)
        report.findings = [as_finding(f) for f in store.findings_of(con, report_id)]
    return report


def as_finding(f: StoredFinding) -> Finding:
    return Finding(
        code=f.code,
        severity=f.severity,
        message=f.message,
        cells=f.cells,
        expected=f.expected,
        actual=f.actual,
    )


def same_agency(db: str | Path, identity: str, year: int) -> int | None:
    """The id of the report that counts for this agency identity and `year`."""
    with connect(db) as con:
        return store.counted_report(con, identity, year)


# Peer position ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeerRow:
    """The figures of one report that the peer comparison ranks."""

    report_id: int
    agency: str | None
    received: float | None
    disclosure_rate: float | None  # (予以公开 + 部分公开) / 办理结果总计, 总计 column
    correction_rate: float | None  # 结果纠正 / 总计 over 复议 and both 诉讼 groups


T = TypeVar("T")
# Aggregates over the whole corpus, kept until the database changes: (what, db, stamp) → value.
_CACHE: dict[tuple[str, str, int], Any] = {}
_CACHE_SIZE = 16


def _stamp(db: str | Path) -> int:
    """Changes with every write transaction, and only then: the store's write counter (the -wal
    file's size and time, used before, change as readers connect and checkpoint)."""
    # A bare connection: open_db's migration check and pragmas would run on every page view, and
    # the app has migrated the database when it started.
    con = sqlite3.connect(str(db), timeout=60)
    try:
        return store_version(con)
    finally:
        con.close()


def cached(what: str, db: str | Path, compute: Callable[[], T]) -> T:
    key = (what, str(Path(db).resolve()), _stamp(db))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = compute()
    value: T = _CACHE[key]
    return value


def corpus_stats(db: str | Path) -> Stats:
    """The corpus statistics (a few hundred ms at 10,000 reports), computed once per change."""
    return cached("stats", db, lambda: store_stats(db))


def peer_rows(db: str | Path, year: int) -> list[PeerRow]:
    """Every parsed report of `year` with its ranked figures.

    Missing in store: a per-report aggregate of a few cells. Built here from the long-form cell
    stream of the export instead, and cached until the database changes.
    """
    return cached(f"peers-{year}", db, lambda: _peer_rows(db, year))


_WANTED = {
    ("table3", "received", "6"),
    ("table3", "granted", "6"),
    ("table3", "partial", "6"),
    ("table3", "total", "6"),
    *((("table4", g, c)) for g in ("review", "litigation_direct", "litigation_after_review")
      for c in ("1", "4")),
}  # fmt: skip


def _peer_rows(db: str | Path, year: int) -> list[PeerRow]:
    filters = Filters(year=year)
    cells: dict[int, dict[tuple[str, str, str], float]] = {}
    with connect(db) as con:
        agencies = {m[0]: m[6] for m in iter_meta(con, filters) if m[4] == "ok"}
        for report_id, tbl, row, col, value, _raw, _unit in iter_cells(con, filters):
            if (tbl, row, col) in _WANTED and value is not None:
                cells.setdefault(report_id, {})[(tbl, row, col)] = float(value)
    return [_peer(rid, name, cells.get(rid, {})) for rid, name in agencies.items()]


def _ratio(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else part / whole


def _peer(report_id: int, agency: str | None, c: dict[tuple[str, str, str], float]) -> PeerRow:
    granted = c.get(("table3", "granted", "6"))
    partial = c.get(("table3", "partial", "6"))
    disclosed = None if granted is None or partial is None else granted + partial
    groups = ("review", "litigation_direct", "litigation_after_review")
    corrected = sum(c.get(("table4", g, "1"), 0.0) for g in groups)
    total = sum(c.get(("table4", g, "4"), 0.0) for g in groups)
    return PeerRow(
        report_id,
        agency,
        c.get(("table3", "received", "6")),
        _ratio(disclosed, c.get(("table3", "total", "6"))),
        _ratio(corrected, total),
    )


# Writes and pieces the corpus layer does not offer yet ------------------------------------------


def ingest_paths(paths: Sequence[str], db: str) -> dict[str, Any]:
    """Ingest files into the corpus (runs in a sandboxed child: parsing untrusted bytes)."""
    from gongkai.corpus import ingest

    summary = ingest(paths, db, jobs=1)
    return {
        "added": summary.added,
        "updated": summary.updated,
        "skipped": summary.skipped,
        "failed": [list(item) for item in summary.failed],
    }


def delete_report(db: str | Path, report_id: int) -> bool:
    """Delete one report from the corpus; False if there is no such report.

    The copy of the file kept when it was uploaded here (web/actions._keep) goes too, once no
    stored report comes from it any more (a .zip holds many): the user asked to remove the report,
    and a copy left behind would bring it back at the next ingest of the uploads folder. Only on
    this explicit request, after the database commit, and never a file outside the uploads folder
    (a report ingested from the user's own disk keeps its file).
    """
    with connect(db) as con:
        row = store.report_row(con, report_id)
        if row is None or not store.delete_report(con, report_id):
            return False
        upload = _kept_upload(db, row["source_path"])
        if upload is not None and not store.source_in_use(con, str(upload)):
            upload.unlink(missing_ok=True)
    return True


def _kept_upload(db: str | Path, source_path: str) -> Path | None:
    """The file in the uploads folder a report was read from, if it was read from one."""
    path = Path(source_path.split("!", 1)[0])
    folder = upload_folder(db)
    if path.parent != folder or not path.is_file():
        return None
    return path


def report_card(db: str | Path, agency: str, year: int | None, fmt: str) -> bytes:
    """The agency's 体检报告 as DOCX or HTML (gongkai.corpus.report_card, rendered by render/)."""
    from gongkai.corpus.report_card import report_card as build
    from gongkai.render.report_card import render_card_docx, render_card_html

    card = build(agency, db, year=year)
    return render_card_docx(card) if fmt == "docx" else render_card_html(card).encode("utf-8")


def source_line(path: str, fmt: str | None, line: int | None) -> str | None:
    """The whole source line of a cell, when the original text file is still where it was."""
    file = Path(path)
    if line is None or fmt not in _TEXT_FORMATS or "!" in path or not file.is_file():
        return None
    if file.stat().st_size > _SOURCE_LINE_MAX_BYTES:
        return None
    from gongkai.errors import GongkaiError
    from gongkai.readers import read_path

    try:
        doc, _data = read_path(file)
    except GongkaiError:
        return None
    for row in doc.rows():
        if row.line == line:
            return "\t".join(row.texts())
    return None
