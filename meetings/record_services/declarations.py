"""Declarations of interest made at a meeting, each pointing at an entry of the person's register."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from membership import services as membership_services
from membership.models import Interest, Person

from ..models import AgendaItem, Declaration, Meeting
from ._common import RecordError, _check_decisions_stay_quorate, _require_held, _require_item_of


@transaction.atomic
def declaration_record(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem,
    person: Person,
    action_taken: str,
    actor,
    interest: Interest | None = None,
    new_interest: dict | None = None,
) -> Declaration:
    """Record that `person` declared an interest on `agenda_item`, and what they did about it.

    The declaration points at an entry of the person's register of interests: an existing
    `interest`, or a `new_interest` ({category, description, organisation_name}) which is
    added to their register, declared on the day of the meeting."""
    _require_held(meeting, "declaration")
    _require_item_of(meeting, agenda_item)
    if (interest is None) == (new_interest is None):
        raise RecordError("Choose an interest from their register, or describe a new one.")
    if interest is not None and interest.person_id != person.pk:
        raise RecordError(f"That interest is not on {person}’s register.")
    if action_taken not in Declaration.ActionTaken.values:
        raise RecordError("Choose what they did about the interest.")
    if (
        interest is not None
        and meeting.declarations.filter(agenda_item=agenda_item, person=person, interest=interest).exists()
    ):
        raise RecordError(f"{person} has already declared this interest on item {agenda_item.position}.")
    if new_interest is not None:
        description = (new_interest.get("description") or "").strip()
        category = new_interest.get("category") or ""
        if not description or category not in Interest.Category.values:
            raise RecordError("Describe the new interest and choose its category.")
        try:
            interest = membership_services.interest_record(
                actor=actor,
                partnership=meeting.partnership,
                person=person,
                category=category,
                description=description,
                organisation_name=new_interest.get("organisation_name") or "",
                declared_on=min(meeting.date, timezone.localdate()),
                reason=f"Declared at {meeting}",
            )
        except ValidationError as error:
            raise RecordError(error.messages) from error
    text = interest.description
    if interest.organisation_name and interest.organisation_name not in text:
        text = f"{text} ({interest.organisation_name})"
    declaration = Declaration.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        person=person,
        interest=interest,
        description=text,
        action_taken=action_taken,
    )
    if action_taken == Declaration.ActionTaken.LEFT_THE_ROOM:
        _check_decisions_stay_quorate(meeting)
    audit_record(
        actor=actor,
        action="meetings.declaration.recorded",
        obj=declaration,
        partnership=meeting.partnership,
        changes={
            "person": str(person),
            "item": agenda_item.position,
            "interest": interest.pk,
            "description": text,
            "action_taken": action_taken,
        },
    )
    return declaration


@transaction.atomic
def declaration_remove(*, declaration: Declaration, actor) -> None:
    """Take a declaration recorded in error off the record (the audit log keeps it)."""
    meeting = declaration.meeting
    audit_record(
        actor=actor,
        action="meetings.declaration.removed",
        obj=declaration,
        partnership=meeting.partnership,
        changes={
            "person": str(declaration.person),
            "item": declaration.agenda_item.position,
            "description": declaration.description,
            "action_taken": declaration.action_taken,
        },
    )
    declaration.delete()
