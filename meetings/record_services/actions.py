"""Actions a meeting set, and the dated updates that move them on or close them."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from membership.models import Person

from ..models import Action, ActionUpdate, AgendaItem, Meeting
from ._common import RecordError, _meeting_date, _require_item_of, _require_started, _save_changes, _user


def _action_details(
    meeting: Meeting, *, agenda_item, description: str, owner_person, owner_organisation, due_date
) -> dict:
    """What an action set by `meeting` says, checked: recording one and changing one follow the same rules."""
    _require_item_of(meeting, agenda_item)
    description = description.strip()
    if not description:
        raise RecordError("Describe the action.")
    if owner_person is None and owner_organisation is None:
        raise RecordError("Give the action an owner: a person, an organisation or both.")
    if due_date and due_date < meeting.date:
        raise RecordError(f"The due date is before the meeting that set the action ({_meeting_date(meeting)}).")
    return {
        "agenda_item": agenda_item,
        "description": description,
        "owner_person": owner_person,
        "owner_organisation": owner_organisation,
        "due_date": due_date,
    }


@transaction.atomic
def action_record(
    *,
    meeting: Meeting,
    description: str,
    actor,
    agenda_item: AgendaItem | None = None,
    owner_person: Person | None = None,
    owner_organisation=None,
    due_date: dt.date | None = None,
) -> Action:
    """Record an action the meeting set. It stays open (and rolls forward to later
    meetings' action logs) until an update marks it completed or no longer required."""
    _require_started(meeting, "actions")
    details = _action_details(
        meeting,
        agenda_item=agenda_item,
        description=description,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    action = Action.objects.create(partnership=meeting.partnership, meeting=meeting, **details)
    audit_record(
        actor=actor,
        action="meetings.action.recorded",
        obj=action,
        partnership=meeting.partnership,
        changes={
            "item": agenda_item.position if agenda_item else None,
            "description": details["description"],
            "owner_person": str(owner_person or ""),
            "owner_organisation": str(owner_organisation or ""),
            "due_date": due_date,
        },
    )
    return action


@transaction.atomic
def action_change(
    *,
    action: Action,
    description: str,
    actor,
    agenda_item: AgendaItem | None = None,
    owner_person: Person | None = None,
    owner_organisation=None,
    due_date: dt.date | None = None,
) -> Action:
    """Change what an action is, who owns it or when it is due. Its status changes only
    through dated updates (`action_add_update`), so the log shows when it was closed."""
    details = _action_details(
        action.meeting,
        agenda_item=agenda_item,
        description=description,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    _save_changes(action, details, actor=actor, action="meetings.action.changed", partnership=action.partnership)
    return action


@transaction.atomic
def action_add_update(
    *, action: Action, text: str, status: str, actor, written_on: dt.date | None = None
) -> ActionUpdate:
    """Record progress on an action and set its status (closing it, or reopening it)."""
    text = text.strip()
    written_on = written_on or timezone.localdate()
    if not text:
        raise RecordError("Say what has happened on the action.")
    if status not in Action.Status.values:
        raise RecordError("Choose the action's status after this update.")
    if written_on > timezone.localdate():
        raise RecordError("The date of the update cannot be in the future.")
    if written_on < action.meeting.date:
        raise RecordError(
            f"The update is dated before the meeting that agreed the action ({_meeting_date(action.meeting)})."
        )
    action = Action.objects.select_for_update().get(pk=action.pk)
    update = ActionUpdate.objects.create(
        action=action, text=text, status=status, written_on=written_on, author=_user(actor)
    )
    old_status = action.status
    if old_status != status:
        action.status = status
        action.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="meetings.action.update_added",
        obj=action,
        partnership=action.partnership,
        changes={"text": text, "written_on": written_on, "status": [old_status, status]},
    )
    return update
