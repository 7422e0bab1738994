"""Raw document → canonical report, with provenance and anomalies for the rule engine.

Each table is read twice: by its grid (table2/3/4.py, the header's columns where the source keeps
them) and in reading order (stream.py, stream_t2.py, the form's vocabulary naming each row); the
two are merged row by row (arbitrate.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from gongkai.extract import stream, stream_t2
from gongkai.extract.arbitrate import Merged, ViolationCount, merge, superseded
from gongkai.extract.dates import published_date, read_signoff
from gongkai.extract.fit import Fit
from gongkai.extract.meta import extract_meta
from gongkai.extract.reading import Reading
from gongkai.extract.sections import Region, find_headings, regions, section_bodies
from gongkai.extract.t3_columns import WIDTH, T3Row
from gongkai.extract.table2 import T2Result, T2Row, parse_table2
from gongkai.extract.table3 import T3Result, canonical_keys, parse_table3
from gongkai.extract.table4 import T4Row, groups_ok, parse_table4
from gongkai.extract.tokens import tokenize
from gongkai.extract.values import Cell, read_cell_as_label, read_row, split_label
from gongkai.model.keys import SUBTOTAL_SUFFIX, T2_LAYOUT, T4_GROUPS, TEMPLATE_2021
from gongkai.model.report import (
    Anomaly,
    CellSource,
    Meta,
    Published,
    Report,
    Section,
    Templates,
)
from gongkai.readers.raw import RawDocument, Row

_T4 = "table4"


def _source(cell: Cell) -> CellSource:
    src = cell.src
    return CellSource.of(
        cell.text, cell.unit, src.line, src.start, src.end, src.page, src.bbox, src.place
    )


Read = list[tuple[Row, list[Cell] | None]]  # a region's rows, each table row's cells read once


def _region(rows: Sequence[Row], tags: Sequence[Region | None], want: Region) -> Read:
    return [
        (row, read_row(row) if row.is_table else None)
        for row, tag in zip(rows, tags, strict=True)
        if tag == want
    ]


def _note(kind: str, table: str, row: str | None, message: str) -> Anomaly:
    return Anomaly.model_validate({"kind": kind, "table": table, "row": row, "message": message})


def _notes(merged: Merged, table: str) -> list[Anomaly]:
    return [_note(kind, table, row, message) for kind, row, message in merged.notes]


def _stream_notes(
    table: str,
    notes: Sequence[tuple[str | None, str]],
    merged: Merged,
    said: Sequence[Anomaly],
    unread: bool = False,
) -> list[Anomaly]:
    """What the reading-order pass saw that no reading says: a row it could not name (while some
    row of the form stays unread, where those numbers may belong), a named row it could not read
    and nothing else read, a repeated row whose first reading was taken. Rows something already
    said something about are left to that."""
    rows = {a.row for a in said if a.table == table}
    messages = {a.message for a in said if a.table == table}
    out = []
    for row, message in notes:
        if (row is not None and row in rows) or message in messages:
            continue
        if row is None and unread:
            out.append(_note("unreadable_value", table, None, message))
        elif row is not None and message == stream.DUPLICATE and row in merged.superseded:
            out.append(_note("duplicate_row", table, row, message))
        elif row is not None and message != stream.DUPLICATE and row not in merged.rows:
            out.append(_note("ambiguous_cells", table, row, message))
    return out


def _put_row(report: Report, path: str, fitted: Fit) -> list[int | float | None]:
    for col, cell in enumerate(fitted.cells):
        if cell is not None and cell.text:
            report.provenance[f"{path}.{col}"] = _source(cell)
    return fitted.values


# Table 2 ------------------------------------------------------------------------------------------


def _t2_grid(result: T2Result) -> dict[str, tuple[list[str], Fit]]:
    out = {}
    for item, fields in result.items.items():
        cells = tuple(fields.values())
        out[item] = (list(fields), Fit(cells, "ok", sum(c is not None for c in cells)))
    return out


def _table2(report: Report, region: Read) -> None:
    grid = parse_table2([T2Row(c, r.spaced, r.frame) for r, c in region if c is not None])
    other = stream_t2.read_table2(tokenize(region))
    mine = _t2_grid(grid)
    fields = {item: f for item, (f, _fit) in mine.items()}
    readings: dict[str, Reading] = {}
    template = grid.template or other.template
    for item, (theirs, reading) in other.items.items():
        # The stream's fields stand where the grid read none, the same, or fewer than the form's.
        form = stream_t2.form_fields(item, template)
        if (
            item not in fields
            or fields[item] == theirs
            or _blank(mine[item][1])
            or (theirs == form and fields[item] != form)
        ):
            if item in fields and fields[item] != theirs:
                mine.pop(item)  # a reading of other fields is no reading of these
            fields[item] = theirs
            readings[item] = reading
    merged = merge({i: fit for i, (_f, fit) in mine.items()}, readings, 0)
    if not merged.rows:
        return
    layout_order = [i for _c, items, _f in T2_LAYOUT["2019"] for i in items]
    table: dict[str, dict[str, int | float | None]] = {}
    for item in sorted(merged.rows, key=layout_order.index):
        fit = merged.rows[item]
        cells = fit.cells if len(fit.cells) == len(fields[item]) else (None,) * len(fields[item])
        table[item] = {}
        for fld, cell in zip(fields[item], cells, strict=True):
            table[item][fld] = None if cell is None else cell.value
            if cell is not None and cell.text:
                report.provenance[f"table2.{item}.{fld}"] = _source(cell)
    report.table2 = table
    report.meta.templates.table2 = template  # type: ignore[assignment]
    report.anomalies += superseded(grid.anomalies, "table2", merged.superseded)
    report.anomalies += _notes(merged, "table2")
    report.anomalies += _stream_notes("table2", other.notes, merged, report.anomalies)


def _blank(fit: Fit) -> bool:
    return all(v is None for v in fit.values)


# Table 3 ------------------------------------------------------------------------------------------


def _t3_rows(region: Read) -> list[T3Row]:
    """Table-3 rows in order. Paragraphs in the region are kept as label-only rows: a PDF row the
    table finder missed comes back as loose lines, and its label is needed to name its numbers."""
    out = []
    for row, cells in region:
        if cells is None:
            out.append(T3Row([read_cell_as_label(row.cells[0])], [], row.line))
            continue
        labels, values = split_label(cells)
        if not labels and any(c.src.x0 is not None for c in cells):
            # The label's own slot is empty (its words wrapped onto lines of their own): a slot
            # without the interval every value cell of the row has is no value.
            values = list(itertools.dropwhile(lambda c: c.empty and c.src.x0 is None, values))
        out.append(T3Row(labels, values, row.line, cells, not row.shifting, row.frame))
    return out


def _table3(report: Report, region: Read) -> None:
    grid: T3Result = parse_table3(_t3_rows(region))
    other = stream.read_table3(tokenize(region, counts=True))
    template = stream.template(set(grid.rows) | other.labelled) or grid.template
    readings = {k: r for k, r in other.rows.items() if k != "other" or template != TEMPLATE_2021}
    merged = merge(grid.rows, readings, WIDTH, ViolationCount(template))
    notes = superseded(grid.anomalies, "table3", merged.superseded) + _notes(merged, "table3")
    if not any(v is not None for fit in merged.rows.values() for v in fit.values) and not notes:
        return  # no table, or a form nobody filled in: nothing to report, and no zeros
    if merged.superseded and all(k in merged.rows for k in canonical_keys(template)):
        # Every row is read: the grid's unnamed fragments were parts of rows read in order.
        notes = [a for a in notes if not (a.row is None and a.kind == "unreadable_value")]
    table: dict[str, list[int | float | None]] = {}
    for key in canonical_keys(template):
        fitted = merged.rows.get(key)
        if fitted is None:
            table[key] = [None] * WIDTH
            if key not in other.labelled:  # a row named but unread has said why already
                notes.append(_note("missing_row", "table3", key, "表三缺少该行"))
        else:
            table[key] = _put_row(report, f"table3.{key}", fitted)
    report.table3 = table
    report.meta.templates.table3 = template  # type: ignore[assignment]
    if grid.subtotals:
        report.table3_subtotals = {
            block: _put_row(report, f"table3.{block}{SUBTOTAL_SUFFIX}", fitted)
            for block, fitted in grid.subtotals.items()
        }
    unread = any(v is None for row in table.values() for v in row)
    notes += _stream_notes("table3", other.notes, merged, notes, unread)
    report.anomalies += notes


# Table 4 ------------------------------------------------------------------------------------------


def _t4_broken(_rows: object, _key: str, values: Sequence[int | float | None]) -> int:
    return sum(
        None not in part and not groups_ok([*part] * 3)
        for part in (values[g * 5 : g * 5 + 5] for g in range(3))
    )


def _table4(report: Report, region: Read) -> None:
    rows = [T4Row(c, r.line, r.frame) for r, c in region if c is not None]
    fitted, notes = parse_table4(rows)
    reading = stream.read_table4(tokenize(region, counts=True))
    grid = {} if fitted is None else {_T4: fitted}
    merged = merge(grid, {} if reading is None else {_T4: reading}, 15, _t4_broken)  # type: ignore[arg-type]
    final = merged.rows.get(_T4)
    said = [n for n in notes if _T4 not in merged.superseded]
    said += [_note(k, "table4", None, m) for k, _row, m in merged.notes]
    report.anomalies += said
    if final is None and said:  # the table is there, unread: blank cells that say why
        final = Fit((None,) * 15, "lost", 0)
    if final is None:
        return
    table = {}
    for g, (key, _label) in enumerate(T4_GROUPS):
        part = Fit(final.cells[g * 5 : g * 5 + 5], final.status, 5)
        table[key] = _put_row(report, f"table4.{key}", part)
    report.table4 = table


def _dates(report: Report, doc: RawDocument, rows: Sequence[Row]) -> None:
    if doc.published is not None:
        report.meta.published = Published(date=doc.published, source="page")
    else:
        printed = published_date(rows)
        if printed is not None:
            report.meta.published = Published(date=printed, source="text")
    if report.sections:
        report.meta.signoff = read_signoff(report.sections[-1].text)


def extract(doc: RawDocument) -> Report:
    rows = list(doc.rows())
    title, agency, year = extract_meta(rows)
    report = Report(meta=Meta(title=title, agency=agency, year=year, templates=Templates()))
    headings = find_headings(rows)
    report.sections = [
        Section(no=h.no, heading=h.text, text=body, line=rows[h.index].line)
        for h, body in section_bodies(rows, headings)
    ]
    _dates(report, doc, rows)
    tags = regions(rows, headings)
    regions_of = {name: _region(rows, tags, name) for name in ("table2", "table3", "table4")}
    _table2(report, regions_of["table2"])
    _table3(report, regions_of["table3"])
    _table4(report, regions_of["table4"])
    return report
