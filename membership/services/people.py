"""People: adding them, changing their name, contact details and sign-in account, and who may."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.services import audit_record, model_changes
from partnerships.models import Partnership

from ..models import Person
from ..permissions import (
    may_link_accounts,
    may_see_contact_details,
    partnerships_not_run_by,
    permissions_sync,
    person_partnerships,
)
from ._common import save_audited

PERSON_FIELDS = ("honorific", "given_name", "family_name", "post_nominals", "pronouns", "email", "phone")


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
    save_audited(person, actor=actor, action="membership.person.updated", partnership=partnership, changes=changes)
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
    save_audited(person, actor=actor, action="membership.person.updated", partnership=person.added_for, changes=changes)
    if relink:
        _person_partnerships_resync(person)
    return person
