"""What the form calls things, from a report alone: the template of each table (named by the reader,
else inferred from the keys), a cell path in words (表三“一、本年新收…”·总计), where a cell stands in
its source (第2页, 第3张表 第5行 第2列), a section's prose.
Shared by validation, analysis and the renderers; pure, no I/O."""

from __future__ import annotations

from typing import Literal

from gongkai.model.keys import (
    T2_HEADERS,
    T3_COLUMNS,
    T3_LABELS,
    T4_COLUMNS,
    T4_GROUPS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    t2_item_label,
)
from gongkai.model.report import CellSource, Report, TemplateName


def template_of(report: Report, table: Literal["table2", "table3"]) -> TemplateName:
    """The report's template for one table; inferred from its keys, else the current form."""
    named: TemplateName | None = getattr(report.meta.templates, table)
    if named is not None:
        return named
    if table == "table2":
        fields = {f for values in (report.table2 or {}).values() for f in values}
        return TEMPLATE_2019 if fields & {"made", "prior_items", "items"} else TEMPLATE_2021
    return TEMPLATE_2019 if "other" in (report.table3 or {}) else TEMPLATE_2021


_SENTENCE_END = ("。", "；", "！", "？", ";", "!", "?")


def _is_narrative(line: str) -> bool:
    # Sections 二–四 hold the table rows as text (extract/ keeps them); prose ends a sentence.
    return "\t" not in line and (line.rstrip().endswith(_SENTENCE_END) or len(line) > 60)


def paragraphs(report: Report, no: int) -> list[str]:
    """The prose of section `no`: one entry per paragraph, table text left out."""
    lines = [
        line.strip()
        for section in report.sections
        if section.no == no
        for line in section.text.split("\n")
        if line.strip()
    ]
    return lines if no not in (2, 3, 4) else [line for line in lines if _is_narrative(line)]


_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def cell_label(path: str, template: str = TEMPLATE_2021) -> str:
    """A cell path such as `table3.received.6` in words: 表三“一、本年新收…”·总计."""
    table, key, col = path.split(".")
    name = _TABLE_NAMES[table]
    if table == "table2":
        field = T2_HEADERS[template].get(col) or T2_HEADERS[TEMPLATE_2019].get(col, col)
        return f"{name}“{t2_item_label(key, template)}”·{field}"
    if table == "table3":
        return f"{name}“{T3_LABELS[key]}”·{T3_COLUMNS[int(col)]}"
    group = dict(T4_GROUPS)[key]
    return f"{name}“{group}”·{T4_COLUMNS[int(col)]}"


# Readers whose `line` counts paragraphs, not lines: DOCX and what LibreOffice converts to DOCX.
_PARAGRAPH_LINES = frozenset({"docx", "doc", "wps", "odt", "rtf"})


def source_place(src: CellSource, reader: str | None = None) -> str:
    """Where a cell stands in its source, in the words a person looks it up by: 第2页 (PDF and
    scans), 第3张表 第5行 第2列 (a DOCX or web-page table, counted as in Word or the browser),
    第1张工作表 第5行 (XLSX), 第12段 (a DOCX paragraph), 网页源代码第12行, 第12行 (text).
    `reader` is the report's `source.reader`."""
    if src.table_no is not None and src.row_no is not None and src.col_no is not None:
        return f"第{src.table_no}张表 第{src.row_no}行 第{src.col_no}列"
    if reader == "xlsx" and src.page is not None and src.line is not None:
        return f"第{src.page}张工作表 第{src.line}行"
    if src.page is not None:
        return f"第{src.page}页"
    if src.line is None:
        return "原文未记录位置"
    if reader in _PARAGRAPH_LINES:
        return f"第{src.line}段"
    if reader == "html":
        return f"网页源代码第{src.line}行"
    return f"第{src.line}行"
