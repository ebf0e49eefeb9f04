"""When must an agenda be published?

Local Government Act 1972 s.100B (applied to joint committees by Part VA): the agenda
and reports are open to inspection "at least five clear days" before the meeting. A
clear day excludes the day of publication and the day of the meeting, and the Act's
"working day" reading excludes weekends and bank holidays. We therefore count five
working days strictly between the publication date and the meeting date.
"""

import datetime as dt
from functools import lru_cache

import holidays

CLEAR_WORKING_DAYS = 5


@lru_cache(maxsize=64)
def _bank_holiday_names(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _bank_holidays(year: int):
    return _bank_holiday_names(year).keys()


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def clear_working_days_between(published_on: dt.date, meeting_on: dt.date) -> int:
    """Working days strictly after `published_on` and strictly before `meeting_on`."""
    count, day = 0, published_on + dt.timedelta(days=1)
    while day < meeting_on:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


# Pages of meetings ask for the same few dates again and again (a table row asks up to three
# times); the answer depends on the dates alone.
@lru_cache(maxsize=1024)
def publication_deadline(meeting_on: dt.date, clear_days: int = CLEAR_WORKING_DAYS) -> dt.date:
    """The last date on which publishing still leaves `clear_days` clear working days
    before a meeting held on `meeting_on`."""
    found, day = 0, meeting_on
    while found < clear_days:
        day -= dt.timedelta(days=1)
        found += is_working_day(day)
    return day - dt.timedelta(days=1)


def is_on_time(published_on: dt.date, meeting_on: dt.date, clear_days: int = CLEAR_WORKING_DAYS) -> bool:
    return published_on <= publication_deadline(meeting_on, clear_days)


def working_days_after(day: dt.date, working_days: int) -> dt.date:
    """The `working_days`-th working day after `day` (a partnership's date for draft minutes:
    ten working days after a Thursday meeting is the Thursday two weeks later)."""
    found = 0
    while found < working_days:
        day += dt.timedelta(days=1)
        found += is_working_day(day)
    return day


def bank_holiday_name(day: dt.date) -> str:
    """The name of the bank holiday in England on `day`, or ''."""
    return _bank_holiday_names(day.year).get(day, "")


def non_working_day_reason(day: dt.date) -> str:
    """Why `day` is not a working day ('a Saturday', 'a bank holiday (Christmas Day)'), or ''."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    name = bank_holiday_name(day)
    return f"a bank holiday ({name})" if name else ""
