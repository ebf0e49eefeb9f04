"""What the portal has published as files: agenda packs, minutes and versions of the
integrated care strategy, each for one object at one version, built by Celery."""

import uuid

from django.conf import settings
from django.db import models

from core.urls import row_url
from partnerships.models import Partnership


class PublishedDocumentQuerySet(models.QuerySet):
    def done(self):
        return self.filter(status=PublishedDocument.Status.DONE)


def document_upload_to(document, filename):
    # One path per document, so a build that crashed after storing its file and a retry of
    # it write the same file: no orphans.
    return f"published/{document.token}.pdf"


class PublishedDocument(models.Model):
    class Kind(models.TextChoices):
        AGENDA_PACK = "agenda_pack", "Agenda pack"
        MEMBERS_PACK = "members_pack", "Members' agenda pack (includes exempt papers)"
        MINUTES = "minutes", "Minutes"
        STRATEGY = "strategy", "Integrated care strategy"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be built"
        RUNNING = "running", "Being built"
        DONE = "done", "Published"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="published_documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A document is about a meeting (agenda packs, minutes) or a version of the strategy.
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="published_documents"
    )
    strategy_version = models.ForeignKey(
        "strategy.StrategyVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_documents",
    )
    minutes = models.ForeignKey(
        "meetings.Minutes", null=True, blank=True, on_delete=models.PROTECT, related_name="published_documents"
    )
    source_version = models.CharField(
        max_length=64, help_text="Identifies the content this was built from; one document per object and version."
    )
    # Download URLs carry this, not the sequential id, so documents cannot be enumerated.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=document_upload_to, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="Text extracted from the PDF, for search (public documents only).")
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The Celery task building it now, or last.")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PublishedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "meeting", "source_version"], name="one_document_per_version"),
            # NULL meetings never collide above, so strategy documents need their own rule.
            models.UniqueConstraint(
                fields=["kind", "strategy_version", "source_version"],
                condition=models.Q(strategy_version__isnull=False),
                name="one_document_per_strategy_version",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False) | models.Q(strategy_version__isnull=False),
                name="published_document_has_a_subject",
            ),
            # Whatever order builds finish in, a meeting has one current document of each kind.
            models.UniqueConstraint(
                fields=["kind", "meeting"],
                condition=models.Q(status="done", superseded_by__isnull=True, meeting__isnull=False),
                name="one_current_document_per_meeting",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["meeting", "kind"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return row_url("publishing:download", self.token)

    @property
    def is_for_the_public(self) -> bool:
        """Whether this kind of document is made for the public (the members' pack never is).
        Whether the public may read it *now* is `publishing.visibility.is_public_now`."""
        return self.kind in PUBLIC_KINDS

    @property
    def filename(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.title)[:120]}.pdf"

    @property
    def duration(self):
        return self.build_time(self.started_at, self.finished_at)

    @staticmethod
    def build_time(started_at, finished_at):
        """How long a build took, for a document read as values; None until it has finished."""
        return finished_at - started_at if started_at and finished_at else None


PUBLIC_KINDS = frozenset(
    {PublishedDocument.Kind.AGENDA_PACK, PublishedDocument.Kind.MINUTES, PublishedDocument.Kind.STRATEGY}
)
