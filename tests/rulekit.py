"""Hand-made reports for the rule tests: a clean report of either format, edited cell by cell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.model.finding import Finding
from gongkai.model.keys import SECTION_HEADINGS, T2_LAYOUT, T3_ROWS, T4_GROUPS
from gongkai.model.report import Meta, Published, Report, Section, Signoff, Templates

SECTION_TEXTS = {
    1: (
        "本年度，本机关认真贯彻《条例》，全面推进政务公开工作，公开质量持续提升。"
        "主动公开、依申请公开、政府信息管理、政务公开平台建设和监督保障各项工作有序开展。"
    ),
    2: "",
    3: "",
    4: "",
    5: "存在的问题：公开内容不够全面。改进措施：加强培训，完善审核制度。",
    6: "本年度未收取政府信息公开信息处理费。",
}
AGENCY = "某某县人民政府"


def sections(nos: Iterable[int] = range(1, 7), **texts: str) -> list[Section]:
    """Sections in the given order; texts by keyword s1 … s6 replace the defaults."""
    return [
        Section(
            no=no, heading=SECTION_HEADINGS[no - 1], text=texts.get(f"s{no}", SECTION_TEXTS[no])
        )
        for no in nos
    ]


def zero_table2(template: str) -> dict[str, dict[str, int | float | None]]:
    return {
        item: dict.fromkeys(fields, 0)
        for _caption, items, fields in T2_LAYOUT[template]
        for item in items
    }


def zero_table3(template: str) -> dict[str, list[int | float | None]]:
    return {key: [0] * 7 for key, _label in T3_ROWS[template]}


def zero_table4() -> dict[str, list[int | float | None]]:
    return {key: [0] * 5 for key, _label in T4_GROUPS}


def clean(template: str = "2021", year: int | None = None, **overrides: Any) -> Report:
    """A consistent, complete, all-zero report in `template` for a year that uses it."""
    year = year if year is not None else (2022 if template == "2021" else 2020)
    fields: dict[str, Any] = {
        "meta": Meta(
            agency=AGENCY,
            year=year,
            templates=Templates(table2=template, table3=template),  # type: ignore[arg-type]
            # Signed and published in time: what extraction finds at the end of a complete report.
            published=Published(date=f"{year + 1}-01-20", source="user"),
            signoff=Signoff(
                agency=AGENCY,
                date=f"{year + 1}-01-15",
                date_text=f"{year + 1}年1月15日",
                text=f"{AGENCY}\n{year + 1}年1月15日",
            ),
        ),
        "sections": sections(),
        "table2": zero_table2(template),
        "table3": zero_table3(template),
        "table4": zero_table4(),
    }
    fields.update(overrides)
    return Report(**fields)


def set_row(report: Report, row: str, values: list[int | float | None]) -> Report:
    assert report.table3 is not None
    report.table3[row] = list(values)
    return report


def codes(findings: Iterable[Finding], severity: str | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity == severity]


def only(findings: Iterable[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def cells_of(finding: Finding) -> set[tuple[str | int, ...]]:
    return {tuple(c) for c in finding.cells}


def consistent_t3(
    template: str, leaves: dict[str, list[int]], forward: list[int], carried: list[int]
) -> dict[str, list[int | float | None]]:
    """Table 3 that satisfies R1–R3, from its outcome leaves (6 applicant columns each).

    `forward` are the requests left for next year, `carried` last year's (capped so that this
    year's new requests are not negative); 本年新收 is what R1 leaves.
    """
    table = zero_table3(template)
    for key, values in leaves.items():
        table[key] = [*values, sum(values)]
    outcomes = [k for k, _l in T3_ROWS[template][2:-2]]
    total = [sum(table[k][c] or 0 for k in outcomes) for c in range(6)]
    carried = [min(c, t + f) for c, t, f in zip(carried, total, forward, strict=True)]
    received = [t + f - c for t, f, c in zip(total, forward, carried, strict=True)]
    for key, values in (
        ("total", total),
        ("carried_over", carried),
        ("carried_forward", forward),
        ("received", received),
    ):
        table[key] = [*values, sum(values)]
    return table
