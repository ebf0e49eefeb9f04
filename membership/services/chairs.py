"""Chairs, co-chairs and vice-chairs: appointing them for a term and ending it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership

from ..models import ChairAppointment, Person
from ..permissions import permissions_sync
from ._common import _term_end, save_audited


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
    save_audited(
        appointment,
        actor=actor,
        action="membership.chair.appointed",
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
