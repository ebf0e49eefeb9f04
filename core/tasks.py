"""Sending a Celery task from a request or a service."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def send_on_commit(task, *args, then: str) -> None:
    """Send `task(*args)` once the current transaction commits (it runs at once when Celery is
    eager, in the embedded mode). Without retrying: with the broker down, what was committed
    stands and the request does not fail; the error is logged with `then`, what picks the work
    up later."""

    def send():
        try:
            task.apply_async(args, retry=False)
        except Exception:  # noqa: BLE001 - a dead broker must not fail what has been committed
            logger.exception("Could not enqueue %s%r; %s", task.name, args, then)

    transaction.on_commit(send)
