"""Agendas: their items (exempt or not, under Schedule 12A) and the changes made after publication."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from partnerships.models import Organisation, Partnership

from .meeting import Meeting

if TYPE_CHECKING:
    from .exemptions import ExemptionRelease

# Schedule 12A to the Local Government Act 1972, Part 1: the descriptions of exempt information.
SCHEDULE_12A_PARAGRAPHS = {
    1: "Information relating to any individual",
    2: "Information which is likely to reveal the identity of an individual",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information)",
    4: "Information relating to any consultations or negotiations, or contemplated consultations or "
    "negotiations, in connection with any labour relations matter",
    5: "Information in respect of which a claim to legal professional privilege could be maintained "
    "in legal proceedings",
    6: "Information which reveals that the authority proposes to give a notice or to make an order or direction",
    7: "Information relating to any action taken or to be taken in connection with the prevention, "
    "investigation or prosecution of crime",
}


class AgendaItemQuerySet(models.QuerySet):
    def public(self):
        """Items of published agendas of meetings held in public by partnerships the public
        may see. An exempt item is among them: the public see its number, title and
        paragraph (see `meetings.presenters.agenda_rows`), nothing more."""
        return self.filter(
            meeting__is_public=True,
            meeting__agenda_published_at__isnull=False,
            meeting__partnership__in=Partnership.objects.public(),
        )

    def not_withheld(self):
        """Items that are not exempt, or whose exemption was released (`ExemptionRelease`)."""
        return self.filter(models.Q(is_exempt=False) | released("agenda_item"))


def released(of: str, row: str = "pk") -> models.Exists:
    """An exemption release names the item or paper `row` points to (`of` is "agenda_item" or
    "paper"). Asked as EXISTS, not through the reverse one-to-one (`exemption_release__isnull=
    False`): each outer join was one more table for PostgreSQL to place in every public query's
    join order, and planning the public paper download's seven tables took three times as long
    as planning its five (3.6 ms against 1.2), to run a query of a tenth of a millisecond."""
    from .exemptions import ExemptionRelease  # which names the items and papers it releases

    return models.Exists(ExemptionRelease.objects.filter(**{of: models.OuterRef(row)}))


class AgendaItem(models.Model):
    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        DISCUSSION = "discussion", "For discussion"
        INFORMATION = "information", "For information"
        ASSURANCE = "assurance", "For assurance"

    class Standard(models.TextChoices):
        WELCOME = "welcome", "Welcome and apologies for absence"
        DECLARATIONS = "declarations", "Declarations of interest"
        PREVIOUS_MINUTES = "previous_minutes", "Minutes of the last meeting"
        ACTION_LOG = "action_log", "Action log"
        AOB = "aob", "Any other business"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(help_text="Order on the agenda; items are numbered from 1.")
    title = models.CharField(max_length=300)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISCUSSION)
    presenter = models.CharField(max_length=200, blank=True)
    minutes_allotted = models.PositiveSmallIntegerField("time allotted (minutes)", null=True, blank=True)
    standard = models.CharField(max_length=20, choices=Standard.choices, blank=True)
    is_exempt = models.BooleanField(
        "exempt (public excluded)", default=False, help_text="Schedule 12A: the public are excluded for this item."
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        "Schedule 12A paragraph",
        null=True,
        blank=True,
        choices=[(n, f"Paragraph {n}: {text}") for n, text in SCHEDULE_12A_PARAGRAPHS.items()],
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    exempt_reason = models.TextField(
        "public interest reason", blank=True, help_text="Why the public interest in withholding outweighs disclosure."
    )
    is_late = models.BooleanField("late item", default=False)
    urgency_reason = models.TextField(
        "chair's reason for urgency", blank=True, help_text="Shown publicly; required for a late item."
    )
    # Once an agenda is published its items stay on the record: an item taken off is withdrawn,
    # keeping its number, marked "Withdrawn" with the reason (see `agenda_item_withdraw`).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField("reason for withdrawal", blank=True, help_text="Shown publicly.")
    # The organisations the item concerns: the members' registers of interests are checked
    # against them (meetings.conflicts), and an exempt item's papers may be withheld from a
    # member with a financial interest in one (meetings.access.papers_withheld_from).
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="agenda_items", verbose_name="organisations concerned"
    )
    # An exemption is kept under review (see `meetings.exemptions`): by this date the secretariat
    # releases the item or extends its exemption. The reminder sent is for `exemption_reminded_for`,
    # so a new review date gets a new reminder and the same one never gets two.
    exemption_review_on = models.DateField("exemption review date", null=True, blank=True)
    exemption_reminded_for = models.DateField(null=True, blank=True, editable=False)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            # Reordering moves items through temporary positions, so no deferred constraint is needed.
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def clean(self):
        errors = {}
        if self.is_exempt and not self.exempt_paragraph:
            errors["exempt_paragraph"] = "Choose the Schedule 12A paragraph that makes this item exempt."
        if self.is_exempt and not self.exempt_reason.strip():
            errors["exempt_reason"] = "Give the public interest reason for excluding the public."
        if not self.is_exempt and self.exempt_paragraph:
            errors["exempt_paragraph"] = "Only an exempt item has a Schedule 12A paragraph."
        if self.is_late and not self.urgency_reason.strip():
            errors["urgency_reason"] = "A late item needs the chair's reason for urgency."
        if self.withdrawn_at and not self.withdrawal_reason.strip():
            errors["withdrawal_reason"] = "Say publicly why the item was withdrawn."
        if errors:
            raise ValidationError(errors)

    @property
    def number(self) -> int:
        return self.position

    @property
    def exempt_summary(self) -> str:
        return f"Exempt under paragraph {self.exempt_paragraph} of Schedule 12A" if self.is_exempt else ""

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def exemption_released(self) -> "ExemptionRelease | None":
        """The release of this item's exemption, if it was released (load with
        `select_related("exemption_release")` to spare a query per item)."""
        return getattr(self, "exemption_release", None) if self.is_exempt else None

    @property
    def is_withheld(self) -> bool:
        """Exempt and not released: the public see its title and paragraph only."""
        return self.is_exempt and self.exemption_released is None


class AgendaChange(models.Model):
    """One change to an agenda after it was published: together, a supplementary agenda.

    The secretariat gives the reason, which is published. Changes made on the same day for
    the same reason form one change set, shown as one notice ("Changed on <date> because
    <reason>", see `meetings.presenters.agenda_supplements`). What each change says to the
    public is worked out when it is read, from the item and paper as they are then, so a
    paper withheld later does not stay named in an old notice."""

    class Kind(models.TextChoices):
        ITEM_ADDED = "item_added", "Item added"
        ITEM_CHANGED = "item_changed", "Item changed"
        ITEM_MOVED = "item_moved", "Item moved"
        ITEMS_REORDERED = "items_reordered", "Items reordered"
        ITEM_WITHDRAWN = "item_withdrawn", "Item withdrawn"
        PAPER_ADDED = "paper_added", "Paper added"
        PAPER_REPLACED = "paper_replaced", "Paper replaced"
        PAPER_CHANGED = "paper_changed", "Paper changed"
        PAPER_WITHHELD = "paper_withheld", "Paper withheld from the public"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_changes"
    )
    paper = models.ForeignKey("Paper", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_changes")
    reason = models.TextField(help_text="Why the agenda changed; shown publicly.")
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "made_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({timezone.localtime(self.made_at):%-d %B %Y})"
