"""The permission rules of membership.permissions, with the shared cast."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm

from membership.factories import (
    ChairAppointmentFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatAssignmentFactory,
    UserFactory,
)
from membership.models import Person
from membership.permissions import (
    ALL,
    APPROVE_STRATEGY,
    MANAGE,
    VIEW_EXEMPT,
    partnerships_for_user,
    permissions_sync,
    permissions_sync_all,
    two_factor_required,
    user_can,
)
from membership.tasks import sync_all_permissions
from partnerships.factories import PartnershipFactory
from partnerships.models import Partnership

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def fresh(user):
    """The user as the next request would load them, with no cached permissions."""
    return get_user_model().objects.get(pk=user.pk)


# The contract: who may do what on the cast's partnership and on another one.
MATRIX = [
    ("secretariat", "partnership", {MANAGE, VIEW_EXEMPT}),
    ("chair", "partnership", {APPROVE_STRATEGY, VIEW_EXEMPT}),
    ("co_chair", "partnership", {APPROVE_STRATEGY, VIEW_EXEMPT}),
    ("member", "partnership", {VIEW_EXEMPT}),
    ("other_member", "partnership", set()),
    ("stranger", "partnership", set()),
    ("secretariat", "other_partnership", set()),
    ("chair", "other_partnership", set()),
    ("member", "other_partnership", set()),
    ("other_member", "other_partnership", {VIEW_EXEMPT}),
]


@pytest.mark.parametrize(("who", "where", "allowed"), MATRIX)
def test_permission_matrix(cast, who, where, allowed):
    user, partnership = getattr(cast, who), getattr(cast, where)
    assert {codename for codename in ALL if user_can(fresh(user), codename, partnership)} == allowed


def test_anonymous_visitors_can_do_nothing(cast):
    assert not any(user_can(AnonymousUser(), codename, cast.partnership) for codename in ALL)
    assert not partnerships_for_user(AnonymousUser(), VIEW_EXEMPT).exists()


def test_member_whose_term_ended_yesterday_loses_access_at_the_daily_sync(cast):
    user = UserFactory(username="leaver")
    MembershipFactory(
        partnership=cast.partnership,
        person=PersonFactory(user=user),
        start_date=TODAY - dt.timedelta(days=400),
        end_date=YESTERDAY,
        end_reason="Stood down",
    )
    permissions_sync(cast.partnership, on=YESTERDAY)  # the sync on their last day
    assert user_can(fresh(user), VIEW_EXEMPT, cast.partnership)

    sync_all_permissions.delay()  # today's run of the daily beat task

    assert not user_can(fresh(user), VIEW_EXEMPT, cast.partnership)
    assert cast.partnership not in partnerships_for_user(fresh(user), VIEW_EXEMPT)
    assert user_can(fresh(cast.member), VIEW_EXEMPT, cast.partnership)  # a current member keeps access


def test_member_whose_term_starts_tomorrow_gains_access_at_the_sync_on_that_day(cast):
    user = UserFactory(username="joiner")
    MembershipFactory(partnership=cast.partnership, person=PersonFactory(user=user), start_date=TOMORROW)

    sync_all_permissions.apply()
    assert not user_can(fresh(user), VIEW_EXEMPT, cast.partnership)

    permissions_sync_all(on=TOMORROW)  # what the daily task does tomorrow
    assert user_can(fresh(user), VIEW_EXEMPT, cast.partnership)


def test_chair_of_one_partnership_cannot_approve_another_partnerships_strategy(cast):
    assert user_can(fresh(cast.chair), APPROVE_STRATEGY, cast.partnership)
    assert not user_can(fresh(cast.chair), APPROVE_STRATEGY, cast.other_partnership)
    assert list(partnerships_for_user(fresh(cast.chair), APPROVE_STRATEGY)) == [cast.partnership]


def test_vice_chair_cannot_approve_the_strategy(cast):
    user = UserFactory(username="vice_chair")
    person = PersonFactory(user=user)
    ChairAppointmentFactory(partnership=cast.partnership, person=person, role="vice_chair")
    MembershipFactory(partnership=cast.partnership, person=person)
    permissions_sync(cast.partnership)
    assert not user_can(fresh(user), APPROVE_STRATEGY, cast.partnership)
    assert user_can(fresh(user), VIEW_EXEMPT, cast.partnership)  # as a member


def test_chair_whose_appointment_ended_can_no_longer_approve(cast):
    user = UserFactory(username="former_chair")
    ChairAppointmentFactory(
        partnership=cast.partnership, person=PersonFactory(user=user), role="co_chair", end_date=YESTERDAY
    )
    sync_all_permissions.delay()
    assert not user_can(fresh(user), APPROVE_STRATEGY, cast.partnership)


def test_parent_secretariat_cannot_manage_a_sub_partnership_unless_assigned_there(cast):
    sub = PartnershipFactory(
        ics=cast.partnership.ics, parent=cast.partnership, kind=Partnership.Kind.AREA, name="North Area ICP"
    )
    permissions_sync(sub)
    assert user_can(fresh(cast.secretariat), MANAGE, cast.partnership)
    assert not user_can(fresh(cast.secretariat), MANAGE, sub)
    assert not user_can(fresh(cast.secretariat), VIEW_EXEMPT, sub)

    SecretariatAssignmentFactory(partnership=sub, user=cast.secretariat)
    permissions_sync(sub)
    assert user_can(fresh(cast.secretariat), MANAGE, sub)
    assert set(partnerships_for_user(fresh(cast.secretariat), MANAGE)) == {cast.partnership, sub}


def test_sub_partnership_members_and_chairs_get_nothing_on_the_parent(cast):
    sub = PartnershipFactory(
        ics=cast.partnership.ics, parent=cast.partnership, kind=Partnership.Kind.AREA, name="North Area ICP"
    )
    user = UserFactory(username="area_chair")
    person = PersonFactory(user=user)
    ChairAppointmentFactory(partnership=sub, person=person, role="chair")
    MembershipFactory(partnership=sub, person=person)
    permissions_sync(sub)
    assert user_can(fresh(user), APPROVE_STRATEGY, sub)
    assert not any(user_can(fresh(user), codename, cast.partnership) for codename in ALL)


@pytest.mark.parametrize("role", ["observer", "adviser"])
def test_observers_and_advisers_do_not_read_exempt_papers(cast, role):
    user = UserFactory(username=role)
    MembershipFactory(partnership=cast.partnership, person=PersonFactory(user=user), role=role, is_voting=False)
    permissions_sync(cast.partnership)
    assert not any(user_can(fresh(user), codename, cast.partnership) for codename in ALL)


def test_participants_read_exempt_papers(cast):
    user = UserFactory(username="participant")
    MembershipFactory(partnership=cast.partnership, person=PersonFactory(user=user), role="participant")
    permissions_sync(cast.partnership)
    assert user_can(fresh(user), VIEW_EXEMPT, cast.partnership)
    assert not user_can(fresh(user), APPROVE_STRATEGY, cast.partnership)


def _permission_state():
    groups = {
        group.name: sorted(group.user_set.values_list("username", flat=True))
        for group in Group.objects.filter(name__startswith="partnership-")
    }
    grants = sorted(GroupObjectPermission.objects.values_list("group__name", "permission__codename", "object_pk"))
    return groups, grants


def test_sync_is_idempotent(cast):
    before = _permission_state()
    first = permissions_sync(cast.partnership)
    assert permissions_sync(cast.partnership) == first == {"secretariat": 1, "chairs": 2, "members": 1}
    sync_all_permissions.delay()
    sync_all_permissions.delay()
    assert _permission_state() == before
    assert sync_all_permissions.delay().get() == Partnership.objects.count()


def test_sync_removes_a_user_whose_account_is_unlinked(cast):
    Person.objects.filter(user=cast.member).update(user=None)
    permissions_sync(cast.partnership)
    assert not user_can(fresh(cast.member), VIEW_EXEMPT, cast.partnership)


def test_superusers_can_do_everything(cast):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    for partnership in (cast.partnership, cast.other_partnership):
        assert all(user_can(fresh(admin), codename, partnership) for codename in ALL)
    assert set(partnerships_for_user(fresh(admin), MANAGE)) == set(Partnership.objects.all())


def test_inactive_users_can_do_nothing(cast):
    admin = UserFactory(username="admin", is_superuser=True, is_active=False)
    cast.member.is_active = False
    cast.member.save()
    for user in (admin, cast.member):
        assert not any(user_can(fresh(user), codename, cast.partnership) for codename in ALL)
        assert not partnerships_for_user(fresh(user), VIEW_EXEMPT).exists()


def test_rights_come_only_from_roles_not_from_a_grant_to_the_account_alone(cast):
    # Guardian can grant a right to one account; nothing in the portal does. Were it done (by a
    # script or the admin shell), the account would still hold only what its roles give.
    assign_perm(f"partnerships.{MANAGE}", cast.stranger, cast.partnership)
    assign_perm(f"partnerships.{APPROVE_STRATEGY}", cast.member, cast.partnership)
    assert not user_can(fresh(cast.stranger), MANAGE, cast.partnership)
    assert not partnerships_for_user(fresh(cast.stranger), MANAGE).exists()
    assert not two_factor_required(fresh(cast.stranger))
    assert not user_can(fresh(cast.member), APPROVE_STRATEGY, cast.partnership)
    assert user_can(fresh(cast.member), VIEW_EXEMPT, cast.partnership)
    assert list(partnerships_for_user(fresh(cast.secretariat), MANAGE)) == [cast.partnership]
    assert two_factor_required(fresh(cast.secretariat))


def test_a_page_asking_several_rights_on_a_partnership_reads_them_once(cast, django_assert_num_queries):
    user = fresh(cast.secretariat)
    with django_assert_num_queries(1):  # what the user's role groups hold on the partnership
        assert user_can(user, MANAGE, cast.partnership)
        assert user_can(user, VIEW_EXEMPT, cast.partnership)
        assert not user_can(user, APPROVE_STRATEGY, cast.partnership)


def test_a_right_removed_is_gone_from_the_next_request(cast, client):
    client.force_login(cast.secretariat)
    dashboard = reverse("workspace:dashboard", args=[cast.partnership.slug])
    assert client.get(dashboard).status_code == 200
    cast.partnership.secretariat_assignments.filter(user=cast.secretariat).update(end_date=YESTERDAY)
    permissions_sync(cast.partnership)
    assert client.get(dashboard).status_code == 403
