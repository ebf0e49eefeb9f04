import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from core.dates import long_date, short_date

UTC = dt.UTC


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        dt.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/London")),
        # 11:30pm on 29 March 2026 by UTC is already 30 March in London (summer time).
        dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC),
        dt.datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
    ],
)
def test_long_and_short_dates_read_as_django_writes_them_on_the_local_day(moment):
    local = timezone.localtime(moment)
    assert long_date(moment) == date_format(local, "j F Y")
    assert long_date(moment, weekday=True) == date_format(local, "l j F Y")
    assert long_date(local.date(), weekday=True) == date_format(local.date(), "l j F Y")
    assert short_date(moment) == date_format(local, "j M Y")
    assert short_date(moment, weekday=True) == date_format(local, "D j M Y")
    assert short_date(local.date(), weekday=True) == date_format(local.date(), "D j M Y")


def test_a_long_date_in_words():
    assert long_date(dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), weekday=True) == "Monday 30 March 2026"
    assert long_date(dt.date(2026, 7, 1)) == "1 July 2026"


def test_a_short_date_in_words():
    assert short_date(dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), weekday=True) == "Mon 30 Mar 2026"
    assert short_date(dt.date(2026, 9, 1)) == "1 Sep 2026"
