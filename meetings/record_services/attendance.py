"""Attendance: who was there (members, substitutes, others in attendance), and when they came and went."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, model_changes
from membership import services as membership_services
from membership.models import Person

from ..models import AgendaItem, Attendance, Meeting
from ..record import has_started, members_at
from ._common import (
    RecordError,
    _check_decisions_stay_quorate,
    _meeting_date,
    _require_held,
    _require_item_of,
    _require_started,
)

MEMBER_STATUSES = (Attendance.Status.PRESENT, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT)


@dataclass(frozen=True)
class AttendanceEntry:
    """One line of the attendance form. An empty `status` means 'not recorded' (any
    existing row for the person is removed)."""

    person: Person
    status: str
    substitute_for: Person | None = None
    capacity: str = ""
    arrived_at_item: AgendaItem | None = None
    left_after_item: AgendaItem | None = None


def _check_timing(meeting: Meeting, entry: AttendanceEntry) -> None:
    """Arrival and departure are by agenda item of this meeting, in order, for someone there."""
    arrived, left = entry.arrived_at_item, entry.left_after_item
    if not (arrived or left):
        return
    if entry.status not in Attendance.IN_THE_ROOM:
        raise RecordError(
            f"{entry.person} is not recorded as attending, so they cannot arrive or leave during the meeting."
        )
    _require_item_of(meeting, arrived)
    _require_item_of(meeting, left)
    if arrived and left and left.position < arrived.position:
        raise RecordError(
            f"{entry.person} cannot leave after item {left.position} having arrived at item {arrived.position}."
        )


def _check_substitute(meeting, person, substitute_for, members_by_person, present, substituted):
    if substitute_for is None:
        raise RecordError(f"Say whom {person} substituted for.")
    if substitute_for.pk not in members_by_person:
        raise RecordError(f"{substitute_for} is not a member of the partnership on {_meeting_date(meeting)}.")
    if substitute_for.pk == person.pk:
        raise RecordError(f"{person} cannot substitute for themselves.")
    if substitute_for.pk in present:
        raise RecordError(f"{substitute_for} is recorded as present, so nobody can substitute for them.")
    if substitute_for.pk in substituted:
        raise RecordError(f"Only one substitute can stand in for {substitute_for}.")


@transaction.atomic
def attendance_record(*, meeting: Meeting, entries: list[AttendanceEntry], actor) -> dict[str, int]:
    """Record the attendance of a meeting from the whole form at once.

    Before the meeting starts only apologies may be recorded (they are often sent ahead).
    Returns how many rows were created, changed and removed."""
    _require_held(meeting, "attendance")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = timezone.now()
    started = has_started(meeting, now)
    members_by_person = {m.person_id: m for m in members_at(meeting)}
    existing = {row.person_id: row for row in meeting.attendance.all()}

    present = {e.person.pk for e in entries if e.status == Attendance.Status.PRESENT}
    substituted: set[int] = set()
    changes, counts = {}, {"created": 0, "changed": 0, "removed": 0}
    for entry in entries:
        row = existing.get(entry.person.pk)
        if entry.status and entry.status not in Attendance.Status.values:
            raise RecordError(f"Choose how {entry.person} attended.")
        if entry.status and entry.status != Attendance.Status.APOLOGIES and not started:
            raise RecordError(
                "The meeting has not started yet: before it starts you can record apologies only "
                f"({entry.person} is marked ‘{Attendance.Status(entry.status).label.lower()}’)."
            )
        if (
            entry.status in MEMBER_STATUSES
            and entry.person.pk not in members_by_person
            and not (row and row.status == entry.status)
        ):
            raise RecordError(
                f"{entry.person} is not a member of the partnership on {_meeting_date(meeting)}: record them "
                "as a substitute or as in attendance."
            )
        if entry.status == Attendance.Status.SUBSTITUTE:
            _check_substitute(meeting, entry.person, entry.substitute_for, members_by_person, present, substituted)
            substituted.add(entry.substitute_for.pk)
        _check_timing(meeting, entry)
        substitute_for = entry.substitute_for if entry.status == Attendance.Status.SUBSTITUTE else None
        if not entry.status:
            if row:
                changes[str(entry.person)] = [row.status, None]
                row.delete()
                counts["removed"] += 1
            continue
        values = {
            "status": entry.status,
            "substitute_for_id": substitute_for.pk if substitute_for else None,
            "capacity": entry.capacity.strip(),
            "arrived_at_item_id": entry.arrived_at_item.pk if entry.arrived_at_item else None,
            "left_after_item_id": entry.left_after_item.pk if entry.left_after_item else None,
        }
        if row is None or row.status != entry.status:
            # The time the status was given: apologies recorded before the start were sent in advance.
            values["recorded_at"] = now
        if row is None:
            Attendance.objects.create(meeting=meeting, person=entry.person, **values)
            changes[str(entry.person)] = [None, entry.status]
            counts["created"] += 1
            continue
        old_status = row.status
        diff = model_changes(row, values)
        if diff:
            for name, (_old, new) in diff.items():
                setattr(row, name, new)
            row.save()
            changes[str(entry.person)] = [old_status, entry.status]
            counts["changed"] += 1
    if changes:
        _check_decisions_stay_quorate(meeting)
        audit_record(
            actor=actor,
            action="meetings.attendance.recorded",
            obj=meeting,
            partnership=meeting.partnership,
            changes=changes,
        )
    return counts


@transaction.atomic
def attendance_add(
    *,
    meeting: Meeting,
    status: str,
    actor,
    person: Person | None = None,
    honorific: str = "",
    given_name: str = "",
    family_name: str = "",
    substitute_for: Person | None = None,
    capacity: str = "",
) -> Attendance:
    """Add someone who is not a member to the record: a substitute for a member, or someone
    in attendance (officers, presenters, guests). Give an existing `person`, or the names of
    a new one (added to the people the partnership's secretariat can reach)."""
    _require_started(meeting, "attendance")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if status not in (Attendance.Status.SUBSTITUTE, Attendance.Status.IN_ATTENDANCE):
        raise RecordError("Choose whether they attended as a substitute or were in attendance.")
    if (person is None) == (not (given_name.strip() and family_name.strip())):
        raise RecordError("Choose a person, or give the first and last name of someone new, not both.")
    members_by_person = {m.person_id: m for m in members_at(meeting)}
    rows = {row.person_id: row for row in meeting.attendance.all()}
    if person is not None:
        if person.pk in rows:
            raise RecordError(f"{person} is already on the record of this meeting.")
        if person.pk in members_by_person:
            raise RecordError(f"{person} is a member: record their attendance in the members’ list.")
    if status == Attendance.Status.SUBSTITUTE:
        present = {pk for pk, row in rows.items() if row.status == Attendance.Status.PRESENT}
        substituted = {row.substitute_for_id for row in rows.values() if row.substitute_for_id}
        newcomer = person or Person(given_name=given_name, family_name=family_name)
        _check_substitute(meeting, newcomer, substitute_for, members_by_person, present, substituted)
    else:
        substitute_for = None
    if person is None:
        try:
            person = membership_services.person_create(
                actor=actor,
                partnership=meeting.partnership,
                honorific=honorific,
                given_name=given_name,
                family_name=family_name,
                reason=f"In attendance at {meeting}",
            )
        except ValidationError as error:
            raise RecordError(error.messages) from error
    row = Attendance.objects.create(
        meeting=meeting,
        person=person,
        status=status,
        substitute_for=substitute_for,
        capacity=capacity.strip(),
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="meetings.attendance.added",
        obj=meeting,
        partnership=meeting.partnership,
        changes={
            "person": str(person),
            "status": status,
            "substitute_for": str(substitute_for or ""),
            "capacity": capacity,
        },
    )
    return row
