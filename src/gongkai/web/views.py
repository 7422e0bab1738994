"""One view function per page. Each builds the page's data; routes.py serves it twice, as HTML
through a template and as JSON under /api/, so the two cannot disagree.

Views take their parameters the FastAPI way (the same signature serves both routes) and raise
HTTPException with a Chinese message for what the user got wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request, UploadFile
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from gongkai.analysis.compare import compare
from gongkai.analysis.rollup import rollup
from gongkai.corpus import ReportDetail, show
from gongkai.model.labels import source_place, template_of
from gongkai.model.report import CellSource, Report
from gongkai.store import Filters, NotFound
from gongkai.validate import CODES, check
from gongkai.web import corpus
from gongkai.web.auth import client_key
from gongkai.web.authoring import blank_values, cell_value, form_values, report_from_form
from gongkai.web.dashboard import dashboard
from gongkai.web.models import (
    AuthorCheck,
    AuthorPage,
    CardInfo,
    CellPageOut,
    CellSourceOut,
    CheckResult,
    CheckResults,
    CompareOut,
    Dashboard,
    EditionOut,
    ListQuery,
    ReportDetailOut,
    ReportList,
    ReportSummary,
    RollupOut,
    Snippet,
    StoredMeta,
    YearsOut,
)
from gongkai.web.present import count, from_finding, from_stored, label_of, ordered, summary_of
from gongkai.web.sandbox import SHARED_KEY, Outcome, check_in_sandbox
from gongkai.web.series import agency_years
from gongkai.web.source_pages import has_page, page_frame
from gongkai.web.uploads import Accepted, read_uploads, saved

MAX_ROLLUP = 500


@dataclass(frozen=True, slots=True)
class Ctx:
    db: str
    request: Request


def context(request: Request) -> Ctx:
    return Ctx(request.app.state.db, request)


CtxDep = Annotated[Ctx, Depends(context)]
ClientKey = Annotated[str, Depends(client_key)]  # whose turn a check takes in the fair queue
Year = Annotated[int | None, Query(ge=1990, le=2100, description="报告年度")]
Text = Annotated[str | None, Query(max_length=100)]
MAX_ID = 2**62  # inside SQLite's INTEGER
ReportId = Annotated[int, Path(ge=1, le=MAX_ID, description="报告编号")]
AnId = Annotated[int, Field(ge=1, le=MAX_ID)]
Ids = Annotated[list[AnId], Query(max_length=MAX_ROLLUP, description="报告编号，可多个")]


def _detail(db: str, report_id: int) -> ReportDetail:
    try:
        return show(report_id, db)
    except NotFound as exc:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告") from exc


def _region(row: Mapping[str, object]) -> str | None:
    parts = [str(row[k]) for k in ("province", "city", "county", "township") if row.get(k)]
    return "".join(parts) or None


def summary_from(d: ReportDetail) -> ReportSummary:
    row = d.row
    open_ = [f for f in d.findings if f.decision != "dismiss"]  # 已排除: shown apart, not counted
    return ReportSummary(
        id=row["id"], agency=row["agency"], year=row["year"], template_t2=row["template_t2"],
        template_t3=row["template_t3"], region=_region(row), status=row["status"],
        errors=count(open_, "error"), warnings=count(open_, "warning"),
        source_path=row["source_path"], error=row["error"],
    )  # fmt: skip


# 首页 -----------------------------------------------------------------------------------------------


def home(ctx: CtxDep, agency: Text = None, year: Year = None) -> Dashboard:
    """首页：语料库概况、规则错误率、收到与办理、办理结果构成、纠错率、同级位置。"""
    return dashboard(ctx.db, (agency or "").strip() or None, year)


# 报告库 ----------------------------------------------------------------------------------------------


def reports(
    ctx: CtxDep,
    year: Year = None,
    agency: Text = None,
    region: Text = None,
    code: Annotated[str | None, Query(max_length=64)] = None,
    has_errors: bool = False,
    q: Annotated[str | None, Query(max_length=100, description="在各部分正文中全文检索")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReportList:
    """报告库：按年度、机关、地区、规则、是否有错误筛选，全文检索，分页。"""
    query = ListQuery(year=year, agency=agency or None, region=region or None,
                      code=code or None, has_errors=has_errors, q=(q or "").strip() or None)  # fmt: skip
    filters = Filters(year=year, agency=query.agency, region=query.region, code=query.code,
                      has_errors=has_errors, text=query.q)  # fmt: skip
    total, rows = corpus.page_of(ctx.db, filters, page, per_page)
    hits = corpus.snippets(ctx.db, query.q, [r.id for r in rows]) if query.q and rows else []
    return ReportList(
        query=query, total=total, page=page, per_page=per_page,
        pages=max(1, -(-total // per_page)), items=[summary_of(r) for r in rows],
        snippets=[Snippet(report_id=i, section=n, text=t) for i, n, t in hits],
        codes=sorted(CODES),
    )  # fmt: skip


# 报告详情 ---------------------------------------------------------------------------------------------


def _meta(d: ReportDetail) -> StoredMeta:
    row = d.row
    return StoredMeta(
        id=row["id"], agency=row["agency"], year=row["year"], title=row["title"],
        source_path=row["source_path"], format=row["format"], parser_version=row["parser_version"],
        sha256=row["sha256"], status=row["status"], error=row["error"], region=_region(row),
        unit=d.unit, ingested_at=row["ingested_at"],
    )  # fmt: skip


def report(ctx: CtxDep, report_id: ReportId) -> ReportDetailOut:
    """报告详情：六个部分、三张表、审查意见（可确认或排除）、单元格来源。"""
    d = _detail(ctx.db, report_id)
    template = template_of(d.report, "table2") if d.report else "2021"
    identity, year = d.row["identity"], d.row["year"]
    previous = corpus.same_agency(ctx.db, identity, year - 1) if identity and year else None
    return ReportDetailOut(
        meta=_meta(d),
        report=d.report,
        findings=ordered(from_stored(f, template) for f in d.findings),
        previous_id=previous,
        card=CardInfo(available=True, message=""),
        current=bool(d.row.get("current", 1)),
        paths=d.paths,
        editions=[EditionOut(**asdict(e)) for e in d.editions],
    )


CellPath = Annotated[
    str,
    Path(
        pattern=r"^table[234]\.[a-z_]{1,40}\.[a-z_0-9]{1,20}$", description="如 table3.received.0"
    ),
]


def _cell(d: ReportDetail, path: str) -> tuple[Report, int | float | None, CellSource | None]:
    if d.report is None:
        raise HTTPException(404, "这份报告解析失败，没有单元格")
    found, value = cell_value(d.report, path)
    if not found:
        raise HTTPException(404, f"这份报告没有单元格 {path}")
    return d.report, value, d.report.provenance.get(path)


def cell_source(ctx: CtxDep, report_id: ReportId, path: CellPath) -> CellSourceOut:
    """一个单元格的来源：原文写法、位置（第几页，或第几张表第几行第几列），以及原文件中该行的全文。"""
    d = _detail(ctx.db, report_id)
    report, value, src = _cell(d, path)
    template = template_of(report, "table2")
    line = corpus.source_line(d.row["source_path"], d.row["format"], src.line if src else None)
    where = src or CellSource(raw="")
    return CellSourceOut(
        report_id=report_id, path=path, label=label_of(path.split("."), template), value=value,
        raw=src.raw if src else None, unit=where.unit, line=where.line, page=where.page,
        start=where.start, end=where.end, place=source_place(where, d.row["reader"]),
        bbox=where.bbox, table_no=where.table_no, row_no=where.row_no, col_no=where.col_no,
        page_view=f"/reports/{report_id}/cells/{path}/page" if has_page(d.row, src) else None,
        source_file=d.row["source_path"], source_line=line,
    )  # fmt: skip


def cell_page(ctx: CtxDep, report_id: ReportId, path: CellPath) -> CellPageOut:
    """原文页面：PDF 中该单元格所在的一页，以方框标出该单元格；原文件不在原处时说明原因。"""
    d = _detail(ctx.db, report_id)
    report, value, src = _cell(d, path)
    if src is None or src.page is None or src.bbox is None or not has_page(d.row, src):
        raise HTTPException(404, f"单元格 {path} 不是从 PDF 的页面上读出的，没有页面可显示")
    box, reason = page_frame(d.row, src.page)
    label = label_of(path.split("."), template_of(report, "table2"))
    return CellPageOut(
        report_id=report_id, path=path, label=label, value=value, raw=src.raw,
        place=source_place(src, d.row["reader"]), page=src.page, bbox=src.bbox,
        source_file=d.row["source_path"],
        image=None if box is None else f"/api/reports/{report_id}/pages/{src.page}",
        page_box=box, reason=reason,
    )  # fmt: skip


# 对比 -------------------------------------------------------------------------------------------------


def compare_view(
    ctx: CtxDep,
    a: Annotated[int | None, Query(ge=1, le=MAX_ID, description="甲（通常为上一年）")] = None,
    b: Annotated[int | None, Query(ge=1, le=MAX_ID, description="乙")] = None,
    ids: Annotated[list[AnId], Query(max_length=10, description="从报告库勾选的两份报告")] = [],  # noqa: B006  # FastAPI reads the default, never mutates it
) -> CompareOut:
    """对比：两份报告并排，逐格增减与文字变化；较早的一份为甲。"""
    picked = [a, b] if a and b else ids[:2]
    if len(picked) < 2 or picked[0] is None or picked[1] is None:
        return CompareOut(a=None, b=None, report_a=None, report_b=None, comparison=None,
                          message="请选择两份报告进行对比")  # fmt: skip
    first, second = _detail(ctx.db, picked[0]), _detail(ctx.db, picked[1])
    if first.report is None or second.report is None:
        raise HTTPException(422, "解析失败的报告不能对比")
    if not (a and b) and (second.row["year"] or 0) < (first.row["year"] or 0):
        first, second = second, first
    assert first.report is not None and second.report is not None
    return CompareOut(
        a=summary_from(first), b=summary_from(second), report_a=first.report,
        report_b=second.report, comparison=compare(first.report, second.report), message=None,
    )  # fmt: skip


# 跨年 -------------------------------------------------------------------------------------------------


def years(ctx: CtxDep, agency: Text = None) -> YearsOut:
    """跨年：一个机关的历年报告与跨年度核对（X_CARRY、X_IN_FORCE、X_ITEMS 等）。"""
    return agency_years(ctx.db, (agency or "").strip() or None)


# 汇总 -------------------------------------------------------------------------------------------------


def rollup_view(
    ctx: CtxDep,
    ids: Ids = [],  # noqa: B006  # FastAPI reads the default, never mutates it
    name: Annotated[str, Query(max_length=100, description="汇总后的机关名称")] = "",
    year: Year = None,
    agency: Text = None,
    region: Text = None,
) -> RollupOut:
    """汇总：按条件挑选下级报告，勾选后将表二至表四相加为一份汇总报告。"""
    filters = Filters(year=year, agency=agency or None, region=region or None)
    total, rows = corpus.page_of(ctx.db, filters, 1, 200)
    out = RollupOut(name=name, ids=ids, candidates=[summary_of(r) for r in rows],
                    total_candidates=total, result=None, message=None)  # fmt: skip
    if not ids:
        out.message = "请勾选要汇总的报告"
        return out
    loaded = [_loaded(ctx.db, i) for i in dict.fromkeys(ids)]
    inputs = [r for r in loaded if r is not None]
    if not inputs:
        out.message = "所选报告都无法汇总（不存在或解析失败）"
        return out
    out.result = rollup(inputs, name.strip() or "汇总报告")
    skipped = len(loaded) - len(inputs)
    out.message = f"有 {skipped} 份所选报告不存在或解析失败，未计入" if skipped else None
    return out


def _loaded(db: str, report_id: int) -> Report | None:
    try:
        return corpus.load(db, report_id)
    except NotFound:
        return None


# 编写 -------------------------------------------------------------------------------------------------


def author_check(form: Mapping[str, str]) -> AuthorCheck:
    """The report the form describes, checked by every single-report rule."""
    report, problems = report_from_form(form)
    findings = [from_finding(f) for f in check(report)]
    return AuthorCheck(findings=findings, problems=problems,
                       errors=count(findings, "error") + len(problems),
                       warnings=count(findings, "warning"))  # fmt: skip


def author(
    ctx: CtxDep,
    source: Annotated[
        int | None, Query(alias="from", ge=1, le=MAX_ID, description="以语料库中的报告为底稿")
    ] = None,
) -> AuthorPage:
    """编写：2021 年格式的填报表单，边填边审查；可导出 DOCX、XLSX。"""
    values = blank_values(date.today().year - 1)
    if source is not None:
        loaded = _loaded(ctx.db, source)
        if loaded is None:
            raise HTTPException(404, f"没有编号为 {source} 的已解析报告")
        values = form_values(loaded)
    return AuthorPage(agency=values["agency"], year=int(values["year"] or 0), values=values,
                      source_id=source, check=author_check(values))  # fmt: skip


# 上传检查 -----------------------------------------------------------------------------------------------


def result_of(name: str, outcome: Outcome) -> CheckResult:
    """One file's check as the page shows it: the report, its findings with their cells in words."""
    if outcome.report is None:
        return CheckResult(name=name, error=outcome.error)
    report = Report.model_validate(outcome.report)
    template = template_of(report, "table2")
    findings = [from_finding(f, template) for f in report.findings or []]
    return CheckResult(name=name, report=report, findings=findings,
                       errors=count(findings, "error"), warnings=count(findings, "warning"))  # fmt: skip


def _result(path: FilePath, item: Accepted, key: str) -> CheckResult:
    return result_of(item.name, check_in_sandbox(path, name=item.name, key=key))


async def check_files(files: list[UploadFile], key: ClientKey = SHARED_KEY) -> CheckResults:
    """上传检查：每个文件在受限的子进程中解析并审查；不写入语料库。"""
    judged = await read_uploads(files)
    accepted = [j for j in judged if isinstance(j, Accepted)]
    with saved(accepted) as paths:
        checked = iter(
            [
                await run_in_threadpool(_result, p, a, key)
                for p, a in zip(paths, accepted, strict=True)
            ]
        )
    return CheckResults(
        results=[
            next(checked) if isinstance(j, Accepted) else CheckResult(name=j.name, error=j.reason)
            for j in judged
        ]
    )
