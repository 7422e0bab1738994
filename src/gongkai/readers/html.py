"""Saved web pages → raw document (lxml).

Government pages wrap the report in navigation, scripts, styles and footers. Those are dropped by
tag (`nav`, `script` …), by hidden style and by class or id words (`nav`, `footer`, `crumb` …);
breadcrumb lines ("当前位置：首页 > …") are dropped by their text, because extract/ takes the first
short line naming a 年报 as the title and a breadcrumb often names the 年报 column.

A table without nested tables and at least two columns is data: its spans are expanded into a full
grid whose covered positions are empty cells, as in the text seeds. A table holding other tables,
or only one column, is page layout: its cells are walked like `div`s. Inside a data cell, `<br>` and
block boundaries join without a space (`本年新<br>制作数量` → 本年新制作数量); outside tables they end a
paragraph. Provenance: the source line of the element (lxml's `sourceline`); no page. A data
table's cell also keeps its `place` (table, row, column) as a person counts on the page: tables in
document order among those the reader walks (navigation and other furniture left out, layout tables
counted), rows by visible `tr`, and cells across the row as drawn — a cell spanning columns once, a
cell spanning down from a row above as a cell of this row too.

Charset: valid UTF-8 wins, then the meta tag (GB2312/GBK read as GB18030, their superset), then
detection (readers/encoding.py). Limits: the page's `<title>` is not read (it usually carries the
site name too), CSS classes that hide text are not evaluated, and MHT archives are not HTML.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from gongkai.errors import UnreadableInput
from gongkai.readers.encoding import decode
from gongkai.readers.grid import GridTooLarge, Slot, join_lines, lxml_etree, slots
from gongkai.readers.raw import Block, Paragraph, RawCell, RawDocument, Table, TableRow

_SKIP = frozenset([
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "select", "option", "button", "iframe", "frame", "frameset", "object", "embed", "svg", "math",
    "textarea", "input", "map", "canvas", "audio", "video",
])  # fmt: skip
_BLOCK = frozenset([
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
])  # fmt: skip
_BOILERPLATE = re.compile(
    r"^(nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|bottom|sidebar|share|copyright|"
    r"header|head|topbar|position|location|dqwz)([-_].*)?$",
    re.I,
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BREADCRUMB = re.compile(r"^\s*(当前位置|您的位置|您现在的位置|您当前的位置|所在位置|当前的位置)")
_CRUMB_ARROWS = re.compile(r"[>»＞›]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
# Browsers drop a line break between two CJK characters (CSS Text 3); a space there is invented.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\f\r]*\n\s*(?=[{_CJK}])")
_SPACE = re.compile(r"[ \t\n\r\f\u00a0]+")
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
}

_BREAK = None  # a soft break inside the parts of one cell or paragraph


def _codec(name: bytes) -> str | None:
    label = name.decode("ascii", "replace").lower()
    # HTML: a page that declares UTF-16 in a meta tag is read as UTF-8 (WHATWG encoding rules).
    label = "utf-8" if label.startswith("utf-16") else _CODEC_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, path: str) -> str:
    """UTF-8 when the bytes are valid UTF-8, else the meta charset if the bytes agree, else
    detection. Saved pages often keep a `gb2312` meta over bytes re-encoded as UTF-8, and
    Chinese GBK text is practically never valid UTF-8, so validity beats the declaration."""
    if data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        return decode(data, path)[0]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:4096])
    codec = _codec(match[1]) if match else None
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; detect instead
    return decode(data, path)[0]


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _skipped(el: Any) -> bool:
    tag = _tag(el)
    if not tag or tag in _SKIP or el.get("hidden") is not None:
        return True
    if _HIDDEN.search(el.get("style", "")):
        return True
    words = f"{el.get('class', '')} {el.get('id', '')}".split()
    # A layout wrapper named like page furniture (`header-wrap`) may still hold the report tables.
    return any(_BOILERPLATE.match(w) for w in words) and el.find(".//table") is None


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", _CJK_BREAK.sub("", text))


def join_parts(parts: list[str | None]) -> str:
    """Text pieces and soft breaks (`<br>`, block edges inside a cell) → one line of text."""
    lines, current = [], ""
    for part in parts:
        if part is _BREAK:
            lines.append(_collapse(current))
            current = ""
        else:
            current += part
    lines.append(_collapse(current))
    return join_lines(lines)


def _cell_text(cell: Any) -> str:
    parts: list[str | None] = []
    walker = _iterwalk(cell)
    for event, el in walker:
        if event == "start" and el is not cell and _skipped(el):
            walker.skip_subtree()
        elif event == "start":
            if _tag(el) in _BLOCK or _tag(el) == "br":
                parts.append(_BREAK)
            parts.append(el.text or "")
        elif el is not cell:
            parts.extend((_BREAK if _tag(el) in _BLOCK else "", el.tail or ""))
    return join_parts(parts)


def _iterwalk(el: Any) -> Any:
    return lxml_etree().iterwalk(el, events=("start", "end"))


def _span(value: str | None) -> int:
    match = re.match(r"\s*(\d{1,6})", value or "")
    return int(match[1]) if match else 1


def _rows(table: Any) -> list[Any]:
    return [tr for tr in table.xpath("./tr|./*/tr") if not _skipped(tr)]


def _placed(
    slot: Slot[RawCell] | None, col: int, line: int | None, place: tuple[int, int, int]
) -> RawCell:
    """The cell at one grid position, with the column interval of the source cell."""
    if slot is None:  # padding of a short row: an empty position of its own
        return RawCell("", line, x0=col, x1=col + 1)
    if slot.covered:
        return RawCell("", slot.value.line, x0=slot.col, x1=slot.col + slot.span, covered=True)
    return replace(slot.value, x0=slot.col, x1=slot.col + slot.span, place=place)


def _counted(cells: list[Slot[RawCell] | None]) -> list[int]:
    """Each position's cell number across its row as drawn (see the module docstring): the
    positions of one cell share its first column."""
    out, seen, last = [], 0, None
    for slot in cells:
        if slot is not None and slot.col != last:
            seen, last = seen + 1, slot.col
        out.append(seen)
    return out


def _grid(table: Any, frame: int, number: int) -> Table | None:
    """A data table as a grid; None when it is page layout (nested tables, a single column)."""
    if table.xpath(".//table"):
        return None
    trs = _rows(table)
    specs = [
        [
            (
                RawCell(_cell_text(td), td.sourceline),
                _span(td.get("rowspan")),
                _span(td.get("colspan")),
            )
            for td in tr.xpath("./td|./th")
        ]
        for tr in trs
    ]
    grid = slots(specs)
    if not grid or len(grid[0]) < 2:
        return None
    rows = [
        TableRow(
            tuple(
                _placed(s, c, tr.sourceline, (number, r, k))
                for c, (s, k) in enumerate(zip(cells, _counted(cells), strict=True))
            ),
            frame=frame,
        )
        for r, (tr, cells) in enumerate(zip(trs, grid, strict=True), 1)
        if any(s is not None and not s.covered and s.value.text for s in cells)
    ]
    return Table(tuple(rows)) if rows else None


def _is_breadcrumb(text: str) -> bool:
    return bool(_BREADCRUMB.match(text)) or (
        len(text) < 120 and len(_CRUMB_ARROWS.findall(text)) >= 2
    )


class _Blocks:
    """Collects paragraphs and tables in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str | None] = []
        self.line: int | None = None
        self.tables = 0  # tables met so far, layout tables too: a data table's number

    def add(self, text: str | None, line: int | None) -> None:
        if text:
            if self.line is None and text.strip():
                self.line = line
            self.parts.append(text)

    def end_paragraph(self) -> None:
        text = join_parts(self.parts)
        if text and not _is_breadcrumb(text):
            self.blocks.append(Paragraph(RawCell(text, self.line)))
        self.parts, self.line = [], None

    def table(self, table: Any, grid: Table) -> None:
        self.end_paragraph()
        for caption in table.xpath("./caption"):
            self.add(_cell_text(caption), caption.sourceline)
            self.end_paragraph()
        self.blocks.append(grid)


def _walk(root: Any) -> Iterator[Block]:
    out = _Blocks()
    walker = _iterwalk(root)
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if _skipped(el):
                walker.skip_subtree()
                continue
            if tag == "table":
                out.tables += 1
            grid = _grid(el, len(out.blocks), out.tables) if tag == "table" else None
            if grid is not None:
                out.table(el, grid)
                walker.skip_subtree()
                continue
            if tag in _BLOCK or tag == "br":
                out.end_paragraph()
            out.add(el.text, el.sourceline)
        else:
            if tag in _BLOCK and not _skipped(el):
                out.end_paragraph()
            out.add(el.tail, el.sourceline)
    out.end_paragraph()
    yield from out.blocks


def _parse(text: str, path: str) -> Any:
    etree = lxml_etree()
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return etree.fromstring(_XML_DECL.sub("", text, count=1), parser)
    except (etree.LxmlError, ValueError) as exc:  # the recovering parser rarely gives up
        raise UnreadableInput(path, "网页无法解析") from exc


# Meta tags that state when the article was published (TRS and other government CMSs, Open Graph,
# Dublin Core). Not `date`/`dc.date` alone, which some sites fill with the crawl or render time.
_PUBLISHED_META = frozenset(
    {
        "pubdate",
        "publishdate",
        "publish_date",
        "firstpublishedtime",
        "article:published_time",
        "dcterms.issued",
        "dc.date.issued",
    }
)
_ISO_DAY = re.compile(r"^\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def _published(root: Any) -> str | None:
    """The ISO publication date a page's head states, if one does and it is a real day."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name not in _PUBLISHED_META:
            continue
        match = _ISO_DAY.match(meta.get("content") or "")
        if match is None:
            continue
        try:
            return date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            continue
    return None


def read_html(data: bytes, path: str) -> RawDocument:
    root = _parse(decode_html(data, path), path)
    if root is None:  # an empty or whitespace-only page
        return RawDocument(path=path, format="html")
    try:
        blocks = list(_walk(root))
    except GridTooLarge as exc:
        raise UnreadableInput(path, "网页中的表格过大，不像年度报告") from exc
    return RawDocument(path=path, format="html", blocks=blocks, published=_published(root))
