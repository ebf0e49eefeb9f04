"""The workspace's reads: the statutory composition check and the interest reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from membership.factories import InterestFactory, MembershipFactory, NilReturnFactory, PersonFactory
from membership.selectors import (
    a_year_before,
    composition_gaps,
    current_and_starting_members,
    interest_reminders,
    system_people,
)
from partnerships.factories import (
    IntegratedCareSystemFactory,
    LocalAuthorityFactory,
    PartnershipFactory,
    SystemLocalAuthorityFactory,
)
from partnerships.models import Partnership

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
A_YEAR_AGO = TODAY - dt.timedelta(days=365)


@pytest.fixture
def system(db):
    """A system with its ICB, two whole councils and one partly in it, and its statutory ICP."""
    ics = IntegratedCareSystemFactory(name="Testshire")
    councils = [
        SystemLocalAuthorityFactory(ics=ics, local_authority=LocalAuthorityFactory(name="Aville Council")),
        SystemLocalAuthorityFactory(ics=ics, local_authority=LocalAuthorityFactory(name="Beeton Council")),
        SystemLocalAuthorityFactory(
            ics=ics, local_authority=LocalAuthorityFactory(name="Ceeford Council"), lsoa_share_pct=Decimal("12.5")
        ),
    ]
    partnership = PartnershipFactory(ics=ics)
    return ics, [area.local_authority for area in councils], partnership


def names(gaps):
    return [gap.organisation.name for gap in gaps]


def test_with_no_members_the_icb_and_every_council_are_missing(system):
    ics, councils, partnership = system
    gaps = composition_gaps(partnership)
    assert names(gaps) == [ics.icb.name, "Aville Council", "Beeton Council", "Ceeford Council"]
    assert [gap.is_icb for gap in gaps] == [True, False, False, False]
    assert gaps[3].share_pct == Decimal("12.5")
    assert gaps[1].share_pct is None


def test_only_current_members_represent_a_body(system):
    ics, (aville, beeton, ceeford), partnership = system
    MembershipFactory(partnership=partnership, organisation=ics.icb)
    MembershipFactory(partnership=partnership, organisation=aville)
    MembershipFactory(partnership=partnership, organisation=beeton, start_date=A_YEAR_AGO, end_date=YESTERDAY)
    MembershipFactory(partnership=partnership, organisation=ceeford, start_date=TODAY + dt.timedelta(days=7))
    assert names(composition_gaps(partnership)) == ["Beeton Council", "Ceeford Council"]
    # On the day the future member starts, Ceeford is represented.
    assert names(composition_gaps(partnership, on=TODAY + dt.timedelta(days=7))) == ["Beeton Council"]


def test_the_dashboard_reads_current_and_starting_members_once_and_checks_the_composition_from_them(
    system, django_assert_num_queries
):
    ics, (aville, beeton, ceeford), partnership = system
    icb = MembershipFactory(partnership=partnership, organisation=ics.icb)
    MembershipFactory(partnership=partnership, organisation=beeton, start_date=A_YEAR_AGO, end_date=YESTERDAY)
    later = MembershipFactory(partnership=partnership, organisation=ceeford, start_date=TODAY + dt.timedelta(days=9))
    sooner = MembershipFactory(partnership=partnership, organisation=aville, start_date=TODAY + dt.timedelta(days=7))
    with django_assert_num_queries(1):
        current, starting = current_and_starting_members(partnership, TODAY)
    assert (current, starting) == ([icb], [sooner, later])
    with django_assert_num_queries(2):
        gaps = composition_gaps(partnership, TODAY, members=current)
    assert (
        names(gaps)
        == names(composition_gaps(partnership, TODAY))
        == ["Aville Council", "Beeton Council", "Ceeford Council"]
    )


def test_a_council_is_required_only_while_it_has_a_place_in_the_system(system):
    ics, (aville, beeton, ceeford), partnership = system
    # Beeton moved to another system yesterday; Deeham joins next week; Ceeford's share changed
    # yesterday, which ended its row and started another.
    beeton.system_areas.filter(ics=ics).update(valid_to=YESTERDAY)
    deeham = LocalAuthorityFactory(name="Deeham Council")
    SystemLocalAuthorityFactory(ics=ics, local_authority=deeham, valid_from=TODAY + dt.timedelta(days=7))
    ceeford.system_areas.filter(ics=ics).update(valid_to=YESTERDAY)
    SystemLocalAuthorityFactory(ics=ics, local_authority=ceeford, lsoa_share_pct=Decimal("20.0"), valid_from=TODAY)
    gaps = composition_gaps(partnership)
    assert names(gaps) == [ics.icb.name, "Aville Council", "Ceeford Council"]
    assert gaps[2].share_pct == Decimal("20.0")
    assert names(composition_gaps(partnership, on=YESTERDAY)) == [
        ics.icb.name,
        "Aville Council",
        "Beeton Council",
        "Ceeford Council",
    ]
    assert "Deeham Council" in names(composition_gaps(partnership, on=TODAY + dt.timedelta(days=7)))


def test_a_member_of_another_partnership_does_not_count(system):
    ics, councils, partnership = system
    MembershipFactory(partnership=PartnershipFactory(), organisation=ics.icb)
    assert ics.icb.name in names(composition_gaps(partnership))


def test_a_council_that_has_ceased_is_not_required(system):
    ics, (aville, beeton, ceeford), partnership = system
    beeton.valid_to = A_YEAR_AGO
    beeton.save()
    assert "Beeton Council" not in names(composition_gaps(partnership))


def test_sub_partnerships_agree_their_own_composition(system):
    ics, councils, partnership = system
    area = PartnershipFactory(ics=ics, parent=partnership, kind=Partnership.Kind.AREA, name="Area ICP")
    assert composition_gaps(area) == []


def test_composition_gaps_use_two_queries(system, django_assert_num_queries):
    ics, councils, partnership = system
    with django_assert_num_queries(2):
        composition_gaps(partnership)


def test_north_east_and_north_cumbria_needs_its_icb_and_fourteen_councils(reference_data):
    from partnerships.models import IntegratedCareSystem

    ics = IntegratedCareSystem.objects.get(slug="north-east-and-north-cumbria")
    partnership = PartnershipFactory(ics=ics)
    gaps = composition_gaps(partnership)
    assert gaps[0].organisation.name == "NHS North East and North Cumbria Integrated Care Board"
    assert len(gaps) == 15
    partial = {gap.organisation.name: gap.share_pct for gap in gaps if gap.share_pct}
    assert partial == {"Cumberland Council": Decimal("96.6"), "Westmorland and Furness Council": Decimal("25.4")}


# Interest reminders


def test_members_who_never_declared_or_declared_over_a_year_ago_are_reminded(db):
    partnership = PartnershipFactory()
    never = MembershipFactory(partnership=partnership, person=PersonFactory(family_name="Never"))
    stale = MembershipFactory(partnership=partnership, person=PersonFactory(family_name="Stale"))
    InterestFactory(person=stale.person, declared_on=TODAY - dt.timedelta(days=400))
    fresh_interest = MembershipFactory(partnership=partnership, person=PersonFactory(family_name="Fresh"))
    InterestFactory(person=fresh_interest.person, declared_on=TODAY - dt.timedelta(days=330))
    fresh_nil = MembershipFactory(partnership=partnership, person=PersonFactory(family_name="Nil"))
    InterestFactory(person=fresh_nil.person, declared_on=TODAY - dt.timedelta(days=900))
    NilReturnFactory(person=fresh_nil.person, declared_on=TODAY - dt.timedelta(days=60))
    # A past member is not reminded, however old their declaration.
    MembershipFactory(partnership=partnership, start_date=A_YEAR_AGO, end_date=YESTERDAY)

    reminders = interest_reminders(partnership)

    assert [r.membership for r in reminders] == [never, stale]
    assert reminders[0].last_declared_on is None
    assert reminders[1].last_declared_on == TODAY - dt.timedelta(days=400)


def test_a_declaration_exactly_a_year_old_is_still_in_date(db):
    partnership = PartnershipFactory()
    membership = MembershipFactory(partnership=partnership)
    NilReturnFactory(person=membership.person, declared_on=a_year_before(TODAY))
    assert interest_reminders(partnership) == []
    assert [r.membership for r in interest_reminders(partnership, on=TODAY + dt.timedelta(days=1))] == [membership]


def test_a_year_before_a_leap_day():
    assert a_year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_interest_reminders_use_one_query_however_many_members(db, django_assert_num_queries):
    partnership = PartnershipFactory()
    for n in range(30):
        membership = MembershipFactory(partnership=partnership)
        if n % 2:
            InterestFactory(person=membership.person, declared_on=TODAY - dt.timedelta(days=500))
    with django_assert_num_queries(1):
        assert len(interest_reminders(partnership)) == 30


def test_system_people_are_those_of_any_partnership_in_the_system(db):
    partnership = PartnershipFactory()
    area = PartnershipFactory(ics=partnership.ics, parent=partnership, kind=Partnership.Kind.AREA, name="Area")
    on_area = MembershipFactory(partnership=area).person
    added_here = PersonFactory(added_for=partnership)
    elsewhere = MembershipFactory().person
    people = set(system_people(partnership))
    assert {on_area, added_here} <= people
    assert elsewhere not in people
