"""Private helpers shared by the meeting services: who acted, the meeting's lock, the refusals
every change to an agenda or its papers makes, and the supplementary agenda of a published one."""

from django.core.exceptions import ValidationError

from core import events

from ..models import AgendaChange, AgendaItem, Meeting, Paper


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for the rest of the transaction: agenda changes to one
    meeting are serialised, so two people adding items cannot take the same position."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    locked.partnership = meeting.partnership
    return locked


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("The meeting has been cancelled, so its agenda and papers cannot change.")


def _refuse_if_withdrawn(item: AgendaItem) -> None:
    if item.is_withdrawn:
        raise ValidationError("This item has been withdrawn, so it and its papers stay as they were.")


CHANGE_REASON_NEEDED = (
    "The agenda has been published, so this change goes on a supplementary agenda: say why it is being made. "
    "The reason is published with the change."
)


def _change_reason(meeting: Meeting, reason: str, *, field: str = "change_reason") -> str:
    """The reason for a change to `meeting`'s agenda, required once the agenda is published:
    every change after publication is on the public record as a supplementary agenda."""
    reason = (reason or "").strip()
    if meeting.agenda_is_published and not reason:
        raise ValidationError({field: CHANGE_REASON_NEEDED})
    return reason


def _record_change(
    *, meeting: Meeting, actor, kind: str, reason: str, item: AgendaItem | None = None, paper: Paper | None = None
) -> None:
    """Add a change to the supplementary agenda of a published agenda (nothing before publication)."""
    if not meeting.agenda_is_published:
        return
    change = AgendaChange.objects.create(
        meeting=meeting,
        kind=kind,
        agenda_item=item if item is not None else (paper.agenda_item if paper is not None else None),
        paper=paper,
        reason=reason,
        made_by=_actor(actor),
    )
    events.announce(
        events.agenda_changed,
        meeting_id=meeting.pk,
        change_id=change.pk,
        change_kind=kind,
        actor_id=events.actor_id(actor),
    )
