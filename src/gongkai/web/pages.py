"""The HTML rendering: Jinja2 templates under web/templates, and the helpers they call."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from gongkai import __version__
from gongkai.model.finding import DECISION_NAMES as DECISIONS
from gongkai.model.finding import SEVERITY_NAMES
from gongkai.model.keys import SECTION_HEADINGS
from gongkai.model.labels import paragraphs
from gongkai.model.report import Report
from gongkai.render.layout import fmt_value
from gongkai.validate.codes import PLAIN
from gongkai.web import auth
from gongkai.web.authoring import field_id, report_from_form
from gongkai.web.models import AuthorCheck, RollupOut
from gongkai.web.present import TABLE_NAMES, label_of
from gongkai.web.source_pages import places_of
from gongkai.web.tables import changed_marks, key_of, split_findings, table_views
from gongkai.web.uploads import ACCEPT, MAX_FILE_BYTES, MAX_FILES

NAV = (
    ("home", "/", "首页"),
    ("check", "/check", "上传检查"),
    ("reports", "/reports", "报告库"),
    ("compare", "/compare", "对比"),
    ("years", "/years", "跨年"),
    ("rollup", "/rollup", "汇总"),
    ("author", "/author", "编写"),
    ("register", "/register", "台账"),
)


def pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | int | None) -> str:
    """A figure as a clerk writes it: integers without .0, blank as —."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def signed(value: float | int | None) -> str:
    if value is None:
        return ""
    text = fmt_value(value)
    return f"+{text}" if value > 0 else text


def with_page(request: Request, page: int) -> str:
    """This page's address with another page number, every filter kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return f"{request.url.path}?{urlencode([*params, ('page', str(page))])}"


def rollup_query(data: RollupOut) -> str:
    """The query of a roll-up download: the same inputs and name as the page."""
    return urlencode([*(("ids", str(i)) for i in data.ids), ("name", data.name)])


def _field_of(cell: list[str | int]) -> str | None:
    parts = [str(p) for p in cell]
    if len(parts) == 2 and parts[0] == "sections":
        return field_id(f"section.{parts[1]}")
    return field_id(".".join(parts)) if len(parts) == 3 else None


def author_marks(check: AuthorCheck) -> dict[str, str]:
    """The form fields to colour: HTML id → the gravest severity of the findings on it."""
    marks = {field_id(p.field): "error" for p in check.problems}
    for f in check.findings:
        if f.severity == "info":
            continue
        for cell in f.cells:
            field = _field_of(cell)
            if field and marks.get(field) != "error":
                marks[field] = f.severity
    return marks


def form_report(values: dict[str, str]) -> Report:
    return report_from_form(values)[0]


def cell_words(path: str) -> str:
    return label_of(path.split("."))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gongkai.web", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        nav=NAV, version=__version__, severity_names=SEVERITY_NAMES, table_names=TABLE_NAMES,
        rule_names=PLAIN,
        decisions=DECISIONS, headings=dict(enumerate(SECTION_HEADINGS, 1)), pct=pct, num=num,
        signed=signed, with_page=with_page, fmt=fmt_value, field_id=field_id, key_of=key_of, table_views=table_views,
        split_findings=split_findings, changed_marks=changed_marks, paragraphs=paragraphs,
        rollup_query=rollup_query, author_marks=author_marks, form_report=form_report,
        cell_words=cell_words, places_of=places_of, accept=ACCEPT, max_file_mb=MAX_FILE_BYTES // 1024**2, max_files=MAX_FILES,
    )  # fmt: skip
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page (or an htmx fragment): the template with the request's write access and token state."""
    context.setdefault("active", "")
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            can_write=auth.can_write(request),
            read_only=auth.read_only(request),
            user=auth.current(request),
            is_admin=auth.is_admin(request),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)
