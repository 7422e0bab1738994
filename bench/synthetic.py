"""Random, internally consistent reports: round-trip tests, comparisons, demos, bench corpora.

Table 3 satisfies the form's arithmetic in every column and row (一+二 = （七）+四, （七） = the sum of
the outcome rows, 总计 = the sum of the six applicant columns); table 4 groups add up; table 2 keeps
the plausibility relations of FORMAT.md §4.3. Consecutive years of one agency chain (`next_year`,
`series`): 上年结转(N) = 结转下年度(N−1); 现行有效(N) = 现行有效(N−1) + 制发 − 废止 (2021 format);
上一年项目数量(N) = 上一年项目数量(N−1) + 本年增/减(N−1) (2019 format). Blank cells are sprinkled on
request, never where extract/ cannot tell them from a lost cell (see `blank_positions`).
"""

from __future__ import annotations

import random
from typing import Literal

from gongkai.model.keys import (
    SECTION_HEADINGS,
    T2_LAYOUT,
    T3_OUTCOME_KEYS,
    T3_ROWS,
    T4_GROUPS,
    TEMPLATE_2019,
    TEMPLATE_2021,
)
from gongkai.model.report import Meta, Report, Section, Templates

Value = int | float | None
TemplateName = Literal["2019", "2021"]

_PLACES = ("青山", "白水", "东湖", "南岭", "北塘", "西溪", "云台", "金沙", "石门", "柳河", "松涛")
_LEVELS = ("县", "市", "区", "镇", "乡")
_ORGANS = (
    "人民政府",
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "自然资源局",
    "卫生健康委员会",
    "市场监督管理局",
)
_PHRASES = (
    "坚持以人民为中心的发展思想",
    "严格落实《条例》各项要求",
    "持续推进政务公开标准化规范化建设",
    "及时公开重点领域政府信息",
    "加强政策解读和回应社会关切",
    "规范依申请公开办理流程",
    "完善政府信息管理制度",
    "提升政府网站信息发布质量",
    "强化政务公开工作监督考核",
    "组织开展政务公开业务培训",
    "做好政府信息公开申请答复工作",
    "推进政务公开专区建设",
)
_OPENERS = ("本年度", "一年来", "全年", "报告期内", "我单位", "同时")
# From 2021 the form wants 六 to state the 信息处理费 collected, even none (SECTION_EMPTY otherwise).
_FEE_STATEMENT = "本年度未收取政府信息公开信息处理费。"
_FIRST_FEE_YEAR = 2021
# The 2021 notice wants section 一 to cover these five aspects (S1_ASPECTS_MISSING otherwise).
_ASPECTS = "\n主动公开、依申请公开、政府信息管理、政务公开平台建设、监督保障等各项工作有序推进。"

# Real county-level names (Ningxia, Henan, Zhejiang) so region inference has something to find.
COUNTIES = (
    "中宁县", "彭阳县", "泾源县", "西吉县", "隆德县", "海原县", "同心县", "盐池县", "平罗县", "永宁县",
    "贺兰县", "沙坡头区", "原州区", "利通区", "兰考县", "杞县", "通许县", "尉氏县", "淳安县", "建德市",
)  # fmt: skip
_SYLLABLES = "东西南北新安宁和平兴福泰华永昌富民丰茂德惠长乐清河山川盛元嘉吉祥瑞"
_TOWN_KINDS = ("镇", "乡", "街道办事处")


def agency_name(rng: random.Random) -> str:
    return rng.choice(_PLACES) + rng.choice(_LEVELS) + rng.choice(_ORGANS)


def township_agencies(rng: random.Random, count: int) -> list[str]:
    """`count` distinct township governments under real county names, sorted."""
    names: set[str] = set()
    while len(names) < count:
        town = rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + rng.choice(_TOWN_KINDS)
        suffix = "" if town.endswith("办事处") else "人民政府"
        names.add(f"{rng.choice(COUNTIES)}{town}{suffix}")
    return sorted(names)


def _sentence(rng: random.Random) -> str:
    parts = rng.sample(_PHRASES, rng.randint(2, 4))
    if rng.random() < 0.4:
        parts.append(f"累计主动公开政府信息{rng.randint(10, 9999)}条")
    return rng.choice(_OPENERS) + "，" + "，".join(parts) + "。"


def _paragraphs(rng: random.Random, low: int, high: int) -> str:
    # Several sentences per paragraph: a PDF reader finds the text margins from wrapped lines.
    count = rng.randint(low, high)
    return "\n".join(
        "".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(count)
    )


def sections(rng: random.Random, year: int | None = None) -> list[Section]:
    texts = {1: _paragraphs(rng, 1, 3), 5: _paragraphs(rng, 1, 2), 6: _paragraphs(rng, 1, 2)}
    texts[1] += _ASPECTS  # no rng draw: the corpora of a seed stay what they were
    if year is not None and year >= _FIRST_FEE_YEAR:
        texts[6] += _FEE_STATEMENT
    return [
        Section(no=no, heading=SECTION_HEADINGS[no - 1], text=texts.get(no, ""))
        for no in range(1, 7)
    ]


# Table 3 ------------------------------------------------------------------------------------------


def _t3_column(rng: random.Random, template: str) -> dict[str, int]:
    scale = rng.choice((0, 2, 5, 30, 300))
    column = {
        key: rng.randint(0, scale) if rng.random() < 0.35 else 0
        for key in T3_OUTCOME_KEYS[template]
    }
    total = sum(column.values())
    forward = rng.randint(0, total // 4 + (1 if scale else 0))
    over = rng.randint(0, (total + forward) // 3)
    column.update(
        total=total, carried_forward=forward, carried_over=over, received=total + forward - over
    )
    return column


def table3(rng: random.Random, template: str) -> dict[str, list[Value]]:
    columns = [_t3_column(rng, template) for _ in range(6)]
    out: dict[str, list[Value]] = {}
    for key, _label in T3_ROWS[template]:
        row = [col[key] for col in columns]
        out[key] = [*row, sum(row)]
    return out


# Table 4 and table 2 -------------------------------------------------------------------------------


def table4(rng: random.Random) -> dict[str, list[Value]]:
    out: dict[str, list[Value]] = {}
    for key, _label in T4_GROUPS:
        parts = [rng.randint(0, 6) if rng.random() < 0.4 else 0 for _ in range(4)]
        out[key] = [*parts, sum(parts)]
    return out


def _money(rng: random.Random) -> int | float:
    choice = rng.random()
    if choice < 0.3:
        return 0
    if choice < 0.5:
        return rng.randint(1, 99999)
    places = rng.choice((1, 2, 4))
    # Built from a decimal string so the float is the one a reader parses back.
    return float(f"{rng.randint(1, 10**6) / 10**places:.{places}f}")


def _t2_fields(rng: random.Random, item: str, fields: tuple[str, ...]) -> dict[str, Value]:
    made = rng.randint(0, 40)
    prior = rng.randint(0, 3000)
    values: dict[str, Value] = {
        "issued": made,
        "repealed": rng.randint(0, 5),
        "in_force": made + rng.randint(0, 200),
        "made": made,
        "published": made - rng.randint(0, made),
        "total_published": made + rng.randint(0, 300),
        "prior_items": prior,
        "change": rng.randint(-prior, 60),
        "decisions": rng.randint(0, 3000),
        "items": rng.randint(0, 80),
        "amount": _money(rng),
    }
    return {fld: values[fld] for fld in fields}


def table2(rng: random.Random, template: str) -> dict[str, dict[str, Value]]:
    return {
        item: _t2_fields(rng, item, fields)
        for _caption, items, fields in T2_LAYOUT[template]
        for item in items
    }


# Blanks -------------------------------------------------------------------------------------------


def blank_positions(report: Report) -> list[tuple[str, str, int | str]]:
    """Cells that may be blank and still read back as blank.

    extract/ trims empty cells at the end of a table-3 or table-4 row (it cannot tell them from a
    lost cell), and drops a table-2 row with no value at all; those positions are left out.
    """
    out: list[tuple[str, str, int | str]] = []
    for key, values in (report.table3 or {}).items():
        out.extend(("table3", key, c) for c in range(len(values) - 1))
    for key, values in (report.table4 or {}).items():
        last = key == T4_GROUPS[-1][0]
        out.extend(("table4", key, c) for c in range(len(values) - (1 if last else 0)))
    for item, fields in (report.table2 or {}).items():
        if len(fields) > 1:
            out.extend(("table2", item, f) for f in list(fields)[1:])
    return out


def _set_blank(report: Report, path: tuple[str, str, int | str]) -> None:
    table, key, col = path
    if table == "table2" and report.table2 is not None:
        report.table2[key][str(col)] = None
    elif table == "table3" and report.table3 is not None:
        report.table3[key][int(col)] = None
    elif report.table4 is not None:
        report.table4[key][int(col)] = None


def sprinkle_blanks(report: Report, rng: random.Random, count: int) -> None:
    positions = blank_positions(report)
    for path in rng.sample(positions, min(count, len(positions))):
        _set_blank(report, path)


# Reports ------------------------------------------------------------------------------------------


def synth_report(
    rng: random.Random,
    *,
    table2_template: TemplateName | None = None,
    table3_template: TemplateName | None = None,
    blanks: int = 0,
    agency: str | None = None,
    year: int | None = None,
) -> Report:
    """One report; templates follow the year unless given (mixed templates are allowed)."""
    year = year if year is not None else rng.randint(2019, 2024)
    default = TEMPLATE_2019 if year <= 2020 else TEMPLATE_2021
    t2 = table2_template or default
    t3 = table3_template or default
    agency = agency or agency_name(rng)
    report = Report(
        meta=Meta(
            title=f"{agency}{year}年政府信息公开工作年度报告",
            agency=agency,
            year=year,
            templates=Templates(table2=t2, table3=t3),
        ),
        sections=sections(rng, year),
        table2=table2(rng, t2),
        table3=table3(rng, t3),
        table4=table4(rng),
    )
    sprinkle_blanks(report, rng, blanks)
    return report


def next_year(report: Report, rng: random.Random) -> Report:
    """The same agency's report for the following year, chained to `report` (X1, X2, X3)."""
    year = (report.meta.year or 2021) + 1
    nxt = synth_report(
        rng,
        table2_template=TEMPLATE_2021 if year >= 2021 else None,
        table3_template=TEMPLATE_2021 if year >= 2021 else None,
        agency=report.meta.agency,
        year=year,
    )
    if report.table3 is not None and nxt.table3 is not None:
        _carry(report.table3, nxt.table3)
    if report.meta.templates.table2 == nxt.meta.templates.table2:
        _chain_table2(report.table2 or {}, nxt.table2 or {})
    return nxt


def series(rng: random.Random, agency: str, first: int, years: int) -> list[Report]:
    """`years` consecutive reports of one agency from `first`, each chained to the one before."""
    out = [synth_report(rng, agency=agency, year=first)] if years > 0 else []
    while len(out) < years:
        out.append(next_year(out[-1], rng))
    return out


def _carry(last: dict[str, list[Value]], this: dict[str, list[Value]]) -> None:
    """Set 二、上年结转 to last year's 四 and rebalance 一 so that every column still adds up."""
    for c in range(6):
        carried = last["carried_forward"][c]
        total, forward = this["total"][c] or 0, this["carried_forward"][c] or 0
        if carried is None:
            continue
        this["carried_over"][c] = carried
        # More carried in than handled and carried on: the surplus is carried forward again.
        this["carried_forward"][c] = forward = max(forward, carried - total)
        this["received"][c] = total + forward - carried
    for key in ("received", "carried_over", "carried_forward"):
        row = this[key][:6]
        this[key][6] = None if None in row else sum(v or 0 for v in row)


def _chain_table2(last: dict[str, dict[str, Value]], this: dict[str, dict[str, Value]]) -> None:
    """X2 and X3 between two table 2s of one template."""
    for item, fields in this.items():
        before = last.get(item, {})
        if "in_force" in fields:
            _chain_in_force(before.get("in_force"), fields)
        if "prior_items" in fields:
            _chain_items(before.get("prior_items"), before.get("change"), fields)


def _chain_in_force(was: Value, fields: dict[str, Value]) -> None:
    issued, repealed = fields["issued"], fields["repealed"]
    if was is None or issued is None or repealed is None:
        return  # a blank leaves X2 open
    # Only what was in force can be repealed, so 现行有效 never drops below 0.
    fields["repealed"] = repealed = min(repealed, was)
    fields["in_force"] = was + issued - repealed


def _chain_items(prior: Value, last_change: Value, fields: dict[str, Value]) -> None:
    change = fields["change"]
    if prior is None or last_change is None or change is None:
        return  # a blank leaves X3 open
    fields["prior_items"] = items = prior + last_change
    # The list of items cannot shrink below empty (T2_ITEMS_NEGATIVE otherwise).
    fields["change"] = max(change, -items)
