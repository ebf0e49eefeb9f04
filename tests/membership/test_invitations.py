"""Invitations by email: the only way, besides a portal administrator, that a sign-in account is
linked to a person (docs/accounts.md, docs/security.md "Accounts and people").

The cast's partnership has a secretariat; Nia Newcomer was added by it, has a seat from today and
no account. Each rule has a test that fails without it."""

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from membership import accounts
from membership.accounts import InvitationUnusable
from membership.factories import (
    ChairAppointmentFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatAssignmentFactory,
    UserFactory,
)
from membership.models import Invitation, Person
from membership.permissions import VIEW_EXEMPT, permissions_sync, user_can
from partnerships.factories import PartnershipFactory
from partnerships.models import Partnership

User = get_user_model()
TODAY = timezone.localdate()
PASSWORD = "a long and unusual passphrase"


# Sending limits are counted in the cache: each test starts from zero.
pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def newcomer(cast):
    person = PersonFactory(
        given_name="Nia", family_name="Newcomer", email="Nia.Newcomer@example.org", added_for=cast.partnership
    )
    MembershipFactory(partnership=cast.partnership, person=person, seat="Director of Public Health", start_date=TODAY)
    return person


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.secretariat)
    return client


def workspace(name, cast, *args):
    return reverse(f"workspace:{name}", args=[cast.partnership.slug, *args])


def send(client, cast, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(workspace("invitation_send", cast, person.slug))


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def invite(cast, person, django_capture_on_commit_callbacks, actor=None) -> str:
    """Send an invitation through the service; the path of its link."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accounts.invitation_send(actor=actor or cast.secretariat, partnership=cast.partnership, person=person)
    return link_in(mail.outbox[-1])


def accept(client, link, password=PASSWORD):
    return client.post(link, {"password1": password, "password2": password})


def text(response) -> str:
    return response.content.decode()


# Sending


def test_the_email_names_the_partnership_and_role_and_carries_a_link(
    signed_in, cast, newcomer, django_capture_on_commit_callbacks
):
    response = send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["Nia.Newcomer@example.org"]
    assert cast.partnership.name in message.subject
    assert cast.partnership.name in message.body
    assert "Member (Director of Public Health)" in message.body
    invitation = Invitation.objects.get()
    assert invitation.role == "Member (Director of Public Health)"
    assert invitation.created_by == cast.secretariat
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    # Only a digest of the token is stored: the link is in the email alone.
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    event = AuditEvent.objects.get(action="membership.invitation.sent")
    assert event.actor == cast.secretariat and event.partnership == cast.partnership
    # The address is private: the audit trail names the person and role only.
    assert "example.org" not in str(event.changes).lower()


def test_the_person_page_offers_the_invitation_and_shows_it_was_sent(
    signed_in, cast, newcomer, django_capture_on_commit_callbacks
):
    page = text(signed_in.get(workspace("person", cast, newcomer.slug)))
    assert workspace("invitation_send", cast, newcomer.slug) in page
    confirm = text(signed_in.get(workspace("invitation_send", cast, newcomer.slug)))
    assert "Nia.Newcomer@example.org" in confirm and "Member (Director of Public Health)" in confirm
    send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    page = text(signed_in.get(workspace("person", cast, newcomer.slug)))
    assert "Invited on" in page and "the link works until" in page


def test_a_person_with_an_account_is_not_invited(signed_in, cast, django_capture_on_commit_callbacks):
    person = Person.objects.get(user=cast.member)
    person.added_for = cast.partnership
    person.save()
    response = send(signed_in, cast, person, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "already has a sign-in account" in text(response)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_person_without_an_email_address_or_a_role_is_not_invited(cast, newcomer):
    newcomer.email = ""
    newcomer.save()
    with pytest.raises(ValidationError, match="email address first"):
        accounts.invitation_send(actor=cast.secretariat, partnership=cast.partnership, person=newcomer)
    loner = PersonFactory(added_for=cast.partnership)
    with pytest.raises(ValidationError, match="no current or future seat"):
        accounts.invitation_send(actor=cast.secretariat, partnership=cast.partnership, person=loner)


def test_someone_starting_later_can_be_invited_before_their_first_day(cast):
    person = PersonFactory(added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=person, seat="", start_date=TODAY + dt.timedelta(days=3))
    invitation = accounts.invitation_send(actor=cast.secretariat, partnership=cast.partnership, person=person)
    assert invitation.role.startswith("Member from ")


def test_only_the_secretariat_that_may_see_the_address_invites(cast):
    """Someone added by another partnership, even with a seat here, keeps their address private
    from this secretariat, so it cannot send them anything."""
    other_clerk = UserFactory()
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=other_clerk)
    person = PersonFactory(added_for=cast.other_partnership)
    MembershipFactory(partnership=cast.partnership, person=person)
    permissions_sync(cast.other_partnership)
    with pytest.raises(ValidationError, match="private to the secretariat"):
        accounts.invitation_send(actor=cast.secretariat, partnership=cast.partnership, person=person)


def test_a_person_another_partnership_relies_on_is_invited_by_an_administrator(
    cast, newcomer, django_capture_on_commit_callbacks
):
    """The account would gain their roles on the other partnership too: as for changing their
    details, only someone who runs every partnership relying on them may invite them."""
    MembershipFactory(partnership=cast.other_partnership, person=newcomer)
    with pytest.raises(ValidationError, match=cast.other_partnership.name):
        accounts.invitation_send(actor=cast.secretariat, partnership=cast.partnership, person=newcomer)
    administrator = UserFactory(is_superuser=True, is_staff=True)
    invite(cast, newcomer, django_capture_on_commit_callbacks, actor=administrator)
    assert Invitation.objects.get().created_by == administrator


def test_sending_is_rate_limited_per_address_and_per_sender(
    signed_in, cast, newcomer, settings, django_capture_on_commit_callbacks
):
    settings.INVITATIONS_PER_ADDRESS = 2
    for _ in range(2):
        send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    response = send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    assert "the most invitations allowed" in text(response)
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 2

    settings.INVITATIONS_PER_ADDRESS = 100
    settings.INVITATIONS_PER_SENDER = 3  # two sent already, and one refused
    other = PersonFactory(added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=other)
    response = send(signed_in, cast, other, django_capture_on_commit_callbacks)
    assert "You have sent 3 invitations in the last hour" in text(response)
    assert not Invitation.objects.filter(person=other).exists()


# Accepting


def test_accepting_creates_the_account_links_it_and_gives_the_roles(
    client, cast, newcomer, django_capture_on_commit_callbacks
):
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    page = client.get(link)
    assert page.status_code == 200
    assert "Create your account" in text(page) and "nia.newcomer@example.org" in text(page)
    assert "no-store" in page["Cache-Control"]
    response = accept(client, link)
    assert response.status_code == 302
    account = User.objects.get(username="nia.newcomer@example.org")
    assert account.check_password(PASSWORD) and account.email == "Nia.Newcomer@example.org"
    assert (account.first_name, account.last_name) == ("Nia", "Newcomer")
    newcomer.refresh_from_db()
    assert newcomer.user == account
    assert user_can(User.objects.get(pk=account.pk), VIEW_EXEMPT, cast.partnership)  # permissions re-synced
    assert client.get(reverse("workspace:home")).context["user"] == account  # signed in
    invitation = Invitation.objects.get()
    assert invitation.accepted_at and invitation.account == account
    actions = set(AuditEvent.objects.filter(actor=account).values_list("action", flat=True))
    assert actions == {"membership.invitation.accepted", "membership.person.updated"}


def test_accepting_re_syncs_every_partnership_the_person_is_on(
    client, cast, newcomer, django_capture_on_commit_callbacks
):
    administrator = UserFactory(is_superuser=True, is_staff=True)
    ChairAppointmentFactory(partnership=cast.other_partnership, person=newcomer, role="chair")
    link = invite(cast, newcomer, django_capture_on_commit_callbacks, actor=administrator)
    accept(client, link)
    account = User.objects.get(username="nia.newcomer@example.org")
    assert user_can(account, VIEW_EXEMPT, cast.other_partnership)


def test_the_password_validators_apply(client, cast, newcomer, django_capture_on_commit_callbacks):
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    for weak in ("short", "password123", "nia.newcomer", "1234567890123"):
        response = accept(client, link, weak)
        assert response.status_code == 200 and "There is a problem" in text(response), weak
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "The passwords do not match" in text(response)
    assert not User.objects.filter(username="nia.newcomer@example.org").exists()
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_a_link_works_once(client, cast, newcomer, django_capture_on_commit_callbacks):
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    accept(client, link)
    client.logout()
    for response in (client.get(link), accept(client, link, "another long passphrase")):
        assert response.status_code == 410
        assert "This invitation has already been used" in text(response)
    assert User.objects.filter(email__iexact="nia.newcomer@example.org").count() == 1


@pytest.mark.parametrize(
    ("change", "status", "heading"),
    [
        ("expire", 410, "This invitation has expired"),
        ("withdraw", 410, "This invitation has been withdrawn"),
        ("garble", 404, "This invitation link is not valid"),
        ("change address", 410, "This invitation was sent to an old address"),
    ],
)
def test_a_link_that_cannot_be_used_gets_a_clear_page(
    client, cast, newcomer, change, status, heading, django_capture_on_commit_callbacks
):
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    if change == "expire":
        Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif change == "withdraw":
        accounts.invitation_revoke(actor=cast.secretariat, invitation=invitation)
    elif change == "garble":
        link = link[:-5] + "xxxx/"
    else:
        Person.objects.filter(pk=newcomer.pk).update(email="nia@elsewhere.example.org")
    for response in (client.get(link), accept(client, link)):
        assert response.status_code == status
        assert heading in text(response)
    assert not User.objects.filter(username="nia.newcomer@example.org").exists()


def test_an_invitation_never_links_a_second_account(client, cast, newcomer, django_capture_on_commit_callbacks):
    """If the person got an account meanwhile (an administrator linked one), the link is refused
    and their account stays theirs."""
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    own = UserFactory(username="nia-own")
    Person.objects.filter(pk=newcomer.pk).update(user=own)
    response = accept(client, link)
    assert response.status_code == 410 and "You already have an account" in text(response)
    newcomer.refresh_from_db()
    assert newcomer.user == own
    assert not User.objects.filter(username="nia.newcomer@example.org").exists()


def test_an_invitation_never_hands_over_an_existing_account(client, cast, newcomer, django_capture_on_commit_callbacks):
    """An account already named after the address is someone's: accepting must not take it over
    (by setting its password) nor link it."""
    someone = UserFactory(username="nia.newcomer@example.org")
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    response = accept(client, link)
    assert response.status_code == 410
    assert "An account with this email address already exists" in text(response)
    someone.refresh_from_db()
    assert someone.check_password("a-test-password")
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_accepting_while_signed_in_as_someone_else_creates_the_persons_own_account(
    client, cast, newcomer, django_capture_on_commit_callbacks
):
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    client.force_login(cast.stranger)
    assert "You are signed in as stranger" in text(client.get(link))
    accept(client, link)
    newcomer.refresh_from_db()
    assert newcomer.user.username == "nia.newcomer@example.org"
    assert not Person.objects.filter(user=cast.stranger).exists()
    assert client.get(reverse("workspace:home")).context["user"] == newcomer.user


def test_accepting_one_invitation_withdraws_the_persons_others(
    client, cast, newcomer, django_capture_on_commit_callbacks
):
    administrator = UserFactory(is_superuser=True, is_staff=True)
    MembershipFactory(partnership=cast.other_partnership, person=newcomer)
    first = invite(cast, newcomer, django_capture_on_commit_callbacks, actor=administrator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accounts.invitation_send(actor=administrator, partnership=cast.other_partnership, person=newcomer)
    second = link_in(mail.outbox[0])
    accept(client, first)
    client.logout()
    response = client.get(second)
    assert response.status_code == 410 and "withdrawn" in text(response)
    assert not Invitation.objects.pending().exists()


def test_accepting_twice_at_once_is_refused_by_the_service(cast, newcomer, django_capture_on_commit_callbacks):
    link = invite(cast, newcomer, django_capture_on_commit_callbacks)
    token = link.rstrip("/").rsplit("/", 1)[1]
    accounts.invitation_accept(token=token, password=PASSWORD)
    with pytest.raises(InvitationUnusable) as error:
        accounts.invitation_accept(token=token, password=PASSWORD)
    assert error.value.reason == InvitationUnusable.USED


# Following up: the list, sending again, withdrawing


def test_the_dashboard_lists_invitations_not_accepted(signed_in, cast, newcomer, django_capture_on_commit_callbacks):
    send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    late = PersonFactory(given_name="Lou", family_name="Late", added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=late)
    send(signed_in, cast, late, django_capture_on_commit_callbacks)
    Invitation.objects.filter(person=late).update(expires_at=timezone.now() - dt.timedelta(days=1))
    done = PersonFactory(given_name="Dee", family_name="Done", added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=done)
    send(signed_in, cast, done, django_capture_on_commit_callbacks)
    Invitation.objects.filter(person=done).update(accepted_at=timezone.now())
    page = text(signed_in.get(workspace("dashboard", cast)))
    section = page[page.index('id="invitations"') : page.index("<h2>Chairs</h2>")]
    assert "Invitations not accepted (2)" in section
    assert "Nia Newcomer" in section and "Lou Late" in section and "the link expired on" in section
    assert "Dee Done" not in section


def test_sending_again_makes_a_new_link_and_stops_the_old_one(
    signed_in, client, cast, newcomer, django_capture_on_commit_callbacks
):
    send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    old_link = link_in(mail.outbox[0])
    first = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(workspace("invitation_resend", cast, first.pk))
    assert response.status_code == 302
    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert AuditEvent.objects.filter(action="membership.invitation.resent").count() == 1
    signed_in.logout()
    assert "withdrawn" in text(client.get(old_link))
    assert client.get(new_link).status_code == 200


def test_withdrawing_stops_the_link(signed_in, client, cast, newcomer, django_capture_on_commit_callbacks):
    send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    response = signed_in.post(workspace("invitation_revoke", cast, invitation.pk))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="membership.invitation.withdrawn").exists()
    signed_in.logout()
    assert client.get(link).status_code == 410


def test_another_partnerships_invitation_is_not_found(signed_in, cast, django_capture_on_commit_callbacks):
    administrator = UserFactory(is_superuser=True, is_staff=True)
    person = PersonFactory(added_for=cast.other_partnership)
    MembershipFactory(partnership=cast.other_partnership, person=person)
    theirs = accounts.invitation_send(actor=administrator, partnership=cast.other_partnership, person=person)
    for name in ("invitation_resend", "invitation_revoke"):
        assert signed_in.get(workspace(name, cast, theirs.pk)).status_code == 404
        assert signed_in.post(workspace(name, cast, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_only_the_secretariat_sends_invitations(client, cast, newcomer):
    for user in (cast.member, cast.chair, cast.other_member, cast.stranger):
        client.force_login(user)
        assert client.post(workspace("invitation_send", cast, newcomer.slug)).status_code == 403
    assert not Invitation.objects.exists()


def test_a_secretariat_of_a_sub_partnership_cannot_invite_its_parents_people(cast, newcomer):
    child = PartnershipFactory(
        ics=cast.partnership.ics, parent=cast.partnership, kind=Partnership.Kind.AREA, name="Child area ICP"
    )
    clerk = UserFactory()
    SecretariatAssignmentFactory(partnership=child, user=clerk)
    permissions_sync(child)
    with pytest.raises(ValidationError):
        accounts.invitation_send(actor=clerk, partnership=child, person=newcomer)


def test_the_audit_trail_names_each_step_without_the_address(
    signed_in, client, cast, newcomer, django_capture_on_commit_callbacks
):
    send(signed_in, cast, newcomer, django_capture_on_commit_callbacks)
    signed_in.post(workspace("invitation_resend", cast, Invitation.objects.get().pk))
    page = text(signed_in.get(workspace("audit", cast)))
    assert "Invitation to sign in sent" in page and "Invitation to sign in sent again" in page
    assert "Invitation to sign in withdrawn" not in page  # sending again says so itself
    assert "nia.newcomer@example.org" not in page.lower()
