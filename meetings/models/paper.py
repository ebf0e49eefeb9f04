"""Papers for agenda items and the versions of their files."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from core.urls import row_url
from partnerships.models import Organisation

from .agenda import AgendaItem, released

if TYPE_CHECKING:
    from .exemptions import ExemptionRelease


class PaperQuerySet(models.QuerySet):
    def public(self):
        """Papers the public may read: on public items of published agendas of public meetings.
        An exempt item or restricted paper counts as public once its exemption is released
        (`ExemptionRelease`); the exemption itself stays on the record."""
        return self.filter(
            models.Q(restricted=False) | released("paper"),
            models.Q(agenda_item__is_exempt=False) | released("agenda_item", row="agenda_item"),
            agenda_item__meeting__is_public=True,
            agenda_item__meeting__agenda_published_at__isnull=False,
            current_version__isnull=False,
        )


class Paper(models.Model):
    """A report or document for an agenda item. Its file lives in versions; a
    replacement keeps the old version and says why."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=1)
    restricted = models.BooleanField(
        "exempt even though the item is public",
        default=False,
        help_text="A paper follows its item's access unless set stricter here.",
    )
    current_version = models.ForeignKey(
        "PaperVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A restricted paper's exemption is reviewed like an exempt item's (see AgendaItem).
    exemption_review_on = models.DateField("exemption review date", null=True, blank=True)
    exemption_reminded_for = models.DateField(null=True, blank=True, editable=False)
    # Organisations the paper concerns besides its item's (a bid, a contract): checked like the item's.
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="papers", verbose_name="organisations concerned"
    )

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["agenda_item", "position", "pk"]
        indexes = [
            # One paper in a hundred is restricted: the exemptions pages and the workspace's
            # review task start from these, not from every paper of the partnership's items.
            # The task counts them by review date from the index alone: restricted papers lie
            # scattered over the table, and reading each row cost more than the rest of it.
            models.Index(
                fields=["agenda_item"],
                include=["id", "exemption_review_on"],
                condition=models.Q(restricted=True),
                name="paper_restricted_by_item",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_exempt(self) -> bool:
        return self.restricted or self.agenda_item.is_exempt

    @property
    def exemption_released(self) -> "ExemptionRelease | None":
        """The release of this paper's own restriction, if it was released."""
        return getattr(self, "exemption_release", None) if self.restricted else None

    @property
    def is_withheld(self) -> bool:
        """Withheld from the public now: restricted and not released, or on a withheld item.
        The same rule as `PaperQuerySet.public()`, for a paper already loaded."""
        return (self.restricted and self.exemption_released is None) or self.agenda_item.is_withheld


def paper_upload_to(version, filename):
    return f"papers/{version.paper_id}/v{version.number}/{filename}"


class PaperVersion(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    # Download URLs carry this, not the sequential id, so versions cannot be enumerated.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=paper_upload_to, max_length=300)
    original_filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    replacement_reason = models.CharField(max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [models.UniqueConstraint(fields=["paper", "number"], name="unique_paper_version")]

    def __str__(self):
        return f"{self.paper} (version {self.number})"

    def get_absolute_url(self) -> str:
        """Where the file is downloaded. An agenda lists every paper and a pack's currency check
        builds fifty agendas, so the route is not reversed for each version (`core.urls.row_url`)."""
        return row_url("meetings:paper", self.token)


class PaperText(models.Model):
    """The text layer of a paper version's file, for search (`publishing.search` finds a public
    paper by its current version's text). Extracted after the upload commits
    (`services.paper_version_extract_text`): a version without one has not been extracted yet,
    and a file that could not be read has one with no text. A table of its own, so that reading
    papers never reads their text (up to a million characters each) and a search reads nothing
    else; on PostgreSQL a generated `search_vector` column indexes it (migration 0019)."""

    version = models.OneToOneField(PaperVersion, on_delete=models.CASCADE, primary_key=True, related_name="extracted")
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField()

    def __str__(self):
        return f"Text of {self.version}"
