"""What the membership services share: dates as they read in refusals, the audited save, and
ending a term (a seat, a chair's appointment, a secretariat assignment)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.services import audit_record, model_changes
from core.dates import long_date
from partnerships.models import Partnership

from ..permissions import permissions_sync


def save_audited(obj, *, actor, action: str, partnership: Partnership, changes: dict, update_fields=None):
    """The last step of every write here and in `membership.onboarding`: check `obj` against its
    model's rules (a `ValidationError` reaches the form), save it (only `update_fields`, if
    given) and write its audit entry."""
    obj.full_clean()
    obj.save(update_fields=update_fields)
    audit_record(actor=actor, action=action, obj=obj, partnership=partnership, changes=changes)
    return obj


def _check_end(term, end_date: dt.date, what: str) -> None:
    today = timezone.localdate()
    if term.end_date and term.end_date < today:
        raise ValidationError(f"This {what} already ended on {long_date(term.end_date)}.")
    if end_date < term.start_date:
        raise ValidationError(
            {"end_date": f"The end date must be on or after the start date, {long_date(term.start_date)}."}
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
