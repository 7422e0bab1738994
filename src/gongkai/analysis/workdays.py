"""Working days (工作日) on the national holiday calendar, for the register's statutory deadlines.

Every deadline of the 《政府信息公开条例》 is counted in working days: 20 to reply (第三十三条),
7 to ask for a correction (第三十条), 15 for a consulted third party or organ (第三十二条,
第三十四条), 20 to pay a fee (国办函〔2020〕109号). A working day is one the State Council's holiday
notice (国务院办公厅关于部分节假日安排的通知) does not give off: Monday–Friday except the
holidays, plus the 调休 Saturdays and Sundays worked in their place.

Where the days come from, in this order:

1. chinese-calendar (the `corpus` extra) for the years it covers (2004–2026 in version 1.11): the
   official notices, authoritative; the user's table does not override them.
2. A year the user declared complete (`gongkai register calendar YEAR FILE`, stored by
   `store.register.set_calendar`): Monday–Friday, with the user's exceptions (a holiday on a
   weekday, a 调休 weekend worked). Day exceptions of a year not declared complete are ignored —
   a half-entered year would give wrong dates.
3. Anything else raises CalendarNotCovered naming the year: a deadline is never guessed.

Counting follows the statute's rule for periods: the day an event happens is not counted, the
period starts the next day (`add_workdays`), and `workdays_between(a, b)` counts the half-open
span (a, b] the same way, so `workdays_between(d, add_workdays(d, n)) == n`.

CalendarNotCovered is defined here (like the store's errors in store/base.py): it belongs to this
module's contract, and every caller that catches GongkaiError catches it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from gongkai.errors import GongkaiError

_DAY = timedelta(days=1)


class CalendarNotCovered(GongkaiError):
    """A day in a year neither chinese-calendar nor the user's declared years cover.

    Raised as `CalendarNotCovered("2027年", detail)`: `str(err)` is one Chinese line naming the
    year and saying how to add it."""

    reason = "工作日历未覆盖该年度，无法计算工作日"


@lru_cache(maxsize=1)
def official_years() -> tuple[int, int] | None:
    """The first and last year chinese-calendar covers, or None when it is not installed."""
    try:
        from chinese_calendar import constants  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    years = [d.year for d in constants.holidays]
    return min(years), max(years)


@lru_cache(maxsize=16384)
def _official_workday(day: date) -> bool | None:
    """chinese-calendar's answer for `day`, or None outside its years. Cached: the library
    recomputes its year range on every call, and a deadline looks at each day many times."""
    years = official_years()
    if years is None or not years[0] <= day.year <= years[1]:
        return None
    from chinese_calendar import is_workday  # type: ignore[import-untyped,unused-ignore]

    return bool(is_workday(day))


def _not_covered(year: int) -> CalendarNotCovered:
    years = official_years()
    known = (
        f"chinese-calendar 收录了 {years[0]}—{years[1]} 年国务院办公厅公布的放假安排"
        if years
        else "未安装 chinese-calendar（pip install 'gongkai[corpus]'）"
    )
    return CalendarNotCovered(
        f"{year}年",
        f"{known}；请按该年的放假通知整理节假日与调休上班日，"
        f"运行 gongkai register calendar {year} 文件 导入后再计算",
    )


@dataclass(frozen=True, slots=True)
class Calendar:
    """The working-day calendar: chinese-calendar's years, plus the years the user declared
    complete (`years`) with their exceptions to Monday–Friday (`days`: day → is a working day).

    Immutable: the exceptions are held behind a read-only mapping."""

    days: Mapping[date, bool] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", MappingProxyType(dict(self.days)))
        object.__setattr__(self, "years", frozenset(self.years))

    @classmethod
    def from_overrides(cls, overrides: tuple[Mapping[date, bool], set[int]]) -> Calendar:
        """From `store.register.calendar_overrides(con)`."""
        days, years = overrides
        return cls(days=days, years=frozenset(years))

    def covers(self, year: int) -> bool:
        """Whether every day of `year` can be told a working day or not."""
        return _official_workday(date(year, 1, 1)) is not None or year in self.years

    def is_workday(self, day: date) -> bool:
        official = _official_workday(day)
        if official is not None:
            return official
        if day.year in self.years:
            return self.days.get(day, day.weekday() < 5)
        raise _not_covered(day.year)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (`start` itself not counted: the period begins the
        next day); `start` for n = 0. Crossing into a year not covered raises, even when the
        year of `start` is covered (a request received 2026-12-20 is due in January 2027)."""
        if n < 0:
            raise ValueError(f"n must not be negative: {n}")
        day = start
        while n:
            day += _DAY
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]: `a` excluded, `b` included — the days a period
        that starts after `a` has used by the end of `b`. 0 when b <= a."""
        count = 0
        day = a
        while day < b:
            day += _DAY
            count += self.is_workday(day)
        return count
