from celery import shared_task

from .celery import HEARTBEAT_TASK
from .health import HEARTBEAT_RAN_KEY, heartbeat_record


@shared_task(name=HEARTBEAT_TASK, ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by beat every minute (settings.CELERY_BEAT_SCHEDULE): a worker ran it just now.

    Beat records that it sent it (icp_portal.celery); /healthz/deps reports both."""
    heartbeat_record(HEARTBEAT_RAN_KEY)
