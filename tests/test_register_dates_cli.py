"""`gongkai register deadline` and `gongkai register calendar` (cli/register_dates.py,
corpus/calendar_file.py), on a `register` group built here as cli/register.py mounts them.

The expected dates are the hand counts of tests/test_register_deadline.py (国庆 2026: received
2026-09-28, due 2026-10-30; extended, 2026-11-27; received 2026-10-09, due 2026-11-05). With a
made-up 2027 where 1-1 (Fri) is off and Sat 1-9 worked, 2026-12-20 (Sun) is due 2027-01-15:
12-21..25 (5), 12-28..31 (9), 1-1 off, 1-4..8 (14), 1-9 (15), 1-11..15 (20).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import typer
from openpyxl import Workbook
from typer.testing import CliRunner

from gongkai.cli.register_dates import calendar_command, deadline_command
from gongkai.store import open_db
from gongkai.store.register import calendar_overrides

D = date


def app() -> typer.Typer:
    """A `register` group holding the two commands, as cli/register.py mounts them."""
    root = typer.Typer()
    group = typer.Typer()
    group.command("deadline")(deadline_command)
    group.command("calendar")(calendar_command)
    root.add_typer(group, name="register")
    return root


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app(), ["register", *args], env={"GONGKAI_DB": None})
    return result.exit_code, result.stdout, result.stderr


def test_deadline_command_json(tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite"
    code, out, _ = invoke("deadline", "2026-09-28", "--json", "--db", str(db))
    assert code == 0
    doc = json.loads(out)
    assert (doc["received"], doc["due"]) == ("2026-09-28", "2026-10-30")
    assert doc["reasons"] and "第三十三条" in doc["reasons"][1]
    code, out, _ = invoke("deadline", "2026-09-28", "--extended", "--json", "--db", str(db))
    assert json.loads(out)["due"] == "2026-11-27"
    assert not db.exists()  # a lookup leaves no empty database behind


def test_deadline_command_view_and_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "none.sqlite")
    code, out, _ = invoke("deadline", "2026-10-09", "--db", db)
    assert code == 0 and "2026-11-05" in out
    code, _, err = invoke("deadline", "2026-12-20", "--db", db)
    assert code == 2 and "2027年" in err
    code, _, err = invoke("deadline", "2026年9月", "--db", db)
    assert code == 2 and "无法识别" in err


def test_calendar_command_imports_a_csv_year(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite"
    csv_file = tmp_path / "2027.csv"
    csv_file.write_text("日期,类型\n2027-01-01,休\n2027/1/9,班\n", encoding="utf-8")
    code, out, err = invoke("calendar", "2027", str(csv_file), "--db", str(db))
    assert code == 0, err
    assert "节假日 1 天" in out and "调休上班 1 天" in out
    con = open_db(db)
    try:
        assert calendar_overrides(con) == ({D(2027, 1, 1): False, D(2027, 1, 9): True}, {2027})
    finally:
        con.close()
    code, out, _ = invoke("deadline", "2026-12-20", "--json", "--db", str(db))
    assert code == 0 and json.loads(out)["due"] == "2027-01-15"  # as counted at the top


def test_calendar_command_reads_xlsx_and_english_headers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "类型", "备注"])
    sheet.append([D(2027, 10, 1), "节假日", "国庆"])
    sheet.append(["2027年9月26日", "调休上班", ""])
    book.save(tmp_path / "2027.xlsx")
    db = str(tmp_path / "register.sqlite")
    code, _, err = invoke("calendar", "2027", str(tmp_path / "2027.xlsx"), "--db", db)
    assert code == 0, err
    (tmp_path / "2028.csv").write_text("date,workday\n2028-01-03,0\n2028-01-08,1\n")
    code, _, err = invoke("calendar", "2028", str(tmp_path / "2028.csv"), "--db", db)
    assert code == 0, err
    con = open_db(db)
    try:
        days, years = calendar_overrides(con)
    finally:
        con.close()
    assert years == {2027, 2028}
    assert days[D(2027, 10, 1)] is False and days[D(2027, 9, 26)] is True
    assert days[D(2028, 1, 3)] is False and days[D(2028, 1, 8)] is True


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("日期,类型\n2027-01-01,休\n2027-13-01,休\n", "第3行"),
        ("日期,类型\n2027-01-01,调休\n", "含义不明"),
        ("日期,类型\n2026-12-31,休\n", "不在 2027 年"),
        ("日期,类型\n2027-01-01,休\n2027-01-01,班\n", "类型相反"),
        ("day,kind\n2027-01-01,休\n", "首行应为列名"),
        ("日期,类型\n", "没有任何日期行"),
    ],
)
def test_calendar_command_refuses_a_bad_row(tmp_path: Path, content: str, said: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    db = tmp_path / "register.sqlite"
    code, _, err = invoke("calendar", "2027", str(bad), "--db", str(db))
    assert code == 2 and said in err and "工作日历文件有误" in err


def test_calendar_command_refuses_a_year_chinese_calendar_covers(tmp_path: Path) -> None:
    days = tmp_path / "2026.csv"
    days.write_text("日期,类型\n2026-10-01,班\n", encoding="utf-8")
    code, _, err = invoke("calendar", "2026", str(days), "--db", str(tmp_path / "r.sqlite"))
    assert code == 2 and "2026年" in err and "chinese-calendar" in err
