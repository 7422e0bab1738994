"""Thin adapters between the pages and the corpus layer (gongkai.corpus, gongkai.store).

Everything here calls existing library functions; no SQL is written in the web package. Where the
corpus layer lacks a piece the pages need, the adapter says so in its docstring (and the app either
builds it from what exists, or answers with a clear "not available yet").
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from gongkai import store
from gongkai.corpus import connected
from gongkai.corpus import stats as store_stats
from gongkai.model.finding import Finding
from gongkai.model.report import Report
from gongkai.store import Filters, ReportRow, Stats, StoredFinding
from gongkai.store.base import version as store_version
from gongkai.store.export_rows import iter_cells, iter_meta
from gongkai.store.queries import (
    FTS_MIN,
    matching_sections,
    report_ids,
    section_owners,
    summaries,
)
from gongkai.web.uploads import upload_folder

_SOURCE_LINE_MAX_BYTES = 5 * 1024**2
_TEXT_FORMATS = frozenset({"text", "markdown"})


_LOCAL = threading.local()
_MAX_DATABASES = 4


def connection(db: str | Path) -> sqlite3.Connection:
    """This thread's connection to `db`, kept open (opening one costs about 1 ms, more than the
    queries run on it per request). Autocommit mode: each statement reads the latest commit.
    Not open_db: its migration check and pragmas would run on every request (0.6 ms); the app
    migrated the database when it started. A missing file is an error, never a new empty
    database."""
    return _connection(_file(db))


def _file(db: str | Path) -> tuple[str, int]:
    """Which database file: its path and inode (a database put in the file's place, a restore,
    is another database, even with the same write count)."""
    path = Path(db).resolve()
    try:
        return str(path), path.stat().st_ino
    except OSError as exc:
        raise store.StoreError(str(db), "数据库文件不存在，请先运行 ingest") from exc


def _connection(file: tuple[str, int]) -> sqlite3.Connection:
    cons: dict[tuple[str, int], sqlite3.Connection] = _LOCAL.__dict__.setdefault("cons", {})
    con = cons.get(file)
    if con is None:
        if len(cons) >= _MAX_DATABASES:  # one app serves one database; tests make many
            cons.pop(next(iter(cons))).close()
        con = cons[file] = sqlite3.connect(file[0], timeout=60, isolation_level=None)
    return con


def page_of(
    db: str | Path, filters: Filters, page: int, per_page: int
) -> tuple[int, list[ReportRow]]:
    """(matching reports, the rows of one page).

    The ids of every match, in list order, are kept until the database changes (see `recent`):
    at 10,000 reports a full-text search for a phrase every report has takes 35 ms of SQL, and
    every page of its results, and every browser asking again, would pay it again. The count and
    the page are then slices of that list, exact; only the page's rows are read."""
    ids = recent(("ids", filters), db, lambda: _ids(db, filters))
    chosen = ids[(page - 1) * per_page : page * per_page]
    if not chosen:
        return len(ids), []
    return len(ids), summaries(connection(db), chosen)


_FEW_SECTIONS = 2000  # about 2 ms of SQL lookups, as much as filtering the list without the text


def _ids(db: str | Path, filters: Filters) -> array[int]:
    text = filters.text
    if text is None or len(text) < FTS_MIN:
        return array("q", report_ids(connection(db), filters))
    # A full-text filter: the list without it (kept too), less the reports with no matching
    # section. The same reports as the SQL filter, in the same order, in 12 ms rather than 50 for
    # a phrase in every report: SQL spends 25 of them finding each matching section's report.
    con = connection(db)
    sections = matching_sections(con, text)
    if len(sections) <= _FEW_SECTIONS:  # a rarer phrase: SQL's lookups are the cheaper way
        return array("q", report_ids(con, filters))
    rest = replace(filters, text=None)
    every = recent(("ids", rest), db, lambda: _ids(db, rest))
    owners: dict[int, int] = cached("section-owners", db, lambda: _owners(db))
    found = {owners.get(s) for s in sections}  # None: a section written since the map was made
    return array("q", [i for i in every if i in found])


def _owners(db: str | Path) -> dict[int, int]:
    return section_owners(connection(db))


def rows_of(db: str | Path, filters: Filters, limit: int) -> list[ReportRow]:
    with connected(db) as con:
        return store.list_reports(con, filters, limit=limit)


def snippets(db: str | Path, text: str, ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(report id, section no, snippet) for the reports of one page: up to one per part (six).
    Kept with the page's ids until the database changes, like the list itself."""

    def find() -> list[tuple[int, int, str]]:
        return store.search_sections(connection(db), text, limit=6 * len(ids), among=ids)

    return recent(("snippets", text, tuple(ids)), db, find)


def report_row(db: str | Path, report_id: int) -> dict[str, Any] | None:
    with connected(db) as con:
        return store.report_row(con, report_id)


def load(db: str | Path, report_id: int) -> Report:
    """The stored report with its stored findings (so a roll-up does not re-run the rules)."""
    with connected(db) as con:
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
    with connected(db) as con:
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
# Aggregates over the whole corpus, kept until the database changes: `_key` → value.
_CACHE: dict[tuple[Hashable, str, int, int], Any] = {}
_CACHE_SIZE = 16


def _stamp(db: str | Path) -> int:
    """Changes with every write transaction, and only then: the store's write counter (the -wal
    file's size and time, used before, change as readers connect and checkpoint)."""
    return store_version(connection(db))


def _key(what: Hashable, db: str | Path) -> tuple[Hashable, str, int, int]:
    """A cache key: what, which database file, and its state."""
    return what, *_file(db), _stamp(db)


def cached(what: str, db: str | Path, compute: Callable[[], T]) -> T:
    key = _key(what, db)
    found = _CACHE.get(key, _CACHE)  # one lookup: another thread may clear the cache in between
    if found is not _CACHE:
        hit: T = found
        return hit
    value = compute()
    with _LOCK:  # the server's threads share the cache: one clears it while another reads
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = value
    return value


# Result lists and their snippets, kept until the database changes: `_key` → value, the
# least recently used dropped first. Apart from the corpus-wide figures above, so that searches
# never push out the statistics (a few hundred ms to compute again).
_RECENT: OrderedDict[tuple[Hashable, str, int, int], Any] = OrderedDict()
_RECENT_SIZE = 64  # at 10,000 reports a list of every id is 80 kB (array of int64)
_LOCK = threading.Lock()


def recent(what: Hashable, db: str | Path, compute: Callable[[], T]) -> T:
    """`compute()`'s value, computed once per database state (the write counter); exact, since
    every write moves the counter. Concurrent first requests may each compute it: no lock is held
    while computing, so a slow search never blocks the other pages."""
    key = _key(what, db)
    with _LOCK:
        if key in _RECENT:
            _RECENT.move_to_end(key)
            found: T = _RECENT[key]
            return found
    value = compute()
    with _LOCK:
        _RECENT[key] = value
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
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
    with connected(db) as con:
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
    with connected(db) as con:
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
