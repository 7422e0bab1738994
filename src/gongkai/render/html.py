"""Report → an HTML page in the official layout (Jinja2), also the source of the PDF.

The page is plain: one `<h1>`, the six `<h2>` headings, `<p>` paragraphs and the three form tables
with the form's `rowspan`/`colspan`. Class names avoid words such as `head` or `footer`, which page
readers (ours included) treat as site furniture.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from gongkai.model.labels import paragraphs
from gongkai.model.report import Report
from gongkai.render.layout import Grid, GridCell, grids, heading, title

CSS_CLASS = {"note": "note", "head": "th", "caption": "cap", "label": "lbl", "value": "val"}
# Column widths in per cent, close to the blank Word template's.
WIDTHS: dict[str, list[float]] = {
    "table2": [34.0, 22.0, 22.0, 22.0],
    "table3": [4.0, 9.0, 35.0] + [52.0 / 7] * 7,
    "table4": [100.0 / 15] * 15,
}
_TEXT_WIDTH_PT = 440  # A4 less the official margins
_TITLE_PT = (10, 18)


@dataclass(frozen=True, slots=True)
class SectionView:
    heading: str
    paragraphs: list[str]
    grid: Grid | None
    new_page: bool = False  # in print: table 3 is nearly a page tall, so it starts one


def rows_of(grid: Grid) -> list[list[GridCell]]:
    """The anchor cells of each row, left to right: what `<tr>` needs."""
    rows: list[list[GridCell]] = [[] for _ in range(grid.n_rows)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        rows[cell.row].append(cell)
    return rows


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gongkai.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(rows_of=rows_of, css_class=CSS_CLASS, widths=WIDTHS)
    return env


@cache
def stylesheet() -> Markup:
    # Our own file, inserted raw: escaping would turn the quotes of font names into entities.
    return Markup(files("gongkai.render").joinpath("templates", "report.css").read_text("utf-8"))


def title_size(text: str) -> int:
    """Points that keep the title on one line: a wrapped title would read back as two lines."""
    low, high = _TITLE_PT
    return max(low, min(high, _TEXT_WIDTH_PT // (len(text) + 1)))


def sections(report: Report) -> list[SectionView]:
    tables = grids(report)
    return [
        SectionView(heading(no), paragraphs(report, no), tables.get(no), new_page=no == 3)
        for no in range(1, 7)
    ]


def render_html(report: Report) -> str:
    doc_title = title(report)
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            title=doc_title,
            title_pt=title_size(doc_title),
            css=stylesheet(),
            sections=sections(report),
        )
    )
