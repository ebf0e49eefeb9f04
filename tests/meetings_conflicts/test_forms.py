"""The secretariat names the organisations on the item and paper forms, and sets the
partnership's conflicts policy where its details are edited."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from meetings.factories import AgendaItemFactory, MeetingFactory
from partnerships.factories import LocalAuthorityFactory, OrganisationFactory, SystemLocalAuthorityFactory
from partnerships.models import ConflictsPolicy
from tests.meetings.conftest import pdf_file


def _url(name, world, *more, meeting=None):
    meeting = meeting or world.meeting
    return reverse(f"meetings:{name}", args=[world.cast.partnership.slug, meeting.pk, *more])


def test_the_item_form_offers_the_systems_organisations_and_saves_the_choice(client, world):
    partnership = world.cast.partnership
    council = LocalAuthorityFactory(name="Northshire County Council")
    SystemLocalAuthorityFactory(ics=partnership.ics, local_authority=council)
    elsewhere = OrganisationFactory(name="Faraway Trust")
    meeting = MeetingFactory(partnership=partnership)  # agenda not published: no late item
    client.force_login(world.cast.secretariat)
    page = client.get(_url("staff_item_add", world, meeting=meeting)).content.decode()
    assert "Organisations this item concerns" in page
    assert "Northshire County Council" in page and partnership.ics.icb.name in page
    # Already named on the partnership's agendas.
    assert "Northshire Community Health CIC" in page
    assert "Faraway Trust" not in page  # not linked to this partnership: named by typing it
    assert reverse("workspace:organisation_add", args=[partnership.slug]) in page
    # A partner organisation its secretariat added is offered too.
    added = OrganisationFactory(name="Northshire Healthwatch", added_for=partnership)
    assert f'value="{added.pk}"' in client.get(_url("staff_item_add", world, meeting=meeting)).content.decode()

    response = client.post(
        _url("staff_item_add", world, meeting=meeting),
        {
            "title": "Care home fees",
            "purpose": "decision",
            "organisations": [council.pk],
            "other_organisations": "faraway  trust\n",
        },
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get(title="Care home fees")
    assert set(item.organisations.values_list("pk", flat=True)) == {council.pk, elsewhere.pk}
    event = AuditEvent.objects.get(action="meetings.agenda.item.organisations_changed")
    assert event.changes == {"organisations": [[], ["Faraway Trust", "Northshire County Council"]]}

    # The edit form shows them ticked; untick one and it is no longer named.
    edit = _url("staff_item_edit", world, item.pk, meeting=meeting)
    page = client.get(edit).content.decode()
    assert f'value="{council.pk}" checked' in page and f'value="{elsewhere.pk}" checked' in page
    response = client.post(edit, {"title": "Care home fees", "purpose": "decision", "organisations": [elsewhere.pk]})
    assert response.status_code == 302
    assert list(item.organisations.values_list("pk", flat=True)) == [elsewhere.pk]


def test_the_item_form_offers_a_council_only_while_it_has_a_place_in_the_system(client, world):
    partnership = world.cast.partnership
    # A boundary change moved Southshire to another system last year: it is no longer offered
    # as one of this system's councils (it can still be named by typing it).
    moved = LocalAuthorityFactory(name="Southshire County Council")
    SystemLocalAuthorityFactory(ics=partnership.ics, local_authority=moved, valid_to=dt.date(2020, 3, 31))
    meeting = MeetingFactory(partnership=partnership)
    client.force_login(world.cast.secretariat)
    page = client.get(_url("staff_item_add", world, meeting=meeting)).content.decode()
    assert "Organisations this item concerns" in page
    assert "Southshire County Council" not in page


def test_an_unknown_organisation_is_a_form_error_and_nothing_is_saved(client, world):
    client.force_login(world.cast.secretariat)
    meeting = world.meeting
    response = client.post(
        _url("staff_item_add", world),
        {
            "title": "Care home fees",
            "purpose": "decision",
            "urgency_reason": "Fees must be set by April.",
            "other_organisations": "Nowhere Healthcare Ltd",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not an organisation on the portal: ‘Nowhere Healthcare Ltd’" in content
    assert "There is a problem" in content and 'value="Care home fees"' in content
    assert not meeting.agenda_items.filter(title="Care home fees").exists()
    # An id from outside the list is refused too.
    stranger = OrganisationFactory(name="Not offered")
    response = client.post(
        _url("staff_item_add", world),
        {"title": "Care home fees", "purpose": "decision", "urgency_reason": "x", "organisations": [stranger.pk]},
    )
    assert response.status_code == 200
    assert "Choose organisations from the list." in response.content.decode()
    assert not meeting.agenda_items.filter(title="Care home fees").exists()


def test_papers_name_organisations_on_upload_and_edit(client, world):
    client.force_login(world.cast.secretariat)
    response = client.post(
        _url("staff_paper_upload", world, world.exempt_item.pk),
        {
            "title": "Bid summary",
            "file": pdf_file("bid.pdf"),
            "organisations": [world.hospice.pk],
            "change_reason": "The bids are summarised.",
        },
    )
    assert response.status_code == 302
    paper = world.exempt_item.papers.get(title="Bid summary")
    assert list(paper.organisations.all()) == [world.hospice]
    response = client.post(
        _url("staff_paper_edit", world, paper.pk), {"title": "Bid summary", "organisations": [], "change_reason": "x"}
    )
    assert response.status_code == 302
    assert not paper.organisations.exists()
    assert paper.title == "Bid summary"


@pytest.mark.parametrize("who", ["other_secretariat", "member", "chair"])
def test_only_this_secretariat_names_organisations(client, world, who):
    user = world.other_secretariat if who == "other_secretariat" else getattr(world.cast, who)
    client.force_login(user)
    response = client.post(
        _url("staff_item_edit", world, world.exempt_item.pk),
        {"title": "x", "purpose": "decision", "organisations": []},
    )
    assert response.status_code in {403, 404}
    assert list(world.exempt_item.organisations.all()) == [world.cic]


def test_the_policy_is_set_with_the_partnership_details(client, world):
    partnership = world.cast.partnership
    url = reverse("workspace:partnership_edit", args=[partnership.slug])
    client.force_login(world.cast.secretariat)
    page = client.get(url).content.decode()
    assert "Conflicts of interest" in page and 'value="withhold" checked' in page
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if v is not None}
    data["conflicts_policy"] = ConflictsPolicy.READ
    data["access_rule"] = partnership.access_rule
    for name in ("quorum_requires_icb", "quorum_requires_council", "quorum_substitutes_count"):
        if not data.get(name):
            data.pop(name, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    partnership.refresh_from_db()
    assert partnership.conflicts_policy == ConflictsPolicy.READ
    assert AuditEvent.objects.filter(changes__conflicts_policy=["withhold", "read"]).exists()


@pytest.mark.parametrize("who", ["other_secretariat", "member", "chair"])
def test_only_this_secretariat_sets_the_policy(client, world, who):
    user = world.other_secretariat if who == "other_secretariat" else getattr(world.cast, who)
    client.force_login(user)
    url = reverse("workspace:partnership_edit", args=[world.cast.partnership.slug])
    assert client.post(url, {"conflicts_policy": "read"}).status_code in {403, 404}
    world.cast.partnership.refresh_from_db()
    assert world.cast.partnership.conflicts_policy == ConflictsPolicy.WITHHOLD


def test_the_prompts_show_when_publishing_and_taking_attendance(client, world):
    meeting = MeetingFactory(partnership=world.cast.partnership)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Hospice grant")
    item.organisations.set([world.hospice])
    client.force_login(world.cast.secretariat)
    slug = world.cast.partnership.slug
    expected = f"{world.co_chair.display_name} has a financial interest in Riverside Hospice, named on item 1"
    for url in (
        reverse("meetings:staff_meeting", args=[slug, meeting.pk]),
        reverse("meetings:staff_publish", args=[slug, meeting.pk]),
        reverse("record:attendance", args=[slug, meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert expected in response.content.decode(), url
