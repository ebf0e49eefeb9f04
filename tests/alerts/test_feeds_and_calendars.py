"""Atom feeds of every public publication (per partnership, per system, nationally), the
national calendar and the calendar help page; the canary: nothing exempt or private in any
feed, calendar or email."""

import feedparser
import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from alerts import services
from meetings import publications as kinds
from meetings.factories import MeetingFactory
from meetings.publications import publication, publications
from partnerships.factories import PartnershipFactory

from .conftest import CANARIES, in_days

pytestmark = pytest.mark.django_db

KINDS = {
    kinds.AGENDA_PUBLISHED,
    kinds.AGENDA_CHANGED,
    kinds.PAPERS_ADDED,
    kinds.MINUTES_PUBLISHED,
    kinds.MINUTES_APPROVED,
    kinds.DECISION_RECORDED,
    kinds.STRATEGY_PUBLISHED,
}


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def _feed_urls(cast):
    return [
        reverse("meetings:feed", args=[cast.partnership.slug]),
        reverse("meetings:system_feed", args=[cast.partnership.ics.slug]),
        reverse("meetings:national_feed"),
    ]


def _calendar_urls(cast):
    return [
        reverse("meetings:calendar", args=[cast.partnership.slug]),
        reverse("meetings:system_calendar", args=[cast.partnership.ics.slug]),
        reverse("meetings:national_calendar"),
    ]


@pytest.fixture
def strategy_published(cast, draft, django_capture_on_commit_callbacks):
    from tests.strategy.conftest import publish

    with django_capture_on_commit_callbacks(execute=True):
        return publish(draft, cast)


def test_feeds_carry_every_kind_of_publication(client, cast, canary_record, strategy_published):
    _, feed = _feed(client, reverse("meetings:feed", args=[cast.partnership.slug]))
    titles = [entry.title for entry in feed.entries]
    for start in (
        "Agenda published: Public board",
        "Supplementary agenda: Public board",
        "Paper added: Public board",
        "Draft minutes published",
        "Minutes approved",
        "Decision",
        "Strategy published",
    ):
        assert any(title.startswith(start) for title in titles), start
    text = " ".join(entry.summary for entry in feed.entries)
    for public in canary_record["public"]:
        assert public in text
    assert all(entry.link.startswith("http://testserver/") for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_system_and_national_feeds_name_the_partnership(client, cast, canary_record):
    elsewhere = PartnershipFactory()
    meeting = MeetingFactory(partnership=elsewhere, title="Elsewhere board", starts_at=in_days(40))
    from meetings import services as meetings

    meetings.agenda_item_add(meeting=meeting, actor=None, title="Budget")
    meetings.agenda_publish(meeting=meeting, actor=None)

    _, system = _feed(client, reverse("meetings:system_feed", args=[cast.partnership.ics.slug]))
    assert all(entry.title.startswith(f"{cast.partnership.name}: ") for entry in system.entries)
    assert not any("Elsewhere board" in entry.title for entry in system.entries)
    _, national = _feed(client, reverse("meetings:national_feed"))
    assert any(entry.title.startswith(f"{elsewhere.name}: Agenda published") for entry in national.entries)
    assert any(entry.title.startswith(f"{cast.partnership.name}: Agenda published") for entry in national.entries)
    assert client.get(reverse("meetings:system_feed", args=["atlantis"])).status_code == 404


def test_canary_nothing_exempt_or_private_in_any_feed_calendar_or_email(
    client, cast, follow, django_capture_on_commit_callbacks, canary_record_later
):
    documents = []
    for url in _feed_urls(cast) + _calendar_urls(cast):
        response = client.get(url)
        assert response.status_code == 200
        documents.append(response.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send()
    emails = [f"{m.subject}\n{m.body}" for m in canary_record_later]
    emails += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(emails) >= 5  # each kind reached someone: the check below is about real emails
    for text in documents + emails:
        for canary in CANARIES:
            assert canary not in text
    # What is public did reach the emails.
    assert any("Public health annex" in text for text in emails)


@pytest.fixture
def canary_record_later(cast, follow, request):
    """Followers (a partnership, each publication; the system, daily; a search for a canary
    word) subscribed first; then the canary record published. Returns the emails sent."""
    follow(reverse("alerts:follow_partnership", args=[cast.partnership.slug]), email="each@example.org")
    follow(
        reverse("alerts:follow_system", args=[cast.partnership.ics.slug]), email="daily@example.org", frequency="daily"
    )
    follow(reverse("alerts:follow_search"), email="search@example.org", query="CANARY")
    request.getfixturevalue("canary_record")
    sent = list(mail.outbox)
    mail.outbox.clear()
    assert not any(m.to == ["search@example.org"] for m in sent)
    return sent


def test_national_calendar_lists_public_meetings_only(client, cast):
    MeetingFactory(partnership=cast.partnership, title="Open board", starts_at=in_days(10))
    MeetingFactory(partnership=cast.other_partnership, title="Other board", starts_at=in_days(12))
    MeetingFactory(partnership=cast.partnership, title="Private session", starts_at=in_days(11), is_public=False)
    response = client.get(reverse("meetings:national_calendar"))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert f"{cast.partnership.name}: Open board" in summaries
    assert f"{cast.other_partnership.name}: Other board" in summaries
    assert not any("Private session" in s for s in summaries)


def test_calendar_help_page_gives_webcal_links(client, cast, settings):
    settings.SITE_URL = "https://icp.example.org"
    response = client.get(reverse("alerts:calendars") + f"?system={cast.partnership.ics.slug}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="webcal://icp.example.org/systems/{cast.partnership.ics.slug}/meetings.ics"' in html
    assert 'href="webcal://icp.example.org/meetings.ics"' in html
    for app in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert app in html
    response = client.get(reverse("alerts:calendars") + f"?partnership={cast.partnership.slug}")
    assert f"webcal://icp.example.org/partnerships/{cast.partnership.slug}/meetings.ics" in response.content.decode()
    assert client.get(reverse("alerts:calendars") + "?partnership=atlantis").status_code == 404
    assert client.get(reverse("alerts:calendars")).status_code == 200


def test_system_and_partnership_pages_link_the_calendar_and_alerts(client, cast, settings):
    settings.SITE_URL = "https://icp.example.org"
    ics = cast.partnership.ics
    html = client.get(reverse("partnerships:system", args=[ics.slug])).content.decode()
    assert f"webcal://icp.example.org/systems/{ics.slug}/meetings.ics" in html
    assert reverse("alerts:follow_system", args=[ics.slug]) in html
    html = client.get(cast.partnership.get_absolute_url()).content.decode()
    assert f"webcal://icp.example.org/partnerships/{cast.partnership.slug}/meetings.ics" in html
    assert reverse("alerts:follow_partnership", args=[cast.partnership.slug]) in html


def _publish_many(partnership, count, start):
    from meetings import services as meetings

    for n in range(count):
        meeting = MeetingFactory(partnership=partnership, title=f"Board {start + n}", starts_at=in_days(20 + start + n))
        meetings.agenda_item_add(meeting=meeting, actor=None, title="Item")
        meetings.agenda_publish(meeting=meeting, actor=None)


@pytest.mark.parametrize("count", [2, 12])
def test_feeds_and_calendars_use_a_constant_number_of_queries(
    client, cast, canary_record, count, django_assert_max_num_queries
):
    _publish_many(cast.partnership, count, 0)
    _publish_many(cast.other_partnership, count, 100)
    for url in _feed_urls(cast) + _calendar_urls(cast):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_the_newest_publications_are_written_as_in_the_whole_record(cast, canary_record, strategy_published):
    """A feed writes only the entries it shows: the newest `limit` of the whole record, word for
    word, whatever the limit; an alert's single entry reads the same."""
    from meetings import services as meetings

    _publish_many(cast.partnership, 3, 0)
    item = canary_record["meeting"].agenda_items.get(title="Public health report")
    meetings.agenda_item_update(
        item=item, actor=None, title="Health report", purpose="discussion", change_reason="Renamed"
    )
    everything = publications(limit=1000)
    assert {entry.kind for entry in everything} == KINDS
    for limit in range(1, len(everything) + 1):
        assert publications(limit=limit) == everything[:limit]
    for entry in everything:
        assert publication(entry.kind, entry.source_id) == entry


def test_the_newest_are_chosen_by_the_moment_each_entry_shows(cast):
    """A decision is dated by the end of its meeting, so a long meeting that began first but ended
    last has the newest decision; minutes approved without a recorded meeting are dated when they
    were saved, and rank by that date on every database."""
    from meetings.factories import DecisionFactory, MinutesFactory
    from meetings.models import Meeting, Minutes

    long = MeetingFactory(
        partnership=cast.partnership, starts_at=in_days(-10, 9), ends_at=in_days(-10, 17), status=Meeting.Status.HELD
    )
    short = MeetingFactory(
        partnership=cast.partnership, starts_at=in_days(-10, 11), ends_at=in_days(-10, 12), status=Meeting.Status.HELD
    )
    DecisionFactory(meeting=long, wording="Decided at the long meeting.")
    DecisionFactory(meeting=short, wording="Decided at the short meeting.")
    newest = publications(limit=1)
    assert [entry.lines[1] for entry in newest] == ["Agreed: Decided at the long meeting."]

    older = MeetingFactory(partnership=cast.partnership, starts_at=in_days(-40), status=Meeting.Status.HELD)
    without_meeting = MinutesFactory(meeting=older, status=Minutes.Status.APPROVED)
    Minutes.objects.filter(pk=without_meeting.pk).update(created_at=in_days(-30))
    approving = MeetingFactory(
        partnership=cast.partnership, starts_at=in_days(-2, 10), ends_at=in_days(-2, 12), status=Meeting.Status.HELD
    )
    MinutesFactory(meeting=long, status=Minutes.Status.APPROVED, approved_at_meeting=approving)
    everything = publications(limit=1000)
    assert [entry.kind for entry in everything[:1]] == [kinds.MINUTES_APPROVED]
    for limit in range(1, len(everything) + 1):
        assert publications(limit=limit) == everything[:limit]
    assert everything[-1].source_id == without_meeting.pk


def test_the_feed_summary_escapes_what_the_secretariat_typed(client, cast, django_capture_on_commit_callbacks):
    from meetings import services as meetings

    meeting = MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(30))
    item = meetings.agenda_item_add(meeting=meeting, actor=None, title="<script>alert(1)</script> & more")
    meetings.agenda_publish(meeting=meeting, actor=None)
    meetings.agenda_item_update(
        item=item, actor=None, title="<b>Changed</b>", purpose="discussion", change_reason="<img src=x onerror=1>"
    )
    for url in _feed_urls(cast):
        response, feed = _feed(client, url)
        assert b"<script>" not in response.content
        for entry in feed.entries:
            assert "<script>" not in entry.summary and "<img" not in entry.summary


def test_a_released_exemption_reads_in_full_and_an_unreleased_one_by_its_paragraph(client, cast):
    from meetings import exemptions
    from meetings import services as meetings

    meeting = MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(30))
    kept = meetings.agenda_item_add(
        meeting=meeting, actor=None, title="Kept back", is_exempt=True, exempt_paragraph=3, exempt_reason="Prices"
    )
    released = meetings.agenda_item_add(
        meeting=meeting, actor=None, title="Now public", is_exempt=True, exempt_paragraph=3, exempt_reason="Prices"
    )
    meetings.agenda_publish(meeting=meeting, actor=None)
    exemptions.exemption_release(
        actor=cast.secretariat, reason="The contract is signed.", determination="The monitoring officer", item=released
    )
    _, feed = _feed(client, reverse("meetings:feed", args=[cast.partnership.slug]))
    summary = feed.entries[0].summary
    assert f"Item {released.position}: Now public" in summary
    assert f"Item {kept.position}: exempt under paragraph 3" in summary and "Kept back" not in summary
