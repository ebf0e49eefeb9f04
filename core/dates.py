"""The dates a partnership's records can plausibly carry.

A date field accepts any real date, so a slip of the keyboard (1900, 3000, 2205) would be
stored, published and fed to calendars. Each kind of record has a range here, used by every
form and import that takes such a date; the message says what the range is.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.timezone import localdate, localtime


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def long_date(value: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """'1 December 2026', or 'Tuesday 1 December 2026' with `weekday`; a moment on its day in
    the portal's time zone. What `date_format` writes for "j F Y" and "l j F Y", for lists that
    write hundreds of dates (feeds): it parses the format string on every call."""
    if isinstance(value, dt.datetime):
        value = localtime(value)
    text = f"{value.day} {MONTHS[value.month]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def short_date(value: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """'1 Dec 2026', or 'Tue 1 Dec 2026' with `weekday`; a moment on its day in the portal's
    time zone. What `date_format` writes for "j M Y" and "D j M Y", for tables that write a date
    on every row: it parses the format string on every call."""
    if isinstance(value, dt.datetime):
        value = localtime(value)
    text = f"{value.day} {MONTHS_3[value.month].title()} {value.year}"
    return f"{WEEKDAYS_ABBR[value.weekday()]} {text}" if weekday else text


@dataclass(frozen=True)
class DateRange:
    """From `earliest` to `years_ahead` years after today. Call it as a form field validator,
    or ask `problem()` for the message (empty when the date is in range)."""

    earliest: dt.date
    years_ahead: int

    def latest(self, today: dt.date | None = None) -> dt.date:
        return _years_after(today or localdate(), self.years_ahead)

    def problem(self, value: dt.date, today: dt.date | None = None) -> str:
        latest = self.latest(today)
        if self.earliest <= value <= latest:
            return ""
        return (
            f"Enter a date between {date_format(self.earliest, 'j F Y')} and {date_format(latest, 'j F Y')}: "
            "check the year."
        )

    def __call__(self, value: dt.date) -> None:
        if message := self.problem(value):
            raise ValidationError(message, code="date_out_of_range")


# Integrated care partnerships became statutory on 1 July 2022 (Health and Care Act 2022), and
# many met in shadow form from 2020: a secretariat may record those meetings and seats.
# Meetings are published up to 15 months ahead; five years leaves room for a long series.
MEETING_DATES = DateRange(earliest=dt.date(2020, 1, 1), years_ahead=5)
# A seat can be planned ahead and a term end date can be four years away (a council term).
MEMBERSHIP_DATES = DateRange(earliest=dt.date(2020, 1, 1), years_ahead=5)
# Evidence (JSNAs, health and wellbeing strategies, plans) can be older than the partnership
# itself, but it has been published, or is about to be.
EVIDENCE_DATES = DateRange(earliest=dt.date(1990, 1, 1), years_ahead=1)
