"""The national transparency scorecard, as computed: one row per system and period.

The figures are computed from the public record by `transparency.measures` (in a Celery task,
on a domain event or nightly) and stored here, so that no page request counts anything. A row
also keeps, per meeting, what went into each figure (`evidence`), so each figure links to the
meetings behind it; the meeting list is still read through `Meeting.objects.public()` when it
is shown, so a meeting made private since the computation is not listed.
"""

from decimal import Decimal

from django.db import models

from partnerships.models import IntegratedCareSystem, Partnership


class ScorecardRowQuerySet(models.QuerySet):
    def latest_period(self):
        """The rows of the most recent computation (one per system in force then), or none."""
        latest = self.order_by("-period_end").values_list("period_end", flat=True)[:1]
        return self.filter(period_end__in=models.Subquery(latest))


class ScorecardRow(models.Model):
    """A system's statutory integrated care partnership, scored over one period (12 months
    to `period_end`). A system with no partnership recorded has a row with no partnership."""

    system = models.ForeignKey(IntegratedCareSystem, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()

    # Meetings held in public in the period, and those cancelled or postponed.
    public_meetings = models.PositiveIntegerField(default=0)
    cancelled_meetings = models.PositiveIntegerField(default=0)
    # The five clear working days rule, for the meetings held in public that had a deadline.
    agendas_on_time = models.PositiveIntegerField(default=0)
    agendas_late = models.PositiveIntegerField(default=0)
    agendas_not_published = models.PositiveIntegerField(default=0)
    agendas_no_deadline = models.PositiveIntegerField(default=0)
    # Minutes: working days from the meeting to its draft, and to its approval as a correct record.
    draft_minutes = models.PositiveIntegerField(default=0)
    draft_minutes_late = models.PositiveIntegerField(default=0)
    median_days_to_draft = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    approved_minutes = models.PositiveIntegerField(default=0)
    median_days_to_approved = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    # Papers and exempt items.
    meetings_with_papers = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    exempt_items = models.PositiveIntegerField(default=0)
    # The integrated care strategy: the version the public reads now.
    strategy_version = models.PositiveSmallIntegerField(null=True, blank=True)
    strategy_published_on = models.DateField(null=True, blank=True)
    strategy_review_due = models.BooleanField(default=False)
    strategy_review_due_since = models.DateField(null=True, blank=True)
    # The most recent publication of any period: an agenda, draft minutes or a strategy.
    latest_publication_at = models.DateTimeField(null=True, blank=True)
    latest_publication_kind = models.CharField(max_length=40, blank=True)
    latest_publication_title = models.CharField(max_length=300, blank=True)
    latest_publication_path = models.CharField(max_length=300, blank=True)
    # The meeting of an agenda or minutes: the pages ask whether it is still public when they are read.
    latest_publication_meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Per meeting id (as a string): what it counted for. See `transparency.measures.MeetingFacts`.
    evidence = models.JSONField(default=dict, blank=True)

    objects = ScorecardRowQuerySet.as_manager()

    class Meta:
        ordering = ["system__name"]
        constraints = [
            models.UniqueConstraint(fields=["system", "period_end"], name="one_scorecard_row_per_system_and_period")
        ]
        indexes = [models.Index(fields=["period_end"])]

    def __str__(self):
        return f"{self.system}: 12 months to {self.period_end:%-d %B %Y}"

    @property
    def agendas_with_deadline(self) -> int:
        return self.agendas_on_time + self.agendas_late + self.agendas_not_published

    @staticmethod
    def _percent(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("1"))

    @property
    def agendas_on_time_percent(self) -> Decimal | None:
        return self._percent(self.agendas_on_time, self.agendas_with_deadline)

    @property
    def papers_percent(self) -> Decimal | None:
        return self._percent(self.meetings_with_papers, self.public_meetings)

    @property
    def exempt_percent(self) -> Decimal | None:
        return self._percent(self.exempt_items, self.items)
