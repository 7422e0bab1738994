"""The authoring form (the 2021 template) to a Report and back, and the shape check of reports
that arrive as JSON.

Field names are the cell paths of the model (`table3.received.0`, `table2.fees.amount`) plus
`section.1` … `section.6`, `agency` and `year`. An empty field is a blank cell (not reported),
never 0: the rules flag it, and the clerk decides.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from gongkai.model.keys import (
    SECTION_HEADINGS,
    T2_LAYOUT,
    T3_ROWS,
    T4_GROUPS,
    TEMPLATE_2019,
    TEMPLATE_2021,
)
from gongkai.model.labels import paragraphs
from gongkai.model.report import Meta, Report, Section, Templates
from gongkai.render.layout import fmt_value
from gongkai.web.models import FieldProblem
from gongkai.web.present import label_of

Value = int | float | None
_INT = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_SEPARATORS = str.maketrans("", "", ",，  \u3000")
MAX_TEXT_CHARS = 20_000
YEARS = (2008, 2100)
# Characters no document format can hold: C0 controls but tab and newlines, DEL, lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def table_paths(template: str = TEMPLATE_2021) -> Iterator[str]:
    """Every value cell of the form, in form order."""
    for _caption, items, fields in T2_LAYOUT[template]:
        for item in items:
            for fld in fields:
                yield f"table2.{item}.{fld}"
    for key, _label in T3_ROWS[template]:
        for col in range(7):
            yield f"table3.{key}.{col}"
    for key, _label in T4_GROUPS:
        for col in range(5):
            yield f"table4.{key}.{col}"


FIELDS_2021 = tuple(table_paths(TEMPLATE_2021))


def field_id(path: str) -> str:
    """The HTML id of a form field: CSS selectors read dots as classes, so dashes instead."""
    return "f-" + path.replace(".", "-")


def parse_value(text: str) -> tuple[Value, str | None]:
    """(value, problem) of one typed cell; full-width digits and thousands separators accepted."""
    cleaned = unicodedata.normalize("NFKC", text).translate(_SEPARATORS)
    if not cleaned:
        return None, None
    if _INT.match(cleaned):
        return int(cleaned), None
    if _DECIMAL.match(cleaned):
        return float(cleaned), None
    return None, "不是数字，请只填写阿拉伯数字（没有发生的填 0）"


def _meta(form: Mapping[str, str], problems: list[FieldProblem]) -> Meta:
    agency = form.get("agency", "").strip()[:200] or None
    year_text = form.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not YEARS[0] <= year <= YEARS[1]:
        problems.append(
            FieldProblem(field="year", label="年度", value=year_text, message="年度应为四位数字")
        )
        year = None
    title = f"{agency}{year}年政府信息公开工作年度报告" if agency and year else None
    templates = Templates(table2=TEMPLATE_2021, table3=TEMPLATE_2021)
    return Meta(title=title, agency=agency, year=year, templates=templates)


Tables = dict[str, dict[str, dict[str, Value]]]


def _tables(form: Mapping[str, str], problems: list[FieldProblem]) -> Tables:
    """Every cell of the form, keyed table → row → column; unreadable ones blank and listed."""
    tables: Tables = {"table2": {}, "table3": {}, "table4": {}}
    for path in FIELDS_2021:
        text = form.get(path, "")
        value, problem = parse_value(text)
        if problem:
            label = label_of(path.split("."))
            problems.append(FieldProblem(field=path, label=label, value=text[:50], message=problem))
        table, key, col = path.split(".")
        tables[table].setdefault(key, {})[col] = value
    return tables


def report_from_form(form: Mapping[str, str]) -> tuple[Report, list[FieldProblem]]:
    """The report the form describes, and the fields that could not be read as numbers."""
    form = {key: _UNPRINTABLE.sub("", value) for key, value in form.items()}
    problems: list[FieldProblem] = []
    tables = _tables(form, problems)
    sections = [
        Section(no=no, heading=h, text=form.get(f"section.{no}", "")[:MAX_TEXT_CHARS].strip())
        for no, h in enumerate(SECTION_HEADINGS, 1)
    ]
    report = Report(
        meta=_meta(form, problems),
        sections=sections,
        table2=tables["table2"],
        table3={k: [v[str(c)] for c in range(7)] for k, v in tables["table3"].items()},
        table4={k: [v[str(c)] for c in range(5)] for k, v in tables["table4"].items()},
    )
    return report, problems


def form_values(report: Report) -> dict[str, str]:
    """The form fields of a report, for editing it; cells the 2021 form lacks are left out."""
    values = {"agency": report.meta.agency or "", "year": str(report.meta.year or "")}
    for no in range(1, 7):
        values[f"section.{no}"] = "\n".join(paragraphs(report, no))
    for path in FIELDS_2021:
        table, key, col = path.split(".")
        values[path] = fmt_value(_lookup(report, table, key, col))
    return values


def blank_values(year: int) -> dict[str, str]:
    """A new, empty form for `year`: every cell blank."""
    return (
        {"agency": "", "year": str(year)}
        | dict.fromkeys(FIELDS_2021, "")
        | {f"section.{no}": "" for no in range(1, 7)}
    )


def cell_value(report: Report, path: str) -> tuple[bool, Value]:
    """(whether the report has the cell, its value) for a path such as table3.received.0."""
    table, key, col = path.split(".")
    if table == "table2":
        fields = (report.table2 or {}).get(key)
        return (fields is not None and col in fields), (fields or {}).get(col)
    rows = (report.table3 if table == "table3" else report.table4) or {}
    cells = rows.get(key)
    if cells is None or not col.isdigit() or int(col) >= len(cells):
        return False, None
    return True, cells[int(col)]


def _lookup(report: Report, table: str, key: str, col: str) -> Value:
    if table == "table2":
        return ((report.table2 or {}).get(key) or {}).get(col)
    rows = report.table3 if table == "table3" else report.table4
    cells = (rows or {}).get(key) or []
    return cells[int(col)] if int(col) < len(cells) else None


# Reports arriving as JSON -------------------------------------------------------------------------


def _known_t2() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for template in (TEMPLATE_2019, TEMPLATE_2021):
        for _caption, items, fields in T2_LAYOUT[template]:
            for item in items:
                known.setdefault(item, set()).update(fields)
    return known


_T2_KNOWN = _known_t2()
_T3_KNOWN = {k for rows in T3_ROWS.values() for k, _ in rows}
_T4_KNOWN = {k for k, _ in T4_GROUPS}


def _bad_value(value: Value) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _UNPRINTABLE.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def printable(report: Report) -> Report:
    """The report without characters that DOCX, XLSX and PDF cannot carry (a JSON body may hold
    any code point; a parsed report never has them)."""
    return Report.model_validate(_clean(report.model_dump(by_alias=True)))


def shape_problems(report: Report) -> list[str]:
    """What makes a report JSON unusable for the form's tables (unknown rows, wrong widths)."""
    problems = []
    for item, fields in (report.table2 or {}).items():
        if item not in _T2_KNOWN or not set(fields) <= _T2_KNOWN[item]:
            problems.append(f"表二没有“{item}”这一栏或其中的某些栏目")
        elif any(_bad_value(v) for v in fields.values()):
            problems.append(f"表二“{item}”含有非有限数值")
    for name, table, known, width in (
        ("表三", report.table3, _T3_KNOWN, 7),
        ("表四", report.table4, _T4_KNOWN, 5),
    ):
        for key, cells in (table or {}).items():
            if key not in known:
                problems.append(f"{name}没有“{key}”这一行")
            elif len(cells) != width or any(_bad_value(v) for v in cells):
                problems.append(f"{name}“{key}”行应有 {width} 个有限数值或空白")
    return problems
