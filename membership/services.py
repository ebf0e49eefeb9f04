"""Writes that keep a partnership's membership current: people, seats, chairs, the register
of interests, the secretariat and the partnership's own details.

Every service runs in one transaction, validates with the model's `full_clean` (a
`ValidationError` reaches the caller, which shows it on the form), writes one audit entry
per changed record, and re-syncs the partnership's permission groups when access could
change. Nothing is deleted: terms end, with a date and a reason.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from audit.services import audit_record, model_changes
from partnerships.models import Organisation, Partnership

from .models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment
from .permissions import (
    may_link_accounts,
    may_see_contact_details,
    partnerships_not_run_by,
    permissions_sync,
    person_partnerships,
)

User = get_user_model()

PERSON_FIELDS = ("honorific", "given_name", "family_name", "post_nominals", "pronouns", "email", "phone")
PARTNERSHIP_DETAIL_FIELDS = (
    "purpose",
    "quorum_rule",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_minimum",
    "quorum_requires_icb",
    "quorum_requires_council",
    "quorum_substitutes_count",
    "access_rule",
    "contact_email",
    "website",
    "terms_of_reference_adopted_on",
    "minutes_due_working_days",
    "conflicts_policy",
)


def _long_date(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _person_slug(given_name: str, family_name: str, exclude_pk: int | None = None) -> str:
    """A unique slug from the person's name: `jo-bloggs`, then `jo-bloggs-2`, `jo-bloggs-3`…"""
    base = slugify(f"{given_name} {family_name}")[:200] or "person"
    taken = set(Person.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# Two people with the same name added at the same moment both find `jo-bloggs` free; the
# unique index lets one insert win and the other takes the next free slug. A few attempts is
# plenty: each retry sees the rows the others have committed.
PERSON_SLUG_ATTEMPTS = 5


def _person_insert(person: Person) -> None:
    """Save a new person under the first free slug, retrying when another request takes it
    between the check and the insert. The savepoint keeps the caller's transaction usable."""
    for _ in range(PERSON_SLUG_ATTEMPTS):
        person.slug = _person_slug(person.given_name, person.family_name)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            if not Person.objects.filter(slug=person.slug).exists():
                raise  # another unique rule (such as the account), not the slug
            person.pk = None
            continue
        return
    raise ValidationError("Someone else is adding a person with the same name right now. Try again.")


class _Unchanged:
    def __repr__(self):
        return "UNCHANGED"


# The default of `person_update`'s contact details and account: leave them as they are.
UNCHANGED = _Unchanged()
ONLY_ADMINISTRATORS_LINK = "Only a portal administrator may link a person to a sign-in account."


def _check_account(user, person: Person | None = None) -> None:
    if user is None:
        return
    if not user.is_active:
        raise ValidationError({"user": "That account is disabled."})
    holder = Person.objects.filter(user=user).exclude(pk=person.pk if person else None).first()
    if holder:
        raise ValidationError({"user": f"That account already belongs to {holder}."})


def save_audited(obj, *, actor, action: str, partnership: Partnership, changes: dict, update_fields=None):
    """The last step of every write here and in `membership.onboarding`: check `obj` against its
    model's rules (a `ValidationError` reaches the form), save it (only `update_fields`, if
    given) and write its audit entry."""
    obj.full_clean()
    obj.save(update_fields=update_fields)
    audit_record(actor=actor, action=action, obj=obj, partnership=partnership, changes=changes)
    return obj


def _person_snapshot(person: Person) -> dict:
    snapshot = {name: getattr(person, name) for name in PERSON_FIELDS if getattr(person, name)}
    if person.user_id:
        snapshot["user"] = person.user.get_username()
    return snapshot


@transaction.atomic
def person_create(
    *,
    actor,
    partnership: Partnership,
    given_name: str,
    family_name: str,
    honorific: str = "",
    post_nominals: str = "",
    pronouns: str = "",
    email: str = "",
    phone: str = "",
    user=None,
    reason: str = "",
) -> Person:
    """Add a person on behalf of `partnership`'s secretariat; a portal administrator may also link
    their sign-in account (anyone else giving `user` gets `PermissionDenied`). `reason`, if
    given, is kept in the audit log (someone added while recording a meeting says which).

    The person holds no seat yet; `added_for` keeps them reachable from the partnership until
    they do, and makes their contact details visible to its secretariat. Refuses an account
    that is disabled or already belongs to someone else."""
    if user is not None and not may_link_accounts(actor):
        raise PermissionDenied(ONLY_ADMINISTRATORS_LINK)
    person = Person(
        honorific=honorific.strip(),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        post_nominals=post_nominals.strip(),
        pronouns=pronouns.strip(),
        email=email.strip(),
        phone=phone.strip(),
        user=user,
        added_for=partnership,
    )
    _check_account(user)
    person.full_clean(exclude=["slug"])
    _person_insert(person)
    audit_record(
        actor=actor,
        action="membership.person.created",
        obj=person,
        partnership=partnership,
        changes=_person_snapshot(person) | ({"reason": reason} if reason else {}),
    )
    return person


def _names(partnerships) -> str:
    names = [str(p) for p in partnerships]
    if len(names) > 3:
        names = [*names[:3], f"{len(names) - 3} other partnership{'s' if len(names) > 4 else ''}"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def person_shared_refusal(*, actor, person: Person) -> str:
    """Why `actor` may not change `person`'s details, or "" if they may.

    A person is one record shared by every partnership they sit on, chair or were added by:
    their name shows on all of those partnerships' pages and papers. So a secretariat may
    change it only when it runs every one of them; otherwise a portal administrator does."""
    others = partnerships_not_run_by(actor, person)
    if not others:
        return ""
    return (
        f"{person} is also on the record of {_names(others)}, which you do not run: "
        "ask a portal administrator to change their details."
    )


def _person_partnerships_resync(person: Person) -> None:
    """Re-sync every partnership whose roles the person holds or held: their account changed."""
    for partnership in person_partnerships(person).order_by("pk"):
        permissions_sync(partnership)


def _account_change(person: Person, user) -> list[str]:
    """Link `user` to `person` (None unlinks), returning [old, new] usernames for the audit."""
    _check_account(user, person)
    old = person.user
    person.user = user
    return [old.get_username() if old else "", user.get_username() if user else ""]


@transaction.atomic
def person_update(
    *,
    actor,
    partnership: Partnership,
    person: Person,
    given_name: str,
    family_name: str,
    honorific: str = "",
    post_nominals: str = "",
    pronouns: str = "",
    email: str = UNCHANGED,
    phone: str = UNCHANGED,
    user=UNCHANGED,
) -> Person:
    """Change a person's name or contact details, recording old → new values; a portal
    administrator may also link or unlink their sign-in account (`user`, None to unlink).

    Refused, with a `ValidationError` naming them, when other partnerships that `actor` does not
    run rely on the person (`person_shared_refusal`). Contact details left out, or `user` left
    out, stay as they are; changing contact details `actor` may not see, or the account without
    being an administrator, is `PermissionDenied` (the workspace forms offer neither). The web
    address (slug) stays as it was, so published links keep working. Linking or unlinking an
    account changes what it may read, so every partnership the person sits on or chairs is
    re-synced."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    relink = user is not UNCHANGED and user != person.user
    if relink and not may_link_accounts(actor):
        raise PermissionDenied(ONLY_ADMINISTRATORS_LINK)
    data = {
        "honorific": honorific.strip(),
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "post_nominals": post_nominals.strip(),
        "pronouns": pronouns.strip(),
    }
    data |= {name: value.strip() for name, value in (("email", email), ("phone", phone)) if value is not UNCHANGED}
    changes = model_changes(person, data)
    if changes and (refusal := person_shared_refusal(actor=actor, person=person)):
        raise ValidationError(refusal)
    if ("email" in changes or "phone" in changes) and not may_see_contact_details(actor, person):
        raise PermissionDenied("Only the secretariat that added this person may change their contact details.")
    if relink:
        changes["user"] = _account_change(person, user)
    if not changes:
        return person
    for name, value in data.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    audit_record(actor=actor, action="membership.person.updated", obj=person, partnership=partnership, changes=changes)
    if relink:
        _person_partnerships_resync(person)
    return person


@transaction.atomic
def person_administer(
    *, actor, person: Person, user, added_for: Partnership | None, contact_details_shared_on: dt.date | None
) -> Person:
    """Change what only a portal administrator may (`PermissionDenied` for anyone else): the
    person's sign-in account, the partnership that added them (its secretariat sees their contact
    details) and the date they agreed to share their contact details with every partnership they
    sit on. Used by Django admin. Audited on the adding partnership's trail; a new account
    re-syncs every partnership the person sits on or chairs."""
    if not may_link_accounts(actor):
        raise PermissionDenied(ONLY_ADMINISTRATORS_LINK)
    person = Person.objects.select_for_update(of=("self",)).select_related("user", "added_for").get(pk=person.pk)
    if contact_details_shared_on and contact_details_shared_on > timezone.localdate():
        raise ValidationError({"contact_details_shared_on": "The date they agreed cannot be in the future."})
    changes = {}
    if added_for != person.added_for:
        changes["added_for"] = [str(person.added_for or ""), str(added_for or "")]
        person.added_for = added_for
    if contact_details_shared_on != person.contact_details_shared_on:
        changes["contact_details_shared_on"] = [person.contact_details_shared_on, contact_details_shared_on]
        person.contact_details_shared_on = contact_details_shared_on
    relink = user != person.user
    if relink:
        changes["user"] = _account_change(person, user)
    if not changes:
        return person
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        action="membership.person.updated",
        obj=person,
        partnership=person.added_for,
        changes=changes,
    )
    if relink:
        _person_partnerships_resync(person)
    return person


def _check_organisation_on(organisation: Organisation | None, on: dt.date) -> None:
    """Refuse a seat representing a body that had ceased, or did not yet exist, on `on`."""
    if organisation is None:
        return
    if organisation.valid_to and organisation.valid_to < on:
        successor = f" Its successor is {organisation.successor}." if organisation.successor_id else ""
        ceased = f"{organisation} ceased on {_long_date(organisation.valid_to)}, before this seat starts."
        raise ValidationError({"organisation": ceased + successor})
    if organisation.valid_from and organisation.valid_from > on:
        raise ValidationError(
            {
                "organisation": f"{organisation} comes into being on {_long_date(organisation.valid_from)}, "
                "after this seat starts."
            }
        )


def _membership_snapshot(membership: Membership) -> dict:
    return {
        "person": str(membership.person),
        "role": membership.role,
        "seat": membership.seat,
        "organisation": str(membership.organisation) if membership.organisation_id else "",
        "sector": membership.sector,
        "is_voting": membership.is_voting,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "end_reason": membership.end_reason,
    }


def _membership_build(
    *,
    partnership: Partnership,
    person: Person,
    role: str,
    seat: str,
    organisation: Organisation | None,
    sector: str,
    is_voting: bool,
    start_date: dt.date,
    end_date: dt.date | None,
    end_reason: str = "",
) -> Membership:
    """A validated, unsaved membership (shared by `membership_add` and the CSV import)."""
    membership = Membership(
        partnership=partnership,
        person=person,
        role=role,
        seat=seat.strip(),
        organisation=organisation,
        # The seat's sector defaults to the organisation's (a council seat sits for local government).
        sector=sector or (organisation.sector if organisation else ""),
        is_voting=is_voting,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason.strip(),
    )
    if not membership.sector:
        raise ValidationError({"sector": "Choose the sector this seat represents, or the organisation it represents."})
    if start_date and partnership.ended_on and start_date > partnership.ended_on:
        raise ValidationError({"start_date": f"The partnership ended on {_long_date(partnership.ended_on)}."})
    if start_date:
        _check_organisation_on(organisation, start_date)
    if end_date and not membership.end_reason and end_date < timezone.localdate():
        raise ValidationError({"end_reason": "Give the reason this past membership ended."})
    membership.full_clean()
    return membership


@transaction.atomic
def membership_add(
    *,
    actor,
    partnership: Partnership,
    person: Person,
    role: str,
    start_date: dt.date,
    sector: str = "",
    organisation: Organisation | None = None,
    seat: str = "",
    is_voting: bool = True,
    end_date: dt.date | None = None,
    end_reason: str = "",
) -> Membership:
    """Give `person` a seat on `partnership` from `start_date`.

    The sector defaults to the organisation's. Refused when the person already has a membership
    of the partnership for any of these dates, when the end date is before the start date, or
    when the organisation had ceased by the start date. Members and participants with a sign-in
    account can read exempt papers from the start date."""
    # Lock the person so two secretariat staff cannot add overlapping seats at the same moment.
    person = Person.objects.select_for_update().get(pk=person.pk)
    membership = _membership_build(
        partnership=partnership,
        person=person,
        role=role,
        seat=seat,
        organisation=organisation,
        sector=sector,
        is_voting=is_voting,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason,
    )
    membership.save()
    audit_record(
        actor=actor,
        action="membership.membership.added",
        obj=membership,
        partnership=partnership,
        changes=_membership_snapshot(membership),
    )
    permissions_sync(partnership)
    return membership


def _check_end(term, end_date: dt.date, what: str) -> None:
    today = timezone.localdate()
    if term.end_date and term.end_date < today:
        raise ValidationError(f"This {what} already ended on {_long_date(term.end_date)}.")
    if end_date < term.start_date:
        raise ValidationError(
            {"end_date": f"The end date must be on or after the start date, {_long_date(term.start_date)}."}
        )


def _term_end(term, *, actor, end_date: dt.date, end_reason: str, missing_reason: str, noun: str, action: str):
    """End a locked membership or chair appointment with its reason, audit it and resync access."""
    end_reason = end_reason.strip()
    if not end_reason:
        raise ValidationError({"end_reason": missing_reason})
    _check_end(term, end_date, noun)
    changes = model_changes(term, {"end_date": end_date, "end_reason": end_reason})
    term.end_date = end_date
    term.end_reason = end_reason
    save_audited(
        term,
        actor=actor,
        action=action,
        partnership=term.partnership,
        changes=changes,
        update_fields=["end_date", "end_reason"],
    )
    permissions_sync(term.partnership)
    return term


@transaction.atomic
def membership_end(*, actor, membership: Membership, end_date: dt.date, end_reason: str) -> Membership:
    """End a membership: `end_date` is the last day of the seat. Nothing is deleted; the seat
    stays in the partnership's history with its reason.

    A member keeps reading exempt papers up to and including the end date; the daily permission
    sync removes access the day after (at once for an end date in the past)."""
    membership = Membership.objects.select_for_update().select_related("partnership").get(pk=membership.pk)
    return _term_end(
        membership,
        actor=actor,
        end_date=end_date,
        end_reason=end_reason,
        missing_reason="Give the reason for leaving.",
        noun="membership",
        action="membership.membership.ended",
    )


@transaction.atomic
def chair_appoint(
    *,
    actor,
    partnership: Partnership,
    person: Person,
    role: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    appointed_by: str = ChairAppointment.AppointedBy.JOINTLY,
    appointed_on: dt.date | None = None,
    decision_reference: str = "",
) -> ChairAppointment:
    """Appoint `person` chair, co-chair or vice-chair of `partnership` for a term.

    Refused, with a message naming the person and role, when they already hold that role on
    the partnership for any of these dates. Chairs and co-chairs with a sign-in account can
    approve strategy drafts from the start date."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if appointed_on and appointed_on > timezone.localdate():
        raise ValidationError({"appointed_on": "The date of the appointment decision cannot be in the future."})
    appointment = ChairAppointment(
        partnership=partnership,
        person=person,
        role=role,
        start_date=start_date,
        end_date=end_date,
        appointed_by=appointed_by,
        appointed_on=appointed_on,
        decision_reference=decision_reference.strip(),
    )
    appointment.full_clean()
    appointment.save()
    audit_record(
        actor=actor,
        action="membership.chair.appointed",
        obj=appointment,
        partnership=partnership,
        changes={
            "person": str(person),
            "role": role,
            "start_date": start_date,
            "end_date": end_date,
            "appointed_by": appointed_by,
            "appointed_on": appointed_on,
            "decision_reference": appointment.decision_reference,
        },
    )
    permissions_sync(partnership)
    return appointment


@transaction.atomic
def chair_appointment_end(
    *, actor, appointment: ChairAppointment, end_date: dt.date, end_reason: str
) -> ChairAppointment:
    """End a chair's term on `end_date` (its last day), with the reason. The appointment stays
    in the record."""
    appointment = ChairAppointment.objects.select_for_update().select_related("partnership").get(pk=appointment.pk)
    return _term_end(
        appointment,
        actor=actor,
        end_date=end_date,
        end_reason=end_reason,
        missing_reason="Give the reason the term ended.",
        noun="appointment",
        action="membership.chair.ended",
    )


def _check_declared_on(declared_on: dt.date) -> None:
    if declared_on > timezone.localdate():
        raise ValidationError({"declared_on": "The date of the declaration cannot be in the future."})


@transaction.atomic
def interest_record(
    *,
    actor,
    partnership: Partnership,
    person: Person,
    category: str,
    description: str,
    organisation_name: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    declared_on: dt.date | None = None,
    reason: str = "",
) -> Interest:
    """Add an entry to `person`'s register of interests, as declared on `declared_on` (today by
    default). `reason`, if given, is kept in the audit log (an interest declared at a meeting)."""
    declared_on = declared_on or timezone.localdate()
    _check_declared_on(declared_on)
    interest = Interest(
        person=person,
        category=category,
        description=description.strip(),
        organisation_name=organisation_name.strip(),
        start_date=start_date,
        end_date=end_date,
        declared_on=declared_on,
    )
    interest.full_clean()
    interest.save()
    audit_record(
        actor=actor,
        action="membership.interest.recorded",
        obj=interest,
        partnership=partnership,
        changes={
            "person": str(person),
            "category": category,
            "description": interest.description,
            "organisation_name": interest.organisation_name,
            "start_date": start_date,
            "end_date": end_date,
            "declared_on": declared_on,
        }
        | ({"reason": reason} if reason else {}),
    )
    return interest


@transaction.atomic
def nil_return_record(
    *, actor, partnership: Partnership, person: Person, declared_on: dt.date | None = None
) -> NilReturn:
    """Record that `person` declared on `declared_on` that they have no interests to register.

    Refused when a nil return for the same day is already recorded."""
    declared_on = declared_on or timezone.localdate()
    _check_declared_on(declared_on)
    if person.nil_returns.filter(declared_on=declared_on).exists():
        raise ValidationError(
            {"declared_on": f"A nil return by {person} on {_long_date(declared_on)} is already recorded."}
        )
    nil_return = NilReturn(person=person, declared_on=declared_on)
    nil_return.full_clean()
    nil_return.save()
    audit_record(
        actor=actor,
        action="membership.nil_return.recorded",
        obj=nil_return,
        partnership=partnership,
        changes={"person": str(person), "declared_on": declared_on},
    )
    return nil_return


@transaction.atomic
def secretariat_assign(
    *, actor, partnership: Partnership, user, start_date: dt.date, end_date: dt.date | None = None
) -> SecretariatAssignment:
    """Make `user` part of `partnership`'s secretariat from `start_date`: they may manage it.

    Running a partnership gives no rights over its sub-partnerships; assign there separately."""
    if not user.is_active:
        raise ValidationError({"user": "That account is disabled."})
    assignment = SecretariatAssignment(partnership=partnership, user=user, start_date=start_date, end_date=end_date)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="membership.secretariat.assigned",
        obj=assignment,
        partnership=partnership,
        changes={"user": user.get_username(), "start_date": start_date, "end_date": end_date},
    )
    permissions_sync(partnership)
    return assignment


@transaction.atomic
def secretariat_assignment_end(*, actor, assignment: SecretariatAssignment, end_date: dt.date) -> SecretariatAssignment:
    """End a secretariat assignment on `end_date` (its last day).

    Refused when nobody else would be on the secretariat the day after: a partnership must not
    be left with nobody able to run it (assign the successor first)."""
    assignment = (
        SecretariatAssignment.objects.select_for_update().select_related("partnership", "user").get(pk=assignment.pk)
    )
    _check_end(assignment, end_date, "assignment")
    day_after = end_date + dt.timedelta(days=1)
    others = (
        SecretariatAssignment.objects.current(day_after)
        .filter(partnership=assignment.partnership)
        .exclude(pk=assignment.pk)
    )
    if not others.exists():
        raise ValidationError(
            f"{assignment.user.get_username()} would leave {assignment.partnership} without a secretariat "
            f"from {_long_date(day_after)}. Assign someone else first."
        )
    changes = model_changes(assignment, {"end_date": end_date})
    assignment.end_date = end_date
    assignment.full_clean()
    assignment.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action="membership.secretariat.ended",
        obj=assignment,
        partnership=assignment.partnership,
        changes=changes,
    )
    permissions_sync(assignment.partnership)
    return assignment


@transaction.atomic
def partnership_update(
    *,
    actor,
    partnership: Partnership,
    purpose: str,
    quorum_rule: str,
    quorum_numerator: int | None,
    quorum_denominator: int | None,
    quorum_minimum: int | None,
    quorum_requires_icb: bool,
    quorum_requires_council: bool,
    quorum_substitutes_count: bool,
    access_rule: str,
    contact_email: str,
    website: str,
    terms_of_reference_adopted_on: dt.date | None,
    terms_of_reference=None,
    minutes_due_working_days: int | None = None,
    conflicts_policy: str | None = None,
) -> Partnership:
    """Edit a partnership's published details: purpose, quorum, access-to-information rule,
    contact, website and terms of reference. Each changed field is audited as [old, new].

    `terms_of_reference` is a new uploaded file, or None to keep the current one; a replaced
    file is kept in storage (the audit names both). Terms of reference need the date they were
    adopted, which cannot be in the future. The quorum is a fraction of the voting members
    (`quorum_numerator`/`quorum_denominator`) or a fixed number (`quorum_minimum`), not both; a
    fixed quorum that requires an ICB and a council member needs at least two."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    data = {
        "purpose": purpose.strip(),
        "quorum_rule": quorum_rule.strip(),
        "quorum_numerator": quorum_numerator,
        "quorum_denominator": quorum_denominator,
        "quorum_minimum": quorum_minimum,
        "quorum_requires_icb": quorum_requires_icb,
        "quorum_requires_council": quorum_requires_council,
        "quorum_substitutes_count": quorum_substitutes_count,
        "access_rule": access_rule,
        "contact_email": contact_email.strip(),
        "website": website.strip(),
        "terms_of_reference_adopted_on": terms_of_reference_adopted_on,
    }
    # How many working days after a meeting its draft minutes are due (None keeps the current number).
    if minutes_due_working_days is not None:
        data["minutes_due_working_days"] = minutes_due_working_days
    # Whether a member with a financial interest may read an exempt item's papers (None keeps it).
    if conflicts_policy:
        data["conflicts_policy"] = conflicts_policy
    has_terms = bool(terms_of_reference or partnership.terms_of_reference)
    if has_terms and not terms_of_reference_adopted_on:
        raise ValidationError(
            {"terms_of_reference_adopted_on": "Enter the date the partnership adopted its terms of reference."}
        )
    if terms_of_reference_adopted_on and terms_of_reference_adopted_on > timezone.localdate():
        raise ValidationError(
            {"terms_of_reference_adopted_on": "The adoption date cannot be in the future: upload them once adopted."}
        )
    required = int(quorum_requires_icb) + int(quorum_requires_council)
    if quorum_minimum is not None and quorum_minimum < max(required, 1):
        raise ValidationError(
            {"quorum_minimum": f"The quorum must be at least {max(required, 1)}, to include the members it requires."}
        )
    changes = model_changes(partnership, data)
    if not changes and not terms_of_reference:
        return partnership
    for name, value in data.items():
        setattr(partnership, name, value)
    partnership.full_clean()
    if terms_of_reference:
        # Stored only once the details are valid. The storage picks a free name, so a replaced
        # file stays where it was and published links to it keep working.
        old_file = partnership.terms_of_reference.name or ""
        partnership.terms_of_reference.save(terms_of_reference.name, terms_of_reference, save=False)
        changes["terms_of_reference"] = [old_file, partnership.terms_of_reference.name]
    partnership.save()
    audit_record(
        actor=actor,
        action="membership.partnership.updated",
        obj=partnership,
        partnership=partnership,
        changes=changes,
    )
    return partnership


@dataclass(frozen=True)
class ImportResult:
    memberships: list[Membership]
    people_created: int


class ImportAlreadyApplied(Exception):
    """The import with this token has been committed already; nothing was imported again."""


@transaction.atomic
def membership_import(
    *, actor, partnership: Partnership, rows: list[dict], file_name: str = "", token: str = ""
) -> ImportResult:
    """Add the memberships in `rows` (from `membership.imports.rows_from_upload`) all together or not at all.

    The rows are checked again here, inside the transaction, whatever the preview said: if any row
    has a problem a `ValidationError` names how many and nothing is written. New people are
    created as the rows describe; existing people are matched as the preview showed.

    `token` names the preview being confirmed: it is kept in the audit entry, and confirming the
    same preview again (a double click, a second tab) raises `ImportAlreadyApplied`."""
    from .imports import import_applied, import_rows_check

    # Imports to one partnership take turns: the second of two confirms waits here, then sees
    # the first one's audit entry and memberships (each statement reads what is committed).
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if token and import_applied(partnership=partnership, token=token):
        raise ImportAlreadyApplied("This import has already been applied.")
    checked = import_rows_check(partnership=partnership, rows=rows)
    bad = [row for row in checked if row.errors]
    if bad:
        raise ValidationError(
            f"{len(bad)} row{'s' if len(bad) != 1 else ''} of the file {'have' if len(bad) != 1 else 'has'} "
            "problems, so nothing was imported."
        )
    created_people: dict[str, Person] = {}
    memberships = []
    for row in checked:
        person = row.person
        if person is None:
            person = created_people.get(row.person_key)
        if person is None:
            person = person_create(
                actor=actor,
                partnership=partnership,
                given_name=row.values["given_name"],
                family_name=row.values["family_name"],
                honorific=row.values.get("honorific", ""),
                post_nominals=row.values.get("post_nominals", ""),
                email=row.values.get("email", ""),
            )
            created_people[row.person_key] = person
        try:
            membership = _membership_build(
                partnership=partnership,
                person=person,
                role=row.role,
                seat=row.values.get("seat", ""),
                organisation=row.organisation,
                sector=row.sector,
                is_voting=row.is_voting,
                start_date=row.start_date,
                end_date=row.end_date,
                end_reason=row.values.get("end_reason", ""),
            )
        except ValidationError as exc:
            raise ValidationError(f"Line {row.line}: {'; '.join(exc.messages)} Nothing was imported.") from exc
        membership.save()
        audit_record(
            actor=actor,
            action="membership.membership.added",
            obj=membership,
            partnership=partnership,
            changes={**_membership_snapshot(membership), "source": f"import of {file_name}, line {row.line}"},
        )
        memberships.append(membership)
    audit_record(
        actor=actor,
        action="membership.import.committed",
        obj=partnership,
        partnership=partnership,
        changes={
            "file": file_name,
            "memberships": len(memberships),
            "people_created": len(created_people),
            **({"token": token} if token else {}),
        },
    )
    permissions_sync(partnership)
    return ImportResult(memberships=memberships, people_created=len(created_people))
