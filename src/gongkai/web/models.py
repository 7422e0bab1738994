"""The data each page is built from: the JSON API returns these, the HTML templates draw them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gongkai.analysis.compare import Comparison
from gongkai.analysis.rollup import RollupResult
from gongkai.model.finding import Severity
from gongkai.model.report import Report


class FindingOut(BaseModel):
    code: str
    severity: Severity
    message: str
    cells: list[list[str | int]] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list, description="单元格的中文名称")
    expected: float | int | None = None
    actual: float | int | None = None
    fingerprint: str | None = None
    origin: str | None = None
    decision: Literal["confirm", "dismiss"] | None = None
    note: str | None = None
    who: str | None = None
    decided_at: str | None = None


class ReportSummary(BaseModel):
    id: int
    agency: str | None
    year: int | None
    template_t2: str | None
    template_t3: str | None
    region: str | None
    status: str
    errors: int
    warnings: int
    source_path: str
    error: str | None


class Snippet(BaseModel):
    report_id: int
    section: int
    text: str


class ListQuery(BaseModel):
    year: int | None = None
    agency: str | None = None
    region: str | None = None
    code: str | None = None
    has_errors: bool = False
    q: str | None = None


class ReportList(BaseModel):
    query: ListQuery
    total: int
    page: int
    per_page: int
    pages: int
    items: list[ReportSummary]
    snippets: list[Snippet]
    codes: list[str] = Field(description="可筛选的审查规则代码")


class StoredMeta(BaseModel):
    id: int
    agency: str | None
    year: int | None
    title: str | None
    source_path: str
    format: str | None
    parser_version: str
    sha256: str | None
    status: str
    error: str | None
    region: str | None
    unit: str | None
    ingested_at: str


class CardInfo(BaseModel):
    available: bool
    message: str


class EditionOut(BaseModel):
    id: int
    source_path: str
    current: bool = Field(description="是否为该机关该年度计入统计的版本")
    same_values: bool = Field(description="与计入统计的版本数值相同（同一版本的另一文件）")
    dated: str | None = Field(description="发布日期，或落款日期")
    differs: int = Field(description="与计入统计的版本不同的单元格数")


class ReportDetailOut(BaseModel):
    meta: StoredMeta
    report: Report | None
    findings: list[FindingOut]
    previous_id: int | None = Field(description="同一机关上一年度报告的编号")
    card: CardInfo
    current: bool = Field(True, description="是否为该机关该年度计入统计的版本")
    paths: list[str] = Field(default_factory=list, description="同一文件出现过的全部路径")
    editions: list[EditionOut] = Field(
        default_factory=list, description="同一机关同一年度的全部版本（只有一份时为空）"
    )


class EditionIn(BaseModel):
    note: str | None = Field(None, max_length=2000)
    who: str | None = Field(None, max_length=100)


class CellSourceOut(BaseModel):
    report_id: int
    path: str
    label: str
    value: int | float | None
    raw: str | None = None
    unit: str | None = None
    line: int | None = None
    page: int | None = None
    start: int | None = None
    end: int | None = None
    place: str = Field(description="在原文中的位置：第2页、第3张表 第5行 第2列、第12行等")
    bbox: list[float] | None = Field(
        None, description="PDF：单元格在该页上的方框（磅，自页面左上角：x0, top, x1, bottom）"
    )
    table_no: int | None = Field(None, description="DOCX、网页：第几张表（按 Word 或浏览器中所见）")
    row_no: int | None = Field(None, description="DOCX、网页：该表第几行")
    col_no: int | None = Field(None, description="DOCX、网页：该行第几个单元格")
    page_view: str | None = Field(None, description="PDF：标出该单元格的原文页面的地址")
    source_file: str
    source_line: str | None = Field(
        None, description="原文件中该行的全文（仅文本文件且仍在原处时）"
    )


class CellPageOut(BaseModel):
    """A cell's page of the original PDF: the image's address and the box to draw over it."""

    report_id: int
    path: str
    label: str
    value: int | float | None
    raw: str | None
    place: str
    page: int
    bbox: list[float]
    source_file: str
    image: str | None = Field(None, description="该页 PNG 图像的地址；无法生成时为空")
    page_box: list[float] | None = Field(
        None, description="该页的范围（磅，与 bbox 同一坐标系：x0, top, x1, bottom）"
    )
    reason: str | None = Field(None, description="无法显示页面图像的原因")


class ReviewIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    decision: Literal["confirm", "dismiss"]
    note: str | None = Field(None, max_length=2000)
    who: str | None = Field(None, max_length=100)
    fingerprint: str | None = Field(None, min_length=4, max_length=64, pattern=r"^[0-9a-f]+$")


class ReviewOut(BaseModel):
    report_id: int
    code: str
    decision: Literal["confirm", "dismiss"]
    fingerprints: list[str]


class CheckResult(BaseModel):
    name: str
    error: str | None = None
    report: Report | None = None
    findings: list[FindingOut] = Field(
        default_factory=list, description="审查意见，附单元格中文名称"
    )
    errors: int = 0
    warnings: int = 0


class CheckResults(BaseModel):
    results: list[CheckResult]


class IngestOut(BaseModel):
    added: int
    updated: int
    skipped: int
    failed: list[list[str]]
    rejected: list[list[str]]


class YearCount(BaseModel):
    year: int | None
    reports: int


class RuleRate(BaseModel):
    code: str
    severity: str
    reports: int
    share: float


class YearRequests(BaseModel):
    year: int | None
    received: float
    carried_over: float
    handled: float
    carried_forward: float


class OutcomeShare(BaseModel):
    key: str
    label: str
    count: float
    share: float | None


class CorrectionRate(BaseModel):
    group: str
    label: str
    corrected: float
    total: float
    rate: float | None


class PeerMetric(BaseModel):
    key: str
    label: str
    value: float | None
    peers: int
    minimum: float | None
    q1: float | None
    median: float | None
    q3: float | None
    maximum: float | None
    at_or_below: float | None = Field(description="同年报告中不高于本机关的比例")


class PeerPosition(BaseModel):
    agency: str
    report_id: int
    year: int
    metrics: list[PeerMetric]


class Dashboard(BaseModel):
    reports: int
    failed: int
    by_year: list[YearCount]
    rules: list[RuleRate]
    requests: list[YearRequests]
    outcomes: list[OutcomeShare]
    corrections: list[CorrectionRate]
    agency: str | None
    peer: PeerPosition | None
    peer_note: str | None


class CompareOut(BaseModel):
    a: ReportSummary | None
    b: ReportSummary | None
    report_a: Report | None
    report_b: Report | None
    comparison: Comparison | None
    message: str | None


class YearEntry(BaseModel):
    id: int
    year: int
    agency: str | None
    template_t2: str | None
    template_t3: str | None
    errors: int
    warnings: int
    received: float | None
    carried_over: float | None
    handled: float | None
    carried_forward: float | None
    in_force_regulations: float | None
    in_force_normative: float | None


class YearPair(BaseModel):
    prev_id: int
    id: int
    prev_year: int
    year: int
    findings: list[FindingOut]


class YearsOut(BaseModel):
    query: str | None
    agency: str | None
    candidates: list[str]
    years: list[YearEntry]
    pairs: list[YearPair]
    gaps: list[int] = Field(description="缺少报告的年度")


class RollupOut(BaseModel):
    name: str
    ids: list[int]
    candidates: list[ReportSummary]
    total_candidates: int
    result: RollupResult | None
    message: str | None


class FieldProblem(BaseModel):
    field: str
    label: str
    value: str
    message: str


class AuthorCheck(BaseModel):
    findings: list[FindingOut]
    problems: list[FieldProblem]
    errors: int
    warnings: int


class AuthorPage(BaseModel):
    agency: str
    year: int
    values: dict[str, str] = Field(description="表单字段的初始值，如 table3.received.0")
    source_id: int | None
    check: AuthorCheck
