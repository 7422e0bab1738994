"""台账: the request register in the web app — the list with due dates highlighted, a form to record
a request as it arrives, and a form to record its answer. The data come from corpus/register.py;
this module only shapes them for the page and the JSON API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from gongkai.analysis.register_tables import conclusion
from gongkai.corpus import register as corpus_register
from gongkai.errors import GongkaiError
from gongkai.model.keys import T3_ROWS
from gongkai.model.register import (
    APPLICANT_NAMES,
    CHANNEL_NAMES,
    OUTCOMES,
    STATUS_NAMES,
    Applicant,
    Channel,
    Event,
)
from gongkai.model.register import (
    Request as RegisterRequest,
)
from gongkai.web import auth, pages
from gongkai.web.views import CtxDep

_OUTCOME_LABELS = {key: label for key, label in T3_ROWS["2021"] if key in OUTCOMES}


class RegisterEntryOut(BaseModel):
    id: int
    number: str | None
    received: date
    applicant: str = Field(description="申请人类型")
    channel: str = Field(description="申请方式")
    content: str
    status: str = Field(description="办理中、等待补正、等待缴费、征求意见中、已办结，或无法计算")
    due: date | None = Field(description="答复期限（最后一日）")
    overdue: bool
    due_soon: bool = Field(description="3 个工作日内到期")
    reasons: list[str] = Field(description="期限的计算过程")
    outcome: str | None = Field(description="已办结时的办理结果")


class RegisterPage(BaseModel):
    today: date
    entries: list[RegisterEntryOut]
    applicants: dict[str, str]
    channels: dict[str, str]
    outcomes: dict[str, str]


_SOON = 3  # working days


def _entry(item: corpus_register.Entry, late: bool, soon: bool) -> RegisterEntryOut:
    r, due = item.request, item.due
    ended = conclusion(item.events)
    return RegisterEntryOut(
        id=r.id or 0,
        number=r.number,
        received=r.received,
        applicant=APPLICANT_NAMES[r.applicant],
        channel=CHANNEL_NAMES[r.channel],
        content=r.content,
        status=STATUS_NAMES.get(due.status, due.status) if due else "无法计算",
        due=due.due if due else None,
        overdue=late,
        due_soon=soon,
        reasons=list(due.reasons) if due else [item.problem or ""],
        outcome=_OUTCOME_LABELS.get(ended.outcome) if ended else None,
    )


def register_view(ctx: CtxDep) -> RegisterPage:
    """依申请公开台账：每件申请的办理状态与答复期限（已逾期、即将到期者标出）。"""
    today = date.today()
    items = corpus_register.entries(ctx.db)
    found = corpus_register.flagged(items, today, _SOON, corpus_register.calendar(ctx.db))
    late, soon = {id(e) for e in found.late}, {id(e) for e in found.soon}
    return RegisterPage(
        today=today,
        entries=[_entry(e, id(e) in late, id(e) in soon) for e in items],
        applicants=dict(APPLICANT_NAMES),
        channels=dict(CHANNEL_NAMES),
        outcomes=_OUTCOME_LABELS,
    )


def _back() -> Response:
    return RedirectResponse("/register", status_code=303)


def add_request_page(
    ctx: CtxDep,
    _: auth.WriteAccess,
    received: Annotated[date, Form()],
    applicant: Annotated[Applicant, Form()],
    channel: Annotated[Channel, Form()] = "other",
    content: Annotated[str, Form(max_length=5000)] = "",
    contact: Annotated[str, Form(max_length=500)] = "",
    number: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """登记一件新收到的申请。"""
    try:
        item = RegisterRequest(
            received=received, applicant=applicant, channel=channel, content=content,
            contact=contact or None, number=number or None,
        )  # fmt: skip
    except ValidationError as exc:
        raise HTTPException(422, "申请登记表内容无效") from exc
    corpus_register.add_request(item, ctx.db)
    return _back()


def answer_page(
    ctx: CtxDep,
    request_id: int,
    _: auth.WriteAccess,
    on: Annotated[date, Form()],
    outcome: Annotated[str, Form(max_length=40)],
) -> Response:
    """记录一件申请的答复及其办理结果。"""
    if outcome not in OUTCOMES:
        raise HTTPException(422, "办理结果应为表三“三、本年度办理结果”中的一项")
    try:
        step = Event(request_id=request_id, kind="answered", on=on, outcome=outcome)
        corpus_register.add_event(step, ctx.db)
    except GongkaiError as exc:
        raise HTTPException(422, str(exc)) from exc
    return _back()


def register_html(ctx: CtxDep) -> HTMLResponse:
    return pages.render(ctx.request, "register.html.j2", data=register_view(ctx), active="register")


def routes(router: APIRouter, tag: str) -> None:
    router.add_api_route("/api/register", register_view, methods=["GET"], tags=[tag])
    router.add_api_route(
        "/register", register_html, methods=["GET"], include_in_schema=False,
        response_class=HTMLResponse, response_model=None,
    )  # fmt: skip
    for path, endpoint in (
        ("/register", add_request_page),
        ("/register/{request_id}/answer", answer_page),
    ):
        router.add_api_route(
            path, endpoint, methods=["POST"], include_in_schema=False, response_model=None
        )
