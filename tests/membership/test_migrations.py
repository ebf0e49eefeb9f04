"""The data migrations that close the account-link and contact-details findings on existing data.

They are run here on today's models (the migration functions take an app registry), against
rows as the workspace wrote them before secretariats stopped linking accounts."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from audit.services import audit_record
from membership.factories import (
    ChairAppointmentFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatAssignmentFactory,
    UserFactory,
)
from membership.permissions import APPROVE_STRATEGY, MANAGE, VIEW_EXEMPT, permissions_sync, user_can
from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory
from partnerships.models import Partnership

added_for_from_audit_log = import_module(
    "membership.migrations.0004_person_added_for_from_audit_log"
).added_for_from_audit_log
unlink_accounts = import_module(
    "membership.migrations.0005_unlink_accounts_linked_across_partnerships"
).unlink_accounts_linked_across_partnerships


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def two(db):
    ics = IntegratedCareSystemFactory()
    strategic = PartnershipFactory(ics=ics, name="Northland Strategic ICP")
    area = PartnershipFactory(ics=ics, parent=strategic, kind=Partnership.Kind.AREA, name="Tyneside Area ICP")
    clerk = UserFactory(username="strategic-clerk")
    SecretariatAssignmentFactory(partnership=strategic, user=clerk)
    return strategic, area, clerk


def linked_by_the_old_workspace(person, user, *, actor, partnership):
    """What `person_update` did for a secretariat before: link, audit, re-sync."""
    person.user = user
    person.save()
    audit_record(
        actor=actor,
        action="membership.person.updated",
        obj=person,
        partnership=partnership,
        changes={"user": ["", user.username]},
    )
    for each in Partnership.objects.all():
        permissions_sync(each)


def test_a_link_a_secretariat_made_to_another_partnerships_chair_is_undone(two):
    strategic, area, clerk = two
    chair = PersonFactory(given_name="Ada", family_name="Fellside", added_for=area)
    ChairAppointmentFactory(partnership=area, person=chair, role="chair")
    MembershipFactory(partnership=strategic, person=chair)
    linked_by_the_old_workspace(chair, clerk, actor=clerk, partnership=strategic)
    assert user_can(fresh(clerk), APPROVE_STRATEGY, area)

    unlink_accounts(apps, None)

    chair.refresh_from_db()
    assert chair.user is None
    clerk = fresh(clerk)
    assert not user_can(clerk, APPROVE_STRATEGY, area)
    assert not user_can(clerk, VIEW_EXEMPT, area)
    assert user_can(clerk, MANAGE, strategic)  # its own secretariat role is untouched
    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.partnership, event.object_repr) == (None, area, "Ada Fellside")
    assert event.changes["user"] == ["strategic-clerk", ""]
    assert "made by strategic-clerk" in event.changes["reason"]


def test_links_by_an_administrator_by_the_partnerships_own_secretariat_or_outside_the_workspace_stay(two):
    strategic, area, clerk = two
    administrator = UserFactory(is_superuser=True)
    by_administrator = PersonFactory(added_for=area)
    ChairAppointmentFactory(partnership=area, person=by_administrator)
    linked_by_the_old_workspace(by_administrator, UserFactory(), actor=administrator, partnership=area)
    own = PersonFactory(added_for=strategic)
    MembershipFactory(partnership=strategic, person=own)
    linked_by_the_old_workspace(own, UserFactory(), actor=clerk, partnership=strategic)
    demo = PersonFactory(added_for=area, user=UserFactory())
    MembershipFactory(partnership=area, person=demo)

    unlink_accounts(apps, None)

    for person in (by_administrator, own, demo):
        person.refresh_from_db()
        assert person.user is not None
    assert not AuditEvent.objects.filter(changes__has_key="reason").exists()


def test_people_added_before_added_for_are_given_it_from_the_audit_log(two):
    strategic, area, clerk = two
    from_log = PersonFactory()
    audit_record(actor=clerk, action="membership.person.created", obj=from_log, partnership=strategic)
    MembershipFactory(partnership=area, person=from_log)
    demo = PersonFactory(is_demonstration=True)
    MembershipFactory(partnership=area, person=demo)
    MembershipFactory(partnership=strategic, person=demo)
    unknown = PersonFactory()
    MembershipFactory(partnership=area, person=unknown)

    added_for_from_audit_log(apps, None)

    for person in (from_log, demo, unknown):
        person.refresh_from_db()
    assert (from_log.added_for, demo.added_for, unknown.added_for) == (strategic, area, None)
