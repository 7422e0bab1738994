"""The command line: JSON and terminal output, one clear line per bad file, the batch goes on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app

from conftest import golden_files, needs_shared, seed_for

runner = CliRunner()
SEED = seed_for(golden_files()[0]) if golden_files() else Path("missing")


@needs_shared
def test_parse_json_single_file_prints_one_object() -> None:
    result = runner.invoke(app, ["parse", "--json", str(SEED)])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema"] == "gongkai.report/1" and "provenance" not in doc


@needs_shared
def test_parse_json_with_provenance_points_at_the_source_text() -> None:
    doc = json.loads(runner.invoke(app, ["parse", "--json", "--provenance", str(SEED)]).stdout)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for where in doc["provenance"].values():
        line = lines[where["line"] - 1]
        assert line[where["start"] : where["end"]].strip().replace("*", "") != ""
        assert where["raw"] in line[where["start"] : where["end"]]


@needs_shared
def test_terminal_view_shows_the_three_tables() -> None:
    result = runner.invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 0
    for title in ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议"):
        assert title in result.stdout


@needs_shared
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "不是政府信息公开工作年度报告"),
        ("hello.txt", "你好，世界".encode(), "不是政府信息公开工作年度报告"),
        ("binary.txt", bytes(range(256)) * 4, "无法读取文件"),
        ("fake.pdf", b"%PDF-1.7 garbage", ""),
    ],
)
def test_bad_file_gives_one_line_and_the_batch_goes_on(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = runner.invoke(app, ["parse", "--json", str(bad), str(SEED)])
    assert result.exit_code == 2
    assert len(json.loads(result.stdout)["table3"]) >= 23  # the good file still parsed
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and str(bad) in errors[0].replace("\n", "") and reason in errors[0]


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "无法读取文件" in result.stderr


@needs_shared
def test_console_script_runs_as_a_process() -> None:
    exe = Path(sys.executable).with_name("gongkai")
    proc = subprocess.run([str(exe), "parse", "--json", str(SEED)], capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["meta"]["year"]
