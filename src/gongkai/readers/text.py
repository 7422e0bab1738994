"""Plain text and Markdown-like text → raw document.

Tab-separated lines are table rows whose empty cells are kept (seed 003 needs them). Lines whose cells
are separated by runs of two or more spaces are table rows too, marked `spaced`: their empty cells are
lost, and `extract/` must not pretend otherwise. Markdown pipe tables are read as tables.
Markdown and HTML residue (`#`, `**`, `<b>`) is removed from the cell text, never from the offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from gongkai.readers.encoding import decode
from gongkai.readers.furniture import is_furniture
from gongkai.readers.raw import Block, Paragraph, RawCell, RawDocument, Table, TableRow

_SPACE_RUN = re.compile(r"[ \u3000\u00a0]{2,}")
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s+")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_TAB = re.compile("\t")
_PIPE = re.compile(r"\|")
# Pipe tables are frames of their own, numbered from here (raw.py).
_PIPE_FRAMES = 1


_RESIDUE_CHARS = frozenset("<*_#\u00a0")


def clean(text: str) -> str:
    """Strip conversion residue from one cell or paragraph, keeping its words."""
    if _RESIDUE_CHARS.isdisjoint(text):  # most cells: nothing to strip but the edges
        return text.strip()
    text = _TAG.sub("", text).replace("**", "").replace("__", "")
    text = _HEADING_MARK.sub("", text)
    return text.replace("\u00a0", " ").strip()


def _cells(
    line: str, lineno: int, pattern: re.Pattern[str], lo: int = 0, hi: int | None = None
) -> tuple[RawCell, ...]:
    """Split line[lo:hi] on `pattern`; spans are offsets in the whole line."""
    hi = len(line) if hi is None else hi
    cells, pos = [], lo
    for sep in pattern.finditer(line, lo, hi):
        cells.append(RawCell(clean(line[pos : sep.start()]), lineno, pos, sep.start()))
        pos = sep.end()
    cells.append(RawCell(clean(line[pos:hi]), lineno, pos, hi))
    return tuple(cells)


def _placed(cells: tuple[RawCell, ...], by_index: bool) -> tuple[RawCell, ...]:
    """Cells with their horizontal interval: a pipe table's column index, or the character
    columns a space-laid-out line puts them in (pdftotext -layout keeps x in character columns)."""
    if by_index:
        return tuple(replace(c, x0=i, x1=i + 1) for i, c in enumerate(cells))
    return tuple(replace(c, x0=c.start, x1=c.end) for c in cells)


def _row(line: str, lineno: int, pipe_frame: int, laid_out: bool) -> TableRow | None:
    stripped = line.strip()
    if "\t" in line:
        return TableRow(_cells(line, lineno, _TAB), shifting=True)
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if _PIPE_RULE.match(stripped):
            return None
        cells = _cells(line, lineno, _PIPE, line.index("|") + 1, line.rindex("|"))
        return TableRow(_placed(cells, by_index=True), frame=pipe_frame)
    if _SPACE_RUN.search(stripped):
        lead = len(line) - len(line.lstrip(" \u3000\u00a0"))
        end = len(line.rstrip(" \u3000\u00a0"))
        # No frame: character columns order the cells of a laid-out line (extract/stream.py), but
        # spaces typed by hand drift, so they never place a cell under a header's column.
        cells = _cells(line, lineno, _SPACE_RUN, lead, end)
        return TableRow(_placed(cells, by_index=False) if laid_out else cells, True, True)
    return None


def _paragraph_cell(line: str, lineno: int, laid_out: bool) -> RawCell:
    """A line of text; its span (and, in laid-out text, x-interval in character columns) is
    that of its words."""
    lead = len(line) - len(line.lstrip())
    end = len(line.rstrip())
    if not laid_out:
        return RawCell(clean(line), lineno, lead, end)
    return RawCell(clean(line), lineno, lead, end, x0=lead, x1=end)


_INNER_SPACES = re.compile(r"\S[ \u3000]{2,}\S")


def laid_out(lines: list[str]) -> bool:
    """Text laid out with spaces (pdftotext -layout): many lines set words apart by runs of
    spaces, so a character column is a position on the page. Elsewhere (pdftotext -raw, a copy
    from a viewer, typed text) a character's offset says nothing about where it stood."""
    filled = [line for line in lines[:2000] if line.strip()]
    spaced = sum(bool(_INNER_SPACES.search(line)) for line in filled)
    return bool(filled) and spaced >= 0.15 * len(filled)


def _blocks(lines: list[str]) -> Iterator[Block]:
    pending: list[TableRow] = []
    gap = tables = 0
    layout = laid_out(lines)
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            gap += 1
            continue
        if is_furniture(line):
            continue
        row = _row(line, lineno, _PIPE_FRAMES + tables, layout)
        if row is not None:
            pending.append(row)
            gap = 0
            continue
        if _PIPE_RULE.match(line) and pending:
            continue
        if pending:
            yield Table(tuple(pending))
            pending, tables = [], tables + 1
        yield Paragraph(_paragraph_cell(line, lineno, layout), gap)
        gap = 0
    if pending:
        yield Table(tuple(pending))


_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def _pages(text: str) -> list[list[str]]:
    """The lines of each page (a form feed ends a page, as pdftotext writes), a bare number at a
    page's bottom or top blanked: a page number, never a value (the line stays, for line
    numbers)."""
    pages = [page.split("\n") for page in text.split("\f")]
    if len(pages) < 2:
        return pages
    for lines in pages:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        for i in {filled[0], filled[-1]} if filled else set():
            if _BARE_NUMBER.match(lines[i]):
                lines[i] = ""
    return pages


def read_text(data: bytes, path: str) -> RawDocument:
    text, _encoding = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for page in _pages(text) for line in page]
    fmt = "markdown" if any(_HEADING_MARK.match(line) for line in lines[:200]) else "text"
    return RawDocument(path=path, format=fmt, blocks=list(_blocks(lines)))
