"""The secretariat: who may manage a partnership, from when and until when."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import model_changes
from core.dates import long_date
from partnerships.models import Partnership

from ..models import SecretariatAssignment
from ..permissions import permissions_sync
from ._common import _check_end, save_audited


@transaction.atomic
def secretariat_assign(
    *, actor, partnership: Partnership, user, start_date: dt.date, end_date: dt.date | None = None
) -> SecretariatAssignment:
    """Make `user` part of `partnership`'s secretariat from `start_date`: they may manage it.

    Running a partnership gives no rights over its sub-partnerships; assign there separately."""
    if not user.is_active:
        raise ValidationError({"user": "That account is disabled."})
    assignment = SecretariatAssignment(partnership=partnership, user=user, start_date=start_date, end_date=end_date)
    save_audited(
        assignment,
        actor=actor,
        action="membership.secretariat.assigned",
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
            f"from {long_date(day_after)}. Assign someone else first."
        )
    changes = model_changes(assignment, {"end_date": end_date})
    assignment.end_date = end_date
    save_audited(
        assignment,
        actor=actor,
        action="membership.secretariat.ended",
        partnership=assignment.partnership,
        changes=changes,
        update_fields=["end_date"],
    )
    permissions_sync(assignment.partnership)
    return assignment
