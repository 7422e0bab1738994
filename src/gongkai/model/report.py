"""The canonical report: what `gongkai parse --json` prints (report.schema.json)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

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


Bbox = Annotated[list[float], Field(min_length=4, max_length=4)]


class CellSource(_Model):
    """Where one cell came from: the raw text and its place in the source.

    `bbox` (PDF, scans too when OCR gave boxes): the box on `page` holding the cell, in points —
    x0, top, x1, bottom from the page's top-left corner, as pdfplumber measures; a value split
    out of a longer cell or line keeps that cell's or line's box. `table_no`, `row_no`, `col_no`
    (DOCX, HTML): the table in document order, its row, and the cell across that row, 1-based, as
    a person counts them (model/labels.py `source_place` words them). Each is left out of the JSON
    when unknown."""

    raw: str
    unit: str | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None
    bbox: Bbox | None = None
    table_no: int | None = Field(None, ge=1)
    row_no: int | None = Field(None, ge=1)
    col_no: int | None = Field(None, ge=1)

    @classmethod
    def of(
        cls,
        raw: str,
        unit: str | None,
        line: int | None,
        start: int | None,
        end: int | None,
        page: int | None,
        bbox: tuple[float, float, float, float] | None = None,
        place: tuple[int, int, int] | None = None,
    ) -> CellSource:
        """What `model_construct` with every field builds, without its per-field loop: a report
        makes ~200 of these, typed by construction, and the loop was a tenth of a text parse."""
        made = cls.__new__(cls)
        box = None if bbox is None else list(bbox)
        values = (
            {"raw": raw, "unit": unit, "line": line, "start": start, "end": end, "page": page,
             "bbox": box, "table_no": None, "row_no": None, "col_no": None}
            if place is None
            else {"raw": raw, "unit": unit, "line": line, "start": start, "end": end,
                  "page": page, "bbox": box, "table_no": place[0], "row_no": place[1],
                  "col_no": place[2]}
        )  # fmt: skip
        _set(made, "__dict__", values)
        _set(made, "__pydantic_fields_set__", _CELL_SOURCE_FIELDS.copy())
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made


_CELL_SOURCE_FIELDS = set(CellSource.model_fields)  # copied into each: pydantic may add to it
_set = object.__setattr__  # bound once: looked up four times per cell otherwise
# Provenance fields only some formats have: left out of the JSON where a cell has none, so the
# provenance of a text report reads as it always did.
_LOCATION_FIELDS = ("bbox", "table_no", "row_no", "col_no")


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
        for src in data.get("provenance", {}).values():
            for key in _LOCATION_FIELDS:
                if src[key] is None:
                    del src[key]
        return data
