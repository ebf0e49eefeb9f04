from django.db import models

from partnerships.models import Partnership

from .agenda import AgendaItem
from .paper import Paper


class ConsiderationQuerySet(models.QuerySet):
    def public(self):
        """Considerations the public may see: of a paper the public may read (`Paper.objects.public()`,
        decided by the item it was tabled at), either at an item the public may read in full (a
        published agenda of a public meeting of a public partnership, not withheld) or as a step
        outside the portal. A consideration at an exempt item or in a private session is absent:
        reusing a paper never makes it, or where it went, public."""
        return self.filter(
            models.Q(agenda_item__isnull=True) | models.Q(agenda_item__in=AgendaItem.objects.public().not_withheld()),
            paper__in=Paper.objects.public().filter(agenda_item__meeting__partnership__in=Partnership.objects.public()),
        )


class Consideration(models.Model):
    """One body's consideration of a paper, in OParl's sense of a "consultation": a report goes
    through several bodies in turn (an Area ICP, the Strategic ICP, then the ICB board or a
    council's health and wellbeing board). Each step is an agenda item of a meeting in the
    portal, or a step outside it (a body, a date and a link).

    The paper stays where it was first tabled (`Paper.agenda_item`, which has a consideration of
    its own); a later item reuses it rather than a second upload. What the public may see is
    decided at read time, in `ConsiderationQuerySet.public()` and `meetings.consultations`."""

    class Role(models.TextChoices):
        DECISION = "decision", "For decision"
        INFORMATION = "information", "For information"
        COMMENT = "comment", "For comment"

    class Outcome(models.TextChoices):
        PENDING = "", "Not yet recorded"
        AGREED = "agreed", "Agreed"
        AGREED_WITH_AMENDMENTS = "agreed_amended", "Agreed with amendments"
        NOTED = "noted", "Noted"
        COMMENTED = "commented", "Comments made"
        DEFERRED = "deferred", "Deferred"
        NOT_AGREED = "not_agreed", "Not agreed"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="considerations")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="considerations"
    )
    # A step outside the portal (an ICB board, a council's health and wellbeing board).
    body_name = models.CharField("body", max_length=200, blank=True)
    considered_on = models.DateField("date", null=True, blank=True)
    url = models.URLField("link to its papers or decision", blank=True)
    # Blank only for papers uploaded before considerations were recorded, whose role was not kept.
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(
        "what was decided or said", blank=True, help_text="Shown publicly with the outcome."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsiderationQuerySet.as_manager()

    class Meta:
        ordering = ["paper", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "agenda_item"], name="unique_consideration_per_item"),
            models.CheckConstraint(
                condition=models.Q(agenda_item__isnull=False, body_name="", considered_on__isnull=True)
                | (models.Q(agenda_item__isnull=True, considered_on__isnull=False) & ~models.Q(body_name="")),
                name="consideration_at_item_or_outside",
            ),
        ]

    def __str__(self):
        return f"{self.paper} at {self.body}"

    @classmethod
    def first(cls, paper: Paper) -> "Consideration":
        """The (unsaved) consideration of a paper at the item it is tabled at, its role read from
        the item's purpose ("for discussion" asks for comment; migration 0016 used the same rule)."""
        role = {
            AgendaItem.Purpose.DECISION: cls.Role.DECISION,
            AgendaItem.Purpose.INFORMATION: cls.Role.INFORMATION,
            AgendaItem.Purpose.ASSURANCE: cls.Role.INFORMATION,
            AgendaItem.Purpose.DISCUSSION: cls.Role.COMMENT,
        }.get(paper.agenda_item.purpose, "")
        return cls(paper=paper, agenda_item=paper.agenda_item, role=role)

    @classmethod
    def first_at(cls, paper: Paper) -> "Consideration":
        """Record `first(paper)`."""
        consideration = cls.first(paper)
        consideration.save()
        return consideration

    @property
    def is_external(self) -> bool:
        return self.agenda_item_id is None

    @property
    def body(self) -> str:
        """Who considered it: the partnership of the meeting, or the body outside the portal."""
        return self.body_name if self.is_external else self.agenda_item.meeting.partnership.name

    @property
    def date(self):
        return self.considered_on if self.is_external else self.agenda_item.meeting.date
