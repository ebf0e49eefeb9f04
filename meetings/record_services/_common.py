"""Private helpers shared by the record services: the refusal, the checks that the meeting was
held, has begun, owns the item, and still has a quorum for every decision recorded as quorate,
and saving a change with its audit entry."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.services import audit_record, model_changes
from core.dates import long_date

from ..models import AgendaItem, Meeting
from ..record import NOT_HELD, QuorumRecord, has_started, quorum_record


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


def _save_changes(obj, values: dict, *, actor, action: str, partnership, save=None) -> None:
    """Set `values` on `obj` and, if any differs, save it (with `save(obj)` when given) and audit
    the fields that changed, old and new as text. Nothing is written when nothing changed."""
    diff = model_changes(obj, values)
    if not diff:
        return
    for name, value in values.items():
        setattr(obj, name, value)
    if save:
        save(obj)
    else:
        obj.save()
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        partnership=partnership,
        changes={name: [str(old or ""), str(new or "")] for name, (old, new) in diff.items()},
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
