"""The embedded corpus store (SQLite, WAL, FTS5). All SQL of the project lives in this package."""

from gongkai.store.cards import FIGURE_CELLS, FigureRow, agency_key_of, figure_rows
from gongkai.store.db import DEFAULT_DB, NotFound, StoreError, integrity_ok, open_db, transaction
from gongkai.store.findings import (
    Decision,
    StoredFinding,
    findings_of,
    replace_pair_findings,
    replace_report_findings,
    review,
    unchecked_reports,
)
from gongkai.store.queries import (
    Filters,
    PairCandidate,
    ReportRow,
    count_reports,
    list_reports,
    pair_candidates,
    report_row,
    search_sections,
)
from gongkai.store.reports import ReportWriter, load_report, stored_version, write_record
from gongkai.store.stats import Stats, stats
from gongkai.store.units import (
    LEVELS,
    RollupRow,
    UnitSpec,
    attach,
    import_units,
    rollup,
    unit_of,
)

__all__ = [
    "DEFAULT_DB",
    "FIGURE_CELLS",
    "LEVELS",
    "Decision",
    "FigureRow",
    "Filters",
    "NotFound",
    "PairCandidate",
    "ReportRow",
    "ReportWriter",
    "RollupRow",
    "Stats",
    "StoreError",
    "StoredFinding",
    "UnitSpec",
    "agency_key_of",
    "attach",
    "count_reports",
    "figure_rows",
    "findings_of",
    "import_units",
    "integrity_ok",
    "list_reports",
    "load_report",
    "open_db",
    "pair_candidates",
    "replace_pair_findings",
    "replace_report_findings",
    "report_row",
    "review",
    "rollup",
    "search_sections",
    "stats",
    "stored_version",
    "transaction",
    "unchecked_reports",
    "unit_of",
    "write_record",
]
