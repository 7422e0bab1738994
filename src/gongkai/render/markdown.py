"""Report → Markdown: headings, paragraphs and pipe tables.

Markdown has no merged cells: each table is the form's grid with the positions a merged cell covers
left empty, which is also how the text reader (and extract/) expects a flattened form to look.
"""

from __future__ import annotations

from gongkai.model.labels import paragraphs
from gongkai.model.report import Report
from gongkai.render.layout import Grid, grids, heading, title


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def grid_markdown(grid: Grid) -> list[str]:
    rows = [
        "| " + " | ".join(_escape(cell.text) if cell else "" for cell in row) + " |"
        for row in grid.expanded()
    ]
    rule = "| " + " | ".join("---" for _ in range(grid.n_cols)) + " |"
    return [rows[0], rule, *rows[1:]]


def render_markdown(report: Report) -> str:
    lines = [f"# {title(report)}", ""]
    tables = grids(report)
    for no in range(1, 7):
        lines += [f"## {heading(no)}", ""]
        for text in paragraphs(report, no):
            lines += [text, ""]
        if no in tables:
            lines += [*grid_markdown(tables[no]), ""]
    return "\n".join(lines)
