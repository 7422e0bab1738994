"""The canonical data model (pydantic v2, no I/O). Field names are the JSON keys."""

from gongkai.model.finding import Finding, Severity
from gongkai.model.report import (
    SCHEMA_ID,
    Anomaly,
    CellSource,
    Meta,
    Report,
    Section,
    Source,
    Templates,
)

__all__ = [
    "SCHEMA_ID",
    "Anomaly",
    "CellSource",
    "Finding",
    "Meta",
    "Report",
    "Section",
    "Severity",
    "Source",
    "Templates",
]
