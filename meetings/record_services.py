"""Recording what a meeting did: attendance, declarations, minutes, decisions and actions.

Every function here writes through one transaction and one audit entry (or a few, named
`meetings.<thing>.<what happened>`), and refuses with a `RecordError` (a `ValidationError`, as
every service refuses) whose message is meant for the person at the keyboard.

Minutes follow the access-to-information practice the partnerships use: drafted by the
secretariat after the meeting, published as a draft, approved as a correct record at a
later meeting of the same partnership (that meeting's decision is linked to the approved
version), and never edited once approved: a correction is a new version with a reason,
which supersedes the approved one when it is approved in turn.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import events
from membership import services as membership_services
from membership.models import Interest, Person

from .models import Action, ActionUpdate, AgendaItem, Attendance, Decision, Declaration, Meeting, MinuteEntry, Minutes
from .record import NOT_HELD, QuorumRecord, has_started, long_date, members_at, quorum_for, quorum_record

MEMBER_STATUSES = (Attendance.Status.PRESENT, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT)


class RecordError(ValidationError):
    """A change to a meeting's record that was refused; the message says why and what to do.

    A `ValidationError` like every other refusal, so a form view shows it the same way; `str()`
    is the message itself (a plain `ValidationError` would print it as a list)."""

    def __str__(self) -> str:
        return " ".join(self.messages)


def _meeting_date(meeting: Meeting) -> str:
    return long_date(meeting.date)


def _require_held(meeting: Meeting, what: str) -> None:
    if meeting.status in NOT_HELD:
        raise RecordError(
            f"This meeting was {meeting.get_status_display().lower()}: there is no {what} to record for it."
        )


def _require_started(meeting: Meeting, what: str) -> None:
    _require_held(meeting, what)
    if not has_started(meeting):
        starts = timezone.localtime(meeting.starts_at)
        raise RecordError(
            f"This meeting has not started yet (it starts on {long_date(starts)} at {starts:%H:%M}): "
            f"{what} can be recorded once it has begun."
        )


def _require_item_of(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise RecordError("Choose an item from this meeting's agenda.")


# Quorum -------------------------------------------------------------------------------------
#
# The ICP is a joint committee: its terms of reference set its quorum, and a decision of an
# inquorate meeting is not a valid decision of the committee. So a decision at an item without a
# quorum is refused unless the secretariat records it as taken without one (the public record
# says so); minutes are approved only at a quorate item of a meeting whose attendance is
# recorded; and a change to attendance or declarations that would leave a decision recorded as
# quorate at an inquorate item is refused until the decision is marked.

INQUORATE_ADVICE = (
    "A decision taken without a quorum is not a valid decision of the partnership. If the meeting took it all the "
    "same, record it with ‘Recorded without a quorum’ ticked: the public record says so."
)


def _check_quorate(meeting: Meeting, agenda_item: AgendaItem | None, *, inquorate: bool, new: bool) -> None:
    """Refuse a decision recorded as quorate at an item (or meeting) that was not; refuse a new
    decision marked as recorded without a quorum where the quorum was met or is not known."""
    quorum = quorum_for(meeting, item=agenda_item)
    if quorum.met is False and not inquorate:
        raise RecordError(f"{quorum.refusal}. {INQUORATE_ADVICE}")
    if not (new and inquorate) or quorum.met is False:
        return
    if quorum.met:
        raise RecordError(
            f"{quorum.subject} was quorate ({quorum.detail}): record the decision without ‘Recorded without a quorum’."
        )
    if not quorum.assessed_attendance:
        raise RecordError(
            "No attendance is recorded for this meeting, so it cannot be shown to have been inquorate: record the "
            "attendance first."
        )
    raise RecordError(
        "The partnership has no quorum rule, so no decision is recorded as taken without a quorum. Set the rule "
        "from the terms of reference in the partnership's details first."
    )


def _check_decisions_stay_quorate(meeting: Meeting) -> None:
    """After a change to who was in the room: refuse it if a decision recorded as quorate is
    now at an item (or meeting) without a quorum."""
    decisions = list(
        meeting.decisions.filter(inquorate=False)
        .prefetch_related("approved_minutes__meeting")
        .order_by("agenda_item__position", "pk")
    )
    if not decisions:
        return
    record: QuorumRecord = quorum_record(meeting)
    for decision in decisions:
        quorum = record.at(decision.agenda_item_id)
        if quorum.met is not False:
            continue
        approved = list(decision.approved_minutes.all())
        if approved:
            raise RecordError(
                f"{quorum.refusal}. The minutes of the meeting held on {_meeting_date(approved[0].meeting)} were "
                "approved there, and an approval stands once recorded: check the attendance."
            )
        name = decision.reference or f"‘{decision.wording[:60]}’"
        raise RecordError(
            f"{quorum.refusal}. Decision {name} is recorded there as taken with a quorum: mark it as recorded "
            "without a quorum first, or check the attendance."
        )


# Attendance ---------------------------------------------------------------------------------


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


# Declarations -------------------------------------------------------------------------------


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


# Minutes ------------------------------------------------------------------------------------


def _locked_versions(meeting: Meeting) -> list[Minutes]:
    """Lock the meeting row so that two people cannot create or approve versions at once."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    return list(meeting.minutes_versions.order_by("-version"))


def _refuse_approved_edit(minutes: Minutes) -> None:
    if minutes.status == Minutes.Status.APPROVED:
        raise RecordError(
            f"Version {minutes.version} of these minutes was approved as a correct record and cannot be "
            "changed. To correct it, start a correction: a new version, with the reason for the change."
        )
    if minutes.status == Minutes.Status.SUPERSEDED:
        raise RecordError(
            f"Version {minutes.version} of these minutes has been superseded by a later version and cannot be changed."
        )


@transaction.atomic
def minutes_start_draft(*, meeting: Meeting, actor) -> Minutes:
    """Start the first draft of a meeting's minutes: one empty minute per agenda item."""
    _require_started(meeting, "minutes")
    versions = _locked_versions(meeting)
    if versions:
        latest = versions[0]
        raise RecordError(
            f"Minutes of this meeting exist already (version {latest.version}, {latest.get_status_display().lower()})."
        )
    items = list(meeting.agenda_items.order_by("position"))
    if not items:
        raise RecordError("This meeting has no agenda items. Minutes are written item by item: add the agenda first.")
    minutes = Minutes.objects.create(meeting=meeting, version=1, created_by=_user(actor))
    MinuteEntry.objects.bulk_create(MinuteEntry(minutes=minutes, agenda_item=item) for item in items)
    audit_record(
        actor=actor,
        action="meetings.minutes.drafted",
        obj=minutes,
        partnership=meeting.partnership,
        changes={"version": 1, "items": len(items)},
    )
    return minutes


@transaction.atomic
def minutes_update_entry(
    *, minutes: Minutes, agenda_item: AgendaItem, discussion: str, resolutions: str, actor
) -> MinuteEntry:
    """Write the minute of one agenda item in a draft. Approved minutes are never edited."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    _refuse_approved_edit(minutes)
    _require_item_of(minutes.meeting, agenda_item)
    entry, created = MinuteEntry.objects.get_or_create(minutes=minutes, agenda_item=agenda_item)
    values = {"discussion": discussion.strip(), "resolutions": resolutions.strip()}
    diff = model_changes(entry, values)
    if diff:
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
        audit_record(
            actor=actor,
            action="meetings.minutes.entry_updated",
            obj=minutes,
            partnership=minutes.meeting.partnership,
            changes={"item": agenda_item.position, **diff},
        )
    return entry


@transaction.atomic
def minutes_publish_draft(*, minutes: Minutes, actor) -> Minutes:
    """Publish a draft, marked as not yet approved, for members and the public to read."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise RecordError(
            f"Version {minutes.version} is {minutes.get_status_display().lower()}: "
            "only a draft can be published as a draft."
        )
    if minutes.published_at:
        raise RecordError(f"This draft was published on {long_date(timezone.localtime(minutes.published_at))} already.")
    if not minutes.entries.exclude(discussion="", resolutions="").exists():
        raise RecordError("Every minute of this draft is empty. Write the minutes before publishing them.")
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        action="meetings.minutes.published",
        obj=minutes,
        partnership=minutes.meeting.partnership,
        changes={"version": minutes.version, "published_at": minutes.published_at},
    )
    events.announce(events.minutes_published, minutes_id=minutes.pk, actor_id=events.actor_id(actor))
    return minutes


def approval_wording(minutes: Minutes) -> str:
    held_on = _meeting_date(minutes.meeting)
    if minutes.correction_reason:
        return (
            f"The corrected minutes (version {minutes.version}) of the meeting held on {held_on} "
            "were approved as a correct record."
        )
    return f"The minutes of the meeting held on {held_on} were approved as a correct record."


@transaction.atomic
def minutes_approve(*, minutes: Minutes, approving_meeting: Meeting, actor, reference: str = "") -> Decision:
    """Approve a published draft as a correct record at a later meeting of the partnership.

    Records that meeting's decision (under its 'Minutes of the last meeting' item when it
    has one), links it to the version, and supersedes any earlier approved version, so the
    approved version replaces the draft publicly."""
    meeting = minutes.meeting
    versions = _locked_versions(meeting)
    minutes = next((v for v in versions if v.pk == minutes.pk), None)
    if minutes is None:
        raise RecordError("These minutes no longer exist.")
    if minutes.status == Minutes.Status.APPROVED:
        raise RecordError(
            f"Version {minutes.version} was approved already, at the meeting held on "
            f"{_meeting_date(minutes.approved_at_meeting)}."
        )
    if minutes.status == Minutes.Status.SUPERSEDED:
        raise RecordError(f"Version {minutes.version} has been superseded by a later version.")
    if not minutes.published_at:
        raise RecordError("Publish the draft before it is approved: members and the public must be able to read it.")
    if approving_meeting.partnership_id != meeting.partnership_id:
        raise RecordError("Minutes are approved by a meeting of the same partnership.")
    if approving_meeting.starts_at <= meeting.starts_at:
        raise RecordError(
            "Minutes are approved as a correct record at a later meeting: choose a meeting held after "
            f"{_meeting_date(meeting)}."
        )
    if approving_meeting.status in NOT_HELD:
        raise RecordError(f"The meeting of {_meeting_date(approving_meeting)} was not held.")
    if not has_started(approving_meeting):
        raise RecordError(
            f"The meeting of {_meeting_date(approving_meeting)} has not taken place yet: record the approval at "
            "or after that meeting."
        )
    if not approving_meeting.attendance.exists():
        raise RecordError(
            f"No attendance is recorded for the meeting of {_meeting_date(approving_meeting)}, and a meeting with no "
            "attendance recorded cannot approve anything. Record who attended it first."
        )
    item = approving_meeting.agenda_items.filter(standard=AgendaItem.Standard.PREVIOUS_MINUTES).first()
    quorum = quorum_for(approving_meeting, item=item)
    if quorum.met is False:
        where = f"item {quorum.item} of the meeting" if quorum.item is not None else "the meeting"
        raise RecordError(
            f"The minutes cannot be approved: {where} of {_meeting_date(approving_meeting)} was not quorate "
            f"({quorum.detail}). Minutes are approved as a correct record by a quorate meeting: put them to the "
            "next one."
        )
    reference = reference.strip()
    _check_reference(meeting.partnership_id, reference)
    decision = Decision(
        partnership_id=approving_meeting.partnership_id,
        meeting=approving_meeting,
        agenda_item=item,
        reference=reference,
        wording=approval_wording(minutes),
        status=Decision.Status.AGREED,
    )
    _save_decision(decision)
    superseded = [v for v in versions if v.status == Minutes.Status.APPROVED]
    for version in superseded:
        version.status = Minutes.Status.SUPERSEDED
        version.save(update_fields=["status"])
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at_meeting = approving_meeting
    minutes.approval_decision = decision
    minutes.save(update_fields=["status", "approved_at_meeting", "approval_decision"])
    audit_record(
        actor=actor,
        action="meetings.minutes.approved",
        obj=minutes,
        partnership=meeting.partnership,
        changes={
            "version": minutes.version,
            "approved_at_meeting": str(approving_meeting),
            "decision": decision.pk,
            "superseded_versions": [v.version for v in superseded],
        },
    )
    events.announce(events.minutes_approved, minutes_id=minutes.pk, actor_id=events.actor_id(actor))
    return decision


@transaction.atomic
def minutes_correct(*, minutes: Minutes, reason: str, actor) -> Minutes:
    """Start a correction of approved minutes: a new draft version, copied from the approved
    one, with the reason. It replaces the approved version once it is approved in turn."""
    reason = reason.strip()
    if not reason:
        raise RecordError("Give the reason for the correction: it is kept with the new version.")
    versions = _locked_versions(minutes.meeting)
    minutes = next((v for v in versions if v.pk == minutes.pk), None)
    if minutes is None or minutes.status != Minutes.Status.APPROVED:
        raise RecordError("Only the approved version of the minutes can be corrected.")
    draft = next((v for v in versions if v.status == Minutes.Status.DRAFT), None)
    if draft:
        raise RecordError(f"A correction is already in draft (version {draft.version}): change that version.")
    version = versions[0].version + 1
    correction = Minutes.objects.create(
        meeting=minutes.meeting, version=version, correction_reason=reason, created_by=_user(actor)
    )
    MinuteEntry.objects.bulk_create(
        MinuteEntry(
            minutes=correction,
            agenda_item_id=entry.agenda_item_id,
            discussion=entry.discussion,
            resolutions=entry.resolutions,
        )
        for entry in minutes.entries.all()
    )
    audit_record(
        actor=actor,
        action="meetings.minutes.correction_started",
        obj=correction,
        partnership=minutes.meeting.partnership,
        changes={"version": version, "corrects_version": minutes.version, "reason": reason},
    )
    return correction


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# Decisions ----------------------------------------------------------------------------------


def _check_reference(partnership_id: int, reference: str, *, exclude_pk: int | None = None) -> None:
    """Refuse a reference another decision of the partnership has (in any letter case)."""
    if not reference:
        return
    clash = Decision.objects.filter(meeting__partnership_id=partnership_id, reference__iexact=reference)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    clash = clash.select_related("meeting").first()
    if clash:
        raise RecordError(
            f"The reference {reference} is already used by a decision of the meeting held on "
            f"{_meeting_date(clash.meeting)}. Give this decision its own reference."
        )


def _save_decision(decision: Decision) -> None:
    """Save, turning a reference taken by a concurrent request (the database's unique
    constraint, after `_check_reference` found it free) into the same `RecordError`. The
    savepoint keeps the caller's transaction usable; the check then sees the committed row."""
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        _check_reference(decision.partnership_id, decision.reference, exclude_pk=decision.pk)
        raise


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    wording: str,
    status: str,
    actor,
    agenda_item: AgendaItem | None = None,
    reference: str = "",
    inquorate: bool = False,
) -> Decision:
    """Record a decision the meeting took. At an item without a quorum (or, for a decision
    on no item, at a meeting without one) it is refused unless `inquorate`: recorded as
    taken without a quorum, which the public record shows."""
    _require_started(meeting, "decisions")
    _require_item_of(meeting, agenda_item)
    wording, reference = wording.strip(), reference.strip()
    if not wording:
        raise RecordError("Enter the wording of the decision.")
    if status not in Decision.Status.values:
        raise RecordError("Choose the status of the decision.")
    _check_quorate(meeting, agenda_item, inquorate=inquorate, new=True)
    _check_reference(meeting.partnership_id, reference)
    decision = Decision(
        partnership_id=meeting.partnership_id,
        meeting=meeting,
        agenda_item=agenda_item,
        reference=reference,
        wording=wording,
        status=status,
        inquorate=inquorate,
    )
    _save_decision(decision)
    audit_record(
        actor=actor,
        action="meetings.decision.recorded",
        obj=decision,
        partnership=meeting.partnership,
        changes={
            "item": agenda_item.position if agenda_item else None,
            "reference": reference,
            "wording": wording,
            "status": status,
            "inquorate": inquorate,
        },
    )
    events.announce(events.decision_recorded, decision_id=decision.pk, actor_id=events.actor_id(actor))
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    wording: str,
    status: str,
    actor,
    agenda_item: AgendaItem | None = None,
    reference: str = "",
    inquorate: bool = False,
) -> Decision:
    """Change a decision's item, reference, wording or status, or mark it as recorded
    without a quorum (always allowed, so that attendance can be corrected after it). It
    cannot be recorded as quorate at an item without a quorum. A decision that approved
    minutes as a correct record is part of that approval and is not changed."""
    if decision.approved_minutes.exists():
        raise RecordError(
            "This decision approved minutes as a correct record and cannot be changed. "
            "If the approval was wrong, correct the minutes of the meeting that approved them."
        )
    _require_item_of(decision.meeting, agenda_item)
    wording, reference = wording.strip(), reference.strip()
    if not wording:
        raise RecordError("Enter the wording of the decision.")
    if status not in Decision.Status.values:
        raise RecordError("Choose the status of the decision.")
    _check_quorate(decision.meeting, agenda_item, inquorate=inquorate, new=False)
    _check_reference(decision.meeting.partnership_id, reference, exclude_pk=decision.pk)
    values = {
        "agenda_item": agenda_item,
        "reference": reference,
        "wording": wording,
        "status": status,
        "inquorate": inquorate,
    }
    diff = model_changes(decision, values)
    if diff:
        for name, value in values.items():
            setattr(decision, name, value)
        _save_decision(decision)
        audit_record(
            actor=actor,
            action="meetings.decision.updated",
            obj=decision,
            partnership=decision.meeting.partnership,
            changes={name: [str(old or ""), str(new or "")] for name, (old, new) in diff.items()},
        )
    return decision


# Actions ------------------------------------------------------------------------------------


def _check_action(meeting: Meeting, owner_person, owner_organisation, due_date, description: str) -> None:
    if not description:
        raise RecordError("Describe the action.")
    if owner_person is None and owner_organisation is None:
        raise RecordError("Give the action an owner: a person, an organisation or both.")
    if due_date and due_date < meeting.date:
        raise RecordError(f"The due date is before the meeting that set the action ({_meeting_date(meeting)}).")


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
    _require_item_of(meeting, agenda_item)
    description = description.strip()
    _check_action(meeting, owner_person, owner_organisation, due_date, description)
    action = Action.objects.create(
        partnership=meeting.partnership,
        meeting=meeting,
        agenda_item=agenda_item,
        description=description,
        owner_person=owner_person,
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    audit_record(
        actor=actor,
        action="meetings.action.recorded",
        obj=action,
        partnership=meeting.partnership,
        changes={
            "item": agenda_item.position if agenda_item else None,
            "description": description,
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
    _require_item_of(action.meeting, agenda_item)
    description = description.strip()
    _check_action(action.meeting, owner_person, owner_organisation, due_date, description)
    values = {
        "agenda_item": agenda_item,
        "description": description,
        "owner_person": owner_person,
        "owner_organisation": owner_organisation,
        "due_date": due_date,
    }
    diff = model_changes(action, values)
    if diff:
        for name, value in values.items():
            setattr(action, name, value)
        action.save()
        audit_record(
            actor=actor,
            action="meetings.action.changed",
            obj=action,
            partnership=action.partnership,
            changes={name: [str(old or ""), str(new or "")] for name, (old, new) in diff.items()},
        )
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
