"""Plain text and Markdown-like text → raw document.

Tab-separated lines are table rows whose empty cells are kept (seed 003 needs them). Lines whose cells
are separated by runs of two or more spaces are table rows too, marked `spaced`: their empty cells are
lost, and `extract/` must not pretend otherwise. Markdown pipe tables are read as tables.
Markdown and HTML residue (`#`, `**`, `<b>`) is removed from the cell text, never from the offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.readers.encoding import decode
from gongkai.readers.raw import Block, Paragraph, RawCell, RawDocument, Table, TableRow

_SPACE_RUN = re.compile(r"[ \u3000\u00a0]{2,}")
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s+")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_TAB = re.compile("\t")
_PIPE = re.compile(r"\|")


def clean(text: str) -> str:
    """Strip conversion residue from one cell or paragraph, keeping its words."""
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


def _row(line: str, lineno: int) -> TableRow | None:
    stripped = line.strip()
    if "\t" in line:
        return TableRow(_cells(line, lineno, _TAB), shifting=True)
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if _PIPE_RULE.match(stripped):
            return None
        return TableRow(_cells(line, lineno, _PIPE, line.index("|") + 1, line.rindex("|")))
    if _SPACE_RUN.search(stripped):
        lead = len(line) - len(line.lstrip(" \u3000\u00a0"))
        end = len(line.rstrip(" \u3000\u00a0"))
        return TableRow(_cells(line, lineno, _SPACE_RUN, lead, end), spaced=True, shifting=True)
    return None


def _blocks(lines: list[str]) -> Iterator[Block]:
    pending: list[TableRow] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = _row(line, lineno)
        if row is not None:
            pending.append(row)
            continue
        if _PIPE_RULE.match(line) and pending:
            continue
        if pending:
            yield Table(tuple(pending))
            pending = []
        yield Paragraph(RawCell(clean(line), lineno, 0, len(line)))
    if pending:
        yield Table(tuple(pending))


def read_text(data: bytes, path: str) -> RawDocument:
    text, _encoding = decode(data, path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fmt = "markdown" if any(_HEADING_MARK.match(line) for line in lines[:200]) else "text"
    return RawDocument(path=path, format=fmt, blocks=list(_blocks(lines)))
