"""Scheduling: meetings, moving and cancelling them, meetings days and series."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from meetings import services
from meetings.factories import AgendaItemFactory, MeetingFactory
from meetings.models import Meeting, MeetingSeries
from partnerships.factories import PartnershipFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


def test_schedule_a_meeting_is_audited(cast):
    meeting = services.meeting_schedule(
        partnership=cast.partnership,
        actor=cast.secretariat,
        title="  Partnership board ",
        starts_at=in_days(40),
        ends_at=in_days(40, hour=16),
        venue="County Hall",
    )
    assert meeting.title == "Partnership board"
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.is_public
    event = AuditEvent.objects.get(action="meetings.meeting.scheduled")
    assert event.actor == cast.secretariat and event.partnership == cast.partnership
    assert event.changes["venue"] == "County Hall"


def test_a_meeting_must_end_after_it_starts(cast):
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            partnership=cast.partnership,
            actor=cast.secretariat,
            title="Board",
            starts_at=in_days(5),
            ends_at=in_days(5),
        )
    assert "ends_at" in error.value.error_dict


def test_moving_a_meeting_keeps_its_record_and_needs_a_notice(cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1)
    uid = meeting.uid
    arguments = {"title": meeting.title, "starts_at": in_days(67), "ends_at": in_days(67, hour=16)}
    with pytest.raises(ValidationError) as error:
        services.meeting_update(meeting=meeting, actor=cast.secretariat, **arguments)
    assert "notice" in error.value.error_dict

    moved = services.meeting_update(
        meeting=meeting, actor=cast.secretariat, notice="Moved a week later to follow the budget.", **arguments
    )
    assert moved.pk == meeting.pk and moved.uid == uid
    assert list(moved.agenda_items.all()) == [item]
    assert moved.date == timezone.localdate() + dt.timedelta(days=67)
    assert AuditEvent.objects.filter(action="meetings.meeting.moved").count() == 1


def test_changing_only_the_time_needs_no_notice(cast, meeting):
    services.meeting_update(
        meeting=meeting, actor=cast.secretariat, title="Board", starts_at=in_days(60, 10), ends_at=in_days(60, 12)
    )
    meeting.refresh_from_db()
    assert meeting.title == "Board" and timezone.localtime(meeting.starts_at).hour == 10
    assert AuditEvent.objects.filter(action="meetings.meeting.updated").exists()


def test_cancel_and_postpone(cast, meeting):
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, actor=cast.secretariat, notice="  ")
    services.meeting_cancel(meeting=meeting, actor=cast.secretariat, notice="Election period.", postpone=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED and meeting.notice == "Election period."

    # Given a new date, a postponed meeting is scheduled again.
    services.meeting_update(
        meeting=meeting,
        actor=cast.secretariat,
        title=meeting.title,
        starts_at=in_days(90),
        ends_at=in_days(90, 16),
        notice="Postponed from its original date because of the election period.",
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED

    services.meeting_cancel(meeting=meeting, actor=cast.secretariat, notice="Not quorate.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, actor=cast.secretariat, notice="Again.")
    with pytest.raises(ValidationError):
        services.meeting_update(
            meeting=meeting, actor=cast.secretariat, title="x", starts_at=in_days(9), ends_at=in_days(9, 16)
        )
    assert {"meetings.meeting.postponed", "meetings.meeting.cancelled"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_meetings_day_creates_a_session_per_meeting_with_its_own_privacy(cast):
    day = timezone.localdate() + dt.timedelta(days=30)
    sessions = [
        services.SessionSpec("Formal ICP meeting", dt.time(14), dt.time(16)),
        services.SessionSpec("Chief executives (closed)", dt.time(9), dt.time(10, 30), is_public=False),
        services.SessionSpec("Place Leadership Board", dt.time(11), dt.time(12, 30)),
    ]
    meetings_day = services.meetings_day_create(
        partnership=cast.partnership,
        actor=cast.secretariat,
        date=day,
        title="ICP meetings day",
        sessions=sessions,
        venue="Civic Centre",
    )
    meetings = list(meetings_day.meetings.order_by("starts_at"))
    assert [m.title for m in meetings] == ["Chief executives (closed)", "Place Leadership Board", "Formal ICP meeting"]
    assert [m.is_public for m in meetings] == [False, True, True]
    assert {m.date for m in meetings} == {day}
    assert {m.venue for m in meetings} == {"Civic Centre"}
    assert list(Meeting.objects.public().filter(meetings_day=meetings_day).values_list("title", flat=True)) == [
        "Place Leadership Board",
        "Formal ICP meeting",
    ]
    with pytest.raises(ValidationError):
        services.meetings_day_create(
            partnership=cast.partnership, actor=cast.secretariat, date=day, title="x", sessions=[]
        )


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert services.add_months(dt.date(2027, 12, 15), 1) == dt.date(2028, 1, 15)


def _series(partnership, **kwargs):
    values = {
        "title": "Quarterly ICP",
        "frequency": MeetingSeries.Frequency.QUARTERLY,
        "first_date": dt.date(2026, 1, 31),
        "start_time": dt.time(14),
        "duration_minutes": 120,
        "venue": "County Hall",
    }
    return services.series_create(partnership=partnership, actor=None, **{**values, **kwargs})


def test_series_dates_do_not_drift():
    series = MeetingSeries(frequency="quarterly", first_date=dt.date(2026, 1, 31))
    assert services.series_dates(series, until=dt.date(2027, 1, 31)) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2026, 10, 31),
        dt.date(2027, 1, 31),
    ]


def test_series_generation_is_idempotent(db):
    partnership = PartnershipFactory()
    series = _series(partnership)
    today = dt.date(2026, 3, 1)
    created = services.series_generate(series=series, actor=None, today=today)
    # From 1 Mar 2026 to 1 Jun 2027 (15 months): 30 Apr, 31 Jul, 31 Oct 2026, 31 Jan, 30 Apr 2027.
    # 31 Jan 2026 is before today, so it is not created.
    assert [m.series_date for m in created] == [
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2026, 10, 31),
        dt.date(2027, 1, 31),
        dt.date(2027, 4, 30),
    ]
    first = created[0]
    assert timezone.localtime(first.starts_at).time() == dt.time(14)
    assert first.ends_at - first.starts_at == dt.timedelta(hours=2)
    assert first.venue == "County Hall" and first.title == "Quarterly ICP"

    assert services.series_generate(series=series, actor=None, today=today) == []

    # A meeting moved off its series date is not recreated on the old date.
    services.meeting_update(
        meeting=first,
        actor=None,
        title=first.title,
        starts_at=first.starts_at + dt.timedelta(days=5),
        ends_at=first.ends_at + dt.timedelta(days=5),
        notice="Moved to avoid the election period.",
    )
    assert services.series_generate(series=series, actor=None, today=today) == []

    # Looking further ahead adds only the new dates.
    more = services.series_generate(series=series, actor=None, today=today, months_ahead=18)
    assert [m.series_date for m in more] == [dt.date(2027, 7, 31)]
    assert series.meetings.count() == 6
    assert AuditEvent.objects.filter(action="meetings.series.generated").count() == 2


def test_series_months_ahead_is_bounded(db):
    series = _series(PartnershipFactory())
    with pytest.raises(ValidationError):
        services.series_generate(series=series, actor=None, months_ahead=0)
    with pytest.raises(ValidationError):
        services.series_generate(series=series, actor=None, months_ahead=37)


def test_private_series_generates_private_meetings(db):
    series = _series(PartnershipFactory(), frequency=MeetingSeries.Frequency.MONTHLY, is_public=False)
    created = services.series_generate(series=series, actor=None, today=dt.date(2026, 1, 1), months_ahead=2)
    assert [m.series_date for m in created] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert not any(m.is_public for m in created)


def test_meeting_factory_is_public_by_default(db):
    assert MeetingFactory().is_public
