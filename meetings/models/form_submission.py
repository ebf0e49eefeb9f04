from django.db import models


class FormSubmission(models.Model):
    """A one-time form token that has been used (see `meetings.once`). The unique token makes
    the database refuse a second post of the same form, however close together they arrive."""

    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.token} ({self.created_at:%Y-%m-%d %H:%M})"
