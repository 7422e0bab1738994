"""Synthetic corpora: random, internally consistent reports of both national templates.

Every generated report satisfies the form's arithmetic: table 3 本年新收 + 上年结转 = （七）总计 + 结转
per column, 总计 column = sum of the six applicant columns per row, （七）总计 = sum of the outcome
leaves per column; table 4 总计 = 维持 + 纠正 + 其他 + 尚未审结 per group. Consecutive years of one
agency chain: 上年结转(N) = 结转下年度(N−1), 现行有效(N) = 现行有效(N−1) + 制发 − 废止 (2021 format),
上一年项目数量(N) = 上一年项目数量(N−1) + 本年增/减(N−1) (2019 format). Years up to 2020 use the 2019
template, later years the 2021 one.

Text output follows the tab-separated layout of ../shared/seeds/*.txt, so the text reader parses
it back exactly; HTML and DOCX go through the project's renderers (the form's merged cells), which
the HTML and DOCX readers parse back exactly too.

Usage: python bench/synth.py OUT_DIR [-n 1000] [--seed 1] [--years 3] [--format txt|html|docx]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.model.keys import SECTION_HEADINGS, T2_LAYOUT, T3_LABELS, T3_OUTCOME_KEYS, T3_ROWS
from gongkai.model.report import Meta, Report, Section, Templates

Table2 = dict[str, dict[str, int | float]]
Table = dict[str, list[int]]

# Real county-level names (Ningxia, Henan, Zhejiang) so region inference has something to find.
COUNTIES = (
    "中宁县", "彭阳县", "泾源县", "西吉县", "隆德县", "海原县", "同心县", "盐池县", "平罗县", "永宁县",
    "贺兰县", "沙坡头区", "原州区", "利通区", "兰考县", "杞县", "通许县", "尉氏县", "淳安县", "建德市",
)  # fmt: skip
_SYLLABLES = "东西南北新安宁和平兴福泰华永昌富民丰茂德惠长乐清河山川盛元嘉吉祥瑞"
_TOWN_KINDS = ("镇", "乡", "街道办事处")


@dataclass(slots=True)
class SynthReport:
    agency: str
    year: int
    template: str  # "2019" or "2021"
    table2: Table2
    table3: Table
    table4: Table
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, body) of 一, 五, 六


def agencies(rng: random.Random, count: int) -> list[str]:
    """`count` distinct township governments under real county names."""
    names: set[str] = set()
    while len(names) < count:
        town = rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + rng.choice(_TOWN_KINDS)
        suffix = "" if town.endswith("办事处") else "人民政府"
        names.add(f"{rng.choice(COUNTIES)}{town}{suffix}")
    return sorted(names)


def template_of(year: int) -> str:
    return "2019" if year <= 2020 else "2021"


# Table 3 ------------------------------------------------------------------------------------


def make_table3(rng: random.Random, template: str, carried_in: list[int] | None) -> Table:
    """A consistent table 3; `carried_in` (last year's 结转) fixes this year's 上年结转."""
    keys = [k for k, _ in T3_ROWS[template]]
    outcomes = T3_OUTCOME_KEYS[template]
    table: Table = {k: [0] * 7 for k in keys}
    for col in range(6):
        scale = rng.choice((0, 0, 1, 3, 10, 60)) if col else rng.choice((0, 2, 8, 40, 300))
        received = rng.randint(0, scale)
        carried = carried_in[col] if carried_in else rng.randint(0, scale // 10)
        forward = rng.randint(0, (received + carried) // 8)
        table["received"][col], table["carried_over"][col] = received, carried
        table["carried_forward"][col] = forward
        table["total"][col] = received + carried - forward
        for _ in range(table["total"][col]):
            table[_outcome(rng, outcomes)][col] += 1
    for values in table.values():
        values[6] = sum(values[:6])
    return table


def _outcome(rng: random.Random, outcomes: tuple[str, ...]) -> str:
    # Most requests are granted; the rest spread over every other outcome.
    return outcomes[0] if rng.random() < 0.55 else rng.choice(outcomes[1:])


def make_table4(rng: random.Random) -> Table:
    table: Table = {}
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = [rng.choice((0, 0, 0, 1, 2, 5)) for _ in range(4)]
        table[group] = [*parts, sum(parts)]
    return table


# Table 2 ------------------------------------------------------------------------------------


def make_table2(rng: random.Random, template: str, prev: SynthReport | None) -> Table2:
    prior = prev.table2 if prev is not None and prev.template == template else None
    if template == "2021":
        return _table2_2021(rng, prior)
    return _table2_2019(rng, prior)


def _table2_2021(rng: random.Random, prior: Table2 | None) -> Table2:
    table: Table2 = {}
    for item in ("regulations", "normative_documents"):
        before = int(prior[item]["in_force"]) if prior else rng.randint(0, 40)
        issued = rng.randint(0, 6) if item == "normative_documents" else 0
        repealed = rng.randint(0, min(before, 3))
        table[item] = {
            "issued": issued,
            "repealed": repealed,
            "in_force": before + issued - repealed,
        }
    for item in ("licensing", "punishment", "coercion"):
        table[item] = {"decisions": rng.randint(0, 500)}
    table["fees"] = {"amount": round(rng.uniform(0, 300), 2)}
    return table


def _table2_2019(rng: random.Random, prior: Table2 | None) -> Table2:
    table: Table2 = {}
    for item in ("regulations", "normative_documents"):
        made = rng.randint(0, 8) if item == "normative_documents" else 0
        total = rng.randint(made, made + 60)
        table[item] = {"made": made, "published": made, "total_published": total}
    for item in ("licensing", "other_services", "punishment", "coercion", "fees"):
        before = int(prior[item]["prior_items"] + prior[item]["change"]) if prior else None
        items = before if before is not None else rng.randint(0, 300)
        change = rng.randint(-min(items, 20), 20)
        table[item] = {"prior_items": items, "change": change}
        if item != "fees":
            table[item]["decisions"] = rng.randint(0, 400)
    table["procurement"] = {"items": rng.randint(0, 30), "amount": round(rng.uniform(0, 900), 1)}
    return table


# Reports and series ---------------------------------------------------------------------------


def make_report(
    rng: random.Random, agency: str, year: int, prev: SynthReport | None = None
) -> SynthReport:
    template = template_of(year)
    carried = prev.table3["carried_forward"][:6] if prev is not None else None
    report = SynthReport(
        agency,
        year,
        template,
        make_table2(rng, template, prev),
        make_table3(rng, template, carried),
        make_table4(rng),
    )
    report.sections = narrative(rng, report)
    return report


def series(rng: random.Random, agency: str, first: int, years: int) -> list[SynthReport]:
    """Consecutive years of one agency, chained."""
    out: list[SynthReport] = []
    for year in range(first, first + years):
        out.append(make_report(rng, agency, year, out[-1] if out else None))
    return out


def corpus(count: int, seed: int = 1, years: int = 3) -> Iterator[SynthReport]:
    """`count` reports: agencies with `years` consecutive years each, from 2019 to 2024."""
    rng = random.Random(seed)
    names = agencies(rng, -(-count // years))
    made = 0
    for name in names:
        first = rng.randint(2019, max(2019, 2025 - years))
        for report in series(rng, name, first, min(years, count - made)):
            yield report
            made += 1
        if made >= count:
            return


def break_carry(report: SynthReport, column: int, delta: int = 3) -> None:
    """Make 上年结转 disagree with last year's 结转 in one column, keeping this year consistent."""
    for key in ("carried_over", "carried_forward"):
        report.table3[key][column] += delta
        report.table3[key][6] += delta


# Narrative ------------------------------------------------------------------------------------

_OVERVIEW = (
    "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕中心工作，持续深化政务公开，不断提升政府信息公开的质量和实效。"
    "（一）主动公开。全年通过政府网站、政务新媒体等渠道主动公开政府信息{posts}条，其中政策文件{docs}条，"
    "工作动态{news}条，及时发布重点领域信息。"
    "（二）依申请公开。全年共受理政府信息公开申请{received}件，上年结转{carried}件，均依法按时答复。"
    "（三）政府信息管理。严格落实信息发布审核制度，动态更新政府信息公开目录，做好公文公开属性源头认定。"
    "（四）政府信息公开平台建设。加强政府网站和政务新媒体管理，优化政务公开专栏，提升平台服务能力。"
    "（五）监督保障。将政务公开工作纳入年度考核，开展业务培训{trainings}次，未发生责任追究情况。"
)
_PROBLEMS = (
    "{year}年，我单位政府信息公开工作取得一定成效，但仍存在不足：一是公开内容的深度和广度有待拓展；"
    "二是政策解读形式较为单一；三是工作人员业务能力有待提高。"
    "下一步，我们将加强学习培训，规范公开流程，丰富解读形式，及时回应社会关切，推动政务公开工作再上新台阶。"
)
_OTHER = (
    "{fee}本单位{year}年度政务公开工作要点已全部落实，人大代表建议和政协提案办理结果已按要求公开。"
)


def narrative(rng: random.Random, report: SynthReport) -> list[tuple[str, str]]:
    t3 = report.table3
    posts = rng.randint(100, 3000)
    docs = rng.randint(5, posts // 4)
    fill = {
        "year": report.year,
        "agency": report.agency,
        "posts": posts,
        "docs": docs,
        "news": rng.randint(0, posts - docs),
        "received": t3["received"][6],
        "carried": t3["carried_over"][6],
        "trainings": rng.randint(1, 6),
        "fee": "本年度未收取信息处理费。" if report.template == "2021" else "",
    }
    return [
        (SECTION_HEADINGS[0], _OVERVIEW.format(**fill)),
        (SECTION_HEADINGS[4], _PROBLEMS.format(**fill)),
        (SECTION_HEADINGS[5], _OTHER.format(**fill)),
    ]


# Text writer: the tab-separated layout of the seeds ---------------------------------------------

_T2_HEADS = {
    ("2021", "regulations"): "本年制发件数\t本年废止件数\t现行有效件数",
    ("2021", "licensing"): "本年处理决定数量\t\t",
    ("2021", "punishment"): "本年处理决定数量\t\t",
    ("2021", "fees"): "本年收费金额（单位：万元）\t\t",
    ("2019", "regulations"): "本年新制作数量\t本年新公开数量\t对外公开总数量",
    ("2019", "licensing"): "上一年项目数量\t本年增/减\t处理决定数量",
    ("2019", "punishment"): "上一年项目数量\t本年增/减\t处理决定数量",
    ("2019", "fees"): "上一年项目数量\t本年增/减\t",
    ("2019", "procurement"): "采购项目数量\t采购总金额\t",
}
_T2_ITEMS = {
    "regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "punishment": "行政处罚", "coercion": "行政强制",
    "fees": "行政事业性收费", "procurement": "政府集中采购",
}  # fmt: skip
_T3_HEAD = (
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\t",
    "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t",
)
_T4_HEAD = (
    "行政复议\t\t\t\t\t行政诉讼" + "\t" * 9,
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
    "\t" * 5 + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
)


def table2_lines(report: SynthReport) -> list[str]:
    lines = []
    for caption, items, fields in T2_LAYOUT[report.template]:
        lines.append(caption + "\t\t\t")
        lines.append("信息内容\t" + _T2_HEADS[report.template, items[0]])
        for item in items:
            label = _T2_ITEMS[item].removeprefix(
                "行政" if report.template == "2019" and item == "normative_documents" else ""
            )
            cells = [str(report.table2[item][f]) for f in fields]
            lines.append("\t".join([label, *cells, *[""] * (3 - len(cells))]))
    return lines


def _t3_labels(template: str) -> Iterator[tuple[str, list[str]]]:
    """(row key, the label cells before the numbers) as laid out in seed 001."""
    for key, label in T3_ROWS[template]:
        label = T3_LABELS[key]
        if key in ("received", "carried_over", "carried_forward"):
            yield key, [label, ""]
        elif key == "granted":
            yield key, ["三、本年度办理结果", "(一) 予以公开"]
        elif key == "partial":
            yield key, ["", "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)"]
        elif " " in label:
            block, leaf = label.split(" ", 1)
            yield key, ["", block if leaf.startswith("1.") else "", leaf]
        else:
            yield key, ["", label]


def table3_lines(report: SynthReport) -> list[str]:
    lines = list(_T3_HEAD)
    for key, labels in _t3_labels(report.template):
        trail = [""] if len(labels) == 2 else []
        lines.append("\t".join([*labels, *map(str, report.table3[key]), *trail]))
    return lines


def table4_lines(report: SynthReport) -> list[str]:
    values = [
        v
        for g in ("review", "litigation_direct", "litigation_after_review")
        for v in report.table4[g]
    ]
    return [*_T4_HEAD, "\t".join(map(str, values))]


def to_text(report: SynthReport) -> str:
    body = dict(report.sections)
    tables = {1: table2_lines, 2: table3_lines, 3: table4_lines}
    lines = [
        f"{report.agency}{report.year}年政府信息公开工作年度报告",
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。",
    ]
    for no, heading in enumerate(SECTION_HEADINGS):
        lines += ["", heading, ""]
        lines += tables[no](report) if no in tables else [body[heading]]
    return "\n".join(lines) + "\n"


def to_report(report: SynthReport) -> Report:
    """The canonical model of a synthetic report (for the project's HTML and DOCX renderers)."""
    body = dict(report.sections)
    return Report(
        meta=Meta(
            title=f"{report.agency}{report.year}年政府信息公开工作年度报告",
            agency=report.agency,
            year=report.year,
            templates=Templates.model_validate(
                {"table2": report.template, "table3": report.template}
            ),
        ),
        sections=[
            Section(no=i, heading=h, text=body.get(h, ""))
            for i, h in enumerate(SECTION_HEADINGS, 1)
        ],
        table2=dict(report.table2),
        table3=dict(report.table3),
        table4=dict(report.table4),
    )


def _write_html(report: SynthReport, path: Path) -> None:
    from gongkai.render.html import render_html  # HTML with the form's merged cells

    path.write_text(render_html(to_report(report)), encoding="utf-8")


def _write_docx(report: SynthReport, path: Path) -> None:
    from gongkai.render.docx import render_docx  # a Word table merged as on the form

    path.write_bytes(render_docx(to_report(report)))


WRITERS: dict[str, Callable[[SynthReport, Path], object]] = {
    "txt": lambda report, path: path.write_text(to_text(report), encoding="utf-8"),
    "html": _write_html,
    "docx": _write_docx,
}


def write_corpus(
    out: Path, count: int, seed: int = 1, years: int = 3, fmt: str = "txt"
) -> list[Path]:
    """Write a corpus as files named NNNNNN_year.fmt; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, report in enumerate(corpus(count, seed, years)):
        path = out / f"{i:06d}_{report.year}.{fmt}"
        WRITERS[fmt](report, path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--format", default="txt", choices=sorted(WRITERS))
    args = parser.parse_args()
    paths = write_corpus(args.out, args.n, args.seed, args.years, args.format)
    print(f"{len(paths)} reports in {args.out}")


if __name__ == "__main__":
    main()
