"""The corpus: batch ingest into the store, cross-year checks, queries, exports, reviews, units."""

from gongkai.corpus.api import (
    ReportDetail,
    attach_unit,
    choose_edition,
    connected,
    import_units,
    list_reports,
    review,
    rollup,
    select_reports,
    show,
    stats,
)
from gongkai.corpus.export import ExportFormat, export
from gongkai.corpus.ingest import IngestEvent, IngestSummary, MissingDependency, ingest
from gongkai.corpus.pairs import CheckSummary, check_corpus

__all__ = [
    "CheckSummary",
    "ExportFormat",
    "IngestEvent",
    "IngestSummary",
    "MissingDependency",
    "ReportDetail",
    "attach_unit",
    "check_corpus",
    "choose_edition",
    "connected",
    "export",
    "import_units",
    "ingest",
    "list_reports",
    "review",
    "rollup",
    "select_reports",
    "show",
    "stats",
]
