"""Cell-level rules: NEGATIVE_VALUE, NON_INTEGER, MISSING_TABLE, MISSING_VALUE, CELL_COUNT_MISMATCH,
and UNVERIFIABLE for the in-table relations that a blank cell leaves open."""

from __future__ import annotations

from gongkai.model.finding import Finding
from gongkai.model.keys import T2_MONEY_FIELDS, T2_SIGNED_FIELDS
from gongkai.model.report import Anomaly, Report
from gongkai.validate.cells import (
    TABLE_NAMES,
    all_cells,
    expected_rows,
    label,
    row_label,
    t2_template,
    t3_row_refs,
    value,
)
from gongkai.validate.codes import CellRef, finding, fmt
from gongkai.validate.relations import Book, blanks
from gongkai.validate.table3 import balance_relations, row_sum_relations, total_row_relations
from gongkai.validate.table4 import group_sum_relations

# Extraction left these rows blank on purpose (it would not guess a shift); CELL_COUNT_MISMATCH
# already says why, so MISSING_VALUE does not repeat it.
_UNREAD = frozenset({"lost_cells", "ambiguous_cells"})


def negative_value(report: Report) -> list[Finding]:
    """A count or amount below 0; only the 2019 本年增/减 may be negative."""
    return [
        finding(
            "NEGATIVE_VALUE", f"{label(report, ref)}为 {fmt(v)}，该项不能为负数。", [ref], actual=v
        )
        for ref, v in all_cells(report)
        if v is not None and v < 0 and not (ref[0] == "table2" and ref[2] in T2_SIGNED_FIELDS)
    ]


def non_integer(report: Report) -> list[Finding]:
    """A count with a fractional part; amounts (万元, 元) may have decimals."""
    return [
        finding("NON_INTEGER", f"{label(report, ref)}为 {fmt(v)}，件数应为整数。", [ref], actual=v)
        for ref, v in all_cells(report)
        if isinstance(v, float)
        and not v.is_integer()
        and not (ref[0] == "table2" and ref[2] in T2_MONEY_FIELDS)
    ]


def missing_table(report: Report) -> list[Finding]:
    tables = {"table2": report.table2, "table3": report.table3, "table4": report.table4}
    return [
        finding(
            "MISSING_TABLE", f"报告中找不到{TABLE_NAMES[name]}（统计表缺失或无法识别）。", [[name]]
        )
        for name, data in tables.items()
        if data is None
    ]


def _anomaly_rows(report: Report, kinds: frozenset[str]) -> set[tuple[str, str | None]]:
    return {(a.table, a.row) for a in report.anomalies if a.kind in kinds}


def _row_present(report: Report, table: str, row: str) -> bool:
    data = {"table2": report.table2, "table3": report.table3, "table4": report.table4}[table]
    return row in (data or {})


def _blank_groups(refs: list[CellRef]) -> list[list[CellRef]]:
    """Blank cells of one table, by row or by column, whichever says it in fewer findings."""
    by_row: dict[str | int, list[CellRef]] = {}
    by_col: dict[str | int, list[CellRef]] = {}
    for ref in refs:
        by_row.setdefault(ref[1], []).append(ref)
        by_col.setdefault(ref[2], []).append(ref)
    return list((by_col if len(by_col) < len(by_row) else by_row).values())


# Why a cell is blank decides who can fix it: the unit (a cell it left empty or filled with a
# dash) or the reviewer (a cell a conversion or OCR may have lost: get the original file).
BlankCause = str
_GRID_READERS = frozenset({"html", "docx", "doc", "wps", "odt", "xlsx", "pdf"})
_CAUSE_TEXT: dict[BlankCause, str] = {
    "source": "为空，原表中这些单元格就是空的：请填报单位补填数字（没有发生的填 0）。",
    "text": "为空，应填写数字（没有发生的填 0）；本文件为纯文本，若由 PDF 或网页转换而来，请对照原件确认是原表漏填。",
    "mark": "填写的是“{mark}”而不是数字：应填写数字（没有发生的填 0），请填报单位更正。",
    "conversion": "为空，无法确定是原表未填写还是表格转换丢失了单元格：请对照原件（PDF 或 Word 文件）核实后再要求单位补填。",
    "ocr": "在扫描件中未识别出数字，可能原件为空，也可能是文字识别遗漏：请对照原件核实。",
}


def _blank_cause(report: Report, ref: CellRef, uncertain: bool) -> BlankCause:
    if report.source is not None and report.source.ocr:
        return "ocr"
    if uncertain and ref[0] == "table3" and ref[2] == 0:
        return "conversion"  # extraction said the 自然人 column's blanks may be lost cells
    written = report.provenance.get(".".join(str(p) for p in ref))
    if written is not None and written.raw.strip():
        return "mark"
    reader = report.source.reader if report.source is not None else None
    return "source" if reader in _GRID_READERS else "text"


def _blank_message(report: Report, refs: list[CellRef], cause: BlankCause) -> str:
    shown = "、".join(label(report, ref) for ref in refs[:4])
    more = f"等 {len(refs)} 个单元格" if len(refs) > 4 else ""
    text = _CAUSE_TEXT[cause]
    if cause == "mark":
        marks = {report.provenance[".".join(str(p) for p in ref)].raw.strip() for ref in refs}
        text = text.format(mark="”“".join(sorted(marks)))
    return f"{shown}{more}{text}"


def missing_value(report: Report) -> list[Finding]:
    """A blank cell where the form expects a number; blanks are grouped by cause, then by row or
    by column, and the message says the cause (left empty, a dash, maybe lost, unread by OCR)."""
    missing_rows = _anomaly_rows(report, frozenset({"missing_row"}))
    unread = _anomaly_rows(report, _UNREAD)
    uncertain = any(a.kind == "uncertain_blank" and a.table == "table3" for a in report.anomalies)
    template = t2_template(report)
    out: list[Finding] = []
    blank: dict[tuple[str, BlankCause], list[CellRef]] = {}
    for table, row, refs in expected_rows(report):
        empty = [ref for ref in refs if value(report, ref) is None]
        if not empty or (table, row) in unread or (table, None) in unread:
            continue
        if (table, row) in missing_rows or not _row_present(report, table, row):
            name = f"{TABLE_NAMES[table]}“{row_label(table, row, template)}”"
            message = f"{name}一行在原文中找不到，整行按空白处理，无法核对。"
            out.append(finding("MISSING_VALUE", message, empty))
        else:
            for ref in empty:
                blank.setdefault((table, _blank_cause(report, ref, uncertain)), []).append(ref)
    for (_table, cause), refs in blank.items():
        for group in _blank_groups(refs):
            out.append(finding("MISSING_VALUE", _blank_message(report, group, cause), group))
    return out


def _anomaly_refs(report: Report, note: Anomaly) -> list[CellRef]:
    if note.table == "table4":
        return [("table4", g, c) for g in (report.table4 or {}) for c in range(5)]
    if note.row is None:
        return []
    if note.table == "table3":
        return t3_row_refs(note.row)
    return [("table2", note.row, f) for f in (report.table2 or {}).get(note.row, {})]


def _where(report: Report, note: Anomaly) -> str:
    name = TABLE_NAMES[note.table]
    row = f"“{row_label(note.table, note.row, t2_template(report))}”行" if note.row else "数据行"
    line = f"（原文第 {note.line} 行）" if note.line is not None else ""
    return f"{name}{row}{line}"


def cell_count_mismatch(report: Report) -> list[Finding]:
    """Oddities extraction recorded (stray, lost or ambiguous cells, repaired or unknown labels)."""
    return [
        finding(
            "CELL_COUNT_MISMATCH", f"{_where(report, a)}：{a.message}。", _anomaly_refs(report, a)
        )
        for a in report.anomalies
        if a.kind != "missing_row"  # a whole row that is not there is a MISSING_VALUE
    ]


def unverifiable(report: Report, lenient: bool = False) -> list[Finding]:
    """R1–R3 and T1 relations left open by a blank cell."""
    relations = [
        *balance_relations(report),
        *total_row_relations(report),
        *row_sum_relations(report),
        *group_sum_relations(report),
    ]
    return blanks(relations, Book(report), lenient)
