"""Domain events: what the record announces when something reaches the public record.

Lower apps (meetings, strategy) announce; higher apps (publishing, alerts, transparency, and
anything else that must react) listen, connecting receivers in their `AppConfig.ready()`
(docs/architecture.md lists who listens to what). So every entry point (a page, a command, the
API, a task) has the same effects: the PDFs, feeds and scorecard follow the record without the
caller knowing about them. An event is sent only once
the transaction that made it has committed, so a rolled-back publication announces nothing
and a listener reads what was committed. Events carry ids, never objects or text: listeners
load what they need and decide, at that moment, what the public may see of it. Most also carry
`actor_id`, the account that made the change (None for a command or the system), so what a
listener does in turn is attributed to them.

A failing listener is logged and never fails the publication that announced the event.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# meeting_id
agenda_published = Signal()
# meeting_id, change_id, change_kind (an `AgendaChange.Kind`): a change on the supplementary agenda
agenda_changed = Signal()
# minutes_id
minutes_published = Signal()
# minutes_id
minutes_approved = Signal()
# decision_id
decision_recorded = Signal()
# version_id
strategy_published = Signal()
# meeting_id: a meeting's own details changed (title, date and time, place, notice, cancelled or
# postponed); a change to a published agenda's items and papers is `agenda_changed`
meeting_changed = Signal()
# meeting_id, item_id, paper_id (one of them None): exempt material released to the public
exemption_released = Signal()


def actor_id(actor) -> int | None:
    """The id of the account behind a change, for an event's `actor_id`."""
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def announce(signal: Signal, **ids) -> None:
    """Send `signal` with `ids` when the current transaction commits (at once outside one)."""

    def send():
        for receiver, result in signal.send_robust(sender=None, **ids):
            if isinstance(result, Exception):
                logger.error("Event receiver %r failed for %s", receiver, ids, exc_info=result)

    transaction.on_commit(send)


def listen(app: str, receivers) -> None:
    """Connect each `(event, receiver)` pair of a listening app, from its `AppConfig.ready()`. The
    dispatch uid makes a second `ready()` (tests, autoreload) connect nothing twice."""
    for signal, receiver in receivers:
        signal.connect(receiver, dispatch_uid=f"{app}.{receiver.__name__}")
