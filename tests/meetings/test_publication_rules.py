"""Publication claims the record can stand behind: a meeting entered after it was held is
"recorded after the meeting", a late agenda carries the chair's reason for urgency
(s.100B(4) LGA 1972), and a private session has no publication deadline."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import presenters, services
from meetings.factories import MeetingFactory
from meetings.models import Meeting

from .conftest import in_days

pytestmark = pytest.mark.django_db


def _schedule(cast, starts_at, **kwargs):
    return services.meeting_schedule(
        partnership=cast.partnership,
        actor=None,
        title="Partnership board",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        **kwargs,
    )


# Meetings already held ---------------------------------------------------------------------


def test_a_meeting_already_held_is_scheduled_only_as_recorded_after_the_event(cast):
    with pytest.raises(ValidationError) as error:
        _schedule(cast, in_days(-7))
    assert "recorded_after_event" in error.value.error_dict
    assert not Meeting.objects.exists()
    with pytest.raises(ValidationError):
        _schedule(cast, in_days(7), recorded_after_event=True)

    meeting = _schedule(cast, in_days(-7), recorded_after_event=True)
    services.agenda_item_add(meeting=meeting, actor=None, title="Budget")
    # No deadline to have met or missed: neither a late reason nor a claim of "on time".
    outcome = services.agenda_publish(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    assert not outcome.late and not meeting.agenda_published_late
    assert meeting.publication_status == "recorded after the meeting"
    assert presenters.publication_tag(meeting) == ("recorded after the meeting", "grey")


def test_the_public_page_says_recorded_after_the_meeting_never_on_time_or_late(client, cast):
    meeting = _schedule(cast, in_days(-7), recorded_after_event=True)
    services.agenda_item_add(meeting=meeting, actor=None, title="Budget")
    services.agenda_publish(meeting=meeting, actor=None)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Recorded after the meeting" in page
    assert "Published late" not in page and "Published " + f"{timezone.localdate():%-d %B %Y}." not in page


# Late agendas ------------------------------------------------------------------------------


def test_a_late_agenda_says_so_publicly_with_the_chairs_reason(client, cast):
    meeting = MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(3))
    services.agenda_item_add(meeting=meeting, actor=None, title="Winter plan")
    services.agenda_publish(meeting=meeting, actor=None, late_reason="the winter plan must be agreed this week")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Published late</strong>" in page
    assert f"after the deadline of {meeting.publication_deadline:%-d %B %Y}" in page
    assert "as a matter of urgency because: the winter plan must be agreed this week" in page


def test_an_agenda_on_time_needs_no_reason_and_says_nothing_of_lateness(client, cast, meeting):
    services.agenda_item_add(meeting=meeting, actor=None, title="Strategy")
    services.agenda_publish(meeting=meeting, actor=None, late_reason="Ignored: not late")
    meeting.refresh_from_db()
    assert meeting.late_publication_reason == "" and meeting.publication_status == "published on time"
    assert "Published late" not in client.get(meeting.get_absolute_url()).content.decode()


def test_the_publish_page_asks_for_the_reason_after_the_deadline(client, cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=in_days(3))
    services.agenda_item_add(meeting=meeting, actor=None, title="Winter plan")
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_publish", args=[cast.partnership.slug, meeting.pk])
    assert "reason for considering the agenda as a matter of urgency" in client.get(url).content.decode()
    response = client.post(url, {})
    assert "Give the chair&#x27;s reason for considering the late agenda" in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.agenda_is_published
    response = client.post(url, {"late_reason": "The plan is due this week."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_published_late and meeting.late_publication_reason == "The plan is due this week."


# Private sessions ---------------------------------------------------------------------------


@pytest.mark.parametrize("days", [40, 3, -3])
def test_a_private_session_is_never_due_or_late(cast, days):
    private = MeetingFactory(partnership=cast.partnership, starts_at=in_days(days), is_public=False)
    assert not private.has_publication_deadline
    assert private.publication_status == "private session"
    assert presenters.due_soon([private], within_days=60) == []
    services.agenda_item_add(meeting=private, actor=None, title="Away day")
    outcome = services.agenda_publish(meeting=private, actor=None)  # no reason asked for, whenever
    private.refresh_from_db()
    assert not outcome.late and private.publication_status == "published to members"


def test_staff_pages_show_no_deadline_for_a_private_session(client, cast):
    private = MeetingFactory(partnership=cast.partnership, title="Away day", starts_at=in_days(3), is_public=False)
    client.force_login(cast.secretariat)
    listing = client.get(reverse("meetings:staff_list", args=[cast.partnership.slug])).content.decode()
    assert "No deadline" in listing and "Not published" not in listing
    page = client.get(reverse("meetings:staff_meeting", args=[cast.partnership.slug, private.pk])).content.decode()
    assert "No deadline: a private session" in page
    assert f"{private.publication_deadline:%A %-d %B %Y}" not in page
