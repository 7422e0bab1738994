"""体检报告 (gongkai.corpus.report_card) → an HTML page (Jinja2) or a Word document (python-docx, A4).

Both outputs print the same strings, built once here: the tables are lists of rows of text, so
the HTML and the DOCX cannot disagree on a figure.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT

from gongkai.model.report_card import CardFinding, Number, ReportCard, YearFigures

# The report's own Word typography (A4, 宋体/黑体 with fallbacks, page numbers) is reused as is.
from gongkai.render.docx import (
    SANS,
    SERIF,
    setup_page,
    write_heading,
    write_run,
    write_text,
    write_title,
)
from gongkai.render.html import environment, stylesheet

BLANK = "—"
YEAR_HEADER = (
    "年度",
    "本年新收",
    "办理总数",
    "结转下年度",
    "行政复议",
    "行政诉讼",
    "公开率",
    "纠错率",
)
PEER_HEADER = ("指标", "本机关", "下四分位", "中位数", "上四分位", "百分位", "机关数")
_TABLE_PT = 9.0
_FEW_PEERS = 4  # below this, quartiles describe a handful of agencies, not a distribution

NOTE = (
    "说明：公开率 =（予以公开 + 部分公开）÷（七）总计；纠错率 = 行政复议与行政诉讼“结果纠正”之和 ÷ 其“总计”之和；"
    "百分位为同组机关中低于本机关者所占比例（相等者计一半）；“—”表示原表空白或分母为 0，不按 0 计。"
)


def fmt_number(value: Number | None) -> str:
    """A count as printed; a median may fall between two counts, so up to two decimals."""
    if value is None:
        return BLANK
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_rate(value: float | None) -> str:
    return BLANK if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True, slots=True)
class CardView:
    title: str
    summary: list[str]
    year_rows: list[list[str]]
    peer_rows: list[list[str]]
    findings: list[CardFinding]
    peer_scope: str


def year_row(y: YearFigures) -> list[str]:
    counts = (y.received, y.handled, y.carried_forward, y.review_total, y.litigation_total)
    return [
        f"{y.year}年",
        *map(fmt_number, counts),
        fmt_rate(y.disclosure_rate),
        fmt_rate(y.correction_rate),
    ]


def peer_rows(card: ReportCard) -> list[list[str]]:
    rows = []
    for p in card.peers:
        fmt = fmt_number if p.metric == "received" else fmt_rate
        pct = BLANK if p.percentile is None else f"{p.percentile:.0f}"
        rows.append([p.label, *map(fmt, (p.value, p.q1, p.median, p.q3)), pct, str(p.peers)])
    return rows


def _finding_line(card: ReportCard) -> str:
    live = [f for f in card.findings if f.decision != "已排除"]
    if not live:
        return f"{card.year}年度报告未发现需要处理的问题。"
    counts = {n: sum(1 for f in live if f.severity_name == n) for n in ("错误", "警告", "提示")}
    parts = "、".join(f"{n} {c} 项" for n, c in counts.items() if c)
    return f"{card.year}年度报告审查发现{parts}（已排除的不计），详见第一部分。"


def _trend_line(card: ReportCard) -> str | None:
    earlier = [y for y in card.years if y.year < card.year]
    now = card.current.received
    if not earlier or now is None or earlier[-1].received is None:
        return None
    delta = now - earlier[-1].received
    change = f"增加 {fmt_number(delta)} 件" if delta > 0 else f"减少 {fmt_number(-delta)} 件"
    return (
        f"本年新收申请 {fmt_number(now)} 件，较{earlier[-1].year}年{change if delta else '持平'}。"
    )


def _standing_lines(card: ReportCard) -> list[str]:
    lines = []
    if min((p.peers for p in card.peers), default=0) < _FEW_PEERS:
        lines.append(f"{card.peer_scope}中有数据的机关不足 {_FEW_PEERS} 个，下列比较仅供参考。")
    for p in card.peers:
        if p.percentile is None:
            continue
        fmt = fmt_number if p.metric == "received" else fmt_rate
        lines.append(
            f"{p.label} {fmt(p.value)}，在{card.peer_scope}（{p.peers} 个）中约处第 "
            f"{p.percentile:.0f} 百分位（中位数 {fmt(p.median)}）。"
        )
    return lines


def card_view(card: ReportCard) -> CardView:
    trend = _trend_line(card)
    return CardView(
        title=f"{card.agency}{card.year}年度政府信息公开体检报告",
        summary=[_finding_line(card), *([trend] if trend else []), *_standing_lines(card)],
        year_rows=[year_row(y) for y in card.years],
        peer_rows=peer_rows(card),
        findings=card.findings,
        peer_scope=card.peer_scope,
    )


# HTML --------------------------------------------------------------------------------------------


def render_card_html(card: ReportCard) -> str:
    template = environment().get_template("report_card.html.j2")
    return template.render(
        view=card_view(card),
        css=stylesheet(),
        year_header=YEAR_HEADER,
        peer_header=PEER_HEADER,
        note=NOTE,
    )


# DOCX --------------------------------------------------------------------------------------------


def _table(document: Any, header: tuple[str, ...], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([list(header), *rows]):
        for c, text in enumerate(values):
            write_run(table.cell(r, c).paragraphs[0], text, _TABLE_PT, SANS if r == 0 else SERIF)


def _docx_findings(document: Any, findings: list[CardFinding]) -> None:
    if not findings:
        write_text(document, "未发现问题。")
    for f in findings:
        decided = f"（{f.decision}{'：' + f.note if f.note else ''}）" if f.decision else ""
        paragraph = document.add_paragraph(style="List Bullet")
        write_run(paragraph, f"【{f.severity_name}】{f.plain or f.code}{decided}", 10.5, SANS)
        write_run(paragraph, f" {f.message}", 10.5, SERIF)


def render_card_docx(card: ReportCard) -> bytes:
    view = card_view(card)
    document = Document()
    setup_page(document)
    document.core_properties.title = view.title
    document.core_properties.author = card.agency
    write_title(document, view.title)
    for line in view.summary:
        write_text(document, line)
    write_heading(document, "一、审查发现的问题")
    _docx_findings(document, view.findings)
    write_heading(document, "二、历年主要数据")
    _table(document, YEAR_HEADER, view.year_rows)
    write_heading(document, f"三、与{view.peer_scope}比较")
    _table(document, PEER_HEADER, view.peer_rows)
    write_run(document.add_paragraph(), NOTE, _TABLE_PT, SERIF)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
