"""Importing a year's working-day calendar from CSV or XLSX (`gongkai register calendar YEAR FILE`).

For a year chinese-calendar does not yet cover, a clerk copies the State Council's holiday notice
(国务院办公厅关于YYYY年部分节假日安排的通知) into a two-column table: every weekday off and every
weekend day worked (调休上班). The year is then declared complete: Monday–Friday are working days
except the listed holidays, Saturday and Sunday are off except the listed 调休 days
(analysis/workdays.py).

The first row names the columns (any order, other columns ignored): 日期/date, and 类型/安排/type/
workday. The type is 休, 节假日, 放假 (a day off) or 班, 调休上班, 上班 (a day worked); with an English
header also 1/0, true/false, yes/no, workday/holiday. A bare “调休” is refused: it is said of both
the day off and the weekend worked in its place. Dates as Excel dates or written 2027-01-01,
2027/1/1, 2027年1月1日 or 20270101. Every bad row is refused naming its row number: a calendar with
one wrong day gives wrong deadlines for every request that crosses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from gongkai.analysis.workdays import official_years
from gongkai.corpus.sheet_rows import XLSX_SUFFIXES, cell_text, sheet_rows
from gongkai.errors import GongkaiError
from gongkai.readers.files import read_file, shown_path
from gongkai.store import DEFAULT_DB, open_db
from gongkai.store.register import set_calendar

# A year has at most 366 days and a notice lists a few dozen: a bigger file is not a calendar,
# and is refused before it is parsed row by row.
MAX_CALENDAR_BYTES: Final = 5 * 2**20
MAX_ROWS: Final = 1000

_DATE_HEADERS: Final = ("日期", "date")
_TYPE_HEADERS: Final = ("类型", "安排", "type", "workday")
_OFF: Final = frozenset(
    {"休", "节假日", "假", "放假", "休息", "假日", "holiday", "off", "false", "no", "0"}
)
_ON: Final = frozenset(
    {"班", "调休上班", "上班", "补班", "工作日", "workday", "work", "true", "yes", "1"}
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


class BadCalendarFile(GongkaiError):
    """A calendar file whose header or a row cannot be read as a day and its type."""

    reason = "工作日历文件有误"


class CalendarAlreadyKnown(GongkaiError):
    """A year chinese-calendar covers: its official days are used, an import would be ignored."""

    reason = "无需导入该年度的工作日历"


@dataclass(frozen=True, slots=True)
class CalendarImport:
    """What was stored for `year`: the weekdays off and the weekend days worked."""

    year: int
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    redundant: int  # rows that only repeat Monday–Friday (a weekday worked, a weekend off)


def import_calendar(year: int, path: str | Path, db: str | Path = DEFAULT_DB) -> CalendarImport:
    """Read `path`, declare `year` complete with its exceptions (replacing what was stored)."""
    known = official_years()
    if known is not None and known[0] <= year <= known[1]:
        raise CalendarAlreadyKnown(
            f"{year}年", "chinese-calendar 已收录国务院办公厅公布的该年放假安排，计算时以其为准"
        )
    days = read_calendar(path, year)
    con = open_db(db)
    try:
        set_calendar(con, year, days)
    finally:
        con.close()
    return CalendarImport(
        year=year,
        holidays=tuple(sorted(d for d, work in days.items() if not work and d.weekday() < 5)),
        workdays=tuple(sorted(d for d, work in days.items() if work and d.weekday() >= 5)),
        redundant=sum((d.weekday() < 5) == work for d, work in days.items()),
    )


def read_calendar(path: str | Path, year: int) -> dict[date, bool]:
    """The days listed in a .csv or .xlsx file: day → is a working day."""
    name = shown_path(path)
    data = read_file(path, MAX_CALENDAR_BYTES)
    xlsx = Path(path).suffix.lower() in XLSX_SUFFIXES
    rows = sheet_rows(data, name, xlsx=xlsx, limit=MAX_ROWS + 1)
    if len(rows) > MAX_ROWS:
        raise BadCalendarFile(name, f"超过 {MAX_ROWS} 行，不像一年的放假安排")
    if not rows:
        raise BadCalendarFile(name, "文件为空")
    date_col, type_col = _columns(name, rows[0])
    days: dict[date, bool] = {}
    seen: dict[date, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell_text(c) for c in row):
            continue
        day, work = _row(name, number, row, date_col, type_col, year)
        if day in days and days[day] != work:
            raise BadCalendarFile(name, f"第{number}行与第{seen[day]}行的 {day} 类型相反")
        days[day], seen[day] = work, number
    if not days:
        raise BadCalendarFile(name, "没有任何日期行：请逐行列出放假的工作日和调休上班的周末")
    return days


def _columns(name: str, header: list[Any]) -> tuple[int, int]:
    names = [cell_text(h).lower() for h in header]

    def find(words: tuple[str, ...]) -> int | None:
        return next((names.index(w) for w in words if w in names), None)

    date_col, type_col = find(_DATE_HEADERS), find(_TYPE_HEADERS)
    if date_col is None or type_col is None:
        raise BadCalendarFile(
            name,
            "首行应为列名：日期、类型（或英文 date、workday），实际为“" + "、".join(names) + "”",
        )
    return date_col, type_col


def _row(
    name: str, number: int, row: list[Any], date_col: int, type_col: int, year: int
) -> tuple[date, bool]:
    def cell(index: int) -> Any:
        return row[index] if index < len(row) else None

    day = _day(cell(date_col))
    if day is None:
        raise BadCalendarFile(
            name, f"第{number}行：日期“{cell_text(cell(date_col))}”无法识别，应写作 {year}-01-01"
        )
    if day.year != year:
        raise BadCalendarFile(name, f"第{number}行：{day} 不在 {year} 年")
    work = _work(cell(type_col))
    if work is None:
        kind = cell_text(cell(type_col))
        hint = "既可指放假也可指补班，含义不明" if kind == "调休" else "无法识别"
        raise BadCalendarFile(
            name, f"第{number}行：类型“{kind}”{hint}，应为“休”（节假日）或“班”（调休上班）"
        )
    return day, work


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    match = _DATE.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:  # 2027-02-30
        return None


def _work(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    return True if text in _ON else False if text in _OFF else None
