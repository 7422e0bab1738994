"""The corpus schema as an ordered list of migrations; `schema_version` records the applied ones.

A migration is never edited once released: a change is a new entry at the end. The pending ones run
in one transaction together with their `schema_version` rows, so a crash leaves the old or the new
schema, never half of one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Final

_REPORTS: Final = """
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    sha256 TEXT UNIQUE,              -- content hash; NULL only for a file that could not be read
    source_path TEXT NOT NULL,       -- first path seen; an archive member is archive.zip!member
    format TEXT,                     -- report.schema.json's source.format (NULL if not listed)
    reader TEXT,                     -- the reader that read the file (text, html, docx, xlsx …)
    size INTEGER,
    parser_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error TEXT,                      -- the one-line Chinese message
    error_kind TEXT,                 -- the GongkaiError class, or 'internal'
    title TEXT,
    agency TEXT,                     -- as written
    agency_key TEXT,                 -- gongkai.analysis.agency.agency_key
    year INTEGER,
    template_t2 TEXT,
    template_t3 TEXT,
    region TEXT,                     -- meta.region as parsed (JSON), if any
    level TEXT,                      -- inferred 省/市/县/乡/部门
    province TEXT,
    city TEXT,
    county TEXT,
    township TEXT,
    region_code TEXT,
    anomalies TEXT NOT NULL DEFAULT '[]',
    checked INTEGER NOT NULL DEFAULT 0,  -- 1 once the per-report rules ran
    read_ms REAL,
    parse_ms REAL,
    check_ms REAL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX reports_agency_year ON reports (agency_key, year);
CREATE INDEX reports_year ON reports (year);
CREATE INDEX reports_path ON reports (source_path);

-- Long form: one row per cell. `value` has no declared type on purpose, so an integer stays an
-- integer, a decimal stays REAL and a blank cell is NULL (never 0).
CREATE TABLE cells (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    tbl TEXT NOT NULL,               -- table2 / table3 / table4
    row_key TEXT NOT NULL,           -- canonical row key (table2: the item)
    col_key TEXT NOT NULL,           -- column index 0.. (table2: the field)
    value,
    raw TEXT,
    unit TEXT,
    line INTEGER,
    page INTEGER,
    span_start INTEGER,
    span_end INTEGER,
    PRIMARY KEY (report_id, tbl, row_key, col_key)
) WITHOUT ROWID;

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,            -- document order
    no INTEGER NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    line INTEGER
);
CREATE INDEX sections_report ON sections (report_id, seq);
-- Trigram tokens find Chinese substrings of 3+ characters; shorter queries use LIKE on sections.
-- Only the narrative sections 一、五、六 are indexed: 二、三、四 are the tables (their numbers are in
-- `cells`), short, and searched with LIKE; indexing them would double the cost of every write.
CREATE VIRTUAL TABLE sections_fts USING fts5 (
    heading, text, content = 'sections', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER sections_ai AFTER INSERT ON sections WHEN new.no IN (1, 5, 6) BEGIN
    INSERT INTO sections_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER sections_ad AFTER DELETE ON sections WHEN old.no IN (1, 5, 6) BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
END;
"""

_FINDINGS: Final = """
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    prev_report_id INTEGER REFERENCES reports (id) ON DELETE CASCADE,  -- cross-year findings
    origin TEXT NOT NULL CHECK (origin IN ('report', 'pair')),
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    cells TEXT NOT NULL,             -- JSON list of locations
    expected REAL,
    actual REAL,
    lenient_pass INTEGER,
    fingerprint TEXT NOT NULL
);
CREATE INDEX findings_report ON findings (report_id, origin);
CREATE INDEX findings_prev ON findings (prev_report_id);
CREATE INDEX findings_code ON findings (code);
CREATE INDEX findings_fingerprint ON findings (fingerprint);

-- Keyed by fingerprint, not by finding id: findings are replaced on every re-parse and re-check,
-- the decision stays.
CREATE TABLE reviews (
    fingerprint TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
    note TEXT,
    who TEXT,
    decided_at TEXT NOT NULL
);
"""

_UNITS: Final = """
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('省', '市', '县', '乡', '部门')),
    parent_id INTEGER REFERENCES units (id),
    region_code TEXT,
    UNIQUE (name, parent_id)
);
CREATE INDEX units_parent ON units (parent_id);

-- The agency keys that identify a unit: its own name, its name under its region, its aliases.
CREATE TABLE unit_keys (
    key TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    PRIMARY KEY (key, unit_id)
) WITHOUT ROWID;

CREATE TABLE report_units (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    how TEXT NOT NULL CHECK (how IN ('name', 'manual'))
);
CREATE INDEX report_units_unit ON report_units (unit_id);
"""

# Every section in the full-text index, tables 二、三、四 included (migration 1 left them out). A
# search of 3+ characters then never scans the sections with LIKE, which at 10,000 reports cost
# 40 ms per query; the price is a bigger database (+27 %) and an ingest about 8 % slower.
# Idempotent whatever state it finds: the triggers are replaced and 'rebuild' re-reads the whole
# index from `sections` (about 3 s at 10,000 reports, once).
_FTS_ALL: Final = """
DROP TRIGGER IF EXISTS sections_ai;
DROP TRIGGER IF EXISTS sections_ad;
DROP TRIGGER IF EXISTS sections_au;
CREATE TRIGGER sections_ai AFTER INSERT ON sections BEGIN
    INSERT INTO sections_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER sections_ad AFTER DELETE ON sections BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
END;
CREATE TRIGGER sections_au AFTER UPDATE ON sections BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
    INSERT INTO sections_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
INSERT INTO sections_fts (sections_fts) VALUES ('rebuild');
"""

# The traceback of an internal error (a parser bug), kept for developers: shown by
# `gongkai --verbose ingest`, never by the web app (store.report_row leaves it out unless asked).
# A table of its own: rare, long, and never read with the report's other columns.
_ERROR_DETAILS: Final = """
CREATE TABLE IF NOT EXISTS error_details (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    traceback TEXT NOT NULL
);
"""

# What the review rules read again on a re-check (issue 14): whether the report was read by OCR,
# and its publication date and sign-off (JSON of meta.published and meta.signoff).
_REVIEW_META: Final = """
ALTER TABLE reports ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN dates TEXT;
"""

# Each report counted once (issue 12). `identity` is the agency as analysis.identity decides it;
# `current` = 1 for the report that counts for its agency and year (statistics, exports, roll-ups,
# cards and cross-year pairing read only those); `edition_of` names the counted report when this
# one is another edition or another file of the same edition; `values_hash` compares editions.
# Every path a content hash was seen at is kept; a user's choice of edition is kept by content
# hash, so it survives re-ingest and re-parse.
_EDITIONS: Final = """
ALTER TABLE reports ADD COLUMN identity TEXT;
ALTER TABLE reports ADD COLUMN current INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reports ADD COLUMN edition_of INTEGER;
ALTER TABLE reports ADD COLUMN undecided INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN values_hash TEXT;
CREATE INDEX reports_identity_year ON reports (identity, year);
CREATE TABLE report_paths (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    PRIMARY KEY (report_id, path)
) WITHOUT ROWID;
INSERT OR IGNORE INTO report_paths SELECT id, source_path FROM reports WHERE sha256 IS NOT NULL;
CREATE TABLE edition_choices (
    identity TEXT NOT NULL,
    year INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    who TEXT,
    note TEXT,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (identity, year)
);
"""

# Where a person finds a cell in its source (issue 12): a PDF cell's box on its page in points
# (x0, top, x1, bottom from the page's top-left corner), a DOCX or web-page table cell's table,
# row and column as counted in Word or the browser. NULL where the format has none.
_CELL_PLACES: Final = """
ALTER TABLE cells ADD COLUMN bbox_x0 REAL;
ALTER TABLE cells ADD COLUMN bbox_top REAL;
ALTER TABLE cells ADD COLUMN bbox_x1 REAL;
ALTER TABLE cells ADD COLUMN bbox_bottom REAL;
ALTER TABLE cells ADD COLUMN table_no INTEGER;
ALTER TABLE cells ADD COLUMN row_no INTEGER;
ALTER TABLE cells ADD COLUMN col_no INTEGER;
"""

# The request register (依申请公开台账, issue 15): requests as received, the events of their
# handling, review and litigation cases, and the working-day calendar a user maintains for years
# chinese-calendar does not cover (a year counts as covered once declared in calendar_years).
_REGISTER: Final = """
CREATE TABLE register_requests (
    id INTEGER PRIMARY KEY,
    number TEXT,
    received TEXT NOT NULL,
    applicant TEXT NOT NULL,
    channel TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    contact TEXT
);
CREATE INDEX register_requests_received ON register_requests (received);
CREATE TABLE register_events (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES register_requests (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    on_day TEXT NOT NULL,
    outcome TEXT,
    note TEXT
);
CREATE INDEX register_events_request ON register_events (request_id, on_day);
CREATE TABLE register_cases (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    filed TEXT NOT NULL,
    result TEXT NOT NULL,
    request_id INTEGER REFERENCES register_requests (id) ON DELETE SET NULL,
    note TEXT
);
CREATE TABLE register_calendar_days (day TEXT PRIMARY KEY, workday INTEGER NOT NULL);
CREATE TABLE register_calendar_years (year INTEGER PRIMARY KEY);
"""

# Review decisions that count (issue 13): every decision is kept in an append-only history (who,
# when, what, why), `reviews` holds the latest per finding, and `open_findings` is what every
# count, filter, dashboard and export reads: the findings no reviewer has dismissed (待复核 and
# 已确认). Dismissed findings are shown apart, never counted as open.
_REVIEW_STATE: Final = """
CREATE TABLE review_history (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    code TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
    note TEXT,
    who TEXT,
    decided_at TEXT NOT NULL
);
CREATE INDEX review_history_fingerprint ON review_history (fingerprint, id);
INSERT INTO review_history (fingerprint, code, decision, note, who, decided_at)
    SELECT fingerprint, code, decision, note, who, decided_at FROM reviews ORDER BY decided_at;
CREATE TRIGGER review_history_no_update BEFORE UPDATE ON review_history BEGIN
    SELECT RAISE(ABORT, 'review_history is append-only');
END;
CREATE TRIGGER review_history_no_delete BEFORE DELETE ON review_history BEGIN
    SELECT RAISE(ABORT, 'review_history is append-only');
END;
CREATE VIEW open_findings AS
    SELECT f.* FROM findings f
    WHERE NOT EXISTS (
        SELECT 1 FROM reviews v WHERE v.fingerprint = f.fingerprint AND v.decision = 'dismiss'
    );
"""

# A counter every write transaction increments (store/base.py `transaction`, the ingest writer's
# group commits): what the web app's caches are keyed on. The -wal file it replaces comes and
# goes, and changes size and time, as readers connect and checkpoint (issue 13).
_VERSION: Final = """
CREATE TABLE corpus_version (n INTEGER NOT NULL);
INSERT INTO corpus_version VALUES (0);
"""

# Report ids are never reused (issue 13): a deleted report's id named it in links, notes and
# exports; SQLite's rowid would give the highest one again. The counter only grows.
_IDS: Final = """
CREATE TABLE id_counters (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
INSERT INTO id_counters SELECT 'reports', coalesce(max(id), 0) FROM reports;
"""

# Accounts and audit (issue 13): named users with a role, their secret only as an argon2 hash;
# `secret_set_at` is part of every session's signature, so a new secret voids old sessions. The
# audit log, like the review history, is append-only. `app_secrets` holds the session signing key.
_ACCOUNTS: Final = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('查看', '审核', '管理')),
    secret_hash TEXT NOT NULL,
    secret_kind TEXT NOT NULL CHECK (secret_kind IN ('token', 'password')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    secret_set_at TEXT NOT NULL
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,            -- in words: 复核审查意见, 删除报告, 登录 …
    target TEXT,                     -- the request path
    detail TEXT,
    status INTEGER,                  -- the HTTP status answered
    address TEXT
);
CREATE INDEX audit_log_who ON audit_log (who, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TABLE app_secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
"""

MIGRATIONS: Final[tuple[tuple[int, str, str], ...]] = (
    (1, "reports, cells, sections + full-text index", _REPORTS),
    (2, "findings and review decisions", _FINDINGS),
    (3, "unit hierarchy and report-unit links", _UNITS),
    (4, "full-text index over every section", _FTS_ALL),
    (5, "traceback of an internal error", _ERROR_DETAILS),
    (6, "OCR flag, publication date and sign-off of a report", _REVIEW_META),
    (7, "editions: agency identity, the counted report, every path of a file", _EDITIONS),
    (8, "a cell's box on its PDF page, its table, row and column in DOCX and HTML", _CELL_PLACES),
    (9, "the request register: requests, events, cases, working-day calendar", _REGISTER),
    (10, "append-only review history; open findings exclude dismissed ones", _REVIEW_STATE),
    (11, "a counter of write transactions, for caches", _VERSION),
    (12, "report ids never reused", _IDS),
    (13, "accounts with roles, the audit log, the session signing key", _ACCOUNTS),
)


def current_version(con: sqlite3.Connection) -> int:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _statements(script: str) -> list[str]:
    """Split a script into statements; complete_statement knows a trigger's BEGIN … END."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


def _applied(con: sqlite3.Connection) -> set[int]:
    current_version(con)  # creates schema_version on a new database
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_version")}


EDITIONS_MIGRATION: Final = 7


def pending(con: sqlite3.Connection) -> set[int]:
    """The numbers of the migrations this database has not had."""
    return {number for number, _, _ in MIGRATIONS} - _applied(con)


def migrate(con: sqlite3.Connection) -> int:
    """Apply every migration not yet applied, in numeric order; return the resulting version.

    "Not yet applied" is by number, not "above the highest": a database made where a later
    migration existed but an earlier one did not (two lines of work adding one each) still gets
    the earlier one. The applied set is read again under the write lock, so two processes
    opening a new database at the same moment apply each migration once.
    """
    if _applied(con) >= {number for number, _, _ in MIGRATIONS}:
        return MIGRATIONS[-1][0]
    con.execute("BEGIN IMMEDIATE")
    try:
        applied = _applied(con)
        for number, description, script in MIGRATIONS:
            if number not in applied:
                for statement in _statements(script):
                    con.execute(statement)
                now = datetime.now(UTC).isoformat(timespec="seconds")
                con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)", (number, description, now)
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return MIGRATIONS[-1][0]
