"""Review decisions that count (issue 13, part 1) and the 整改 list (part 3): a dismissed finding
leaves every count, filter and list of open findings; every decision stays in an append-only
history."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.corpus import ingest, stats

from conftest import SEEDS_DIR, needs_shared
from corpus_support import rows

pytestmark = needs_shared
runner = CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, int]:
    """Seed 001 (consistent) with one impossible rate written into section 一: its only error."""
    seed = next(SEEDS_DIR.glob("001_*"))
    text = seed.read_text("utf-8")
    anchor = "（一）主动公开方面。"
    assert text.count(anchor) == 1
    edited = tmp_path / "in" / seed.name
    edited.parent.mkdir()
    edited.write_text(text.replace(anchor, anchor + "全年依申请公开办结率达120%。"), "utf-8")
    db = tmp_path / "c.sqlite"
    ingest([edited, next(SEEDS_DIR.glob("004_*"))], db, jobs=1)
    (rid,) = rows(db, "SELECT id FROM reports WHERE source_path = ?", str(edited))
    errors = rows(
        db, "SELECT code FROM findings WHERE report_id = ? AND severity = 'error'", rid[0]
    )
    assert errors == [("TEXT_RATE_IMPOSSIBLE",)]
    return db, int(str(rid[0]))


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def test_dismissing_the_only_error_removes_it_from_every_count(corpus: tuple[Path, int]) -> None:
    db, rid = corpus
    listed = json.loads(_cli("ls", "--db", str(db), "--has-errors", "--json"))["reports"]
    assert rid in [r["id"] for r in listed]
    open_before = json.loads(_cli("findings", "--db", str(db), "--state", "open"))
    assert any(f["report_id"] == rid and f["code"] == "TEXT_RATE_IMPOSSIBLE" for f in open_before)
    before = {c: n for c, _sev, n, _share in stats(db).findings_by_code}
    _cli("review", str(rid), "TEXT_RATE_IMPOSSIBLE", "--dismiss", "--who", "张三",
         "--note", "原文为100%，转换错误", "--db", str(db))  # fmt: skip
    listed = json.loads(_cli("ls", "--db", str(db), "--has-errors", "--json"))["reports"]
    assert rid not in [r["id"] for r in listed]
    row = next(
        r for r in json.loads(_cli("ls", "--db", str(db), "--json"))["reports"] if r["id"] == rid
    )
    assert row["errors"] == 0
    open_after = json.loads(_cli("findings", "--db", str(db), "--state", "open"))
    assert not any(
        f["report_id"] == rid and f["code"] == "TEXT_RATE_IMPOSSIBLE" for f in open_after
    )
    after = {c: n for c, _sev, n, _share in stats(db).findings_by_code}
    assert before.get("TEXT_RATE_IMPOSSIBLE") == 1 and "TEXT_RATE_IMPOSSIBLE" not in after
    (dismissed,) = json.loads(_cli("findings", "--db", str(db), "--state", "dismissed"))
    assert dismissed["state"] == "已排除" and dismissed["reviewer"] == "张三"
    assert dismissed["rule"] and dismissed["where"] == "第一部分"


def test_every_decision_stays_in_an_append_only_history(corpus: tuple[Path, int]) -> None:
    db, rid = corpus
    for decision in ("--dismiss", "--confirm"):
        _cli("review", str(rid), "TEXT_RATE_IMPOSSIBLE", decision, "--who", "李四", "--db", str(db))
    history = rows(db, "SELECT decision, who FROM review_history ORDER BY id")
    assert history == [("dismiss", "李四"), ("confirm", "李四")]
    # Confirmed counts again as open.
    open_now = json.loads(_cli("findings", "--db", str(db), "--state", "open"))
    assert any(f["report_id"] == rid and f["state"] == "已确认" for f in open_now)
    con = sqlite3.connect(db)
    for statement in ("UPDATE review_history SET who = 'x'", "DELETE FROM review_history"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(statement)
    con.close()


def test_the_correction_list_as_csv_and_xlsx(corpus: tuple[Path, int], tmp_path: Path) -> None:
    db, _rid = corpus
    text = _cli("findings", "--db", str(db), "--format", "csv", "--year", "2022")
    table = list(csv.DictReader(io.StringIO(text)))
    assert table and {"单位", "位置", "规则", "说明", "状态", "复核人"} <= set(table[0])
    assert {r["年度"] for r in table} == {"2022"}
    out = tmp_path / "整改清单.xlsx"
    _cli("findings", "--db", str(db), "--format", "xlsx", "-o", str(out))
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True)["整改清单"]
    header, *body = list(sheet.values)
    assert header[0] == "单位" and len(body) == len(json.loads(_cli("findings", "--db", str(db))))


def test_notices_one_docx_per_unit_with_its_open_findings(
    corpus: tuple[Path, int], tmp_path: Path
) -> None:
    from docx import Document

    db, _rid = corpus
    folder = tmp_path / "通知"
    _cli("findings", "--db", str(db), "--notices", str(folder), "--issuer", "某某县人民政府办公室",
         "--due", "2025年3月15日")  # fmt: skip
    open_rows = json.loads(_cli("findings", "--db", str(db)))
    agencies = {r["unit"] or r["agency"] for r in open_rows}
    written = sorted(folder.glob("整改通知-*.docx"))
    assert len(written) == len(agencies)
    for path in written:
        text = "\n".join(p.text for p in Document(str(path)).paragraphs)
        unit = path.stem.removeprefix("整改通知-")
        mine = [r for r in open_rows if (r["unit"] or r["agency"]) == unit]
        assert text.startswith("关于") and f"{unit}：" in text and "2025年3月15日前" in text
        assert f"存在以下 {len(mine)} 个问题" in text and text.rstrip().endswith("年    月    日")
        assert all(r["message"] in text for r in mine)


def test_the_web_downloads_the_correction_list(corpus: tuple[Path, int]) -> None:
    from fastapi.testclient import TestClient
    from openpyxl import load_workbook

    from gongkai.web.app import create_app

    db, _rid = corpus
    with TestClient(create_app(db)) as c:
        got = c.get("/api/findings/export", params={"format": "xlsx", "year": 2022})
        assert got.status_code == 200
        sheet = load_workbook(io.BytesIO(got.content), read_only=True)["整改清单"]
        header, *body = list(sheet.values)
        expected = json.loads(_cli("findings", "--db", str(db), "--year", "2022"))
        assert header[0] == "单位" and len(body) == len(expected)
        page = c.get("/reports", params={"year": 2022}).text
        assert "/api/findings/export?format=xlsx&amp;year=2022" in page
