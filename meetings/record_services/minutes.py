"""Minutes: drafted, published as a draft, approved as a correct record at a later meeting, and
corrected only as a new version."""

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import events
from core.dates import long_date

from ..models import AgendaItem, Decision, Meeting, MinuteEntry, Minutes
from ..record import NOT_HELD, has_started, quorum_for
from ._common import RecordError, _meeting_date, _require_item_of, _require_started, _user
from .decisions import _check_reference, _save_decision


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
