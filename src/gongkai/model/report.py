"""The canonical report: what `gongkai parse --json` prints (report.schema.json)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gongkai.model.finding import Finding

SCHEMA_ID = "gongkai.report/1"

Value = int | float | None
TemplateName = Literal["2019", "2021"]
SourceFormat = Literal["text", "markdown", "html", "docx", "doc", "wps", "pdf", "image"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Templates(_Model):
    table2: TemplateName | None = None
    table3: TemplateName | None = None


class Signoff(_Model):
    """The organ and date closing the report (落款), as written; `date` is ISO, None when the
    written day does not exist."""

    agency: str | None = None
    date: str | None = None
    date_text: str | None = None
    text: str


PublishedFrom = Literal["page", "text", "user"]


class Published(_Model):
    """When the report was published (发布日期): from the saved page's metadata, the CMS line above
    the article, or given by the user."""

    date: str
    source: PublishedFrom


class Meta(_Model):
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    region: dict[str, str] | None = None
    templates: Templates = Field(default_factory=Templates)
    # Beyond report.schema.json's meta (which allows more keys): what the deadline and sign-off
    # rules read. Left out of the JSON when unknown.
    published: Published | None = None
    signoff: Signoff | None = None


class Section(_Model):
    no: int = Field(ge=1, le=6)
    heading: str
    text: str
    line: int | None = None


class Source(_Model):
    file: str
    sha256: str
    # The schema's enum of formats; None (and left out of the JSON) for a format it does not
    # list, such as an XLSX workbook. `reader` always names the reader that read the file.
    format: SourceFormat | None = None
    reader: str | None = None
    ocr: bool | None = None  # True when the text came from OCR of a scan


class CellSource(_Model):
    """Where one cell came from: the raw text and its place in the source."""

    raw: str
    unit: str | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None

    @classmethod
    def of(
        cls,
        raw: str,
        unit: str | None,
        line: int | None,
        start: int | None,
        end: int | None,
        page: int | None,
    ) -> CellSource:
        """What `model_construct` with every field builds, without its per-field loop: a report
        makes ~200 of these, typed by construction, and the loop was a tenth of a text parse."""
        made = cls.__new__(cls)
        values = {"raw": raw, "unit": unit, "line": line, "start": start, "end": end, "page": page}
        object.__setattr__(made, "__dict__", values)
        object.__setattr__(made, "__pydantic_fields_set__", set(_CELL_SOURCE_FIELDS))
        object.__setattr__(made, "__pydantic_extra__", None)
        object.__setattr__(made, "__pydantic_private__", None)
        return made


_CELL_SOURCE_FIELDS = frozenset(CellSource.model_fields)


AnomalyKind = Literal[
    "stray_cells",
    "lost_cells",
    "ambiguous_cells",
    "uncertain_blank",
    "repaired_label",
    "duplicate_row",
    "unreadable_value",
    "missing_row",
    "missing_header",
]


class Anomaly(_Model):
    """An oddity met while reading a table; the rule engine turns it into a finding."""

    kind: AnomalyKind
    table: Literal["table2", "table3", "table4"]
    row: str | None = None
    message: str
    cells: list[str] = Field(default_factory=list)
    line: int | None = None


class Report(_Model):
    schema_id: str = Field(default=SCHEMA_ID, alias="schema")
    source: Source | None = None
    meta: Meta = Field(default_factory=Meta)
    sections: list[Section] = Field(default_factory=list)
    table2: dict[str, dict[str, Value]] | None = None
    table3: dict[str, list[Value]] | None = None
    table4: dict[str, list[Value]] | None = None
    # Subtotal rows some third-party templates add for （三）…（六） (FORMAT.md §2.5), keyed by
    # block (denied, unavailable, declined, other); not part of the official form, so not in table3.
    table3_subtotals: dict[str, list[Value]] | None = None
    anomalies: list[Anomaly] = Field(default_factory=list)
    provenance: dict[str, CellSource] = Field(default_factory=dict)
    findings: list[Finding] | None = None

    def to_json(self, *, provenance: bool = False) -> dict[str, Any]:
        """The JSON document of report.schema.json; optional parts only when asked for or set."""
        exclude = {"provenance"} if not provenance else set()
        if self.findings is None:
            exclude.add("findings")
        if self.source is None:
            exclude.add("source")
        if self.table3_subtotals is None:
            exclude.add("table3_subtotals")
        data = self.model_dump(by_alias=True, exclude=exclude, mode="json")
        source = data.get("source") or {}
        for key in ("published", "signoff"):
            if data["meta"].get(key) is None:
                data["meta"].pop(key, None)
        for key in ("format", "ocr"):
            if key in source and source[key] is None:
                source.pop(key)
        for section in data["sections"]:
            if section.get("line") is None:
                section.pop("line", None)
        return data
