from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEvent(models.Model):
    """One entry of the audit log: who did what to which object, when, with a snapshot.

    Written explicitly by services (see `icp_portal.audit.audit_record`), never by signals.
    Append-only: the database refuses to update, delete or truncate its rows (migration
    0002_audit_append_only). So the accounts, partnerships and content types it names cannot be
    deleted either (PROTECT): deleting them would have to rewrite who did what, and where.
    Deactivate an account instead."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=100, help_text="A dotted name, e.g. membership.membership.ended.")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class PdfAccessibility(models.Model):
    """What an uploaded PDF offers a screen reader, keyed by the checksum of the stored bytes
    (`PaperVersion.sha256`, `EvidenceFile.sha256`): a title, a language, and tags (the
    structure that says what is a heading, a table, a list). Facts about content, recorded
    when the file is checked (`meetings.validators.inspect_pdf`); the accessibility statement
    lists the public papers whose file lacks tags from these rows, at read time."""

    sha256 = models.CharField(max_length=64, unique=True)
    has_title = models.BooleanField()
    has_language = models.BooleanField()
    is_tagged = models.BooleanField()
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "PDF accessibility check"

    def __str__(self):
        return f"{self.sha256[:12]}: {', '.join(self.gaps) or 'accessible'}"

    @property
    def gaps(self) -> list[str]:
        """What is missing, in words: 'no title', 'no language', 'no tags'."""
        wanted = (("no title", self.has_title), ("no language", self.has_language), ("no tags", self.is_tagged))
        return [words for words, present in wanted if not present]
