"""Domain events: what the record announces when something reaches the public record.

Lower apps (meetings, strategy) announce; higher apps (alerts, and anything else that must
react) listen, connecting receivers in their `AppConfig.ready()`. An event is sent only once
the transaction that made it has committed, so a rolled-back publication announces nothing
and a listener reads what was committed. Events carry ids, never objects or text: listeners
load what they need and decide, at that moment, what the public may see of it.

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


def announce(signal: Signal, **ids) -> None:
    """Send `signal` with `ids` when the current transaction commits (at once outside one)."""

    def send():
        for receiver, result in signal.send_robust(sender=None, **ids):
            if isinstance(result, Exception):
                logger.error("Event receiver %r failed for %s", receiver, ids, exc_info=result)

    transaction.on_commit(send)
