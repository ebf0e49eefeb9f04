"""The publication deadline: five clear working days before the meeting, not counting the
day of publication, the day of the meeting, weekends or England's bank holidays.

Each expected date is worked out by hand in the comment beside it: the five working days
are listed counting back from the day before the meeting, and the deadline is the day
before the fifth."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import deadlines
from meetings.factories import MeetingFactory

D = dt.date


@pytest.mark.parametrize(
    ("meeting_on", "deadline"),
    [
        # An ordinary week. Wed 15 Jul 2026: Tue 14, Mon 13, Fri 10, Thu 9, Wed 8 -> Tue 7 Jul.
        (D(2026, 7, 15), D(2026, 7, 7)),
        # A Monday meeting. Mon 20 Jul 2026: Fri 17, Thu 16, Wed 15, Tue 14, Mon 13 -> Sun 12 Jul
        # (publishing on the Sunday still leaves Mon 13 to Fri 17 clear).
        (D(2026, 7, 20), D(2026, 7, 12)),
        # Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr. Thu 9 Apr: Wed 8, Tue 7, [Mon 6],
        # [Fri 3], Thu 2, Wed 1, Tue 31 Mar -> Mon 30 Mar (without the holidays it would be Wed 1 Apr).
        (D(2026, 4, 9), D(2026, 3, 30)),
        # Early May bank holiday, Mon 4 May 2026. Fri 8 May: Thu 7, Wed 6, Tue 5, [Mon 4], Fri 1,
        # Thu 30 Apr -> Wed 29 Apr.
        (D(2026, 5, 8), D(2026, 4, 29)),
        # Spring bank holiday, Mon 25 May 2026. Thu 28 May: Wed 27, Tue 26, [Mon 25], Fri 22, Thu 21,
        # Wed 20 -> Tue 19 May.
        (D(2026, 5, 28), D(2026, 5, 19)),
        # Summer bank holiday, Mon 31 Aug 2026. Thu 3 Sep: Wed 2, Tue 1, [Mon 31], Fri 28, Thu 27,
        # Wed 26 -> Tue 25 Aug.
        (D(2026, 9, 3), D(2026, 8, 25)),
        # Christmas 2026: Christmas Day Fri 25 Dec; Boxing Day falls on Sat 26 Dec, so Mon 28 Dec is the
        # substitute holiday. Tue 29 Dec: [Mon 28], [Fri 25], Thu 24, Wed 23, Tue 22, Mon 21, Fri 18
        # -> Thu 17 Dec.
        (D(2026, 12, 29), D(2026, 12, 17)),
        # New Year: Fri 1 Jan 2027. Mon 4 Jan 2027: [Fri 1], Thu 31, Wed 30, Tue 29, [Mon 28], [Fri 25],
        # Thu 24, Wed 23 -> Tue 22 Dec 2026.
        (D(2027, 1, 4), D(2026, 12, 22)),
        # Wed 6 Jan 2027: Tue 5, Mon 4, [Fri 1], Thu 31, Wed 30, Tue 29 -> Mon 28 Dec 2026, itself the
        # Boxing Day holiday (publishing online that day is still publishing).
        (D(2027, 1, 6), D(2026, 12, 28)),
    ],
)
def test_publication_deadline(meeting_on, deadline):
    assert deadlines.publication_deadline(meeting_on) == deadline
    # Publishing on the deadline leaves exactly five clear working days; a day later, four.
    assert deadlines.clear_working_days_between(deadline, meeting_on) == 5
    assert deadlines.clear_working_days_between(deadline + dt.timedelta(days=1), meeting_on) < 5
    assert deadlines.is_on_time(deadline, meeting_on)
    assert not deadlines.is_on_time(deadline + dt.timedelta(days=1), meeting_on)


def test_bank_holidays_are_not_working_days():
    for holiday in [D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31), D(2027, 1, 1)]:
        assert not deadlines.is_working_day(holiday)
    assert not deadlines.is_working_day(D(2026, 12, 28))  # Boxing Day (substitute day)
    assert deadlines.is_working_day(D(2026, 12, 29))


def _meeting_on(day: dt.date):
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
    return MeetingFactory(starts_at=starts_at)


def _at(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.mark.django_db
def test_publication_status_values():
    today = timezone.localdate()
    upcoming = _meeting_on(today + dt.timedelta(days=60))
    assert upcoming.publication_status == "due"

    upcoming.agenda_published_at = _at(upcoming.publication_deadline)
    assert upcoming.publication_status == "published on time"
    # Late in the evening of the deadline day, London time, is still on time.
    upcoming.agenda_published_at = _at(upcoming.publication_deadline, hour=23)
    assert upcoming.publication_status == "published on time"
    upcoming.agenda_published_at = _at(upcoming.publication_deadline + dt.timedelta(days=1))
    assert upcoming.publication_status == "published late"

    overdue = _meeting_on(today + dt.timedelta(days=2))  # the deadline has passed
    assert overdue.publication_status == "not published"
    past = _meeting_on(today - dt.timedelta(days=30))
    assert past.publication_status == "not published"


@pytest.mark.django_db
def test_the_deadline_uses_the_london_date_of_the_meeting():
    # 00:30 BST on Thu 9 Jul 2026 is 23:30 UTC on Wed 8 Jul: the meeting is on the 9th in London.
    starts_at = dt.datetime(2026, 7, 8, 23, 30, tzinfo=dt.UTC)
    meeting = MeetingFactory(starts_at=starts_at)
    assert meeting.date == D(2026, 7, 9)
    # Thu 9 Jul: Wed 8, Tue 7, Mon 6, Fri 3, Thu 2 -> Wed 1 Jul.
    assert meeting.publication_deadline == D(2026, 7, 1)
