"""Machine-readable output (issue 12, item 4): every listing command's --json (and --csv for
tables), views that lose nothing when piped, table 3 that wraps at 80 columns, and `compare`
listing every changed cell. All on the shared seeds and real reports, through the real commands."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from gongkai.api import parse_file
from gongkai.cli import app
from gongkai.corpus import import_units, ingest, list_reports, rollup, stats
from gongkai.corpus.report_card import report_card
from gongkai.model.keys import T3_LABELS, T3_ROWS
from gongkai.model.report import Report
from gongkai.render.terminal import report_view
from gongkai.store import Filters, ReportRow, RollupRow
from gongkai.validate.cells import all_cells, expected_rows

from conftest import SEEDS_DIR, SHARED, needs_shared

pytestmark = needs_shared

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "schemas" / "ls.schema.json"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
REAL = sorted((SHARED / "real").glob("*.html"))
SAMPLES = SHARED / "samples"
runner = CliRunner()


def run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> Any:
    return json.loads(run(*args, "--json").stdout)


def as_csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run(*args, "--csv").stdout)))


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "seeds.sqlite"
    assert ingest(SEEDS, db, jobs=2).added == len(SEEDS)
    return db


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, the real HTML reports, and a file that is no report (a failed row)."""
    folder = tmp_path_factory.mktemp("corpus")
    db = folder / "corpus.sqlite"
    summary = ingest([*SEEDS, *REAL, SHARED / "real" / "README.md"], db, jobs=2)
    assert (summary.added, len(summary.failed)) == (len(SEEDS) + len(REAL), 1)
    return db


# ls ----------------------------------------------------------------------------------------------


def test_piped_ls_has_each_report_on_one_line(seeds_db: Path) -> None:
    """The acceptance line of the issue, run as written: through a real pipe."""
    gongkai = shutil.which("gongkai", path=str(Path(sys.executable).parent))
    assert gongkai is not None
    piped = subprocess.run(
        f"'{gongkai}' ls --db '{seeds_db}' | grep -c 泾源县人民政府",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert piped.stdout.strip() == "1", piped.stderr


def test_ls_off_a_terminal_cuts_nothing(corpus: Path) -> None:
    """CliRunner's stdout is no terminal: every agency and every failure's reason is printed
    whole, each report on one line (rich would assume 80 columns and cut them with …)."""
    _total, listed = list_reports(corpus)
    out = run("ls", "--db", str(corpus)).stdout
    assert "…" not in out
    lines = out.splitlines()
    for row in listed:
        [line] = [line for line in lines if re.match(rf"│ +{row.id} │", line)]
        assert f" {row.agency or row.source_path} " in line
    failed = next(row for row in listed if row.status == "error")
    assert failed.error and any(failed.error in line for line in lines)
    longest = max((r.agency or "" for r in listed), key=len)
    assert len(longest) >= 10 and longest in out  # at 80 columns rich kept 5 characters


def test_ls_json_validates_against_its_schema(corpus: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = as_json("ls", "--db", str(corpus))
    jsonschema.Draft202012Validator(schema).validate(doc)
    total, listed = list_reports(corpus)
    # Every field of the store's row, every row: nothing chosen by hand to fall behind the store.
    assert doc == {"total": total, "reports": [dataclasses.asdict(r) for r in listed]}
    assert total == len(SEEDS) + len(REAL) + 1
    # Filters and --limit as for the table; `total` still counts every match.
    limited = as_json("ls", "--db", str(corpus), "--limit", "3")
    assert (limited["total"], len(limited["reports"])) == (total, 3)
    failed = as_json("ls", "--db", str(corpus), "--failed")
    assert [r["status"] for r in failed["reports"]] == ["error"]


def test_ls_csv_has_a_header_and_one_row_per_report(corpus: Path) -> None:
    raw = run("ls", "--db", str(corpus), "--csv").stdout
    assert not raw.startswith("\ufeff") and "\r\n" not in raw
    table = as_csv("ls", "--db", str(corpus))
    doc = as_json("ls", "--db", str(corpus))
    assert list(table[0]) == [f.name for f in dataclasses.fields(ReportRow)]
    assert [r["id"] for r in table] == [str(r["id"]) for r in doc["reports"]]
    assert [r["agency"] for r in table] == [r["agency"] or "" for r in doc["reports"]]


def test_json_and_csv_at_once_is_refused(corpus: Path) -> None:
    result = runner.invoke(app, ["ls", "--db", str(corpus), "--json", "--csv"])
    assert result.exit_code == 2 and "--json 与 --csv 只能选一个" in result.stderr


def test_json_is_utf8_whatever_the_locale(seeds_db: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "ls", "--db", str(seeds_db), "--json"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    agencies = [r["agency"] for r in json.loads(done.stdout.decode("utf-8"))["reports"]]
    assert "泾源县人民政府" in agencies


# show, stats, units, report-card -----------------------------------------------------------------


def _report_id(db: Path, agency: str) -> int:
    total, listed = list_reports(db, Filters(agency=agency))
    assert total == 1
    return listed[0].id


def test_show_json_and_csv(corpus: Path) -> None:
    rid = str(_report_id(corpus, "泾源县人民政府"))
    doc = as_json("show", rid, "--db", str(corpus))
    report = Report.model_validate(
        {k: v for k, v in doc.items() if k not in ("findings", "corpus")}
    )
    assert report.meta.agency == "泾源县人民政府"
    assert doc["corpus"]["current"] is True and doc["corpus"]["paths"]
    assert doc["findings"] and all(
        {"code", "severity", "message", "fingerprint", "decision"} <= set(f)
        for f in doc["findings"]
    )
    cells = as_csv("show", rid, "--db", str(corpus))
    assert list(cells[0]) == ["cell", "table", "row", "column", "label", "value"]
    held = {f"{t}.{r}.{c}": v for (t, r, c), v in all_cells(report)}
    assert {row["cell"] for row in cells} == set(held)
    for row in cells:
        assert row["value"] == ("" if held[row["cell"]] is None else str(held[row["cell"]]))
    # In the form's order: table 3 starts with 本年新收 in the 自然人 column.
    first_t3 = next(row for row in cells if row["table"] == "table3")
    assert (first_t3["row"], first_t3["column"]) == ("received", "0")
    assert "本年新收" in first_t3["label"] and "自然人" in first_t3["label"]


def test_show_json_of_a_failed_file(corpus: Path) -> None:
    failed = as_json("ls", "--db", str(corpus), "--failed")["reports"][0]
    doc = as_json("show", str(failed["id"]), "--db", str(corpus))
    paths = [failed["source_path"]]  # read, but not a report: its path is still recorded
    corpus_part = {"id": failed["id"], "current": True, "paths": paths, "editions": []}
    assert doc == {"error": failed["error"], "findings": [], "corpus": corpus_part}
    assert as_csv("show", str(failed["id"]), "--db", str(corpus)) == []


def test_stats_json_names_every_figure(corpus: Path) -> None:
    doc = as_json("stats", "--db", str(corpus))
    expected = stats(corpus)
    assert (doc["reports"], doc["failed"]) == (expected.reports, expected.failed)
    assert sum(item["reports"] for item in doc["by_year_template"]) == expected.reports
    assert doc["findings_by_code"][0].keys() == {"code", "severity", "reports", "share"}
    outcome = next(o for o in doc["outcomes"] if o["row"] == "granted")
    assert outcome["label"] == T3_LABELS["granted"]
    assert [c["group"] for c in doc["corrections"]] == [g for g, *_ in expected.corrections]
    assert all("label" in c and "rate" in c for c in doc["corrections"])
    received = sum(item["received"] for item in doc["requests_by_year"])
    assert received == sum(r[1] for r in expected.requests_by_year)
    # Nothing of the library's result left out.
    assert set(doc) == {f.name for f in dataclasses.fields(expected)}


UNITS = (
    "名称,级别,上级,区划代码\n"
    "宁夏回族自治区,省,,640000\n"
    "固原市,市,宁夏回族自治区,640400\n"
    "泾源县人民政府,县,固原市,640424\n"
    "彭阳县人民政府,县,固原市,640425\n"
    "中卫市,市,宁夏回族自治区,640500\n"
)


def test_units_rollup_json_and_csv(corpus: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    db = tmp_path / "units.sqlite"
    shutil.copy(corpus, db)  # the module's corpus stays without units
    import_units(units, db)
    doc = as_json("units", "rollup", "固原市", "--db", str(db))
    expected = rollup("固原市", db)
    assert doc == {
        "unit": "固原市",
        "year": None,
        "units": [dataclasses.asdict(r) for r in expected],
    }
    assert sum(u["reports"] for u in doc["units"]) >= 1  # 泾源县人民政府 is attached by its name
    table = as_csv("units", "rollup", "固原市", "--db", str(db))
    assert list(table[0]) == [f.name for f in dataclasses.fields(RollupRow)]
    assert [r["name"] for r in table] == [u["name"] for u in doc["units"]]


def test_report_card_json(corpus: Path) -> None:
    doc = as_json("report-card", "泾源县人民政府", "--db", str(corpus))
    assert doc == report_card("泾源县人民政府", corpus).model_dump(mode="json")
    assert doc["agency"] == "泾源县人民政府" and doc["years"] and doc["peers"]


# compare ----------------------------------------------------------------------------------------

HONGZE = (SAMPLES / "hongze-2023.pdf", SAMPLES / "hongze-2024.pdf")


def _form_cells(report: Report) -> dict[str, Any]:
    held = dict(all_cells(report))
    return {
        f"{t}.{r}.{c}": held.get((t, r, c))
        for _table, _row, refs in expected_rows(report)
        for t, r, c in refs
    }


def test_compare_lists_every_changed_cell(tmp_path: Path) -> None:
    """Both reports use the same forms, so every cell of the form is compared: the changed ones,
    found here cell by cell, are exactly the JSON's, the CSV's and the terminal's."""
    a, b = (parse_file(path) for path in HONGZE)
    assert a.meta.templates == b.meta.templates
    before, after = _form_cells(a), _form_cells(b)
    changed = {
        path: (before[path], after[path])
        for path in before
        if before[path] != after[path] or (before[path] is None) != (after[path] is None)
    }
    args = [str(p) for p in HONGZE]
    doc = as_json("compare", *args)
    assert {c["cell"]: (c["a"], c["b"]) for c in doc["cells"]} == changed
    assert len(doc["cells"]) == len(changed) > 20  # more than the summary's five
    rows = as_csv("compare", *args)
    assert [r["cell"] for r in rows] == [c["cell"] for c in doc["cells"]]
    assert list(rows[0]) == ["cell", "label", "a", "b", "delta", "pct", "kind"]
    saved = tmp_path / "changes.csv"  # -o as for --json and --html
    run("compare", *args, "--csv", "-o", str(saved))
    assert saved.read_text(encoding="utf-8") == run("compare", *args, "--csv").stdout
    terminal = run("compare", *args).stdout
    for cell in doc["cells"]:  # grouped by table, each label once, whole
        label = re.sub(r"^表[二三四]", "", cell["label"])
        assert label in terminal, label
    assert "…" not in terminal


# Tables at 80 columns ---------------------------------------------------------------------------


def _first_column(text: str) -> str:
    """The first column of every table row drawn, joined: a wrapped label reads whole again."""
    cells = [line.split("│")[1] for line in text.splitlines() if line.startswith("│")]
    return "".join(cell.replace(" ", "") for cell in cells)


@pytest.mark.parametrize("path", [*SEEDS, SAMPLES / "hongze-2024.pdf"], ids=lambda p: p.name)
def test_table3_labels_wrap_at_80_columns(path: Path) -> None:
    report = parse_file(path)
    console = Console(width=80, force_terminal=True, color_system=None, record=True)
    with console.capture() as captured:
        console.print(report_view(report))
    text = captured.get()
    assert "…" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    labels = _first_column(text)
    template = report.meta.templates.table3 or "2021"
    for key, _label in T3_ROWS[template]:
        assert T3_LABELS[key].replace(" ", "") in labels, key
    # The numbers are all there too: the 总计 column of 本年新收.
    received = (report.table3 or {}).get("received") or []
    if received and received[6] is not None:
        assert f" {received[6]} │" in text
