"""Seats on a partnership: giving a person one and ending it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.dates import long_date
from partnerships.models import Organisation, Partnership

from ..models import Membership, Person
from ..permissions import permissions_sync
from ._common import _term_end


def _check_organisation_on(organisation: Organisation | None, on: dt.date) -> None:
    """Refuse a seat representing a body that had ceased, or did not yet exist, on `on`."""
    if organisation is None:
        return
    if organisation.valid_to and organisation.valid_to < on:
        successor = f" Its successor is {organisation.successor}." if organisation.successor_id else ""
        ceased = f"{organisation} ceased on {long_date(organisation.valid_to)}, before this seat starts."
        raise ValidationError({"organisation": ceased + successor})
    if organisation.valid_from and organisation.valid_from > on:
        raise ValidationError(
            {
                "organisation": f"{organisation} comes into being on {long_date(organisation.valid_from)}, "
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
        raise ValidationError({"start_date": f"The partnership ended on {long_date(partnership.ended_on)}."})
    if start_date:
        _check_organisation_on(organisation, start_date)
    if end_date and not membership.end_reason and end_date < timezone.localdate():
        raise ValidationError({"end_reason": "Give the reason this past membership ended."})
    membership.full_clean()
    return membership


def _membership_save(membership: Membership, *, actor, source: str = "") -> None:
    """Save a membership from `_membership_build` and audit it; `source` says where it came from
    when that is not the workspace form (a line of an imported file)."""
    membership.save()
    audit_record(
        actor=actor,
        action="membership.membership.added",
        obj=membership,
        partnership=membership.partnership,
        changes=_membership_snapshot(membership) | ({"source": source} if source else {}),
    )


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
    _membership_save(membership, actor=actor)
    permissions_sync(partnership)
    return membership


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
