"""The document commands (cli_render.register): render, new, rollup, compare."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pytest
import typer
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai.cli.documents import register
from gongkai.render.workbook import fill_in_workbook
from gongkai.render.xlsx import save

from conftest import golden_files, needs_shared, seed_for
from synthetic import next_year, synth_report

app = typer.Typer(add_completion=False)
register(app)
runner = CliRunner()


def report_json(
    tmp_path: Path, name: str = "report.json", year: int = 2022, seed: str = "cli"
) -> Path:
    path = tmp_path / name
    report = synth_report(random.Random(seed), year=year)
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def test_render_our_json_to_markdown_on_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(report_json(tmp_path)), "--to", "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "## 三、收到和处理政府信息公开申请情况" in result.stdout


def test_render_writes_the_file_next_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = report_json(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["render", str(source), "--to", "docx"])
    assert result.exit_code == 0, result.output
    assert len(Document(str(tmp_path / "report.docx")).tables) == 3
    assert "已写入 report.docx" in result.stderr


@needs_shared
def test_render_a_report_file(tmp_path: Path) -> None:
    out = tmp_path / "seed.xlsx"
    result = runner.invoke(
        app, ["render", str(seed_for(golden_files()[0])), "--to", "xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "xl/workbook.xml" in zipfile.ZipFile(out).namelist()  # an XLSX workbook


def test_binary_format_refuses_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(report_json(tmp_path)), "--to", "pdf", "-o", "-"])
    assert result.exit_code == 2 and "二进制格式" in result.stderr


def test_bad_inputs_give_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["render", str(tmp_path / "nope.txt"), "--to", "html"])
    assert missing.exit_code == 2 and "错误" in missing.stderr
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"rows": []}', encoding="utf-8")
    result = runner.invoke(app, ["render", str(foreign), "--to", "html"])
    assert result.exit_code == 2 and "JSON 不是 gongkai 报告格式" in result.stderr


def test_new_then_fill_then_render(tmp_path: Path) -> None:
    book = tmp_path / "青山县.xlsx"
    args = ["new", "--agency", "青山县人民政府", "--year", "2024", "-o", str(book)]
    assert runner.invoke(app, args).exit_code == 0
    skeleton = json.loads(book.with_suffix(".json").read_text(encoding="utf-8"))
    assert (
        skeleton["meta"]["agency"] == "青山县人民政府" and skeleton["table3"]["total"] == [None] * 7
    )
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.stderr  # a filled workbook is never lost
    wb, positions = fill_in_workbook("青山县人民政府", 2024)
    filled = load_workbook(io.BytesIO(save(wb)))
    sheet, cell = positions["table3.received.6"]
    filled[sheet][cell] = 1234
    filled.save(book)
    result = runner.invoke(app, ["render", str(book), "--to", "html", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert (
        "1234" in result.stdout and "青山县人民政府2024年政府信息公开工作年度报告" in result.stdout
    )


def test_rollup_json_and_document(tmp_path: Path) -> None:
    a = report_json(tmp_path, "a.json", seed="a")
    b = report_json(tmp_path, "b.json", seed="b")
    summed = runner.invoke(app, ["rollup", str(a), str(b), "--as", "某某县人民政府（汇总）"])
    assert summed.exit_code == 0, summed.output
    doc = json.loads(summed.stdout)
    assert len(doc["inputs"]) == 2 and doc["report"]["meta"]["agency"] == "某某县人民政府（汇总）"
    assert "汇总 2 份报告" in summed.stderr
    out = tmp_path / "sum.html"
    html = runner.invoke(
        app, ["rollup", str(a), str(b), "--as", "合计", "--to", "html", "-o", str(out)]
    )
    assert html.exit_code == 0 and "合计2022年政府信息公开工作年度报告" in out.read_text(
        encoding="utf-8"
    )


def test_compare_three_ways(tmp_path: Path) -> None:
    rng = random.Random("cli-cmp")
    first = synth_report(rng, year=2022)
    paths = []
    for report in (first, next_year(first, rng)):
        path = tmp_path / f"{report.meta.year}.json"
        path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    terminal = runner.invoke(app, ["compare", *paths])
    assert terminal.exit_code == 0 and "共比较 200 个单元格" in terminal.stdout
    as_json = json.loads(runner.invoke(app, ["compare", *paths, "--json"]).stdout)
    assert as_json["compared"] == 200 and as_json["cells"]
    assert "数值变化" in runner.invoke(app, ["compare", *paths, "--html"]).stdout
