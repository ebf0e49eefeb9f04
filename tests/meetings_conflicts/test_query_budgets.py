"""The pages that show conflicts prompts or withhold papers run a fixed number of queries,
however many members, interests, items, papers and organisations."""

import pytest
from django.urls import reverse

from meetings.factories import AgendaItemFactory
from meetings.models import Declaration
from membership.factories import InterestFactory, MembershipFactory
from membership.models import Interest
from membership.permissions import permissions_sync
from partnerships.factories import OrganisationFactory

from .conftest import paper_with_text

# Most queries each page may run for these tests' meeting, measured (signed in: the session, the
# user and the second factor cost three). The prompts cost four when the agenda names anything (two
# for what it names, one for the registers of the people checked, one for the declarations);
# who is withheld what, one more beside them (the exempt papers; the rest is the prompts' reads), and
# for one member five (the exempt papers, what they name, their declarations, their register);
# the papers tabled again from another item (considerations), one on the staff page and two on the
# meeting page (the papers, and their steps at other items), only when an item has one.
BUDGETS = {
    "staff meeting": 16,
    "publish": 12,
    "attendance": 14,
    "meeting (member withheld a paper)": 22,
}


def _grow(world, n):
    """`n` more members, each with a financial interest in an organisation an exempt item names,
    with a paper each, and a declaration."""
    meeting = world.meeting
    start = meeting.agenda_items.count()
    for i in range(n):
        organisation = OrganisationFactory(name=f"Provider {start + i}")
        item = AgendaItemFactory(meeting=meeting, position=start + i + 1, title=f"Contract {i}", exempt=True)
        item.organisations.set([organisation, world.cic])
        paper = paper_with_text(item, f"Bid {i}", "bid")
        paper.organisations.set([world.hospice])
        person = MembershipFactory(partnership=world.cast.partnership).person
        interest = InterestFactory(
            person=person, category=Interest.Category.FINANCIAL, organisation_name=organisation.name
        )
        Declaration.objects.create(meeting=meeting, agenda_item=item, person=person, interest=interest, description="x")
    permissions_sync(world.cast.partnership)


def _pages(world):
    slug, pk = world.cast.partnership.slug, world.meeting.pk
    return {
        "staff meeting": (reverse("meetings:staff_meeting", args=[slug, pk]), world.cast.secretariat),
        "publish": (reverse("meetings:staff_publish", args=[slug, pk]), world.cast.secretariat),
        "attendance": (reverse("record:attendance", args=[slug, pk]), world.cast.secretariat),
        "meeting (member withheld a paper)": (world.meeting.get_absolute_url(), world.cast.member),
    }


@pytest.mark.parametrize("page", list(BUDGETS))
def test_fixed_number_of_queries(client, world, page, django_assert_max_num_queries):
    if page == "publish":
        # The publish page asks before publishing: the prompts are shown on an unpublished agenda.
        world.meeting.agenda_published_at = None
        world.meeting.save(update_fields=["agenda_published_at"])
    counts = []
    for n in (1, 6):
        _grow(world, n)
        url, user = _pages(world)[page]
        client.force_login(user)
        assert client.get(url).status_code == 200  # warms process-wide caches
        with django_assert_max_num_queries(BUDGETS[page]) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{page}: {counts}"
