"""Browser print furniture: what Chromium (and other browsers) print in a page's margins.

A web page printed to PDF carries the date and time and the page's title at the top of every page,
and its address and `page/pages` at the bottom. None of it belongs to the report, and glued to the
opening lines it ends up in the title or the agency (a wrong value). The PDF reader drops these
lines where they stand in a page's margin, and the text reader wherever a whole line is one
(pdftotext writes them between the body lines of consecutive pages), with page numbers.
"""

from __future__ import annotations

import re

# "12/3/26, 10:22 AM", "2026/12/3 10:22", "2026-12-03 10:22:05", "3.12.2026, 10:22"
_DATE_TIME = re.compile(
    r"^\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?![\d:])"
)
# "file:///work/r/201.html 1/4", "https://www.example.gov.cn/a/b.html    2/5", "about:blank 1/1"
_ADDRESS_PAGE = re.compile(r"^\s*(?:(?:file|https?)://\S+|about:blank)\s+\d{1,4}\s*/\s*\d{1,4}\s*$")


# "- 5 -", "—5—", "第 5 页", "第5页 共8页": a page number, never a value (a value is not dashed).
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)


def is_furniture(line: str) -> bool:
    """A whole line a browser prints in the page margin: its date and time (and the page title
    after it on the same line), or its address with the page count; or a page number written
    as one (pdftotext puts a page's footer between the lines of a table that goes on)."""
    return bool(_DATE_TIME.match(line) or _ADDRESS_PAGE.match(line) or _PAGE_NUMBER.match(line))
