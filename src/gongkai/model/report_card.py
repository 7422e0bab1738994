"""The 体检报告 (report card) of one agency: its figures by year, its findings in plain words, and
where it stands among its peers. Built from the corpus (corpus/report_card.py), written by
render/report_card.py."""

from __future__ import annotations

from pydantic import BaseModel

Number = int | float


class YearFigures(BaseModel):
    year: int
    report_id: int
    received: Number | None  # 本年新收 总计
    handled: Number | None  # （七）总计
    carried_forward: Number | None
    review_total: Number | None
    litigation_total: Number | None  # 未经复议直接起诉 + 复议后起诉
    disclosure_rate: float | None  # (予以公开 + 部分公开) / （七）总计
    correction_rate: float | None  # 结果纠正 / 总计, 行政复议和行政诉讼合计


class CardFinding(BaseModel):
    code: str
    severity: str
    severity_name: str
    plain: str
    message: str
    decision: str | None = None  # 已确认 / 已排除
    note: str | None = None


class PeerStanding(BaseModel):
    metric: str
    label: str
    value: float | None
    peers: int  # agencies with a value for this metric
    q1: float | None
    median: float | None
    q3: float | None
    percentile: float | None  # share of peers below it, ties counted half (0–100)


class ReportCard(BaseModel):
    agency: str
    year: int
    level: str | None
    peer_scope: str
    years: list[YearFigures]
    findings: list[CardFinding]
    peers: list[PeerStanding]

    @property
    def current(self) -> YearFigures:
        return next(y for y in self.years if y.year == self.year)
