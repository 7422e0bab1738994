"""Report → PDF: WeasyPrint from the HTML page.

Not a browser's print: Chromium embeds Type 3 fonts whose ToUnicode maps 一/人/自… to Kangxi
radicals (dependencies.md §7), so text copied or extracted from its PDFs is wrong. WeasyPrint embeds
CID fonts with correct Unicode.
"""

from __future__ import annotations

import logging

from gongkai.model.report import Report
from gongkai.render.html import render_html


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: imported on use

    # WeasyPrint logs every CSS property it ignores; a report does not need to hear about them.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def render_pdf(report: Report) -> bytes:
    return html_to_pdf(render_html(report))
