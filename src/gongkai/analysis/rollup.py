"""Roll-up: tables 二–四 of many reports summed into one report (a county compiling its units).

Rules the sum keeps:

- **Blank is not zero.** A result cell is blank when any input's cell is blank (or the input lacks
  the table); the cell is listed in `excluded` with the inputs that were blank and the partial sum
  of the others, so a reviewer sees how far off the total is without anyone guessing.
- **Templates are mapped only where the mapping is exact.** Table 3 of the 2021 form sums into the
  2019 shape (（六）1+2+3 = （六）); the reverse cannot be split, so those rows are refused. Table 2
  differs in meaning between the forms, except the 处理决定数量 of 行政许可, 行政处罚 and 行政强制.
  A refused cell is blank in the result and listed with the reason in Chinese.
- Inputs with error findings are summed like the others and named in `inputs_with_errors`; the
  reviewer decides whether the compilation can go out.

Inputs come as Report objects; where they come from (files, a JSON list, a corpus query) is the
caller's business, which is where `gongkai rollup --db` plugs in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, Field

from gongkai.analysis.identity import candidates_of, editions, identities
from gongkai.model.keys import (
    SECTION_HEADINGS,
    T2_HEADERS,
    T2_LAYOUT,
    T3_ROWS,
    T4_GROUPS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    t2_item_label,
)
from gongkai.model.labels import cell_label, template_of
from gongkai.model.report import Meta, Report, Section, TemplateName, Templates
from gongkai.validate import check

Value = int | float | None
# Fields of table 2 that mean the same in both forms (this year's decisions on the item).
T2_SHARED = frozenset(
    {("licensing", "decisions"), ("punishment", "decisions"), ("coercion", "decisions")}
)
_T3_OTHER_2021 = ("other_no_correction", "other_unpaid_fee", "other_misc")


class Refused(BaseModel):
    """An input's cell that cannot be carried into the target form, and why."""

    reason: str


Operand = Value | Refused


# Mapping one report's cell into a target form ---------------------------------------------------


def t3_operand(report: Report, key: str, col: int, target: str) -> Operand:
    """Cell (`key`, `col`) of the report's table 3 as the `target` form counts it."""
    if report.table3 is None:
        return Refused(reason="该报告缺少表三")
    source = template_of(report, "table3")
    if source == TEMPLATE_2021 and key == "other" and target == TEMPLATE_2019:
        parts = [(report.table3.get(k) or [None] * 7)[col] for k in _T3_OTHER_2021]
        return None if None in parts else _sum(parts)
    if source == TEMPLATE_2019 and key in _T3_OTHER_2021:
        return Refused(
            reason="2019 年格式的（六）其他处理只有一行，无法拆分为 2021 年格式的三个子项"
        )
    return (report.table3.get(key) or [None] * 7)[col]


def t2_operand(report: Report, item: str, field: str, target: str) -> Operand:
    """Field `field` of item `item` of the report's table 2 as the `target` form counts it."""
    if report.table2 is None:
        return Refused(reason="该报告缺少表二")
    source = template_of(report, "table2")
    if source != target and (item, field) not in T2_SHARED:
        label = f"“{t2_item_label(item, target)}·{T2_HEADERS[target][field]}”"
        return Refused(reason=f"{source} 年格式的表二没有与{label}口径相同的栏目，无法换算")
    return (report.table2.get(item) or {}).get(field)


def t4_operand(report: Report, group: str, col: int) -> Operand:
    if report.table4 is None:
        return Refused(reason="该报告缺少表四")
    return (report.table4.get(group) or [None] * 5)[col]


# Summing ------------------------------------------------------------------------------------------


def _sum(values: Sequence[int | float | None]) -> int | float:
    """Exact: money in 万元 is summed as decimals, so 0.1 + 0.2 stays 0.3."""
    if all(isinstance(v, int) for v in values):
        return sum(v for v in values if isinstance(v, int))
    total = sum((Decimal(repr(v)) for v in values if v is not None), Decimal(0))
    return float(total)


class ExcludedCell(BaseModel):
    cell: str
    label: str
    reason: str
    inputs: list[str]
    partial_sum: int | float | None = None


def _combine(
    path: str, template: str, operands: list[Operand], names: list[str]
) -> tuple[Value, ExcludedCell | None]:
    """One result cell: its value, or blank and why."""
    refused = [(n, o) for n, o in zip(names, operands, strict=True) if isinstance(o, Refused)]
    if refused:
        reason = refused[0][1].reason
        return None, ExcludedCell(
            cell=path,
            label=cell_label(path, template),
            reason=reason,
            inputs=[n for n, _ in refused],
        )
    values: list[Value] = [o for o in operands if not isinstance(o, Refused)]
    blank = [n for n, v in zip(names, values, strict=True) if v is None]
    if not blank:
        return _sum(values), None
    known = [v for v in values if v is not None]
    return None, ExcludedCell(
        cell=path,
        label=cell_label(path, template),
        reason="有输入报告此格空白（未填报），不按 0 计入合计",
        inputs=blank,
        partial_sum=_sum(known) if known else None,
    )


# The result ---------------------------------------------------------------------------------------


class RollupInput(BaseModel):
    name: str
    file: str | None = None
    agency: str | None = None
    year: int | None = None
    templates: Templates
    errors: list[str] | None = None  # error finding codes; None when no rule engine ran


class RollupResult(BaseModel):
    report: Report
    inputs: list[RollupInput]
    inputs_with_errors: list[str]
    excluded: list[ExcludedCell]
    checked: bool
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"report"})
        data["report"] = self.report.to_json()
        return data


def _error_codes(report: Report) -> list[str] | None:
    findings = report.findings
    if findings is None:
        findings = check(report)
    return sorted({f.code for f in findings if f.severity == "error"})


def input_name(report: Report, index: int) -> str:
    """How the result names an input: agency and year, with the file when there is one."""
    meta = report.meta
    name = f"{meta.agency or '（未识别发布机关）'}{f' {meta.year}年' if meta.year else ''}"
    return (
        f"{name}（{PurePath(report.source.file).name}）"
        if report.source
        else f"{name}（第 {index} 份）"
    )


def _describe(report: Report, index: int) -> RollupInput:
    return RollupInput(
        name=input_name(report, index),
        file=report.source.file if report.source else None,
        agency=report.meta.agency,
        year=report.meta.year,
        templates=Templates(
            table2=template_of(report, "table2") if report.table2 else None,
            table3=template_of(report, "table3") if report.table3 else None,
        ),
        errors=_error_codes(report),
    )


def target_templates(reports: Sequence[Report]) -> tuple[TemplateName, TemplateName]:
    """The form of the result: the inputs' own when they agree; else the one mapped exactly."""
    t2 = {template_of(r, "table2") for r in reports if r.table2 is not None}
    t3 = {template_of(r, "table3") for r in reports if r.table3 is not None}
    # Table 3 of 2021 folds into 2019 exactly; table 2 keeps the current form and refuses the rest.
    return (t2.pop() if len(t2) == 1 else TEMPLATE_2021), (
        t3.pop() if len(t3) == 1 else TEMPLATE_2019
    )


Pick = Callable[[Report], Operand]


class _Summer:
    """Sums one cell at a time over every input, collecting the excluded cells."""

    def __init__(self, reports: Sequence[Report], names: list[str], t2: str) -> None:
        self.reports, self.names, self.t2 = reports, names, t2
        self.excluded: list[ExcludedCell] = []

    def cell(self, path: str, pick: Pick) -> Value:
        value, excluded = _combine(path, self.t2, [pick(r) for r in self.reports], self.names)
        if excluded is not None:
            self.excluded.append(excluded)
        return value


def _table2(s: _Summer) -> dict[str, dict[str, Value]]:
    return {
        item: {
            f: s.cell(f"table2.{item}.{f}", partial(t2_operand, item=item, field=f, target=s.t2))
            for f in fields
        }
        for _caption, items, fields in T2_LAYOUT[s.t2]
        for item in items
    }


def _table3(s: _Summer, t3: str) -> dict[str, list[Value]]:
    return {
        key: [
            s.cell(f"table3.{key}.{c}", partial(t3_operand, key=key, col=c, target=t3))
            for c in range(7)
        ]
        for key, _label in T3_ROWS[t3]
    }


def _table4(s: _Summer) -> dict[str, list[Value]]:
    return {
        key: [s.cell(f"table4.{key}.{c}", partial(t4_operand, group=key, col=c)) for c in range(5)]
        for key, _label in T4_GROUPS
    }


def _notes(inputs: list[RollupInput], t2: str, t3: str) -> list[str]:
    notes = []
    years = sorted({i.year for i in inputs if i.year is not None})
    if len(years) > 1:
        notes.append(f"输入报告的年度不一致（{'、'.join(map(str, years))}），合计跨年度，请核对")
    if len({i.templates.table3 for i in inputs if i.templates.table3}) > 1:
        notes.append(f"表三格式不一，已按 {t3} 年格式汇总（2021 年格式的（六）三项合并为一行）")
    if len({i.templates.table2 for i in inputs if i.templates.table2}) > 1:
        notes.append(f"表二格式不一，已按 {t2} 年格式汇总，口径不同的栏目留空")
    return notes


def _compile_note(inputs: list[RollupInput], excluded: int) -> str:
    names = "；".join(i.name for i in inputs)
    text = f"本报告表二至表四由 {len(inputs)} 份报告汇总生成：{names}。"
    if excluded:
        text += f"其中 {excluded} 个单元格因有报告未填报或格式口径不同而留空，未按 0 计入。"
    return text


def _meta(reports: Sequence[Report], name: str, t2: TemplateName, t3: TemplateName) -> Meta:
    years = {r.meta.year for r in reports}
    year = years.pop() if len(years) == 1 else None  # a cross-year sum has no single year
    title = f"{name}{year}年政府信息公开工作年度报告" if year else f"{name}政府信息公开工作年度报告"
    return Meta(title=title, agency=name, year=year, templates=Templates(table2=t2, table3=t3))


def distinct(reports: Sequence[Report]) -> tuple[list[Report], list[str]]:
    """The reports to count, each once, and a note for every one left out: the same file given
    twice, the same report in another file (same agency, year and table values), or another
    edition of an agency-year (the one published or signed last counts; else the first given)."""
    cands = candidates_of(reports)
    names = {c.id: input_name(r, c.id) for c, r in zip(cands, reports, strict=True)}
    notes: list[str] = []
    first: dict[str, int] = {}
    unique = []
    for c in cands:
        if c.sha256 in first:
            notes.append(f"{names[c.id]}与{names[first[c.sha256]]}是同一文件，只计一次")
        else:
            first[c.sha256] = c.id
            unique.append(c)
    identity, _ambiguous = identities(unique)
    decided = editions(unique, identity, {})
    for c in unique:
        edition = decided[c.id]
        if edition.edition_of is None:
            continue
        other = next(u for u in unique if u.id == edition.edition_of)
        if c.values_hash is not None and c.values_hash == other.values_hash:
            why = "是同一份报告（机关、年度和表格数值相同），只计一次"
        else:
            chosen = "先给出的" if edition.undecided else "发布或落款日期较晚的"
            why = (
                f"是同一机关同一年度的不同版本，只计入{chosen}一份；如需改计，请只给出要汇总的版本"
            )
        notes.append(f"{names[c.id]}与{names[other.id]}{why}")
    kept = [r for c, r in zip(cands, reports, strict=True) if c in unique and decided[c.id].current]
    return kept, notes


def rollup(reports: Sequence[Report], name: str) -> RollupResult:
    """Sum tables 二–四 of `reports` into a report of the organ `name` ("某某县人民政府（汇总）"),
    each report counted once (see `distinct`)."""
    if not reports:
        raise ValueError("没有可汇总的报告")
    reports, left_out = distinct(reports)
    inputs = [_describe(r, i) for i, r in enumerate(reports, 1)]
    t2, t3 = target_templates(reports)
    summer = _Summer(reports, [i.name for i in inputs], t2)
    tables = {"table2": _table2(summer), "table3": _table3(summer, t3), "table4": _table4(summer)}
    texts = {6: _compile_note(inputs, len(summer.excluded))}
    sections = [
        Section(no=no, heading=h, text=texts.get(no, ""))
        for no, h in enumerate(SECTION_HEADINGS, 1)
    ]
    return RollupResult(
        report=Report(meta=_meta(reports, name, t2, t3), sections=sections, **tables),
        inputs=inputs,
        inputs_with_errors=[i.name for i in inputs if i.errors],
        excluded=summer.excluded,
        checked=all(i.errors is not None for i in inputs),
        notes=left_out + _notes(inputs, t2, t3),
    )
