import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory, MinuteEntryFactory, MinutesFactory
from publishing import services


@pytest.fixture
def searchable(published_meeting, django_capture_on_commit_callbacks):
    items = list(published_meeting.agenda_items.order_by("position"))
    minutes = MinutesFactory(meeting=published_meeting, published_at=timezone.now())
    MinuteEntryFactory(minutes=minutes, agenda_item=items[0], discussion="Falls prevention across care homes.")
    MinuteEntryFactory(minutes=minutes, agenda_item=items[1], discussion="The falls bid from Acme was cheapest.")
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_pack_request(meeting=published_meeting)
    private = MeetingFactory(partnership=published_meeting.partnership, is_public=False, title="Falls chiefs session")
    AgendaItemFactory(meeting=private, title="Falls private briefing")
    return published_meeting


def test_finds_published_items_minutes_and_pdf_text(client, searchable):
    response = client.get(reverse("publishing:search"), {"q": "falls"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Falls prevention across care homes" in content.replace("<mark>", "").replace("</mark>", "")
    summary = client.get(reverse("publishing:search"), {"q": "population"}).content.decode()
    assert "Population health report" in summary
    assert "Agenda pack" in summary  # the PDF's extracted text matched too


def test_never_finds_anything_exempt_or_private(client, searchable):
    for word in ["Acme", "Confidential tender", "Restricted staffing", "commercially", "chiefs", "private briefing"]:
        content = client.get(reverse("publishing:search"), {"q": word}).content.decode()
        assert "0 results" in content, word
        assert "Members" not in content


def test_empty_and_missing_queries(client, db):
    assert "Enter some words" in client.get(reverse("publishing:search"), {"q": " "}).content.decode()
    assert client.get(reverse("publishing:search")).status_code == 200


def test_snippets_escape_what_was_published(client, searchable):
    item = searchable.agenda_items.get(position=1)
    item.title = "Population <script>alert(1)</script> health"
    item.save()
    content = client.get(reverse("publishing:search"), {"q": "Population"}).content.decode()
    assert "<script>alert(1)</script>" not in content
