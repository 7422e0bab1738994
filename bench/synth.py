"""Synthetic corpora for the benchmarks and the corpus tests: bench/synthetic.py's reports as files.

bench/synthetic.py makes the reports: the form's arithmetic in every table, and consecutive years of one
agency chained (上年结转, 现行有效, 上一年项目数量); years up to 2020 use the 2019 template, later
years the 2021 one. This module picks the agencies and years of a corpus and writes the files.

Text output follows the tab-separated layout of ../shared/seeds/*.txt, so the text reader parses
it back exactly; HTML and DOCX go through the project's renderers (the form's merged cells), which
the HTML and DOCX readers parse back exactly too.

Usage: python bench/synth.py OUT_DIR [-n 1000] [--seed 1] [--years 3] [--format txt|html|docx]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterator
from pathlib import Path

from gongkai.model.keys import SECTION_HEADINGS, T2_ITEM_LABELS, T2_LAYOUT, T3_ROWS, T4_GROUPS
from gongkai.model.report import Report, Value

import synthetic as synth


class SynthReport(Report):
    """A generated report, with the shorthands the corpus tests and fixtures read."""

    @property
    def agency(self) -> str:
        return self.meta.agency or ""

    @property
    def year(self) -> int:
        return self.meta.year or 0

    @property
    def template(self) -> str:
        # bench/synthetic.py gives both tables the template of the year.
        return self.meta.templates.table3 or ""


# Corpora ------------------------------------------------------------------------------------


def series(rng: random.Random, agency: str, first: int, years: int) -> list[SynthReport]:
    """Consecutive years of one agency, chained."""
    return [SynthReport(**dict(r)) for r in synth.series(rng, agency, first, years)]


def corpus(count: int, seed: int = 1, years: int = 3) -> Iterator[SynthReport]:
    """`count` reports: agencies with `years` consecutive years each, from 2019 to 2024."""
    rng = random.Random(seed)
    names = synth.township_agencies(rng, -(-count // years))
    made = 0
    for name in names:
        first = rng.randint(2019, max(2019, 2025 - years))
        for report in series(rng, name, first, min(years, count - made)):
            yield report
            made += 1
        if made >= count:
            return


def break_carry(report: Report, column: int, delta: int = 3) -> None:
    """Make 上年结转 disagree with last year's 结转 in one column, keeping this year consistent."""
    table = report.table3 or {}
    for key in ("carried_over", "carried_forward"):
        for col in (column, 6):
            table[key][col] = (table[key][col] or 0) + delta


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


def _cell(value: Value) -> str:
    return "" if value is None else str(value)


def table2_lines(report: Report) -> list[str]:
    template, table = report.meta.templates.table2 or "2021", report.table2 or {}
    lines = []
    for caption, items, fields in T2_LAYOUT[template]:
        lines.append(caption + "\t\t\t")
        lines.append("信息内容\t" + _T2_HEADS[template, items[0]])
        for item in items:
            # The 2021 form says 行政规范性文件 where the 2019 one says 规范性文件.
            wide = template == "2021" and item == "normative_documents"
            label = ("行政" if wide else "") + T2_ITEM_LABELS[item]
            cells = [_cell(table[item][f]) for f in fields]
            lines.append("\t".join([label, *cells, *[""] * (3 - len(cells))]))
    return lines


def _t3_labels(template: str) -> Iterator[tuple[str, list[str]]]:
    """(row key, the label cells before the numbers) as laid out in seed 001."""
    for key, label in T3_ROWS[template]:
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


def table3_lines(report: Report) -> list[str]:
    table = report.table3 or {}
    lines = list(_T3_HEAD)
    for key, labels in _t3_labels(report.meta.templates.table3 or "2021"):
        trail = [""] if len(labels) == 2 else []
        lines.append("\t".join([*labels, *map(_cell, table[key]), *trail]))
    return lines


def table4_lines(report: Report) -> list[str]:
    table = report.table4 or {}
    values = [v for group, _label in T4_GROUPS for v in table[group]]
    return [*_T4_HEAD, "\t".join(map(_cell, values))]


def to_text(report: Report) -> str:
    body = {s.no: s.text for s in report.sections}
    tables = {2: table2_lines, 3: table3_lines, 4: table4_lines}
    year = report.meta.year
    lines = [
        report.meta.title or "",
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    ]
    for no, heading in enumerate(SECTION_HEADINGS, 1):
        lines += ["", heading, ""]
        lines += tables[no](report) if no in tables else [body.get(no, "")]
    if report.meta.agency and year is not None:  # the sign-off (落款) a complete report ends with
        lines += ["", report.meta.agency, f"{year + 1}年1月15日"]
    return "\n".join(lines) + "\n"


def _write_html(report: Report, path: Path) -> None:
    from gongkai.render.html import render_html  # HTML with the form's merged cells

    path.write_text(render_html(report), encoding="utf-8")


def _write_docx(report: Report, path: Path) -> None:
    from gongkai.render.docx import render_docx  # a Word table merged as on the form

    path.write_bytes(render_docx(report))


WRITERS: dict[str, Callable[[Report, Path], object]] = {
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
