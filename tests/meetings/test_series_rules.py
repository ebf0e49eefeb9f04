"""Series follow the rules people use ("the second Thursday of every third month"), warn about
weekends and bank holidays, and can repeat a whole meetings day."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingsDay, MeetingSeries

pytestmark = pytest.mark.django_db


def _series(cast, **kwargs):
    values = {
        "partnership": cast.partnership,
        "actor": None,
        "title": "Partnership board",
        "frequency": MeetingSeries.Frequency.QUARTERLY,
        "first_date": dt.date(2026, 1, 1),
        "start_time": dt.time(14),
        "duration_minutes": 120,
    }
    return services.series_create(**{**values, **kwargs})


def test_second_thursday_of_every_third_month(cast):
    series = _series(cast, week_of_month=2, weekday=3)
    assert series.rule == "Second Thursday of every third month"
    # 1 January 2026 is a Thursday, so the second is the 8th; 1 April and 1 July are Wednesdays
    # (Thursdays 2nd and 9th); 1 October is a Thursday again.
    assert services.series_dates(series, until=dt.date(2026, 12, 31)) == [
        dt.date(2026, 1, 8),
        dt.date(2026, 4, 9),
        dt.date(2026, 7, 9),
        dt.date(2026, 10, 8),
    ]


def test_a_weekday_rule_starts_from_the_first_date_and_knows_the_last_weekday(cast):
    series = _series(cast, frequency="monthly", first_date=dt.date(2026, 1, 20), week_of_month=5, weekday=0)
    # The last Monday of January 2026 is the 26th (after the first date); of February the 23rd.
    assert services.series_dates(series, until=dt.date(2026, 3, 1)) == [dt.date(2026, 1, 26), dt.date(2026, 2, 23)]
    second = _series(
        cast, title="Other", frequency="monthly", first_date=dt.date(2026, 1, 20), week_of_month=2, weekday=3
    )
    # The second Thursday of January (the 8th) is before the first date: the series starts in February.
    assert services.series_dates(second, until=dt.date(2026, 3, 1)) == [dt.date(2026, 2, 12)]


def test_dates_on_weekends_and_bank_holidays_are_named():
    warnings = services.non_working_day_warnings(
        [dt.date(2026, 5, 25), dt.date(2026, 5, 9), dt.date(2026, 5, 12), dt.date(2026, 12, 28)]
    )
    assert warnings == [
        "Saturday 9 May 2026 is a Saturday",
        "Monday 25 May 2026 is a bank holiday (Spring Bank Holiday)",
        "Monday 28 December 2026 is a bank holiday (Boxing Day (observed))",
    ]


def test_the_secretariat_is_warned_about_a_series_on_bank_holidays(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_series_create", args=[cast.partnership.slug])
    data = {
        "title": "Partnership board",
        "frequency": "monthly",
        "week_of_month": "1",
        "weekday": "",
        "first_date": timezone.localdate().isoformat(),
        "start_time": "14:00",
        "duration_minutes": "120",
        "months_ahead": "15",
    }
    response = client.post(url, data)
    assert "Choose both the week of the month and the weekday, or neither." in response.content.decode()
    # The first Monday of May is always the Early May bank holiday, and 15 months hold a May.
    response = client.post(url, {**data, "weekday": "0"}, follow=True)
    content = response.content.decode()
    assert "Check these dates:" in content and "is a bank holiday (" in content
    assert "First Monday of every month" in content and "Not a working day" in content
    assert all(meeting.date.weekday() == 0 and meeting.date.day <= 7 for meeting in Meeting.objects.all())


def test_scheduling_a_meeting_on_a_weekend_warns(client, cast):
    client.force_login(cast.secretariat)
    saturday = timezone.localdate() + dt.timedelta(days=30)
    saturday += dt.timedelta(days=(5 - saturday.weekday()) % 7)
    url = reverse("meetings:staff_schedule", args=[cast.partnership.slug])
    data = {"title": "Away day", "date": saturday.isoformat(), "start_time": "10:00", "end_time": "12:00"}
    response = client.post(url, data, follow=True)
    assert f"Check these dates: {saturday:%A %-d %B %Y} is a Saturday." in response.content.decode()


def test_a_meetings_day_repeats_as_a_series_and_says_so_publicly(client, cast):
    first = timezone.localdate() + dt.timedelta(days=10)
    day = services.meetings_day_create(
        partnership=cast.partnership,
        actor=None,
        date=first,
        title="ICP meetings day",
        sessions=[
            services.SessionSpec("Chief executives", dt.time(9, 30), dt.time(10, 30), is_public=False),
            services.SessionSpec("Integrated Care Partnership", dt.time(13, 30), dt.time(15, 30)),
        ],
        venue="Health House",
    )
    series = _series(cast, title="ICP meetings days", first_date=first, template_day=day)
    created = services.series_generate(series=series, actor=None, months_ahead=12)
    # The day itself is the series' first; three more quarters, two sessions each.
    assert len(created) == 6
    days = list(MeetingsDay.objects.filter(series=series).order_by("date"))
    assert [d.date for d in days] == [services.add_months(first, 3 * n) for n in range(4)]
    copy = days[1].meetings.order_by("starts_at")
    assert [(m.title, m.is_public, m.venue) for m in copy] == [
        ("Chief executives", False, "Health House"),
        ("Integrated Care Partnership", True, "Health House"),
    ]
    assert services.series_generate(series=series, actor=None, months_ahead=12) == []

    public = copy.get(is_public=True)
    page = client.get(public.get_absolute_url()).content.decode()
    assert "One of the sessions of ICP meetings day on" in page
    assert "part of a series of meetings days (Every third month, on the date of the first meeting)" in page
    original = day.meetings.get(is_public=True)
    assert "part of a series of meetings days" in client.get(original.get_absolute_url()).content.decode()
