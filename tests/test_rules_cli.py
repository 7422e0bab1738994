"""`gongkai check`: JSON with findings, tables with marked cells, exit codes, --lenient, --previous."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from gongkai.api import check_file
from gongkai.cli import app
from gongkai.render.findings import marker

from conftest import SEEDS_DIR, SHARED, needs_shared

runner = CliRunner()
pytestmark = needs_shared


def _seed(prefix: str) -> Path:
    return next(SEEDS_DIR.glob(prefix + "_*"))


def test_json_for_one_file_is_one_report_with_findings_and_exit_1_on_errors() -> None:
    result = runner.invoke(app, ["check", "--json", str(_seed("000"))])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    schema = json.loads((SHARED / "spec" / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(doc, schema)
    errors = {f["code"] for f in doc["findings"] if f["severity"] == "error"}
    assert errors == {"T3_BALANCE", "T3_TOTAL_ROW", "T3_ROW_SUM"}


def test_clean_report_exits_0() -> None:
    """Seed 001's tables and text are consistent; the copy has no sign-off and no publication
    date, which is all there is to say about it."""
    result = runner.invoke(app, ["check", "--json", str(_seed("001"))])
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 0
    assert sorted(f["code"] for f in findings) == ["SIGNOFF_MISSING", "UNVERIFIABLE"]
    assert "发布期限" in next(f["message"] for f in findings if f["code"] == "UNVERIFIABLE")


def test_several_files_give_a_list() -> None:
    result = runner.invoke(app, ["check", "--json", str(_seed("001")), str(_seed("004"))])
    docs = json.loads(result.stdout)
    assert result.exit_code == 0 and [d["meta"]["year"] for d in docs] == [2022, 2020]


def test_unreadable_input_exits_2_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["check", "--json", str(bad), str(_seed("000"))])
    assert result.exit_code == 2 and str(bad) in result.stderr
    assert json.loads(result.stdout)["meta"]["year"] == 2021


def test_terminal_view_draws_the_tables_and_lists_the_findings() -> None:
    result = runner.invoke(app, ["check", str(_seed("000"))])
    assert result.exit_code == 1
    for text in ("收到和处理政府信息公开申请情况", "审查结果", "T3_BALANCE", "错误"):
        assert text in result.stdout


def test_marker_styles_the_cells_at_fault() -> None:
    findings = check_file(_seed("000")).findings or []
    mark = marker(findings)
    assert mark(("table3", "received", 0)) == "bold red"  # T3_BALANCE
    assert mark(("table4", "review", 0)) == "yellow"  # MISSING_VALUE
    assert mark(("table3", "granted", 3)) is None


def test_lenient_settles_blanks_that_are_zeros() -> None:
    strict = json.loads(runner.invoke(app, ["check", "--json", str(_seed("003"))]).stdout)
    lenient = json.loads(
        runner.invoke(app, ["check", "--json", "--lenient", str(_seed("003"))]).stdout
    )

    def blanks(findings: list[dict[str, str]]) -> list[dict[str, str]]:
        # The deadline's UNVERIFIABLE (no publication date) does not concern blank cells.
        return [
            f for f in findings if f["code"] == "UNVERIFIABLE" and "发布期限" not in f["message"]
        ]

    assert blanks(strict["findings"]) and not blanks(lenient["findings"])


def _last_year_of_004(tmp_path: Path) -> Path:
    text = _seed("004").read_text("utf-8").replace("2020", "2019")
    path = tmp_path / "jingyuan-2019.txt"
    path.write_text(text, "utf-8")
    return path


def test_previous_runs_the_cross_year_rules(tmp_path: Path) -> None:
    previous = _last_year_of_004(tmp_path)
    result = runner.invoke(app, ["check", "--json", "--previous", str(previous), str(_seed("004"))])
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    # Last year's 上一年项目数量 + 本年增/减 is not this year's 上一年项目数量; the text is the same.
    assert {"X_ITEMS", "X_COPY"} <= codes and "X_CARRY" not in codes
    assert result.exit_code == 0


def test_unreadable_previous_exits_2_but_checks_the_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", "--json", "--previous", str(tmp_path / "nope.txt"), str(_seed("001"))]
    )
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 2 and not [f for f in findings if f["severity"] == "error"]
