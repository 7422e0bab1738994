"""What is not a page: downloads, stateless checks of JSON reports, and the writes (review
decisions, ingest of uploads, delete), which need the token."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import HTTPException, Path, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from gongkai import corpus as corpus_api
from gongkai.corpus import review
from gongkai.errors import GongkaiError
from gongkai.model.report import Report
from gongkai.render import render
from gongkai.render.layout import title
from gongkai.render.notice import DEFAULT_ISSUER
from gongkai.store import NotFound
from gongkai.store.finding_list import State
from gongkai.validate import check
from gongkai.validate.codes import PLAIN
from gongkai.web import corpus
from gongkai.web.auth import AdminAccess, Principal, WriteAccess, audit_note, client_key
from gongkai.web.authoring import printable, shape_problems
from gongkai.web.models import (
    AuthorCheck,
    EditionIn,
    EditionOut,
    IngestOut,
    ReviewIn,
    ReviewOut,
)
from gongkai.web.present import count, from_finding
from gongkai.web.sandbox import run_limited
from gongkai.web.source_pages import SCALE, page_png
from gongkai.web.uploads import Accepted, read_uploads, safe_name, upload_folder
from gongkai.web.views import CtxDep, ReportId

ExportFormat = Literal["json", "html", "md", "docx", "xlsx", "pdf"]
MEDIA = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
FormatQ = Annotated[ExportFormat, Query(description="json、html、md、docx、xlsx 或 pdf")]
INGEST_TIME_LIMIT_S = 600.0
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download(data: bytes | str, filename: str, fmt: str) -> Response:
    """A file download; the name is sent RFC 5987-encoded so Chinese names survive."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    name = _UNSAFE_NAME.sub("_", filename)[:150]
    disposition = f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})


def rendered(report: Report, fmt: str, *, provenance: bool = False) -> Response:
    """The report in `fmt` as a download named after its title."""
    if fmt == "json":
        import json

        data: bytes | str = json.dumps(
            report.to_json(provenance=provenance), ensure_ascii=False, indent=1
        )
    else:
        try:
            data = render(report, fmt)
        except ImportError as exc:  # WeasyPrint for PDF is an optional extra
            raise HTTPException(
                501, f"服务器未安装生成 {fmt.upper()} 所需的组件（{exc.name}）"
            ) from exc
    return download(data, f"{title(report)}.{fmt}", fmt)


def checked_shape(report: Report) -> Report:
    """A report from a request body, fit for the renderers, or 422 saying what is wrong."""
    problems = shape_problems(report)
    if problems:
        raise HTTPException(422, "；".join(problems[:5]))
    return printable(report)


# Stateless ----------------------------------------------------------------------------------------


def export_report(ctx: CtxDep, report_id: ReportId, format: FormatQ = "json") -> Response:
    """下载语料库中的一份报告（JSON 含审查意见与单元格来源）。"""
    try:
        report = corpus.load(ctx.db, report_id)
    except NotFound as exc:
        raise HTTPException(404, f"没有编号为 {report_id} 的已解析报告") from exc
    return rendered(report, format, provenance=True)


def render_report(report: Report, format: FormatQ = "docx") -> Response:
    """把一份报告 JSON（如上传检查或编写页的结果）生成为所选格式的文件。"""
    return rendered(checked_shape(report), format, provenance=True)


def validate_report(report: Report) -> AuthorCheck:
    """审查一份报告 JSON：运行全部单报告规则，返回审查意见。"""
    findings = [from_finding(f) for f in check(checked_shape(report))]
    return AuthorCheck(findings=findings, problems=[], errors=count(findings, "error"),
                       warnings=count(findings, "warning"))  # fmt: skip


def report_card(
    ctx: CtxDep, report_id: ReportId, format: Annotated[Literal["docx", "html"], Query()] = "docx"
) -> Response:
    """下载报告所属机关的体检报告：审查意见、历年数据、在同级机关中的位置。"""
    row = corpus.report_row(ctx.db, report_id)
    if row is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    if not row["agency"]:
        raise HTTPException(422, "这份报告没有识别出发布机关，无法生成体检报告")
    try:
        data = corpus.report_card(ctx.db, row["agency"], row["year"], format)
    except GongkaiError as exc:  # the agency cannot be resolved to one set of reports
        raise HTTPException(404, str(exc)) from exc
    return download(data, f"{row['agency']}体检报告.{format}", format)


# Any page number: rendering says whether the PDF has that page (and refuses over-long PDFs).
PageNo = Annotated[int, Path(ge=1, le=100_000, description="页码（从 1 起）")]
Scale = Annotated[float, Query(ge=0.5, le=3.0, description="每磅的像素数（1 = 72 dpi）")]


def page_image(ctx: CtxDep, report_id: ReportId, page: PageNo, scale: Scale = SCALE) -> Response:
    """原文页面图像：报告原件（PDF）一页的 PNG，从入库时的路径重新读取。"""
    row = corpus.report_row(ctx.db, report_id)
    if row is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    png, reason = page_png(row, page, scale)
    if png is None:
        raise HTTPException(404, reason)
    # The image changes only if the file does, and then the hash check refuses it: cache a while.
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


# Writes -------------------------------------------------------------------------------------------


def _who(user: Principal, given: str | None) -> str:
    """Who decided: the signed-in user; only the shared start-up token, which one person or a
    script holds, may name someone (and is named itself otherwise)."""
    return (given or user.name) if user.user_id == 0 else user.name


def review_finding(
    ctx: CtxDep, report_id: ReportId, body: ReviewIn, user: WriteAccess
) -> ReviewOut:
    """确认或排除一份报告中某一代码的审查意见（可附说明）；需要「审核」权限。"""
    decided = "确认" if body.decision == "confirm" else "排除"
    named = f"{body.code}（{PLAIN[body.code]}）" if body.code in PLAIN else body.code
    audit_note(
        ctx.request,
        f"报告 {report_id}：{decided} {named}" + (f"；说明：{body.note}" if body.note else ""),
    )
    try:
        prints = review(report_id, body.code, body.decision, ctx.db, note=body.note or None,
                        who=_who(user, body.who), fingerprint=body.fingerprint)  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return ReviewOut(
        report_id=report_id, code=body.code, decision=body.decision, fingerprints=prints
    )


def choose_edition(
    ctx: CtxDep, report_id: ReportId, body: EditionIn, user: WriteAccess
) -> list[EditionOut]:
    """把这份报告设为该机关该年度计入统计的版本（记录决定人与说明，重新导入后仍保留）；需要「审核」权限。"""
    audit_note(ctx.request, f"报告 {report_id}" + (f"（说明：{body.note}）" if body.note else ""))
    try:
        rows = corpus_api.choose_edition(
            report_id, ctx.db, who=_who(user, body.who), note=body.note or None
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return [EditionOut(**asdict(e)) for e in rows]


StateQ = Annotated[
    State,
    Query(description="open：待复核与已确认；pending；confirmed；dismissed；all"),
]


def findings_export(
    ctx: CtxDep,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="报告年度")] = None,
    agency: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=100)] = None,
    code: Annotated[str | None, Query(max_length=64)] = None,
    state: StateQ = "open",
    format: Annotated[
        Literal["xlsx", "csv", "json", "docx"],
        Query(description="xlsx、csv、json；docx：每个单位一份整改通知（多个单位时打包为 ZIP）"),
    ] = "xlsx",
    issuer: Annotated[
        str, Query(max_length=100, description="整改通知的落款机关")
    ] = DEFAULT_ISSUER,
    due: Annotated[
        str | None, Query(max_length=40, description="整改期限，如 2025年3月15日")
    ] = None,
) -> Response:
    """整改清单：逐条列出审查意见（单位、报告、位置、规则、说明、复核状态），可按年度、机关、单位、代码、状态筛选；或每个单位一份整改通知。"""
    from gongkai.corpus.findings_export import csv_text, findings, xlsx_bytes
    from gongkai.store import Filters

    filters = Filters(year=year, agency=agency or None, unit=unit or None)
    rows = findings(ctx.db, filters, state=state, code=code or None)
    name = f"整改清单{year or ''}"
    if format == "docx":
        return _notices(rows, issuer, year, due or None)
    if format == "xlsx":
        return download(xlsx_bytes(rows), f"{name}.xlsx", "xlsx")
    if format == "csv":
        return Response(csv_text(rows), media_type="text/csv; charset=utf-8")
    return download(json.dumps(rows, ensure_ascii=False), f"{name}.json", "json")


def _notices(
    rows: list[dict[str, Any]], issuer: str, year: int | None, due: str | None
) -> Response:
    """One unit's notice as DOCX; several units' as a ZIP of one DOCX each."""
    import io
    import zipfile

    from gongkai.render.notice import notice_files

    if not rows:
        raise HTTPException(404, "所选范围内没有需要整改的审查意见")
    files = notice_files(rows, issuer=issuer or DEFAULT_ISSUER, year=year, due=due)
    if len(files) == 1:
        ((name, data),) = files.items()
        return download(data, name, "docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return download(out.getvalue(), f"整改通知{year or ''}.zip", "zip")


def _keep(db: str, items: list[Accepted]) -> list[str]:
    """Uploads go next to the database, named by content: the stored source path stays valid."""
    folder = upload_folder(db)
    folder.mkdir(exist_ok=True)
    paths = []
    for item in items:
        digest = hashlib.sha256(item.data).hexdigest()[:16]
        path = folder / f"{digest}_{safe_name(item.name, 0)[4:]}"
        if not path.exists():
            path.write_bytes(item.data)
        paths.append(str(path))
    return paths


async def ingest_uploads(ctx: CtxDep, files: list[UploadFile], _: WriteAccess) -> IngestOut:
    """上传报告并存入语料库（文件、或装有报告的 .zip）；需要「审核」权限。"""
    judged = await read_uploads(files, archives=True)
    audit_note(ctx.request, "、".join(j.name for j in judged))
    accepted = [j for j in judged if isinstance(j, Accepted)]
    rejected = [[j.name, j.reason] for j in judged if not isinstance(j, Accepted)]
    if not accepted:
        return IngestOut(added=0, updated=0, skipped=0, failed=[], rejected=rejected)
    paths = _keep(ctx.db, accepted)
    result = await run_in_threadpool(
        run_limited,
        corpus.ingest_paths,
        paths,
        ctx.db,
        key=client_key(ctx.request),
        label="入库",
        time_limit=INGEST_TIME_LIMIT_S,
    )
    if result.error is not None:
        raise HTTPException(422, result.error)
    return IngestOut(rejected=rejected, **result.value)


def delete_report(ctx: CtxDep, report_id: ReportId, _: AdminAccess) -> Response:
    """从语料库删除一份报告（连同其数据与上传时保存的原文件）；需要「管理」权限。"""
    audit_note(ctx.request, f"报告 {report_id}")
    if not corpus.delete_report(ctx.db, report_id):
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    return Response(status_code=204)
