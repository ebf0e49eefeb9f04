"""How people and roles are shaped for the public pages."""

import datetime as dt

from membership.models import ChairAppointment, Membership
from membership.presenters import members_by_sector, membership_title, person_roles
from membership.templatetags.people import lower_first
from partnerships.models import Partnership

ON = dt.date(2025, 6, 1)


def seat(sector="vcse", role="member", is_voting=True, **term):
    return Membership(sector=sector, role=role, is_voting=is_voting, start_date=dt.date(2024, 1, 1), **term)


def test_members_are_grouped_by_sector_in_the_order_of_the_sectors():
    council, trust, icb, other = seat("local_authority"), seat("nhs_trust"), seat("icb"), seat("retired_sector")
    groups = members_by_sector([council, trust, icb, other])
    assert [(group.label, group.memberships) for group in groups] == [
        ("Integrated care board", [icb]),
        ("Local authority", [council]),
        ("NHS trust or foundation trust", [trust]),
        ("retired_sector", [other]),
    ]
    assert members_by_sector([]) == []


def test_membership_title_says_when_a_member_has_no_vote():
    assert membership_title(seat()) == "Member"
    assert membership_title(seat(role="participant", is_voting=False)) == "Participant (non-voting)"
    assert membership_title(seat(role="observer", is_voting=False)) == "Observer"


def test_person_roles_split_current_upcoming_and_past():
    icp, old = Partnership(pk=1, name="ICP"), Partnership(pk=2, name="Old ICP")
    current = Membership(partnership=icp, role="member", start_date=dt.date(2022, 7, 1), seat="Director")
    ends_today = Membership(partnership=icp, role="member", start_date=dt.date(2020, 1, 1), end_date=ON)
    chair = ChairAppointment(partnership=icp, role="co_chair", start_date=dt.date(2022, 7, 1))
    upcoming = ChairAppointment(partnership=icp, role="chair", start_date=ON + dt.timedelta(days=1))
    past_early = Membership(
        partnership=old, role="member", start_date=dt.date(2019, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    past_late = Membership(partnership=old, role="member", start_date=dt.date(2020, 1, 2), end_date=dt.date(2021, 1, 1))
    roles = person_roles(
        memberships=[current, ends_today, past_early, past_late],
        chair_appointments=[chair, upcoming],
        public_partnership_ids={1},
        on=ON,
    )
    assert [(role.title, role.start_date) for role in roles.current] == [
        ("Co-chair", dt.date(2022, 7, 1)),  # a chair appointment before a seat of the same date
        ("Member", dt.date(2022, 7, 1)),
        ("Member", dt.date(2020, 1, 1)),  # the last day of a term is still in it
    ]
    assert roles.current[0].is_chair and not roles.current[1].is_chair
    assert [role.title for role in roles.upcoming] == ["Chair"]
    assert [role.end_date for role in roles.past] == [dt.date(2021, 1, 1), dt.date(2020, 1, 1)]
    assert all(role.partnership_is_public for role in roles.current)
    assert not any(role.partnership_is_public for role in roles.past)


def test_lower_first_keeps_acronyms():
    assert lower_first("Jointly by the ICB and the local authorities") == "jointly by the ICB and the local authorities"
    assert lower_first("") == ""
