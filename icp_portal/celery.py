import logging
import os

from celery import Celery
from celery.signals import after_task_publish, beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_portal.settings")

logger = logging.getLogger(__name__)

app = Celery("icp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_TASK = "icp_portal.tasks.beat_heartbeat"


def _beat_seen(**kwargs) -> None:
    """Beat is alive: it starts, or it sent its heartbeat task (every minute). Recorded by beat
    itself, so a dead worker does not make beat look dead (the worker's side is recorded when
    the task runs). Never let a cache hiccup stop the scheduler."""
    from .health import BEAT_SEEN_KEY, heartbeat_record

    try:
        heartbeat_record(BEAT_SEEN_KEY)
    except Exception:  # noqa: BLE001 - the health check will report the stale heartbeat
        logger.warning("Could not record beat's heartbeat", exc_info=True)


beat_init.connect(_beat_seen, weak=False)
after_task_publish.connect(_beat_seen, sender=HEARTBEAT_TASK, weak=False)
