"""DOCX → raw document (the package is opened with zipfile; its lxml body is walked in order).

- Paragraphs and tables come in body order, including those inside content controls (`w:sdt`).
- Merged cells: `gridSpan` and `vMerge` continuations become EMPTY cells, as in the text seeds;
  `gridBefore`/`gridAfter` pad the row. A cell's paragraphs join without a space.
- A table holding other tables, or only one column, is page layout: its cells are read as blocks,
  so a report framed by a one-cell table still yields its paragraphs and inner tables.
- Text boxes are read after the paragraph that anchors them; the VML fallback copy of a text box
  (`mc:Fallback`), deleted revisions and hidden runs are skipped.
- Numbering labels ("一、", "（三）") are rendered in front of the text (see numbering.py).
- A line break ends a paragraph outside tables; a paragraph whose tab-separated pieces hold numbers
  is a table row, like a tab-separated line of a text report.
Provenance: `line` is the 1-based number of the paragraph in body order (a DOCX has no lines).
A table cell also keeps its `place` (table, row, column) as a person counts in Word: tables in
document order, every `w:tbl` counted where it begins (a table nested in a layout table or in a text
box comes after the table or paragraph holding it), rows by every `w:tr`, and cells across the row
by every `w:tc` — a cell merged across columns (gridSpan) counts once, a vertically merged
continuation counts as a cell of its own row (Word shows it there), gridBefore padding does not.

Before anything is parsed the ZIP directory is checked, so a zip bomb is refused cheaply.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from gongkai.errors import UnreadableInput
from gongkai.readers.grid import MAX_CELLS, MAX_COLSPAN, GridTooLarge, join_lines, lxml_etree
from gongkai.readers.numbering import Numbering, W
from gongkai.readers.raw import Block, Paragraph, RawCell, RawDocument, Table, TableRow

MAX_UNCOMPRESSED = 256 * 2**20  # a long report with photos is a few tens of MB
MAX_RATIO = 200  # XML deflates 5–30×; a bomb does 1000× and more
MAX_MEMBERS = 10_000
# Expanded bytes of one XML part: a long report's document.xml is a few MB. A part of hundreds of MB
# that deflates within MAX_RATIO (text that repeats little) would still take minutes to walk.
MAX_XML_PART = 32 * 2**20
_RATIO_FLOOR = 2**20  # small members may compress well without harm
_STREAM_CHECK = 64 * 2**10  # compressed bytes; below it a lie costs at most ~64 MB of memory

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _R, _T, _TBL, _TR, _TC = (f"{W}{t}" for t in ("p", "r", "t", "tbl", "tr", "tc"))
_PPR, _TRPR, _TCPR, _VAL = f"{W}pPr", f"{W}trPr", f"{W}tcPr", f"{W}val"
_GRID_SPAN, _GRID_BEFORE, _GRID_AFTER = f"{W}gridSpan", f"{W}gridBefore", f"{W}gridAfter"
_VMERGE, _VANISH = f"{W}vMerge", f"{W}rPr/{W}vanish"
_TXBX, _NB_HYPHEN = f"{W}txbxContent", f"{W}noBreakHyphen"
_TABS, _BREAKS = frozenset({f"{W}tab", f"{W}ptab"}), frozenset({f"{W}br", f"{W}cr"})
_SKIP = frozenset({f"{MC}Fallback", f"{W}del", f"{W}moveFrom", f"{W}rPr", f"{W}pPr"})
# Elements that need the careful walk; without them every w:t, w:tab, w:br counts.
_SPECIAL = (f"{MC}AlternateContent", f"{W}del", f"{W}moveFrom", _TXBX, f"{W}vanish")
_TEXT_TAGS = (_T, *_TABS, *_BREAKS, _NB_HYPHEN)
_WRAPPERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"})
_NUMBER = re.compile(r"^[-+−]?\d[\d,.]*\s*\S{0,2}$")
_BODY = f"{W}body"


def _declared_limits(members: list[zipfile.ZipInfo], path: str, kind: str) -> None:
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED:
        raise UnreadableInput(
            path,
            f"{kind} 解压后共 {total // 2**20} MB、{len(members)} 个部件，超出上限，疑似压缩炸弹",
        )
    for m in members:
        if m.filename.endswith((".xml", ".rels")) and m.file_size > MAX_XML_PART:
            raise UnreadableInput(
                path,
                f"{kind} 部件 {m.filename} 解压后 {m.file_size // 2**20} MB，"
                f"超过 {MAX_XML_PART // 2**20} MB 的上限，不像一份年度报告，未读取",
            )
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            raise UnreadableInput(
                path, f"{kind} 部件 {m.filename} 压缩比 {ratio}:1 异常，疑似压缩炸弹"
            )


def _true_sizes(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Inflate the larger members in bounded chunks. The sizes above are only what the archive
    claims; a member that inflates past its claim fails its CRC here, before python-docx would
    inflate it whole into memory."""
    for m in members:
        if m.compress_type != zipfile.ZIP_STORED and m.compress_size > _STREAM_CHECK:
            with archive.open(m) as stream:
                while stream.read(2**20):
                    pass


def check_zip(data: bytes, path: str, kind: str = "DOCX") -> None:
    """Refuse archives that would expand beyond reason, before anything is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _declared_limits(members, path, kind)
            _true_sizes(archive, members)
    except UnreadableInput:
        raise
    except Exception as exc:  # zipfile raises BadZipFile, NotImplementedError, zlib.error …
        raise UnreadableInput(
            path, f"{kind} 文件损坏（ZIP 结构无法读取或部件大小与声明不符）"
        ) from exc


def _parse_xml(blob: bytes) -> Any:
    etree = lxml_etree()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    return etree.fromstring(blob, parser)


def _optional_part(archive: zipfile.ZipFile, name: str | None) -> Any | None:
    """The parsed package part, or None when the package does not have it."""
    try:
        return _parse_xml(archive.read(name)) if name else None
    except KeyError:  # zipfile's word for a member that is not there
        return None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship type suffix ("/styles") → internal target part name, for one part."""
    folder, name = posixpath.split(part)
    rels = _optional_part(archive, posixpath.join(folder, "_rels", f"{name}.rels"))
    targets: dict[str, str] = {}
    for rel in [] if rels is None else rels:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(resolved))
    return targets


def _open(data: bytes, path: str) -> tuple[Any, Numbering]:
    """(w:body, numbering) of the main document part, found through the package relationships.
    Plain lxml rather than python-docx: opening the package through python-docx parsed every part
    into its element classes and took a fifth of the reader's time (bench/bench_readers.py)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            main = _relationships(archive, "")["officeDocument"]
            related = _relationships(archive, main)
            document = _parse_xml(archive.read(main))
            # Numbering and styles are optional parts: a dangling relationship is no damage.
            numbering, styles = (
                _optional_part(archive, related.get(kind)) for kind in ("numbering", "styles")
            )
        body = document.find(_BODY)
        if body is None:
            raise KeyError("w:body")
        return body, Numbering.load(numbering, styles)
    except Exception as exc:  # zipfile, lxml and missing parts raise many unrelated types
        raise UnreadableInput(path, "DOCX 文件损坏或不是 Word 文档") from exc


@dataclass(slots=True)
class _Context:
    numbering: Numbering
    paragraphs: int = 0
    tables: int = 0  # every table so far: its frame (raw.py) and its number as Word counts it


def _is_hidden(run: Any) -> bool:
    vanish = run.find(_VANISH)
    return vanish is not None and vanish.get(_VAL, "true") not in {"0", "false", "off"}


def _walk_runs(p: Any, lines: list[str], boxes: list[Any]) -> None:
    """The careful walk: skips hidden runs, deletions and fallback copies; keeps text boxes."""
    walker = lxml_etree().iterwalk(p, events=("start",))
    for _event, el in walker:
        tag = el.tag
        if tag in _SKIP or (tag == _R and _is_hidden(el)):
            walker.skip_subtree()
        elif tag == _TXBX:
            boxes.append(el)
            walker.skip_subtree()
        else:
            _add_text(tag, el, lines)


def _add_text(tag: str, el: Any, lines: list[str]) -> None:
    if tag == _T:
        lines[-1] += el.text or ""
    elif tag in _TABS:
        lines[-1] += "\t"
    elif tag in _BREAKS:
        lines.append("")
    elif tag == _NB_HYPHEN:
        lines[-1] += "-"


def _runs(p: Any) -> tuple[list[str], list[Any]]:
    """(text lines split at line breaks, text-box contents anchored here) of one paragraph."""
    lines: list[str] = [""]
    boxes: list[Any] = []
    # Most paragraphs hold plain runs only; a C-level tag filter finds out cheaply.
    if next(p.iter(*_SPECIAL), None) is not None:
        _walk_runs(p, lines, boxes)
    else:
        for el in p.iter(*_TEXT_TAGS):
            _add_text(el.tag, el, lines)
    return lines, boxes


def _paragraph_lines(p: Any, ctx: _Context) -> tuple[list[str], list[Any], int]:
    ctx.paragraphs += 1
    lines, boxes = _runs(p)
    lines[0] = ctx.numbering.label(p.find(_PPR)) + lines[0]
    return lines, boxes, ctx.paragraphs


def _line_block(text: str, number: int) -> Block | None:
    pieces = [piece.strip() for piece in text.split("\t")]
    if len(pieces) > 1 and any(_NUMBER.match(piece) for piece in pieces):
        return Table((TableRow(tuple(RawCell(piece, number) for piece in pieces)),))
    text = " ".join(piece for piece in pieces if piece)
    return Paragraph(RawCell(text, number)) if text else None


def _paragraph(p: Any, ctx: _Context) -> Iterator[Block]:
    lines, boxes, number = _paragraph_lines(p, ctx)
    for line in lines:
        block = _line_block(line, number)
        if block is not None:
            yield block
    for box in boxes:
        yield from _blocks(box, ctx)


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Direct children with this tag, looking through content-control and custom-XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_text(tc: Any, ctx: _Context) -> tuple[str, int | None]:
    lines, first = [], None
    for p in _children(tc, _P):
        para_lines, _boxes, number = _paragraph_lines(p, ctx)
        lines += [line.replace("\t", " ") for line in para_lines]
        first = first or number
    return join_lines(lines), first


def _int_val(props: Any, tag: str, default: int) -> int:
    el = props.find(tag)
    try:
        return default if el is None else max(0, min(int(el.get(_VAL, default)), 1000))
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class _Cell:
    tc: Any
    span: int
    continued: bool  # continues a vertical merge from the row above


@dataclass(frozen=True, slots=True)
class _Row:
    before: int
    cells: list[_Cell]
    after: int

    @property
    def width(self) -> int:
        return self.before + sum(c.span for c in self.cells) + self.after


def _cell(tc: Any) -> _Cell:
    props = tc.find(_TCPR)
    if props is None:
        return _Cell(tc, 1, False)
    merge = props.find(_VMERGE)
    continued = merge is not None and merge.get(_VAL, "continue") != "restart"
    return _Cell(tc, min(max(1, _int_val(props, _GRID_SPAN, 1)), MAX_COLSPAN), continued)


def _row(tr: Any) -> _Row:
    props = tr.find(_TRPR)
    cells = [_cell(tc) for tc in _children(tr, _TC)]
    if props is None:
        return _Row(0, cells, 0)
    return _Row(_int_val(props, _GRID_BEFORE, 0), cells, _int_val(props, _GRID_AFTER, 0))


def _row_cells(row: _Row, ctx: _Context, width: int, at: tuple[int, int]) -> list[RawCell]:
    """The row's grid positions, each cell with its column interval: a cell spanning columns
    covers the positions after its first, a vertically merged continuation covers its own. `at`
    is (table, row) as counted in Word; each cell adds its column (see the module docstring)."""
    cells = [RawCell("", x0=c, x1=c + 1) for c in range(row.before)]
    for counted, cell in enumerate(row.cells, 1):
        col = len(cells)
        end = col + cell.span
        place = (*at, counted)
        if cell.continued:
            cells += [
                RawCell("", x0=col, x1=end, covered=True, place=place) for _ in range(cell.span)
            ]
            continue
        text, number = _cell_text(cell.tc, ctx)
        cells.append(RawCell(text, number, x0=col, x1=end, place=place))
        cells += [
            RawCell("", number, x0=col, x1=end, covered=True, place=place)
            for _ in range(cell.span - 1)
        ]
    cells += [RawCell("", x0=c, x1=c + 1) for c in range(len(cells), width)]
    # Covered positions point at the row's first paragraph, so every cell has a place to show.
    line = next((c.line for c in cells if c.line is not None), None)
    return [c if c.line is not None else replace(c, line=line) for c in cells]


def _table(tbl: Any, ctx: _Context, frame: int) -> Iterator[Block]:
    """A table's rows (its frame is its number in document order), or a layout table's blocks."""
    rows = [_row(tr) for tr in _children(tbl, _TR)]
    width = max((row.width for row in rows), default=0)
    if width < 2 or tbl.find(f".//{_TBL}") is not None:
        for row in rows:  # page layout: the cells are containers of ordinary blocks
            for cell in row.cells:
                yield from _blocks(cell.tc, ctx)
        return
    if width * len(rows) > MAX_CELLS:  # every position becomes a cell: bounded before, not after
        raise GridTooLarge(f"{len(rows)} rows × {width} columns")
    cells = [_row_cells(row, ctx, width, (frame, r)) for r, row in enumerate(rows, 1)]
    grid = [r for r in cells if any(c.text for c in r)]
    if grid:
        yield Table(tuple(TableRow(tuple(r), frame=frame) for r in grid))


def _blocks(container: Any, ctx: _Context) -> Iterator[Block]:
    for child in container:
        if child.tag == _P:
            yield from _paragraph(child, ctx)
        elif child.tag == _TBL:
            ctx.tables += 1
            yield from _table(child, ctx, ctx.tables)
        elif child.tag in _WRAPPERS:
            yield from _blocks(child, ctx)


def read_docx(data: bytes, path: str) -> RawDocument:
    check_zip(data, path)
    body, numbering = _open(data, path)
    ctx = _Context(numbering)
    try:
        blocks = list(_blocks(body, ctx))
    except GridTooLarge as exc:
        raise UnreadableInput(path, "文档中的表格过大，不像年度报告") from exc
    except (ValueError, TypeError, RecursionError) as exc:
        raise UnreadableInput(path, "DOCX 内容结构异常") from exc
    return RawDocument(path=path, format="docx", blocks=blocks)
