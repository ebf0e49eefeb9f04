"""'Who runs my ICP, when do they meet next, what did they decide last time': the next public
meeting, the latest public minutes and the latest public decisions, on the system, partnership
and place pages, for every reader only what the public may read."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory, MinutesFactory
from meetings.glance import partnerships_at_a_glance
from meetings.models import Meeting, Minutes
from partnerships.factories import LocalAuthorityFactory, PartnershipFactory, SystemLocalAuthorityFactory
from partnerships.models import Partnership, Place

from .conftest import in_days


@pytest.fixture
def board(cast):
    """The cast's partnership with a past meeting (approved minutes, public and exempt decisions),
    a more recent one with draft minutes, and an upcoming public meeting with its agenda published."""
    partnership = cast.partnership
    older = MeetingFactory(partnership=partnership, title="Spring board", starts_at=in_days(-90), venue="Town Hall")
    MinutesFactory(meeting=older, status=Minutes.Status.APPROVED, published_at=timezone.now())
    DecisionFactory(meeting=older, reference="ICP/1", wording="Adopted the strategy.")
    recent = MeetingFactory(partnership=partnership, title="Summer board", starts_at=in_days(-20))
    MinutesFactory(meeting=recent, published_at=timezone.now())
    DecisionFactory(meeting=recent, reference="ICP/2", wording="Agreed the winter plan.")
    exempt_item = AgendaItemFactory(meeting=recent, exempt=True, title="Contract award")
    DecisionFactory(meeting=recent, agenda_item=exempt_item, reference="ICP/3", wording="Awarded the SECRET contract.")
    upcoming = MeetingFactory(
        partnership=partnership,
        title="Autumn board",
        starts_at=in_days(30),
        venue="Civic Centre, Room 4",
        agenda_published_at=timezone.now(),
    )
    return partnership, older, recent, upcoming


def test_the_glance_gives_the_next_meeting_latest_minutes_and_latest_decisions(board):
    partnership, _older, recent, upcoming = board
    [glance] = partnerships_at_a_glance([partnership])
    assert glance.next_meeting == upcoming
    assert glance.minutes_meeting == recent and glance.minutes.status == Minutes.Status.DRAFT
    assert glance.decisions_meeting == recent
    assert [d.reference for d in glance.decisions] == ["ICP/2"]  # the exempt item's decision is withheld


def test_private_sessions_cancelled_meetings_and_unpublished_minutes_are_left_out(board):
    partnership, older, recent, upcoming = board
    MeetingFactory(partnership=partnership, title="Private away day", starts_at=in_days(5), is_public=False)
    MeetingFactory(
        partnership=partnership, title="Called off", starts_at=in_days(10), status=Meeting.Status.CANCELLED, notice="x"
    )
    later = MeetingFactory(partnership=partnership, title="Private review", starts_at=in_days(-2), is_public=False)
    MinutesFactory(meeting=later, status=Minutes.Status.APPROVED, published_at=timezone.now())
    DecisionFactory(meeting=later, reference="ICP/9", wording="A private decision.")
    unpublished = MeetingFactory(partnership=partnership, title="Unminuted", starts_at=in_days(-1))
    MinutesFactory(meeting=unpublished)  # a draft not yet published
    [glance] = partnerships_at_a_glance([partnership])
    assert glance.next_meeting == upcoming
    assert glance.minutes_meeting == recent
    assert [d.reference for d in glance.decisions] == ["ICP/2"]


def test_approved_minutes_are_chosen_over_an_earlier_draft(board):
    partnership, _older, recent, _upcoming = board
    MinutesFactory(meeting=recent, version=2, status=Minutes.Status.APPROVED, published_at=timezone.now())
    [glance] = partnerships_at_a_glance([partnership])
    assert glance.minutes.version == 2 and glance.minutes.status == Minutes.Status.APPROVED


@pytest.mark.parametrize("who", [None, "member", "secretariat", "chair", "other_member", "stranger"])
def test_every_reader_of_the_partnership_page_sees_only_public_material(client, cast, board, who):
    partnership, _older, _recent, upcoming = board
    MeetingFactory(partnership=partnership, title="Private away day", starts_at=in_days(5), is_public=False)
    if who:
        client.force_login(getattr(cast, who))
    content = client.get(partnership.get_absolute_url()).content.decode()
    assert "When it meets next and what it decided" in content
    assert f'<a href="{upcoming.get_absolute_url()}">Autumn board</a>' in content
    assert "Civic Centre, Room 4" in content and "at 2pm" in content
    assert f'href="{upcoming.get_absolute_url()}#agenda"' in content
    assert "Minutes of Summer board" in content and "draft, not yet approved" in content
    assert "Agreed the winter plan." in content
    assert "SECRET" not in content and "Contract award" not in content
    assert "Private away day" not in content


def test_an_unpublished_agenda_is_said_to_be_not_published(client, cast):
    MeetingFactory(partnership=cast.partnership, title="Next board", starts_at=in_days(40))
    content = client.get(cast.partnership.get_absolute_url()).content.decode()
    assert "The agenda is not published yet." in content
    assert "No minutes are published yet." in content and "No decisions are recorded yet." in content


def test_system_page_answers_for_each_partnership(client, board):
    partnership, *_ = board
    content = client.get(partnership.ics.get_absolute_url()).content.decode()
    assert "Who runs the integrated care partnership" in content
    assert "Autumn board" in content and "Agreed the winter plan." in content
    assert "SECRET" not in content


def test_area_partnership_page_lists_its_councils_and_places_and_the_system_page_names_it(client, cast):
    icp = cast.partnership
    area = PartnershipFactory(ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name="North Area ICP")
    council = LocalAuthorityFactory(name="Gateshead Council")
    SystemLocalAuthorityFactory(ics=icp.ics, local_authority=council)
    place = Place.objects.create(ics=icp.ics, name="Gateshead", slug="gateshead")
    place.local_authorities.add(council)
    area.councils.add(council)
    area.places.add(place)
    content = client.get(area.get_absolute_url()).content.decode()
    assert "Councils (1)" in content and "Gateshead Council" in content
    assert f'<a href="{place.get_absolute_url()}">Gateshead</a>' in content
    system = client.get(icp.ics.get_absolute_url()).content.decode()
    assert f'<a href="{area.get_absolute_url()}">North Area ICP</a>' in system
    place_page = client.get(place.get_absolute_url())
    assert place_page.status_code == 200
    assert "Gateshead Council" in place_page.content.decode()
    assert "North Area ICP" in place_page.content.decode()


def test_unknown_place_is_404(client, cast):
    url = reverse("partnerships:place", args=[cast.partnership.ics.slug, "atlantis"])
    assert client.get(url).status_code == 404
    other = Place.objects.create(ics=cast.other_partnership.ics, name="Elsewhere", slug="elsewhere")
    url = reverse("partnerships:place", args=[cast.partnership.ics.slug, other.slug])
    assert client.get(url).status_code == 404  # a place belongs to its own system


def test_glance_queries_do_not_grow_with_partnerships_or_meetings(cast, django_assert_max_num_queries):
    partnerships = [cast.partnership, cast.other_partnership, *PartnershipFactory.create_batch(3)]
    for partnership in partnerships:
        for days in (-60, -30, 20, 40):
            meeting = MeetingFactory(partnership=partnership, starts_at=in_days(days))
            if days < 0:
                MinutesFactory(meeting=meeting, published_at=timezone.now())
                DecisionFactory.create_batch(2, meeting=meeting)
    with django_assert_max_num_queries(4):
        glances = partnerships_at_a_glance(partnerships)
        assert all(g.next_meeting and g.minutes and len(g.decisions) == 2 for g in glances)
        assert all(g.next_meeting.partnership for g in glances)
        assert [g.next_meeting.get_absolute_url() for g in glances]


def test_a_meeting_that_has_ended_is_no_longer_next(cast):
    ended = timezone.now() - dt.timedelta(hours=1)
    MeetingFactory(partnership=cast.partnership, starts_at=ended - dt.timedelta(hours=2), ends_at=ended)
    [glance] = partnerships_at_a_glance([cast.partnership])
    assert glance.next_meeting is None
