"""Raw document → canonical report, with provenance and anomalies for the rule engine."""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.extract.fit import Fit
from gongkai.extract.meta import extract_meta
from gongkai.extract.sections import Region, find_headings, regions, section_bodies
from gongkai.extract.t3_columns import WIDTH, T3Row
from gongkai.extract.table2 import T2Result, T2Row, parse_table2
from gongkai.extract.table3 import canonical_keys, parse_table3
from gongkai.extract.table4 import T4Row, parse_table4
from gongkai.extract.values import Cell, read_cell_as_label, read_row, split_label
from gongkai.model.keys import SUBTOTAL_SUFFIX, T2_LAYOUT, T4_GROUPS
from gongkai.model.report import Anomaly, CellSource, Meta, Report, Section, Templates
from gongkai.readers.raw import RawDocument, Row


def _source(cell: Cell) -> CellSource:
    src = cell.src
    # model_construct: ~200 cells a report, all typed by construction; validation was 10% of a parse.
    return CellSource.model_construct(
        raw=cell.text, unit=cell.unit, line=src.line, start=src.start, end=src.end, page=src.page
    )


def _table_rows(
    rows: Sequence[Row], tags: Sequence[Region | None], want: Region
) -> list[tuple[Row, list[Cell]]]:
    return [
        (row, read_row(row))
        for row, tag in zip(rows, tags, strict=True)
        if tag == want and row.is_table
    ]


def _table2(report: Report, result: T2Result) -> None:
    if not result.items:
        return
    table: dict[str, dict[str, int | float | None]] = {}
    layout_order = [i for _c, items, _f in T2_LAYOUT["2019"] for i in items]
    for item in sorted(result.items, key=layout_order.index):
        table[item] = {}
        for fld, cell in result.items[item].items():
            table[item][fld] = None if cell is None else cell.value
            if cell is not None and cell.text:
                report.provenance[f"table2.{item}.{fld}"] = _source(cell)
    report.table2 = table
    report.meta.templates.table2 = result.template  # type: ignore[assignment]
    report.anomalies.extend(result.anomalies)


def _put_row(report: Report, path: str, fitted: Fit) -> list[int | float | None]:
    for col, cell in enumerate(fitted.cells):
        if cell is not None and cell.text:
            report.provenance[f"{path}.{col}"] = _source(cell)
    return fitted.values


def _t3_rows(rows: Sequence[Row], tags: Sequence[Region | None]) -> list[T3Row]:
    """Table-3 rows in order. Paragraphs in the region are kept as label-only rows: a PDF row the
    table finder missed comes back as loose lines, and its label is needed to name its numbers."""
    out = []
    for row, tag in zip(rows, tags, strict=True):
        if tag != "table3":
            continue
        if not row.is_table:
            out.append(T3Row([read_cell_as_label(row.cells[0])], [], row.line))
            continue
        cells = read_row(row)
        labels, values = split_label(cells)
        out.append(T3Row(labels, values, row.line, cells, not row.shifting, row.frame))
    return out


def _table3(report: Report, rows: list[T3Row]) -> None:
    result = parse_table3(rows)
    if not result.rows:
        return
    table: dict[str, list[int | float | None]] = {}
    for key in canonical_keys(result.template):
        fitted = result.rows.get(key)
        if fitted is None:
            table[key] = [None] * WIDTH
            result.anomalies.append(
                Anomaly(kind="missing_row", table="table3", row=key, message="表三缺少该行")
            )
        else:
            table[key] = _put_row(report, f"table3.{key}", fitted)
    report.table3 = table
    report.meta.templates.table3 = result.template  # type: ignore[assignment]
    if result.subtotals:
        report.table3_subtotals = {
            block: _put_row(report, f"table3.{block}{SUBTOTAL_SUFFIX}", fitted)
            for block, fitted in result.subtotals.items()
        }
    report.anomalies.extend(result.anomalies)


def _table4(report: Report, pairs: list[tuple[Row, list[Cell]]]) -> None:
    fitted, notes = parse_table4([T4Row(cells, row.line, row.frame) for row, cells in pairs])
    report.anomalies.extend(notes)
    if fitted is None:
        return
    values = fitted.values
    table = {}
    for g, (key, _label) in enumerate(T4_GROUPS):
        table[key] = values[g * 5 : g * 5 + 5]
        for col, cell in enumerate(fitted.cells[g * 5 : g * 5 + 5]):
            if cell is not None and cell.text:
                report.provenance[f"table4.{key}.{col}"] = _source(cell)
    report.table4 = table


def extract(doc: RawDocument) -> Report:
    rows = list(doc.rows())
    title, agency, year = extract_meta(rows)
    report = Report(meta=Meta(title=title, agency=agency, year=year, templates=Templates()))
    headings = find_headings(rows)
    report.sections = [
        Section(no=h.no, heading=h.text, text=body, line=rows[h.index].line)
        for h, body in section_bodies(rows, headings)
    ]
    tags = regions(rows)
    t2_rows = [
        T2Row(cells, row.spaced, row.frame) for row, cells in _table_rows(rows, tags, "table2")
    ]
    _table2(report, parse_table2(t2_rows))
    _table3(report, _t3_rows(rows, tags))
    _table4(report, _table_rows(rows, tags, "table4"))
    return report
