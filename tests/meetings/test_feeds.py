"""iCalendar feeds (per partnership and per system) and the Atom feed of publications."""

import datetime as dt
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
from django.urls import reverse

from meetings import feeds, services
from meetings.factories import MeetingFactory
from meetings.models import Meeting
from partnerships.factories import PartnershipFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(cast):
    p = cast.partnership
    board = MeetingFactory(partnership=p, title="Partnership board", starts_at=in_days(30), venue="County Hall")
    cancelled = MeetingFactory(partnership=p, title="Extra meeting", starts_at=in_days(45))
    services.meeting_cancel(meeting=cancelled, actor=None, notice="No urgent business.")
    private = MeetingFactory(partnership=p, title="Chief executives", starts_at=in_days(31), is_public=False)
    return board, cancelled, private


def _calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def test_partnership_calendar(client, cast, meetings, settings):
    board, cancelled, _ = meetings
    url = reverse("meetings:calendar", args=[cast.partnership.slug])
    response, calendar = _calendar(client, url)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{board.uid}@icp-portal", f"{cancelled.uid}@icp-portal"}  # not the private session

    event = events[f"{board.uid}@icp-portal"]
    assert str(event["SUMMARY"]) == "Partnership board"
    assert str(event["LOCATION"]) == "County Hall"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == settings.SITE_URL + board.get_absolute_url()
    assert event.decoded("DTSTART") == board.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert b"DTSTART;TZID=Europe/London:" in response.content

    gone = events[f"{cancelled.uid}@icp-portal"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["SUMMARY"]) == "Cancelled: Extra meeting"
    assert "No urgent business." in str(gone["DESCRIPTION"])

    # The same data gives the same file: stable UIDs, stamps and ETag.
    again, _ = _calendar(client, url)
    assert again.content == response.content and again["ETag"] == response["ETag"]
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304
    assert "public" in response["Cache-Control"] and response.has_header("Last-Modified")


def test_moving_a_meeting_keeps_its_uid(client, cast, meetings):
    board = meetings[0]
    url = reverse("meetings:calendar", args=[cast.partnership.slug])
    services.meeting_update(
        meeting=board,
        actor=None,
        title=board.title,
        starts_at=in_days(33),
        ends_at=in_days(33, 16),
        notice="Moved to Thursday.",
    )
    _, calendar = _calendar(client, url)
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"{board.uid}@icp-portal")
    board.refresh_from_db()
    assert event.decoded("DTSTART") == board.starts_at


def test_system_calendar_covers_its_partnerships(client, cast, meetings):
    board = meetings[0]
    sub = PartnershipFactory(ics=cast.partnership.ics, kind="area", name="North Area ICP", slug="north-area")
    area = MeetingFactory(partnership=sub, title="Area meeting", starts_at=in_days(12))
    MeetingFactory(partnership=cast.other_partnership, title="Elsewhere", starts_at=in_days(12))
    _, calendar = _calendar(client, reverse("meetings:system_calendar", args=[cast.partnership.ics.slug]))
    summaries = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries[f"{area.uid}@icp-portal"] == "North Area ICP: Area meeting"
    assert f"{board.uid}@icp-portal" in summaries
    assert "Elsewhere" not in " ".join(summaries.values())
    assert calendar.walk("VTIMEZONE")
    assert client.get(reverse("meetings:system_calendar", args=["atlantis"])).status_code == 404


def test_empty_calendar_is_still_valid(client, cast):
    _, calendar = _calendar(client, reverse("meetings:calendar", args=[cast.partnership.slug]))
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE")


def test_atom_feed_of_agenda_publications(client, cast, meetings):
    board = meetings[0]
    services.agenda_item_add(meeting=board, actor=None, title="Strategy refresh")
    services.agenda_item_add(
        meeting=board, actor=None, title="Contract award", is_exempt=True, exempt_paragraph=3, exempt_reason="Prices."
    )
    services.agenda_publish(meeting=board, actor=None)
    private = meetings[2]
    services.agenda_item_add(meeting=private, actor=None, title="Away day")
    services.agenda_publish(meeting=private, actor=None)

    response = client.get(reverse("meetings:feed", args=[cast.partnership.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert feed.feed.title == f"{cast.partnership.name}: publications"
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title.startswith("Agenda published: Partnership board")
    assert entry.link == "http://testserver" + board.get_absolute_url()
    assert entry.published_parsed is not None
    assert b"Contract award" not in response.content and b"Prices." not in response.content
    assert b"Chief executives" not in response.content
    assert (
        client.get(
            reverse("meetings:feed", args=[cast.partnership.slug]), headers={"If-None-Match": response["ETag"]}
        ).status_code
        == 304
    )


def test_feeds_of_unknown_partnerships_are_not_found(client, db):
    assert client.get(reverse("meetings:feed", args=["atlantis"])).status_code == 404
    assert client.get(reverse("meetings:calendar", args=["atlantis"])).status_code == 404


def _icalendar_event(meeting, *, summary, description, url):
    """The event as icalendar writes it, which `feeds._event` writes without building it."""
    london = ZoneInfo("Europe/London")
    return icalendar.Event.new(
        uid=f"{meeting.uid}@icp-portal",
        summary=summary,
        start=meeting.starts_at.astimezone(london),
        end=meeting.ends_at.astimezone(london),
        stamp=meeting.updated_at.astimezone(dt.UTC),
        last_modified=meeting.updated_at.astimezone(dt.UTC),
        location=meeting.venue or None,
        url=url,
        description=description,
        status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
        categories=[meeting.partnership.name],
    ).to_ical()


@pytest.mark.parametrize(
    ("title", "venue", "notice"),
    [
        ("Board", "", ""),
        ("Board, with; escapes\\ " * 6, "Hall, Room 1; Floor 2\r\nLeeds", "Line one\r\nLine two\rthree\n\\N"),
        ("x" * 44 + ";" + "y" * 100, "^" * 150, "a" * 74),
        ("Ynys Môn – the café’s board " * 4, "Cwrt " + "é" * 80, "Moved – see the notice " * 5),
    ],
)
def test_events_are_written_as_icalendar_writes_them(cast, settings, title, venue, notice):
    meeting = MeetingFactory(partnership=cast.partnership, title=title, venue=venue, notice=notice)
    meeting.status = Meeting.Status.CANCELLED if notice else Meeting.Status.SCHEDULED
    meeting.joining_url = "https://teams.example/join?a=1,b=2;c"
    prefix = "Cancelled: " if notice else ""
    summary = f"{prefix}{cast.partnership.name}: {title}"
    url = settings.SITE_URL + meeting.get_absolute_url()
    lines = [notice] if notice else []
    description = "\n\n".join([*lines, f"Agenda and papers: {url}", f"Join online: {meeting.joining_url}"])
    expected = _icalendar_event(meeting, summary=summary, description=description, url=url)
    assert feeds._event(meeting, with_partnership=True) == expected
