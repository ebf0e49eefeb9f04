"""People's sign-in accounts: invitations by email, and deactivating an account.

An account gains every role its person holds, on every partnership (docs/security.md, "Accounts
and people"). So an account is linked to a person only by a portal administrator, or by the
person themselves accepting an invitation sent to their own email address; a secretariat never
chooses the account. The services here keep to the rules of `membership.services`: one
transaction each, an audit entry per step, permissions re-synced when access changes.
"""

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core.dates import long_date
from core.limits import within_limit
from partnerships.models import Partnership

from .models import ChairAppointment, Invitation, Membership, Person, SecretariatAssignment
from .permissions import (
    MANAGE,
    may_link_accounts,
    may_see_contact_details,
    partnerships_for_user,
    partnerships_not_run_by,
    permissions_sync,
)
from .services import _names, _person_partnerships_resync

logger = logging.getLogger(__name__)
User = get_user_model()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def person_roles_description(person: Person, partnership: Partnership, on: dt.date | None = None) -> str:
    """The roles `person` holds on `partnership` today or from a later date, in words, e.g.
    "Co-chair and member (Director of Public Health)" or "Member from 3 March 2026". Empty if none."""
    on = on or timezone.localdate()
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=on)
    parts = []
    for appointment in ChairAppointment.objects.filter(not_ended, person=person, partnership=partnership).order_by(
        "start_date"
    ):
        parts.append((appointment.get_role_display(), appointment.start_date))
    for membership in Membership.objects.filter(not_ended, person=person, partnership=partnership).order_by(
        "start_date"
    ):
        label = membership.get_role_display()
        parts.append((f"{label} ({membership.seat})" if membership.seat else label, membership.start_date))
    words = [label if start <= on else f"{label} from {long_date(start)}" for label, start in parts]
    if not words:
        return ""
    # "Co-chair and member", not "Co-chair and Member".
    words = [words[0]] + [word[:1].lower() + word[1:] for word in words[1:]]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# Invitations ------------------------------------------------------------------------------------


def invitation_refusal(*, actor, partnership: Partnership, person: Person, secretariat: bool = False) -> str:
    """Why `actor`, who runs `partnership`, may not invite `person` to sign in, or "" if they may.

    The invitation goes to the email address on the person's record and whoever accepts it gains
    the person's roles on every partnership. So, besides what an invitation needs (no account
    yet, an email address, a current or coming role here), a secretariat may invite only people
    whose contact details it may see and whose record no partnership it does not run relies on:
    the same rule as for changing their details. A portal administrator may invite anyone.
    An invitation to the secretariat (`secretariat`) needs no seat: accepting it gives one."""
    if person.user_id:
        return f"{person} already has a sign-in account, so there is nothing to invite them to."
    if not may_see_contact_details(actor, person):
        return (
            f"{person}'s email address is private to the secretariat of the partnership that added them: "
            "ask it, or a portal administrator, to invite them."
        )
    if not person.email:
        return f"Record {person}'s email address first: the invitation is sent there."
    if not secretariat and not person_roles_description(person, partnership):
        return f"{person} holds no current or future seat or chair on {partnership}: give them one first."
    others = partnerships_not_run_by(actor, person)
    if others:
        return (
            f"{person} is also on the record of {_names(others)}, which you do not run: "
            "ask a portal administrator to invite them."
        )
    return ""


def _check_invitation_limits(actor, email: str) -> None:
    """At most INVITATIONS_PER_SENDER invitations an hour from one sender, and
    INVITATIONS_PER_ADDRESS to one address: a mistake or a stolen session cannot flood inboxes."""
    window = settings.INVITATION_LIMIT_WINDOW
    if not within_limit(f"invitation:sender:{actor.pk}", settings.INVITATIONS_PER_SENDER, window=window):
        raise ValidationError(
            f"You have sent {settings.INVITATIONS_PER_SENDER} invitations in the last hour, the most allowed. "
            "Try again later."
        )
    key = f"invitation:email:{_digest(email.strip().lower())}"
    if not within_limit(key, settings.INVITATIONS_PER_ADDRESS, window=window):
        raise ValidationError("This address has been sent the most invitations allowed in an hour. Try again later.")


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("membership:invitation_accept", kwargs={"token": token})


def _invitation_email(invitation: Invitation, token: str) -> None:
    """Send the invitation: it names the partnership and role and carries the single-use link."""
    context = {
        "invitation": invitation,
        "person": invitation.person,
        "partnership": invitation.partnership,
        "url": invitation_url(token),
        "expires_on": timezone.localtime(invitation.expires_at),
        "portal_name": settings.PORTAL_NAME,
    }
    subject = render_to_string("membership/email/invitation_subject.txt", context).strip()
    body = render_to_string("membership/email/invitation.txt", context)
    EmailMessage(" ".join(subject.split()), body, None, [invitation.email]).send()


def _invitation_role(person: Person, partnership: Partnership, secretariat: bool) -> str:
    roles = person_roles_description(person, partnership)
    if not secretariat:
        return roles
    return f"Secretariat and {roles[:1].lower()}{roles[1:]}" if roles else "Secretariat"


def _invitation_issue(
    *, actor, partnership: Partnership, person: Person, action: str, secretariat: bool = False
) -> Invitation:
    person = Person.objects.select_for_update().get(pk=person.pk)
    refusal = invitation_refusal(actor=actor, partnership=partnership, person=person, secretariat=secretariat)
    if refusal:
        raise ValidationError(refusal)
    _check_invitation_limits(actor, person.email)
    now = timezone.now()
    # One link at a time: an earlier invitation of this person to this partnership stops working.
    replaced = list(partnership.invitations.open().filter(person=person).values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=replaced).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        person=person,
        partnership=partnership,
        role=_invitation_role(person, partnership, secretariat),
        secretariat=secretariat,
        email=person.email,
        token_hash=_digest(token),
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=Invitation.VALID_FOR_DAYS),
    )
    # The email address is private: the audit names the person and role, not the address.
    changes = {"person": str(person), "role": invitation.role, "expires_at": invitation.expires_at}
    if replaced:
        changes["replaces"] = replaced
    audit_record(actor=actor, action=action, obj=invitation, partnership=partnership, changes=changes)
    # Sent once the invitation is committed; a failure to send is logged, and the secretariat can
    # send the invitation again.
    transaction.on_commit(lambda: _invitation_email(invitation, token), robust=True)
    return invitation


@transaction.atomic
def invitation_send(*, actor, partnership: Partnership, person: Person, secretariat: bool = False) -> Invitation:
    """Email `person` a link to create their sign-in account, valid for seven days; with
    `secretariat`, accepting it also puts the account on the partnership's secretariat.

    Refused with the reason (`invitation_refusal`) or when a sending limit is reached. An earlier
    invitation of the person to this partnership is withdrawn: only the newest link works."""
    return _invitation_issue(
        actor=actor,
        partnership=partnership,
        person=person,
        action="membership.invitation.sent",
        secretariat=secretariat,
    )


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send `invitation` again with a new link (and seven more days); the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(f"{invitation.person} has already accepted this invitation.")
    return _invitation_issue(
        actor=actor,
        partnership=invitation.partnership,
        person=invitation.person,
        action="membership.invitation.resent",
        secretariat=invitation.secretariat,
    )


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    invitations = Invitation.objects.select_for_update(of=("self",)).select_related("person", "partnership")
    invitation = invitations.get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(f"{invitation.person} has already accepted this invitation.")
    if invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="membership.invitation.withdrawn",
        obj=invitation,
        partnership=invitation.partnership,
        changes={"person": str(invitation.person)},
    )
    return invitation


class InvitationUnusable(Exception):
    """The link cannot be used; `reason` says why, for the page that explains it."""

    UNKNOWN, EXPIRED, WITHDRAWN, USED, HAS_ACCOUNT, ADDRESS_CHANGED, USERNAME_TAKEN = (
        "unknown",
        "expired",
        "withdrawn",
        "used",
        "has account",
        "address changed",
        "username taken",
    )

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation whose link carries `token`, if it can still be accepted; otherwise
    `InvitationUnusable` saying why."""
    invitations = Invitation.objects.select_related("person", "partnership")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=_digest(token)).first() if token else None
    if invitation is None:
        raise InvitationUnusable(InvitationUnusable.UNKNOWN)
    if invitation.accepted_at:
        raise InvitationUnusable(InvitationUnusable.USED, invitation)
    if invitation.revoked_at:
        raise InvitationUnusable(InvitationUnusable.WITHDRAWN, invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(InvitationUnusable.EXPIRED, invitation)
    if invitation.person.user_id:
        raise InvitationUnusable(InvitationUnusable.HAS_ACCOUNT, invitation)
    if invitation.person.email.strip().lower() != invitation.email.strip().lower():
        raise InvitationUnusable(InvitationUnusable.ADDRESS_CHANGED, invitation)
    if User.objects.filter(username__iexact=invitation_username(invitation)).exists():
        raise InvitationUnusable(InvitationUnusable.USERNAME_TAKEN, invitation)
    return invitation


def invitation_username(invitation: Invitation) -> str:
    """The username of the account an invitation creates: the address it was sent to."""
    return invitation.email.strip().lower()


def invitation_account_preview(invitation: Invitation):
    """The account accepting would create, unsaved: the password validators compare the password
    with its username, name and email."""
    person = invitation.person
    return User(
        username=invitation_username(invitation),
        email=invitation.email,
        first_name=person.given_name[:150],
        last_name=person.family_name[:150],
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Create the invited person's sign-in account with `password`, link it to them and give it
    their roles on every partnership. Returns the new account.

    `InvitationUnusable` when the link is unknown, expired, withdrawn or used, when the person
    already has an account (one account per person, and an invitation never replaces one), when
    their email address changed since it was sent, or when an account with that username exists
    (an invitation never hands over an existing account). `ValidationError` for a password the
    validators refuse. The link works once: the invitation is marked accepted in this transaction,
    with the invitation and the person locked, so two tabs cannot both accept it."""
    locked = invitation_for_token(token, lock=True)
    Person.objects.select_for_update().get(pk=locked.person_id)
    # Checked again now that the person is locked too: another invitation of theirs may have
    # been accepted meanwhile.
    invitation = invitation_for_token(token)
    person = invitation.person
    account = invitation_account_preview(invitation)
    password_validation.validate_password(password, account)
    account.set_password(password)
    account.save()
    person.user = account
    person.full_clean()
    person.save(update_fields=["user"])
    now = timezone.now()
    invitation.accepted_at = now
    invitation.account = account
    invitation.save(update_fields=["accepted_at", "account"])
    # The person has an account now: their other invitations have nothing left to do.
    others = list(Invitation.objects.open().filter(person=person).exclude(pk=invitation.pk))
    Invitation.objects.filter(pk__in=[other.pk for other in others]).update(revoked_at=now)
    audit_record(
        actor=account,
        action="membership.invitation.accepted",
        obj=invitation,
        partnership=invitation.partnership,
        changes={"person": str(person)},
    )
    # On the person, so the account's name (an email address) shows only to those who may see it.
    audit_record(
        actor=account,
        action="membership.person.updated",
        obj=person,
        partnership=invitation.partnership,
        changes={"user": ["", account.get_username()], "source": "invitation accepted"},
    )
    for other in others:
        audit_record(
            actor=account,
            action="membership.invitation.withdrawn",
            obj=other,
            partnership=other.partnership,
            changes={"person": str(person), "reason": "accepted another invitation"},
        )
    if invitation.secretariat:
        _secretariat_from_invitation(invitation, account)
    _person_partnerships_resync(person)
    return account


def _secretariat_from_invitation(invitation: Invitation, account) -> None:
    """Put the account of an accepted secretariat invitation on the partnership's secretariat
    from today, as the person who sent the invitation assigned it."""
    assignment = SecretariatAssignment(
        partnership=invitation.partnership, user=account, start_date=timezone.localdate()
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=invitation.created_by,
        action="membership.secretariat.assigned",
        obj=assignment,
        partnership=invitation.partnership,
        changes={"user": account.get_username(), "start_date": assignment.start_date, "source": "invitation accepted"},
    )
    permissions_sync(invitation.partnership)


# Deactivating an account ------------------------------------------------------------------------


def account_change_refusal(*, actor, person: Person) -> str:
    """Why `actor` may not deactivate (or reactivate) `person`'s sign-in account, or "" if they may.

    A portal administrator may change any account but their own. A secretariat may change the
    account of a person who sits only on partnerships it runs (as for changing their details), and
    whose account is on no other partnership's secretariat: the account is how every partnership
    relying on the person reaches them."""
    account = person.user
    if account is None:
        return f"{person} has no sign-in account."
    if account.pk == actor.pk:
        return "You cannot change your own account here."
    if may_link_accounts(actor):
        return ""
    if account.is_superuser:
        return f"{person}'s account is a portal administrator's: only another administrator may change it."
    others = partnerships_not_run_by(actor, person)
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
    assignments = SecretariatAssignment.objects.filter(not_ended, user=account).values("partnership_id")
    staffed = Partnership.objects.filter(pk__in=assignments).exclude(
        pk__in=partnerships_for_user(actor, MANAGE).values("pk")
    )
    others += [p for p in staffed.order_by("name") if p not in others]
    if others:
        return (
            f"{person} is also on the record of {_names(others)}, which you do not run: "
            "ask a portal administrator to change their account."
        )
    return ""


def _account_active_set(*, actor, partnership: Partnership, person: Person, active: bool):
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    refusal = account_change_refusal(actor=actor, person=person)
    if refusal:
        raise ValidationError(refusal)
    account = User.objects.select_for_update().get(pk=person.user_id)
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="membership.account.reactivated" if active else "membership.account.deactivated",
        obj=person,
        partnership=partnership,
        changes={"account active": [not active, active]},
    )
    _person_partnerships_resync(person)
    return account


@transaction.atomic
def account_deactivate(*, actor, partnership: Partnership, person: Person):
    """Stop `person`'s account signing in: it holds no rights while deactivated, and its sessions
    end (Django signs out an inactive account on its next request). Nothing is deleted: the
    account, the person and their record stay, and the account can be reactivated. Refused with
    the reason from `account_change_refusal`."""
    return _account_active_set(actor=actor, partnership=partnership, person=person, active=False)


@transaction.atomic
def account_reactivate(*, actor, partnership: Partnership, person: Person):
    """Let a deactivated account sign in again, with the roles its person holds now."""
    return _account_active_set(actor=actor, partnership=partnership, person=person, active=True)
