"""Decisions a meeting took, with their references and whether they were taken with a quorum."""

from django.db import IntegrityError, transaction

from audit.services import audit_record
from core import events

from ..models import AgendaItem, Decision, Meeting
from ..record import quorum_for
from ._common import RecordError, _meeting_date, _require_item_of, _require_started, _save_changes

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


def _decision_details(
    meeting: Meeting, *, agenda_item, reference: str, wording: str, status: str, inquorate: bool, decision=None
) -> dict:
    """What a decision of `meeting` says, checked: recording one and changing one (`decision`) follow
    the same rules, except that only a new decision is refused for being marked without a quorum
    where the quorum was met or is not known."""
    _require_item_of(meeting, agenda_item)
    wording, reference = wording.strip(), reference.strip()
    if not wording:
        raise RecordError("Enter the wording of the decision.")
    if status not in Decision.Status.values:
        raise RecordError("Choose the status of the decision.")
    _check_quorate(meeting, agenda_item, inquorate=inquorate, new=decision is None)
    _check_reference(meeting.partnership_id, reference, exclude_pk=decision.pk if decision else None)
    return {
        "agenda_item": agenda_item,
        "reference": reference,
        "wording": wording,
        "status": status,
        "inquorate": inquorate,
    }


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
    details = _decision_details(
        meeting, agenda_item=agenda_item, reference=reference, wording=wording, status=status, inquorate=inquorate
    )
    decision = Decision(partnership_id=meeting.partnership_id, meeting=meeting, **details)
    _save_decision(decision)
    audit_record(
        actor=actor,
        action="meetings.decision.recorded",
        obj=decision,
        partnership=meeting.partnership,
        changes={
            "item": agenda_item.position if agenda_item else None,
            "reference": details["reference"],
            "wording": details["wording"],
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
    details = _decision_details(
        decision.meeting,
        agenda_item=agenda_item,
        reference=reference,
        wording=wording,
        status=status,
        inquorate=inquorate,
        decision=decision,
    )
    _save_changes(
        decision,
        details,
        actor=actor,
        action="meetings.decision.updated",
        partnership=decision.meeting.partnership,
        save=_save_decision,
    )
    return decision
