"""Draft minutes are due a set number of working days after a meeting (each partnership's own
number, 10 by default); staff and public pages say when they were due, when they were
published and whether that was late."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import deadlines, presenters
from meetings.factories import MeetingFactory, MinutesFactory
from meetings.record import public_record

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_ten_working_days_after_a_meeting_before_easter():
    # Thursday 2 April 2026. Fri 3 (Good Friday) and Mon 6 April (Easter Monday) are not working days:
    # Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5) ... Fri 17 (9), Mon 20 April (10).
    assert deadlines.working_days_after(dt.date(2026, 4, 2), 10) == dt.date(2026, 4, 20)
    # Tuesday 22 December 2026: Fri 25 (Christmas Day) and Mon 28 December (Boxing Day, substitute) are out:
    # Wed 23 (1), Thu 24 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5), Fri 1 January (New Year's Day) out, Mon 4 (6).
    assert deadlines.working_days_after(dt.date(2026, 12, 22), 6) == dt.date(2027, 1, 4)


@pytest.fixture
def held(cast):
    """A public meeting held on Thursday 2 April 2026 (draft minutes due Monday 20 April)."""
    return MeetingFactory(partnership=cast.partnership, title="Board", starts_at=_at(dt.date(2026, 4, 2)))


def test_minutes_published_on_time(held):
    MinutesFactory(meeting=held, published_at=_at(dt.date(2026, 4, 20), 17))
    timeliness = presenters.minutes_timeliness(held)
    assert (timeliness.due, timeliness.published_on, timeliness.status) == (
        dt.date(2026, 4, 20),
        dt.date(2026, 4, 20),
        "published on time",
    )


def test_minutes_published_late_and_the_partnerships_own_number_of_days(held, cast):
    MinutesFactory(meeting=held, published_at=_at(dt.date(2026, 4, 21)))
    assert presenters.minutes_timeliness(held).status == "published late"
    cast.partnership.minutes_due_working_days = 15
    cast.partnership.save()
    held.refresh_from_db()
    timeliness = presenters.minutes_timeliness(held)
    assert timeliness.due == dt.date(2026, 4, 27) and timeliness.status == "published on time"


def test_the_first_publication_counts_not_a_later_correction(held):
    MinutesFactory(meeting=held, version=1, status="superseded", published_at=_at(dt.date(2026, 4, 14)))
    MinutesFactory(meeting=held, version=2, published_at=_at(dt.date(2026, 6, 1)))
    MinutesFactory(meeting=held, version=3)  # an unpublished draft
    assert presenters.minutes_timeliness(held).published_on == dt.date(2026, 4, 14)
    # The meeting page passes the versions its record has read, superseded ones included.
    versions = public_record(held).published_versions
    assert presenters.minutes_timeliness(held, versions=versions).published_on == dt.date(2026, 4, 14)


def test_unpublished_minutes_are_due_then_late(cast):
    soon = MeetingFactory(partnership=cast.partnership, starts_at=timezone.now() - dt.timedelta(days=1))
    assert presenters.minutes_timeliness(soon).status == "due"
    old = MeetingFactory(partnership=cast.partnership, starts_at=timezone.now() - dt.timedelta(days=60))
    assert presenters.minutes_timeliness(old).status == "not published"


def test_no_minutes_deadline_for_private_sessions_cancelled_or_future_meetings(cast):
    past = timezone.now() - dt.timedelta(days=60)
    assert (
        presenters.minutes_timeliness(MeetingFactory(partnership=cast.partnership, starts_at=past, is_public=False))
        is None
    )
    cancelled = MeetingFactory(partnership=cast.partnership, starts_at=past, status="cancelled", notice="No business.")
    assert presenters.minutes_timeliness(cancelled) is None
    future = MeetingFactory(partnership=cast.partnership, starts_at=timezone.now() + dt.timedelta(days=3))
    assert presenters.minutes_timeliness(future) is None


def test_public_and_staff_pages_say_when_minutes_were_due_and_published(client, cast, held):
    MinutesFactory(meeting=held, published_at=_at(dt.date(2026, 4, 24)))
    expected = (
        "Draft minutes were due by 20 April 2026 (10 working days after the meeting) and were published on "
        "24 April 2026, late."
    )
    page = " ".join(client.get(held.get_absolute_url()).content.decode().split())
    assert expected in page
    client.force_login(cast.secretariat)
    staff = client.get(reverse("meetings:staff_meeting", args=[cast.partnership.slug, held.pk])).content.decode()
    staff = " ".join(staff.split())
    assert expected in staff and "Published late</strong>" in staff


def test_pages_say_when_unpublished_minutes_are_late(client, held):
    page = " ".join(client.get(held.get_absolute_url()).content.decode().split())
    assert "Draft minutes were due by 20 April 2026 (10 working days after the meeting) and have not been" in page


def test_the_partnership_sets_its_minutes_deadline(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("workspace:partnership_edit", args=[cast.partnership.slug])
    assert "Draft minutes are due this many working days after a meeting" in client.get(url).content.decode()
    data = {"access_rule": "lga_1972_part_va", "minutes_due_working_days": "0"}
    assert "Enter at least 1 day." in client.post(url, data).content.decode()
    response = client.post(url, {**data, "minutes_due_working_days": "15"})
    assert response.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.minutes_due_working_days == 15
    # Left empty, the number is kept.
    client.post(url, {**data, "minutes_due_working_days": ""})
    cast.partnership.refresh_from_db()
    assert cast.partnership.minutes_due_working_days == 15
