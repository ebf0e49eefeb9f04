"""Deactivating a person's sign-in account from the workspace (docs/accounts.md): a portal
administrator may, and a secretariat may for a person who sits only on partnerships it runs, as
for changing their details. And an account with no current role signs in to public material only."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meetings import services as meeting_services
from meetings.factories import AgendaItemFactory, MeetingFactory
from membership import accounts
from membership.factories import MembershipFactory, PersonFactory, SecretariatAssignmentFactory, UserFactory
from membership.models import Person
from membership.permissions import MANAGE, VIEW_EXEMPT, permissions_sync, user_can

User = get_user_model()
TODAY = timezone.localdate()


def workspace(name, cast, *args):
    return reverse(f"workspace:{name}", args=[cast.partnership.slug, *args])


def member_person(cast):
    return Person.objects.get(user=cast.member)


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_a_secretariat_deactivates_its_members_account(client, cast):
    person = member_person(cast)
    member_client = client.__class__()
    member_client.force_login(cast.member)
    assert member_client.get(reverse("workspace:home")).status_code == 200

    client.force_login(cast.secretariat)
    page = client.get(workspace("person", cast, person.slug)).content.decode()
    assert workspace("account_deactivate", cast, person.slug) in page
    response = client.post(workspace("account_deactivate", cast, person.slug))
    assert response.status_code == 302
    assert not fresh(cast.member).is_active
    assert not user_can(fresh(cast.member), VIEW_EXEMPT, cast.partnership)
    event = AuditEvent.objects.get(action="membership.account.deactivated")
    assert event.actor == cast.secretariat and event.partnership == cast.partnership
    # Signed out at once: the session of a deactivated account is no longer signed in.
    response = member_client.get(reverse("workspace:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # And the password no longer signs in.
    refused = client.__class__().post(reverse("login"), {"username": "member", "password": "a-test-password"})
    assert refused.status_code == 200


def test_a_deactivated_account_can_be_reactivated(client, cast):
    person = member_person(cast)
    accounts.account_deactivate(actor=cast.secretariat, partnership=cast.partnership, person=person)
    client.force_login(cast.secretariat)
    page = client.get(workspace("person", cast, person.slug)).content.decode()
    assert "Deactivated" in page and workspace("account_reactivate", cast, person.slug) in page
    client.post(workspace("account_reactivate", cast, person.slug))
    assert fresh(cast.member).is_active
    assert user_can(fresh(cast.member), VIEW_EXEMPT, cast.partnership)
    assert AuditEvent.objects.filter(action="membership.account.reactivated").exists()


def test_a_person_another_partnership_relies_on_is_deactivated_by_an_administrator(client, cast):
    """Their account is how the other partnership reaches them: only someone who runs every
    partnership relying on the person may switch it off."""
    person = member_person(cast)
    MembershipFactory(partnership=cast.other_partnership, person=person)
    client.force_login(cast.secretariat)
    response = client.post(workspace("account_deactivate", cast, person.slug))
    assert response.status_code == 200
    assert cast.other_partnership.name in response.content.decode()
    assert fresh(cast.member).is_active
    assert (
        workspace("account_deactivate", cast, person.slug)
        not in client.get(workspace("person", cast, person.slug)).content.decode()
    )

    administrator = UserFactory(username="administrator", is_staff=True, is_superuser=True)
    accounts.account_deactivate(actor=administrator, partnership=cast.partnership, person=person)
    assert not fresh(cast.member).is_active


def test_an_account_on_another_partnerships_secretariat_is_left_to_an_administrator(cast):
    person = member_person(cast)
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=cast.member)
    permissions_sync(cast.other_partnership)
    with pytest.raises(ValidationError, match=cast.other_partnership.name):
        accounts.account_deactivate(actor=cast.secretariat, partnership=cast.partnership, person=person)
    assert fresh(cast.member).is_active


def test_an_administrators_account_and_ones_own_are_refused(cast):
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    person = PersonFactory(user=chief, added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=person)
    with pytest.raises(ValidationError, match="portal administrator"):
        accounts.account_deactivate(actor=cast.secretariat, partnership=cast.partnership, person=person)
    mine = PersonFactory(user=cast.secretariat, added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=mine)
    with pytest.raises(ValidationError, match="your own account"):
        accounts.account_deactivate(actor=cast.secretariat, partnership=cast.partnership, person=mine)
    assert fresh(chief).is_active and fresh(cast.secretariat).is_active


def test_only_the_secretariat_reaches_the_page(client, cast):
    person = member_person(cast)
    for user in (cast.chair, cast.member, cast.other_member, cast.stranger):
        client.force_login(user)
        assert client.post(workspace("account_deactivate", cast, person.slug)).status_code == 403
    assert fresh(cast.member).is_active


def test_another_partnerships_person_is_not_found(client, cast):
    theirs = Person.objects.get(user=cast.other_member)
    client.force_login(cast.secretariat)
    assert client.post(workspace("account_deactivate", cast, theirs.slug)).status_code == 404
    assert fresh(cast.other_member).is_active


def test_an_account_without_a_current_role_signs_in_to_public_material_only(client, cast):
    """A member whose term ended keeps an account that signs in, and reads what the public reads."""
    membership = cast.partnership.memberships.get(person__user=cast.member)
    membership.end_date = TODAY - dt.timedelta(days=1)
    membership.end_reason = "Term ended."
    membership.save()
    permissions_sync(cast.partnership)
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=timezone.now() + dt.timedelta(days=30))
    AgendaItemFactory(meeting=meeting, position=1, title="Winter plan")
    AgendaItemFactory(meeting=meeting, position=2, exempt=True, title="Contract award", presenter="Jo Secret")
    meeting_services.agenda_publish(meeting=meeting, actor=None)

    response = client.post(reverse("login"), {"username": "member", "password": "a-test-password"}, follow=True)
    assert response.context["user"] == cast.member  # signed in
    assert cast.partnership.name not in response.content.decode()  # no partnership to work on
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Winter plan" in page and "Contract award" in page
    assert "Jo Secret" not in page  # an exempt item's presenter is members' material
    for codename in (VIEW_EXEMPT, MANAGE):
        assert not user_can(fresh(cast.member), codename, cast.partnership)
    client.force_login(cast.chair)  # who holds a role reads it
    assert "Jo Secret" in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page", ["account_deactivate", "person_edit"])
def test_a_refused_page_says_why_and_links_back_instead_of_offering_the_form(client, cast, page):
    person = member_person(cast)
    MembershipFactory(partnership=cast.other_partnership, person=person)
    client.force_login(cast.secretariat)
    response = client.get(workspace(page, cast, person.slug))
    html = response.content.decode()
    assert response.status_code == 200
    assert cast.other_partnership.name in html and 'class="nhsuk-inset-text"' in html
    assert f'href="{workspace("person", cast, person.slug)}">Back to {person}</a>' in html
    assert 'method="post"' not in html.split("<main", 1)[1]
    if page == "person_edit":
        assert "only someone who runs all of them may change it" in html
