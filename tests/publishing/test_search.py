import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory, MinuteEntryFactory, MinutesFactory


@pytest.fixture
def searchable(published_meeting):
    items = list(published_meeting.agenda_items.order_by("position"))
    minutes = MinutesFactory(meeting=published_meeting, published_at=timezone.now())
    MinuteEntryFactory(minutes=minutes, agenda_item=items[0], discussion="Falls prevention across care homes.")
    MinuteEntryFactory(minutes=minutes, agenda_item=items[1], discussion="The falls bid from Acme was cheapest.")
    private = MeetingFactory(partnership=published_meeting.partnership, is_public=False, title="Falls chiefs session")
    AgendaItemFactory(meeting=private, title="Falls private briefing")
    return published_meeting


def test_finds_published_items_minutes_and_papers_text(client, searchable):
    response = client.get(reverse("publishing:search"), {"q": "falls"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Falls prevention across care homes" in content.replace("<mark>", "").replace("</mark>", "")
    summary = client.get(reverse("publishing:search"), {"q": "population"}).content.decode()
    assert "Population health report" in summary
    assert ">Population health annual summary</a>" in summary  # the paper's text matched too


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


# Filters and pages -----------------------------------------------------------------------


def _published(partnership, title, when):
    meeting = MeetingFactory(partnership=partnership, title=title, starts_at=when, ends_at=when + dt.timedelta(hours=2))
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting


@pytest.fixture
def two_systems(cast):
    """A falls item in the cast's partnership in March 2025, and one in another system's
    partnership in March 2026."""
    here = _published(cast.partnership, "Spring board", dt.datetime(2025, 3, 13, 14, tzinfo=dt.UTC))
    AgendaItemFactory(meeting=here, position=1, title="Falls prevention in care homes")
    there = _published(cast.other_partnership, "Spring meeting", dt.datetime(2026, 3, 12, 14, tzinfo=dt.UTC))
    AgendaItemFactory(meeting=there, position=1, title="Falls clinics in the community")
    assert cast.partnership.ics != cast.other_partnership.ics
    return cast


def _titles(client, **params):
    response = client.get(reverse("publishing:search"), {"q": "falls", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_filters_narrow_by_partnership_system_kind_and_date(client, two_systems):
    everything = _titles(client)
    assert "Falls prevention in care homes" in everything and "Falls clinics in the community" in everything

    by_partnership = _titles(client, partnership=two_systems.partnership.slug)
    assert "Falls prevention" in by_partnership and "Falls clinics" not in by_partnership
    by_system = _titles(client, system=two_systems.other_partnership.ics.slug)
    assert "Falls clinics" in by_system and "Falls prevention" not in by_system
    since = _titles(client, start="2026-01-01")
    assert "Falls clinics" in since and "Falls prevention" not in since
    until = _titles(client, end="31/12/2025")
    assert "Falls prevention" in until and "Falls clinics" not in until
    meetings_only = _titles(client, kind="meeting")
    assert "Falls prevention" not in meetings_only and "0 results" in meetings_only
    items_only = _titles(client, kind="item")
    assert "Falls prevention" in items_only and "Falls clinics" in items_only


def test_the_filters_offer_the_partnerships_and_systems_found(client, two_systems):
    content = _titles(client)
    for partnership in (two_systems.partnership, two_systems.other_partnership):
        assert f'<option value="{partnership.slug}">{partnership.name}</option>' in content
        assert f'<option value="{partnership.ics.slug}">{partnership.ics.name}</option>' in content


def test_an_empty_filtered_search_says_so_and_offers_to_clear(client, two_systems):
    content = _titles(client, start="2030-01-01")
    assert "with these filters" in content
    assert "Search again without the filters" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "31 Febtember"}, "Enter a valid date."),
        ({"start": "2026-03-01", "end": "2025-03-01"}, "The ‘To’ date must be the same as or after the ‘From’ date"),
        ({"kind": "everything-secret"}, "Select a valid choice."),
        ({"partnership": "not a slug!"}, "Enter a valid “slug”"),
    ],
)
def test_bad_filters_get_a_clear_message(client, two_systems, params, message):
    response = client.get(reverse("publishing:search"), {"q": "falls", **params})
    content = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in content
    assert message in content
    assert "Falls prevention" not in content


def test_results_are_paginated(client, cast):
    meeting = _published(cast.partnership, "Long board", dt.datetime(2025, 6, 5, 10, tzinfo=dt.UTC))
    for position in range(1, 26):
        AgendaItemFactory(meeting=meeting, position=position, title=f"Winter pressures update {position}")
    first = client.get(reverse("publishing:search"), {"q": "winter pressures"}).content.decode()
    assert "25 results" in first
    assert "Page 2 of 2" in first
    second = client.get(reverse("publishing:search"), {"q": "winter pressures", "page": "2"}).content.decode()
    assert second.count("Winter pressures update") == 5


def test_a_search_with_more_matches_than_are_shown_says_so(client, cast, monkeypatch):
    from publishing import search

    monkeypatch.setattr(search, "PER_SOURCE", 3)
    meeting = _published(cast.partnership, "Long board", dt.datetime(2025, 6, 5, 10, tzinfo=dt.UTC))
    for position in range(1, 6):
        AgendaItemFactory(meeting=meeting, position=position, title=f"Winter pressures update {position}")
    content = client.get(reverse("publishing:search"), {"q": "winter pressures"}).content.decode()
    assert "The 3 best results" in content
    assert "use the filters to narrow the search" in content


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking is PostgreSQL's (CI runs it); SQLite lists newest first"
)
def test_a_search_with_more_matches_than_are_shown_shows_the_best_ranked_first(client, cast, monkeypatch):
    from publishing import search

    monkeypatch.setattr(search, "PER_SOURCE", 2)
    meeting = _published(cast.partnership, "Long board", dt.datetime(2025, 6, 5, 10, tzinfo=dt.UTC))
    titles = [
        "Winter: winter beds, winter staffing",
        "Winter pressures and winter beds",
        "Winter planning update",
        "Winter vaccination",
        "Winter fuel",
    ]
    for position, title in enumerate(titles, start=1):
        AgendaItemFactory(meeting=meeting, position=position, title=title)
    # The best match of all is exempt: it is never chosen, let alone shown.
    AgendaItemFactory(
        meeting=meeting, position=6, title="Winter winter winter winter", is_exempt=True, exempt_paragraph=3
    )
    content = client.get(reverse("publishing:search"), {"q": "winter"}, HTTP_HOST="testserver").content.decode()
    content = content.replace("<mark>", "").replace("</mark>", "")
    assert content.index(titles[0]) < content.index(titles[1])
    assert not any(title in content for title in titles[2:])
    assert "Winter winter" not in content
    assert "The 2 best results" in content


def test_filters_never_reveal_anything_exempt_or_private(client, searchable):
    partnership = searchable.partnership
    filters = [
        {"partnership": partnership.slug},
        {"system": partnership.ics.slug},
        {"start": "2000-01-01", "end": "2100-12-31"},
        *({"kind": kind} for kind in ("meeting", "item", "minutes", "paper", "pack", "strategy")),
    ]
    hidden = ["Acme", "Confidential tender", "Restricted staffing", "commercially", "chiefs", "private briefing"]
    for params in filters:
        for word in hidden:
            content = client.get(reverse("publishing:search"), {"q": word, **params}).content.decode()
            assert "0 results" in content, (word, params)


# Systems first -----------------------------------------------------------------------------


@pytest.fixture
def england(db):
    """England's reference geography."""
    from partnerships.reference import load_reference_data

    load_reference_data()


def test_the_search_page_leads_with_the_system_of_a_town(client, england):
    content = client.get(reverse("publishing:search"), {"q": "Carlisle"}).content.decode()
    assert "Carlisle is in Cumberland Council, part of" in content
    lead = content.index("Integrated care systems for")
    assert content.index("North East and North Cumbria", lead) < content.index("Lancashire and South Cumbria", lead)


def test_the_search_page_shows_no_systems_once_filtered(client, england):
    content = client.get(reverse("publishing:search"), {"q": "Carlisle", "kind": "minutes"}).content.decode()
    assert "Integrated care systems for" not in content
    assert "with these filters" in content


def test_a_topic_is_not_taken_for_a_place(client, england):
    content = client.get(reverse("publishing:search"), {"q": "falls prevention"}).content.decode()
    assert "Integrated care systems for" not in content


def test_the_system_found_leads_to_its_partnership_not_its_sub_partnerships(client, england):
    from partnerships.factories import PartnershipFactory
    from partnerships.models import IntegratedCareSystem, Partnership

    nenc = IntegratedCareSystem.objects.get(name="North East and North Cumbria")
    strategic = PartnershipFactory(ics=nenc, name="NENC Strategic ICP", slug="nenc-strategic-icp")
    area = Partnership.Kind.AREA
    PartnershipFactory(ics=nenc, name="North Cumbria Area ICP", slug="north-cumbria", kind=area, parent=strategic)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    PartnershipFactory(ics=nenc, name="Old Cumbria Forum", slug="old-cumbria", kind=area, ended_on=yesterday)
    content = client.get(reverse("publishing:search"), {"q": "Carlisle"}).content.decode()
    assert f'<a href="{strategic.get_absolute_url()}">NENC Strategic ICP</a>' in content
    assert "North Cumbria Area ICP" not in content
    assert "Old Cumbria Forum" not in content


def test_a_search_offers_an_alert_for_its_words(client, db):
    content = client.get(reverse("publishing:search"), {"q": "falls & frailty"}).content.decode()
    assert f'href="{reverse("alerts:follow_search")}?q=falls%20%26%20frailty"' in content
    assert "Alert me about new results for this search" in content
    assert "Alert me" not in client.get(reverse("publishing:search")).content.decode()
    follow = client.get(reverse("alerts:follow_search"), {"q": "falls & frailty"})
    assert follow.status_code == 200 and 'value="falls &amp; frailty"' in follow.content.decode()


def test_a_word_held_only_on_exempt_or_private_items_is_never_found(client, cast):
    """Words on an exempt item (its title, its presenter, its minutes) and on the items of a private
    session with a published agenda and minutes: the public search finds none of them."""
    published = timezone.now() - dt.timedelta(days=7)
    meeting = MeetingFactory(partnership=cast.partnership, agenda_published_at=published)
    AgendaItemFactory(meeting=meeting, position=1, title="Winter plan")
    exempt = AgendaItemFactory(
        meeting=meeting, position=2, exempt=True, title="Quokkaville estate disposal", presenter="Wombatson"
    )
    minutes = MinutesFactory(meeting=meeting, published_at=published)
    MinuteEntryFactory(minutes=minutes, agenda_item=exempt, discussion="The Numbatford valuation was agreed.")
    private = MeetingFactory(partnership=cast.partnership, is_public=False, agenda_published_at=published)
    secret = AgendaItemFactory(meeting=private, position=1, title="Bilbyton restructure", presenter="Dunnart")
    private_minutes = MinutesFactory(meeting=private, published_at=published)
    MinuteEntryFactory(minutes=private_minutes, agenda_item=secret, discussion="Potoroo Street closure agreed.")

    assert "Winter plan" in client.get(reverse("publishing:search"), {"q": "winter"}).content.decode()
    for word in ["Quokkaville", "Wombatson", "Numbatford", "Bilbyton", "Dunnart", "Potoroo"]:
        content = client.get(reverse("publishing:search"), {"q": word}).content.decode()
        assert "0 results" in content, word
