import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, connection

from . import services
from .models import PublishedDocument

logger = logging.getLogger(__name__)

# Errors worth trying again: storage hiccups, a lost database connection, a worker short of
# memory or time. Anything else is recorded as a failure at once.
TRANSIENT = (OSError, MemoryError, OperationalError, InterfaceError, SoftTimeLimitExceeded)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def build_document(self, document_pk: int) -> str:
    """Build one published document. Idempotent: a second run finds it built."""
    # A retry, or this message redelivered because the worker building it died, takes over
    # the build that the same task left running.
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    reclaim = self.request.retries > 0 or redelivered
    try:
        document = services.document_build(document_pk=document_pk, task_id=self.request.id or "", reclaim=reclaim)
    except TRANSIENT as exc:
        # A dropped connection stays broken in this process: start the next attempt afresh
        # (unless the caller holds a transaction, as when tasks run eagerly inside one).
        if not connection.in_atomic_block:
            connection.close()
        if self.request.retries >= self.max_retries:
            _fail(document_pk, f"Gave up after {self.max_retries + 1} attempts: {exc}")
            raise
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc
    except Exception as exc:  # noqa: BLE001 - anything else is permanent: record it for staff
        _fail(document_pk, f"{type(exc).__name__}: {exc}")
        logger.exception("Building document %s failed", document_pk)
        return "failed"
    return "nothing to do" if document is None else document.status


def _fail(document_pk: int, error: str) -> None:
    document = PublishedDocument.objects.filter(pk=document_pk).first()
    if document is not None:
        services.document_fail(document=document, error=error)


@shared_task
def sweep_stuck_documents() -> int:
    return services.documents_sweep()


@shared_task
def refresh_meeting_documents(meeting_pk: int) -> None:
    """Request the documents of a meeting's current public content (idempotent)."""
    from meetings.models import Meeting

    meeting = Meeting.objects.select_related("partnership").filter(pk=meeting_pk).first()
    if meeting is not None:
        services.documents_refresh(meeting=meeting)
