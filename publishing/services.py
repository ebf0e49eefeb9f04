"""Publishing: request a document, build it (in a Celery task), retry, sweep.

A request writes a PENDING row inside the caller's transaction and enqueues the build
on commit. Building claims the row with a conditional update, so two workers (or a
redelivered message) never build the same document twice; a sweeper re-enqueues rows
that a lost message or a killed worker left behind.
"""

import datetime as dt
import hashlib
import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from core import pdf_text
from meetings.models import Meeting, Minutes

from . import pdf, renderers
from .models import PublishedDocument

logger = logging.getLogger(__name__)
Kind, Status = PublishedDocument.Kind, PublishedDocument.Status


class PermanentPublishingError(Exception):
    """The document cannot be built from what is recorded; retrying will not help."""


def _enqueue(document: PublishedDocument) -> None:
    from .tasks import build_document

    transaction.on_commit(lambda: _send(build_document, document.pk))


def _send(task, document_pk: int) -> None:
    if settings.PUBLISHING_BUILD_IN_THREAD:
        threading.Thread(target=_build_in_thread, args=(task, document_pk), daemon=True).start()
        return
    try:
        # No retrying in the request: with the broker down, fail fast and leave the row to the sweeper.
        task.apply_async((document_pk,), retry=False)
    except Exception:  # noqa: BLE001 - a dead broker must not lose the request
        # The row stays PENDING; the sweeper enqueues it once the broker is back.
        logger.exception("Could not enqueue document %s; the sweeper will retry", document_pk)


def _build_in_thread(task, document_pk: int) -> None:
    """Build without a worker, after the response (settings.PUBLISHING_BUILD_IN_THREAD). A build
    lost with the process stays PENDING, to be built when asked again or swept."""
    try:
        task.apply((document_pk,))
    except Exception:  # noqa: BLE001 - the task records failures itself; never kill the server
        logger.exception("Building document %s in a thread failed", document_pk)
    finally:
        connections.close_all()  # this thread's own connections


def _request(
    *, kind, meeting=None, strategy_version=None, minutes=None, source_version, title, user
) -> PublishedDocument:
    partnership = meeting.partnership if meeting is not None else strategy_version.strategy.partnership
    document, created = PublishedDocument.objects.get_or_create(
        kind=kind,
        meeting=meeting,
        strategy_version=strategy_version,
        source_version=source_version,
        defaults={
            "partnership": partnership,
            "minutes": minutes,
            "title": title,
            "requested_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    if created:
        audit_record(
            actor=user,
            action=f"publishing.{kind}.requested",
            obj=document,
            partnership=partnership,
            changes={"source_version": source_version},
        )
        _enqueue(document)
    return document


@transaction.atomic
def agenda_pack_request(*, meeting: Meeting, user=None) -> list[PublishedDocument]:
    """Request the packs of a published agenda: the members' pack, and for a meeting held
    in public the public pack. A private session never has a public pack. Asking again
    for unchanged content returns the same documents."""
    # From the database, not the caller's copy: the fingerprint must describe what the build will read.
    meeting = Meeting.objects.select_related("partnership").get(pk=meeting.pk)
    if not meeting.agenda_is_published:
        raise PermanentPublishingError("The agenda is not published yet.")
    kinds = [(Kind.AGENDA_PACK, False), (Kind.MEMBERS_PACK, True)] if meeting.is_public else [(Kind.MEMBERS_PACK, True)]
    return [
        _request(
            kind=kind,
            meeting=meeting,
            source_version=renderers.agenda_fingerprint(meeting, include_exempt=include_exempt),
            title=renderers.pack_title(meeting, include_exempt=include_exempt),
            user=user,
        )
        for kind, include_exempt in kinds
    ]


@transaction.atomic
def minutes_document_request(*, minutes: Minutes, user=None) -> PublishedDocument | None:
    """Request the PDF of a published version of minutes (draft or approved) of a meeting
    held in public. A private session's minutes are never made into a public document:
    None."""
    if minutes.published_at is None and minutes.status != Minutes.Status.APPROVED:
        raise PermanentPublishingError("Only published minutes are made into a public document.")
    if not minutes.meeting.is_public:
        return None
    label = "Minutes" if minutes.status == Minutes.Status.APPROVED else "Draft minutes"
    return _request(
        kind=Kind.MINUTES,
        meeting=minutes.meeting,
        minutes=minutes,
        source_version=renderers.minutes_fingerprint(minutes),
        title=f"{label}: {minutes.meeting.title}, {minutes.meeting.date:%-d %B %Y}",
        user=user,
    )


def documents_refresh(*, meeting: Meeting, user=None) -> None:
    """Request the documents of `meeting`'s current public content, when something changed
    without asking for them (idempotent: unchanged content gives the same documents)."""
    from meetings.record import public_minutes

    if meeting.agenda_is_published:
        agenda_pack_request(meeting=meeting, user=user)
    versions = list(
        meeting.minutes_versions.filter(Q(status=Minutes.Status.APPROVED) | Q(published_at__isnull=False)).exclude(
            status=Minutes.Status.SUPERSEDED
        )
    )
    minutes = public_minutes(versions)
    if minutes is not None:
        minutes_document_request(minutes=minutes, user=user)


@transaction.atomic
def strategy_document_request(*, version, user=None) -> PublishedDocument:
    """Request the PDF of a published version of a partnership's integrated care strategy:
    one document per version, since a published version never changes."""
    if not version.is_public:
        raise PermanentPublishingError("Only a published version of the strategy is made into a public document.")
    partnership = version.strategy.partnership
    return _request(
        kind=Kind.STRATEGY,
        strategy_version=version,
        source_version=f"v{version.number}",
        title=f"Integrated care strategy: {partnership.name}, version {version.number}",
        user=user,
    )


def _claim(document_pk: int, *, task_id: str = "", reclaim: bool = False) -> PublishedDocument | None:
    """Move a document to RUNNING if it is pending (or running but stale); None if it
    is done, failed, or being built by someone else right now. `reclaim` lets the task
    that was building it take it again: a retry after a transient error, or its message
    redelivered because the worker running it died."""
    stale = timezone.now() - dt.timedelta(seconds=settings.PUBLISHING_STALE_AFTER_SECONDS)
    claimable = Q(status=Status.PENDING) | Q(status=Status.RUNNING, started_at__lt=stale)
    if reclaim and task_id:
        claimable |= Q(status=Status.RUNNING, task_id=task_id)
    with transaction.atomic():
        document = PublishedDocument.objects.select_for_update().filter(claimable, pk=document_pk).first()
        if document is None:
            return None
        document.status = Status.RUNNING
        document.started_at = timezone.now()
        document.task_id = task_id
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "task_id", "attempts"])
    return document


def _render(document: PublishedDocument) -> tuple[bytes, str]:
    """The PDF and the fingerprint of the content it was built from."""
    if document.kind == Kind.MINUTES:
        return renderers.render_minutes(document.minutes)
    if document.kind == Kind.STRATEGY:
        return renderers.render_strategy(document.strategy_version), document.source_version
    return renderers.render_agenda_pack(document.meeting, include_exempt=document.kind == Kind.MEMBERS_PACK)


def _same_subject(document: PublishedDocument) -> Q:
    """Documents that a newer `document` replaces: the same kind for the same meeting, or
    any earlier version of the same partnership's strategy."""
    if document.kind == Kind.STRATEGY:
        return Q(kind=Kind.STRATEGY, partnership_id=document.partnership_id)
    return Q(kind=document.kind, meeting_id=document.meeting_id)


def document_build(*, document_pk: int, task_id: str = "", reclaim: bool = False) -> PublishedDocument | None:
    """Build a claimed document's PDF and store it. Returns None when there was nothing
    to do (already built or being built). Exceptions propagate for the task to retry."""
    document = _claim(document_pk, task_id=task_id, reclaim=reclaim)
    if document is None:
        return None
    try:
        data, built_from = _render(document)
    except PermanentPublishingError as exc:
        document_fail(document=document, error=str(exc))
        return document
    if built_from != document.source_version:
        # The source changed between the request and the build, so this row would describe
        # content it does not hold. Drop it: the change asked (or the next read asks) for
        # a document of its own, and the same content asked for again gets a new row.
        logger.info("Document %s changed before it was built; dropped", document.pk)
        PublishedDocument.objects.filter(pk=document.pk, file="").delete()
        return None
    with transaction.atomic():
        # Lock the other finished documents of the same subject, so that two builds finishing
        # at once agree on which is current: the newest request, whatever order builds end in.
        siblings = list(
            PublishedDocument.objects.select_for_update()
            .filter(_same_subject(document), status=Status.DONE)
            .exclude(pk=document.pk)
            .order_by("created_at", "pk")
        )
        newer = [s for s in siblings if (s.created_at, s.pk) > (document.created_at, document.pk)]
        older_current = [s.pk for s in siblings if s not in newer and s.superseded_by_id is None]
        # The same path on every attempt: a file stored by a build that crashed is overwritten.
        name = document.file.field.generate_filename(document, document.filename)
        if document.file.storage.exists(name):
            document.file.storage.delete(name)
        document.file.save(document.filename, ContentFile(data), save=False)
        document.sha256 = hashlib.sha256(data).hexdigest()
        document.size = len(data)
        document.page_count = pdf.page_count(data)
        # Of the PDFs built here only strategies are searched by their text (search still checks
        # each is public now); the papers in agenda packs are searched by their own text
        # (meetings.services.papers), so a pack's is not extracted.
        document.text = pdf_text.extract_text(data) if document.kind == Kind.STRATEGY else ""
        document.status = Status.DONE
        document.error = ""
        document.finished_at = timezone.now()
        if newer:
            document.superseded_by = newer[-1] if newer[-1].superseded_by_id is None else newer[-1].superseded_by
        else:
            PublishedDocument.objects.filter(pk__in=older_current).update(superseded_by=document)
        document.save()
    return document


def document_fail(*, document: PublishedDocument, error: str) -> None:
    """Record a final failure so staff see it, with a way to try again."""
    document.status = Status.FAILED
    document.error = error[:2000]
    document.finished_at = timezone.now()
    document.save(update_fields=["status", "error", "finished_at"])
    logger.error("Publishing %s failed: %s", document, error)


@transaction.atomic
def document_retry(*, document: PublishedDocument, user) -> PublishedDocument:
    """Put a failed document back in the queue."""
    if document.status != Status.FAILED:
        return document
    document.status = Status.PENDING
    document.error = ""
    document.save(update_fields=["status", "error"])
    audit_record(actor=user, action="publishing.document.retried", obj=document, partnership=document.partnership)
    _enqueue(document)
    return document


def documents_sweep() -> int:
    """Re-enqueue documents left pending or running too long (a lost message, a killed
    worker, a broker restart). Safe to run at any time: building claims the row first."""
    from .tasks import build_document

    now = timezone.now()
    pending_since = now - dt.timedelta(seconds=settings.PUBLISHING_PENDING_GRACE_SECONDS)
    stale = now - dt.timedelta(seconds=settings.PUBLISHING_STALE_AFTER_SECONDS)
    stuck = PublishedDocument.objects.filter(
        Q(status=Status.PENDING, created_at__lt=pending_since) | Q(status=Status.RUNNING, started_at__lt=stale)
    ).values_list("pk", flat=True)
    count = 0
    for pk in stuck:
        _send(build_document, pk)
        count += 1
    return count
