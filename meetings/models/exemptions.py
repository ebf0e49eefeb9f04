"""How exempt material stops being exempt, or stays so: releases and extensions after review."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .agenda import AgendaItem
from .paper import Paper

# What is released or kept exempt is one exempt item (with its papers) or one restricted paper.
_ITEM_OR_PAPER = models.Q(agenda_item__isnull=False, paper__isnull=True) | models.Q(
    agenda_item__isnull=True, paper__isnull=False
)


class ExemptionRelease(models.Model):
    """The release of exempt material: an exempt item (with its papers) or a restricted paper
    becomes public. Who released it, when, why, and what allowed it: a decision of the
    partnership or an officer's determination. The exemption itself (its paragraph, reason
    and original status) is kept, so the record shows what was exempt and until when.
    One release per item or paper; a release is not undone (what was public stays public)."""

    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="exemption_release"
    )
    paper = models.OneToOneField(
        Paper, null=True, blank=True, on_delete=models.PROTECT, related_name="exemption_release"
    )
    released_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("why it is released", help_text="For the record; not shown publicly.")
    decision = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemption_releases",
        help_text="The partnership's decision that allowed the release.",
    )
    determination = models.TextField(
        "officer's determination",
        blank=True,
        help_text="Who determined that the information is no longer exempt, and what they determined.",
    )

    class Meta:
        ordering = ["-released_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_ITEM_OR_PAPER,
                name="release_of_item_or_paper",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False) | ~models.Q(determination=""),
                name="release_has_authority",
            ),
        ]

    def __str__(self):
        what = self.agenda_item or self.paper
        return f"Release of {what} ({timezone.localtime(self.released_at):%-d %B %Y})"

    @property
    def released_on(self):
        return timezone.localtime(self.released_at).date()


class ExemptionExtension(models.Model):
    """A review that kept an exemption: the new review date and why."""

    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="exemption_extensions"
    )
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.CASCADE, related_name="exemption_extensions"
    )
    previous_review_on = models.DateField(null=True, blank=True)
    review_on = models.DateField("new review date")
    reason = models.TextField("why the exemption continues")
    extended_at = models.DateTimeField(default=timezone.now)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-extended_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_ITEM_OR_PAPER,
                name="extension_of_item_or_paper",
            ),
        ]

    def __str__(self):
        return f"Exemption extended to {self.review_on:%-d %B %Y}"
