"""Delivery: linking meetings' business to priorities."""

from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.models import Action, AgendaItem, Decision

from ..models import Priority, PriorityLink
from ._common import _audit, _partnership, _user

# Delivery: linking meetings' business to priorities.


@transaction.atomic
def delivery_link(
    *,
    priority: Priority,
    actor,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
    action: Action | None = None,
) -> PriorityLink:
    """Link one agenda item, decision or action of the partnership's meetings to a priority.
    Delivery is not part of the strategy's text, so any version's priorities can be linked."""
    targets = [target for target in (agenda_item, decision, action) if target is not None]
    if len(targets) != 1:
        raise ValidationError("Choose one agenda item, decision or action to link.")
    partnership = _partnership(priority.version)
    if agenda_item is not None:
        owner_id, lookup = agenda_item.meeting.partnership_id, {"agenda_item": agenda_item}
    elif decision is not None:
        owner_id, lookup = decision.meeting.partnership_id, {"decision": decision}
    else:
        owner_id, lookup = action.partnership_id, {"action": action}
    if owner_id != partnership.pk:
        raise ValidationError(f"Link only the business of {partnership}'s own meetings.")
    # The same priority in other versions shares its key, so the link would show twice.
    same_priority = PriorityLink.objects.filter(
        priority__key=priority.key, priority__version__strategy_id=priority.version.strategy_id, **lookup
    )
    if same_priority.exists():
        raise ValidationError(f"That is already linked to “{priority.title}”.")
    link = PriorityLink.objects.create(priority=priority, linked_by=_user(actor), **lookup)
    _audit(
        actor,
        "strategy.delivery.linked",
        link,
        priority.version,
        {"priority": priority.title, link.kind: str(link.target)},
    )
    return link


@transaction.atomic
def delivery_unlink(*, link: PriorityLink, actor) -> None:
    priority = link.priority
    snapshot = {"priority": priority.title, link.kind: str(link.target)}
    link.delete()
    _audit(actor, "strategy.delivery.unlinked", priority, priority.version, snapshot)
