"""The register of interests: an interest declared, or a nil return."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.dates import long_date
from partnerships.models import Partnership

from ..models import Interest, NilReturn, Person
from ._common import save_audited


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
    save_audited(
        interest,
        actor=actor,
        action="membership.interest.recorded",
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
            {"declared_on": f"A nil return by {person} on {long_date(declared_on)} is already recorded."}
        )
    nil_return = NilReturn(person=person, declared_on=declared_on)
    save_audited(
        nil_return,
        actor=actor,
        action="membership.nil_return.recorded",
        partnership=partnership,
        changes={"person": str(person), "declared_on": declared_on},
    )
    return nil_return
