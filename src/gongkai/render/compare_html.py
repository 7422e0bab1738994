"""A comparison (gongkai.analysis.compare) as an HTML page in the report's typography."""

from __future__ import annotations

from gongkai.analysis.compare import Comparison
from gongkai.model.keys import SECTION_HEADINGS
from gongkai.render.html import environment, stylesheet
from gongkai.render.layout import Value, fmt_value

KINDS = {
    "from_blank": "由空白填报",
    "to_blank": "变为空白",
    "from_zero": "由 0 变化",
    "changed": "",
}


def _fmt(value: Value) -> str:
    return fmt_value(value) or "空白"


def _signed(value: Value) -> str:
    text = fmt_value(value)
    return f"+{text}" if value is not None and value > 0 else text


def render_compare_html(comparison: Comparison) -> str:
    template = environment().get_template("compare.html.j2")
    return template.render(
        title="政府信息公开工作年度报告对比",
        css=stylesheet(),
        cmp=comparison,
        fmt=_fmt,
        signed=_signed,
        kinds=KINDS,
        headings=dict(enumerate(SECTION_HEADINGS, 1)),
    )
