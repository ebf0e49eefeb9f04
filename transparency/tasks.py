from celery import shared_task

from . import services


@shared_task(acks_late=True)
def scorecard_refresh(system_ids: list[int] | None = None) -> int:
    """Recompute the scorecard (for `system_ids`, or every system): on an event, and nightly."""
    return services.scorecard_compute(system_ids=system_ids)
