"""Working days (工作日) on the Chinese statutory calendar.

Why: no party rule defines 工作日; the statutes that do count working days
without statutory holidays, which in China means the adjusted working
weekends (调休上班日) count, and 民法典 第二百零一条 does not count the starting
day. The holiday data comes from the maintained ``chinesecalendar`` package,
never from a list typed here; outside the years it covers we say so.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar


class OutsideCalendar(Exception):
    """A date the holiday calendar does not cover: the count cannot be made."""

    def __init__(self, day: dt.date):
        first, last = covered_years()
        self.day = day
        super().__init__(f"节假日日历仅覆盖 {first}–{last} 年，{day.isoformat()} 不在其内，无法按工作日计算")


def covered_years() -> tuple[int, int]:
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def is_working_day(day: dt.date) -> bool:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise OutsideCalendar(day)
    return bool(chinese_calendar.is_workday(day))


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The day on which ``count`` working days after ``start`` end (start not counted)."""
    day = start
    remaining = count
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
