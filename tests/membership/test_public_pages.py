"""The public partnership and person pages, read logged out."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from membership.factories import (
    ChairAppointmentFactory,
    InterestFactory,
    MembershipFactory,
    NilReturnFactory,
    PersonFactory,
)
from membership.models import Membership
from partnerships.factories import (
    IntegratedCareSystemFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    PartnershipFactory,
)
from partnerships.models import Organisation, Partnership

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def icp(db):
    return PartnershipFactory(
        ics=IntegratedCareSystemFactory(name="Riverside"),
        name="Riverside Integrated Care Partnership",
        purpose="To prepare the integrated care strategy for Riverside.",
        quorum_rule="A third of voting members, including one from the ICB and one from a council",
        contact_email="icp@riverside.example.org",
        website="https://riverside.example.org/icp/",
    )


def test_partnership_page_describes_the_partnership(client, icp):
    icp.terms_of_reference.save("terms.pdf", ContentFile(b"%PDF-1.4"), save=False)
    icp.terms_of_reference_adopted_on = dt.date(2022, 7, 1)
    icp.save()
    response = client.get(icp.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert icp.get_absolute_url() == f"/partnerships/{icp.slug}/"
    assert "<h1>Riverside Integrated Care Partnership</h1>" in content
    assert "Statutory integrated care partnership" in content
    assert "To prepare the integrated care strategy for Riverside." in content
    assert "A third of voting members, including one from the ICB and one from a council" in content
    assert "Local Government Act 1972, Part VA (access to information)" in content
    assert 'href="mailto:icp@riverside.example.org"' in content
    assert 'href="https://riverside.example.org/icp/"' in content
    assert f'href="/partnerships/{icp.slug}/terms-of-reference/"' in content
    assert "adopted on 1 July 2022" in content
    # Breadcrumbs: Home › Region › System.
    assert f'href="{icp.ics.region.get_absolute_url()}"' in content
    assert f'href="{icp.ics.get_absolute_url()}"' in content


def test_partnership_page_has_helpful_empty_states(client, db):
    icp = PartnershipFactory(purpose="", quorum_rule="", contact_email="")
    content = client.get(icp.get_absolute_url()).content.decode()
    assert "No members are recorded yet." in content
    assert "No chair is recorded at present." in content
    assert "The terms of reference have not been published here yet." in content
    assert "The partnership has not published a statement of its purpose yet." in content
    assert "Members (0)" in content


def test_partnership_page_lists_chairs_and_current_members_by_sector(client, icp):
    council = LocalAuthorityFactory(name="Riverside City Council")
    trust = OrganisationFactory(name="Riverside NHS Foundation Trust", sector=Organisation.Sector.NHS_TRUST)
    chair = PersonFactory(honorific="Cllr", given_name="Ada", family_name="Alder", email="ada.private@example.org")
    ChairAppointmentFactory(partnership=icp, person=chair, role="co_chair")
    ChairAppointmentFactory(
        partnership=icp, person=PersonFactory(given_name="Vic", family_name="Vetch"), role="vice_chair"
    )
    MembershipFactory(
        partnership=icp, person=chair, organisation=council, seat="Chair of the health and wellbeing board"
    )
    MembershipFactory(partnership=icp, person=PersonFactory(given_name="Tom", family_name="Teasel"), organisation=trust)
    MembershipFactory(
        partnership=icp,
        person=PersonFactory(given_name="Olive", family_name="Osier"),
        organisation=trust,
        role=Membership.Role.PARTICIPANT,
        is_voting=False,
    )
    MembershipFactory(
        partnership=icp,
        person=PersonFactory(given_name="Gone", family_name="Gorse"),
        start_date=dt.date(2020, 1, 1),
        end_date=YESTERDAY,
    )
    content = client.get(icp.get_absolute_url()).content.decode()
    assert "Co-chair" in content and "Vice-chair" in content
    assert "Appointed jointly by the ICB and the local authorities." in content
    assert f'href="{chair.get_absolute_url()}"' in content
    assert "Cllr Ada Alder" in content
    assert "Members (3)" in content
    assert "Local authority (1)" in content
    assert "NHS trust or foundation trust (2)" in content
    assert content.index("Local authority (1)") < content.index("NHS trust or foundation trust (2)")
    assert "Chair of the health and wellbeing board" in content
    assert "Participant (non-voting)" in content
    assert "Gorse" not in content  # a past member is on their own page, not the current list
    assert "ada.private@example.org" not in content


def test_partnership_page_shows_parent_and_sub_partnerships(client, icp):
    area = PartnershipFactory(ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name="Riverside North Area ICP")
    PartnershipFactory(ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name="Wound Up ICP", ended_on=YESTERDAY)
    content = client.get(icp.get_absolute_url()).content.decode()
    assert f'<a href="{area.get_absolute_url()}">Riverside North Area ICP</a>' in content
    assert "Area partnership (sub-partnership)" in content
    assert "Wound Up ICP" not in content
    content = client.get(area.get_absolute_url()).content.decode()
    assert "Part of" in content and f'href="{icp.get_absolute_url()}"' in content


def test_partnership_page_leaves_out_a_parent_the_public_may_not_see(client, icp):
    parent = PartnershipFactory(
        ics=icp.ics, kind=Partnership.Kind.ASSEMBLY, name="Wound Up Parent ICP", ended_on=YESTERDAY
    )
    area = PartnershipFactory(ics=icp.ics, parent=parent, kind=Partnership.Kind.AREA, name="Orphaned Area ICP")
    content = client.get(area.get_absolute_url()).content.decode()
    assert "Part of" not in content
    assert "Wound Up Parent ICP" not in content


def test_wound_up_and_unknown_partnerships_are_not_found(client, icp):
    ended = PartnershipFactory(ended_on=YESTERDAY)
    assert client.get(ended.get_absolute_url()).status_code == 404
    assert client.get(reverse("membership:partnership", args=["atlantis"])).status_code == 404


def test_person_page_shows_current_and_past_roles_and_the_register(client, icp):
    other = PartnershipFactory(name="Hillside Integrated Care Partnership")
    person = PersonFactory(
        honorific="Dr",
        given_name="Rowan",
        family_name="Reed",
        post_nominals="OBE",
        email="rowan.private@example.org",
        phone="07700 900123",
        is_demonstration=True,
    )
    council = LocalAuthorityFactory(name="Riverside City Council")
    MembershipFactory(
        partnership=icp,
        person=person,
        organisation=council,
        seat="Director of Public Health",
        start_date=dt.date(2022, 7, 1),
    )
    ChairAppointmentFactory(partnership=icp, person=person, role="vice_chair", start_date=dt.date(2023, 4, 1))
    MembershipFactory(
        partnership=other,
        person=person,
        seat="Director of Public Health",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 6, 30),
        end_reason="Moved to Riverside City Council",
    )
    MembershipFactory(
        partnership=PartnershipFactory(name="Lakeside ICP"), person=person, start_date=TODAY + dt.timedelta(days=7)
    )
    InterestFactory(
        person=person,
        category="financial",
        description="Shareholding in a care home company",
        organisation_name="Example Care Homes Ltd",
        start_date=dt.date(2019, 5, 1),
        declared_on=dt.date(2024, 4, 2),
    )
    NilReturnFactory(person=person, declared_on=dt.date(2023, 4, 3))

    response = client.get(person.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Dr Rowan Reed OBE</h1>" in content
    assert "Demonstration data: this is a fictional person" in content
    current = content[content.index("Current roles") : content.index("Roles starting soon")]
    assert "Vice-chair" in current and "Director of Public Health" in current and "Riverside City Council" in current
    assert f'href="{icp.get_absolute_url()}"' in current
    assert "1 July 2022" in current
    assert "Lakeside ICP" in content[content.index("Roles starting soon") : content.index("Past roles")]
    past = content[content.index("Past roles") : content.index("Register of interests")]
    assert "Hillside Integrated Care Partnership" in past
    assert "30 June 2022" in past and "Moved to Riverside City Council" in past
    assert "Financial interest" in content
    assert "Shareholding in a care home company" in content
    assert "Example Care Homes Ltd" in content
    assert "1 May 2019" in content and "Continuing" in content and "2 April 2024" in content
    assert "No interests to declare, declared on 3 April 2023." in content
    assert "rowan.private@example.org" not in content
    assert "07700 900123" not in content


def test_person_page_does_not_link_to_a_wound_up_partnership(client, db):
    ended = PartnershipFactory(name="Old Shadow ICP", ended_on=YESTERDAY)
    person = PersonFactory()
    MembershipFactory(partnership=ended, person=person, start_date=dt.date(2021, 1, 1), end_date=YESTERDAY)
    ChairAppointmentFactory(partnership=ended, person=person, start_date=dt.date(2021, 1, 1), end_date=YESTERDAY)
    content = client.get(person.get_absolute_url()).content.decode()
    assert content.count("Old Shadow ICP") == 2  # the seat and the chair
    assert f'href="{ended.get_absolute_url()}"' not in content


def test_person_page_empty_states(client, db):
    person = PersonFactory(given_name="Nadia", family_name="Newcome")
    content = client.get(person.get_absolute_url()).content.decode()
    assert "Nadia Newcome has no current role on a partnership." in content
    assert "No past roles are recorded." in content
    assert "No declarations of interest have been published for Nadia Newcome." in content
    assert "Demonstration data" not in content


def test_unknown_person_is_not_found(client, db):
    assert client.get(reverse("membership:person", args=["nobody"])).status_code == 404


@pytest.mark.parametrize("count", [2, 40])
def test_partnership_page_queries_do_not_grow_with_members(client, icp, django_assert_max_num_queries, count):
    PartnershipFactory(ics=icp.ics, parent=icp, kind=Partnership.Kind.AREA, name="Riverside North Area ICP")
    for _ in range(count):
        MembershipFactory(partnership=icp)
        ChairAppointmentFactory(partnership=icp, role="co_chair")
    # Seven more than the people: the councils and places covered, the partnerships merged into it
    # (partnerships) and the four of when it meets next and what it decided (meetings.glance).
    with django_assert_max_num_queries(11):
        assert client.get(icp.get_absolute_url()).status_code == 200
    sub = icp.sub_partnerships.get()
    MembershipFactory.create_batch(count, partnership=sub)
    with django_assert_max_num_queries(12):  # and one more for the parent
        assert client.get(sub.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [2, 40])
def test_person_page_queries_do_not_grow_with_roles(client, db, django_assert_max_num_queries, count):
    person = PersonFactory()
    for number in range(count):
        start = dt.date(2000 + number, 1, 1)
        MembershipFactory(
            person=person, start_date=start, end_date=start + dt.timedelta(days=300), end_reason="Term ended"
        )
        ChairAppointmentFactory(person=person, start_date=start)
        InterestFactory(person=person)
        NilReturnFactory(person=person)
    with django_assert_max_num_queries(6):
        assert client.get(person.get_absolute_url()).status_code == 200


def test_terms_of_reference_are_downloadable_through_the_portal(client, db):
    from django.core.files.base import ContentFile

    from partnerships.factories import PartnershipFactory

    partnership = PartnershipFactory()
    assert client.get(f"/partnerships/{partnership.slug}/terms-of-reference/").status_code == 404
    partnership.terms_of_reference.save("tor.pdf", ContentFile(b"%PDF-1.4 terms"), save=True)
    page = client.get(partnership.get_absolute_url()).content.decode()
    url = f"/partnerships/{partnership.slug}/terms-of-reference/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{partnership.slug}-terms-of-reference.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 terms"
