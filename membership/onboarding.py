"""Starting a partnership on the portal, and the records its secretariat keeps besides people:
partner organisations and the ends of registered interests (docs/workspace.md).

- `partnership_create`: a portal administrator creates a partnership for any system, with the
  details the secretariat would otherwise set (`services.partnership_update` checks them).
- `secretariat_invite`: invite someone with no sign-in account to run a partnership; accepting
  the invitation (`accounts.invitation_accept`) puts their new account on the secretariat.
- `organisation_add` / `organisation_update` / `organisation_end`: partner bodies the secretariat
  adds; only the secretariat that added one (or an administrator) changes or ends it.
- `interest_end`: an interest ends with its last day and a reason; it stays on the register.

Each runs in one transaction and writes its audit entry, as in `membership.services`.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.services import model_changes
from core.dates import long_date
from partnerships.models import IntegratedCareSystem, Organisation, Partnership

from . import accounts, services
from .models import Interest, Invitation, Person
from .permissions import MANAGE, is_portal_administrator, partnerships_for_user, permissions_sync

# Partner bodies only: councils and ICBs come from the national reference data.
REFERENCE_SECTORS = (Organisation.Sector.ICB, Organisation.Sector.LOCAL_AUTHORITY)


def _free_slug(name: str) -> str:
    base = slugify(name)[:190] or "partnership"
    slug, number = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# Creating a partnership ---------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *,
    actor,
    ics: IntegratedCareSystem,
    kind: str,
    name: str,
    parent: Partnership | None = None,
    established_on: dt.date | None = None,
    **details,
) -> Partnership:
    """Create a partnership of `ics` (the statutory ICP or one of its sub-partnerships) and set
    its published details (`details`: the arguments of `services.partnership_update`, whose
    checks apply). Only a portal administrator may; a system has at most one statutory ICP,
    and a sub-partnership's parent belongs to the same system. Audited as
    `membership.partnership.created`, then the details as `membership.partnership.updated`.
    The partnership has no secretariat yet: invite one with `secretariat_invite`."""
    if not is_portal_administrator(actor):
        raise PermissionDenied("Only a portal administrator may create a partnership.")
    name = " ".join(name.split())
    partnership = Partnership(
        ics=ics, kind=kind, name=name, slug=_free_slug(name), parent=parent, established_on=established_on
    )
    services.save_audited(
        partnership,
        actor=actor,
        action="membership.partnership.created",
        partnership=partnership,
        changes={
            "name": name,
            "system": str(ics),
            "kind": partnership.get_kind_display(),
            "parent": str(parent) if parent else "",
            "established_on": established_on,
        },
    )
    partnership = services.partnership_update(actor=actor, partnership=partnership, **details)
    permissions_sync(partnership)
    return partnership


# Inviting a secretariat ---------------------------------------------------------------------


@transaction.atomic
def secretariat_invite(*, actor, partnership: Partnership, given_name: str, family_name: str, email: str) -> Invitation:
    """Invite someone with no sign-in account to join `partnership`'s secretariat: a person is
    added for the partnership (their contact details private to it) and emailed a single-use
    link, valid 7 days. Accepting it creates their account and assigns it to the secretariat.

    Someone who already has an account is assigned by its username instead (refused here with
    that advice), so that an invitation never hands over an existing account."""
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": "Someone already signs in with this email address: add their account to the "
                "secretariat by its username or email address (Assign a secretariat) instead."
            }
        )
    person = services.person_create(
        actor=actor, partnership=partnership, given_name=given_name, family_name=family_name, email=email
    )
    return accounts.invitation_send(actor=actor, partnership=partnership, person=person, secretariat=True)


# Partner organisations ----------------------------------------------------------------------


def organisation_change_refusal(*, actor, organisation: Organisation) -> str:
    """Why `actor` may not change or end `organisation`, or "" if they may.

    Councils and ICBs are national reference data. A partner body may be relied on by every
    partnership whose seats represent it, so only the secretariat that added it, or a portal
    administrator, changes it."""
    if organisation.sector in REFERENCE_SECTORS:
        return f"{organisation} comes from the national reference data: it cannot be changed here."
    if is_portal_administrator(actor):
        return ""
    if organisation.added_for_id is None or not (
        partnerships_for_user(actor, MANAGE).filter(pk=organisation.added_for_id).exists()
    ):
        return f"{organisation} was not added by a partnership you run: ask a portal administrator to change it."
    return ""


def _organisation_snapshot(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "sector": organisation.get_sector_display(),
        "website": organisation.website,
        "valid_from": organisation.valid_from,
    }


def _check_partner_sector(sector: str) -> None:
    if sector in REFERENCE_SECTORS:
        raise ValidationError(
            {"sector": "Councils and ICBs are already on the portal: choose them when adding a membership."}
        )


@transaction.atomic
def organisation_add(
    *, actor, partnership: Partnership, name: str, sector: str, website: str = "", valid_from: dt.date | None = None
) -> Organisation:
    """Add a partner organisation (an NHS trust, Healthwatch, a VCSE body…) for `partnership`, so
    that its seats can represent it. Refused for a current organisation of the same name and
    sector that this partnership already has, and for councils and ICBs (reference data)."""
    _check_partner_sector(sector)
    name = " ".join(name.split())
    duplicate = Organisation.objects.current().filter(name__iexact=name, sector=sector)
    if duplicate.filter(added_for=partnership).exists():
        raise ValidationError({"name": f"{name} is already one of this partnership's organisations."})
    organisation = Organisation(
        name=name, sector=sector, website=website.strip(), valid_from=valid_from, added_for=partnership
    )
    services.save_audited(
        organisation,
        actor=actor,
        action="membership.organisation.added",
        partnership=partnership,
        changes=_organisation_snapshot(organisation),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor,
    partnership: Partnership,
    organisation: Organisation,
    name: str,
    sector: str,
    website: str = "",
    valid_from: dt.date | None = None,
) -> Organisation:
    """Correct a partner organisation's name, sector, website or start. Each change audited."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    refusal = organisation_change_refusal(actor=actor, organisation=organisation)
    if refusal:
        raise ValidationError(refusal)
    _check_partner_sector(sector)
    data = {"name": " ".join(name.split()), "sector": sector, "website": website.strip(), "valid_from": valid_from}
    changes = model_changes(organisation, data)
    if not changes:
        return organisation
    for field, value in data.items():
        setattr(organisation, field, value)
    services.save_audited(
        organisation,
        actor=actor,
        action="membership.organisation.updated",
        partnership=partnership,
        changes=changes,
    )
    return organisation


@transaction.atomic
def organisation_end(
    *, actor, partnership: Partnership, organisation: Organisation, end_date: dt.date, end_reason: str
) -> Organisation:
    """Record a partner organisation's last day (it closed, merged, left the partnership's
    work) and why. Nothing is deleted: seats that represented it keep it on the record, and
    it can no longer be chosen for a seat starting after `end_date`."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    refusal = organisation_change_refusal(actor=actor, organisation=organisation)
    if refusal:
        raise ValidationError(refusal)
    end_reason = end_reason.strip()
    if not end_reason:
        raise ValidationError({"end_reason": "Enter the reason the organisation ended."})
    if organisation.valid_to and organisation.valid_to < timezone.localdate():
        raise ValidationError(f"{organisation} already ended on {long_date(organisation.valid_to)}.")
    if organisation.valid_from and end_date < organisation.valid_from:
        raise ValidationError({"end_date": "The end date must be on or after the date the organisation started."})
    later = organisation.memberships.filter(start_date__gt=end_date)
    if later.exists():
        raise ValidationError(
            {"end_date": f"A seat representing {organisation} starts after this date: end or change it first."}
        )
    changes = model_changes(organisation, {"valid_to": end_date, "end_reason": end_reason})
    organisation.valid_to, organisation.end_reason = end_date, end_reason
    services.save_audited(
        organisation,
        actor=actor,
        action="membership.organisation.ended",
        partnership=partnership,
        changes=changes,
        update_fields=["valid_to", "end_reason"],
    )
    return organisation


# Ending an interest -------------------------------------------------------------------------


@transaction.atomic
def interest_end(
    *, actor, partnership: Partnership, person: Person, interest: Interest, end_date: dt.date, end_reason: str
) -> Interest:
    """End an entry on `person`'s register of interests on `end_date` (its last day), for
    `end_reason`. The entry stays on the register, shown as ended: declarations made while it
    held must still make sense."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk, person=person)
    end_reason = end_reason.strip()
    if not end_reason:
        raise ValidationError({"end_reason": "Enter the reason the interest ended."})
    if interest.has_ended():
        raise ValidationError(f"This interest already ended on {long_date(interest.end_date)}.")
    if interest.start_date and end_date < interest.start_date:
        raise ValidationError({"end_date": "The end date must be on or after the date the interest started."})
    changes = {"person": str(person), "interest": interest.description[:200]}
    changes.update(model_changes(interest, {"end_date": end_date, "end_reason": end_reason}))
    interest.end_date, interest.end_reason = end_date, end_reason
    services.save_audited(
        interest,
        actor=actor,
        action="membership.interest.ended",
        partnership=partnership,
        changes=changes,
        update_fields=["end_date", "end_reason"],
    )
    return interest
