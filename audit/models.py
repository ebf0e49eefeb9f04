from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEvent(models.Model):
    """One entry of the audit log: who did what to which object, when, with a snapshot.

    Written explicitly by services (see `audit.services.audit_record`), never by signals.
    Append-only: the database refuses to update, delete or truncate its rows (migration
    icp_portal/0002_audit_append_only, from when the log belonged to icp_portal: the table keeps
    that name). So the accounts, partnerships and content types it names cannot be
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
        db_table = "icp_portal_auditevent"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-created_at"], name="icp_portal__partner_7e8bfc_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
