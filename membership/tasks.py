from celery import shared_task

from .permissions import permissions_sync_all


@shared_task(acks_late=True)
def sync_all_permissions() -> int:
    """Daily: bring every partnership's permission groups in step with today's terms."""
    return permissions_sync_all()
