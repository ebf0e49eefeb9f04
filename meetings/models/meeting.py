"""Meetings, and how they are grouped: meetings days and recurring series."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from core.urls import row_url
from partnerships.models import Partnership

from .. import deadlines

# The code of the error a clash with `unique_meeting_title_start` raises, so services can reword it.
MEETING_CLASH = "meeting_clash"


class MeetingsDay(models.Model):
    """Several sessions on one date, such as Humber and North Yorkshire's quarterly ICP
    meetings day: a closed session, parallel sessions, a debrief, then the formal meeting."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings_days")
    date = models.DateField()
    title = models.CharField(max_length=200, default="ICP meetings day")
    description = models.TextField(blank=True)
    series = models.ForeignKey(
        "MeetingSeries", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings_days"
    )

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.title}, {self.date:%-d %B %Y}"


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
LAST_WEEK = 5


class MeetingSeries(models.Model):
    """A recurring pattern of meetings, generated ahead (HNY publishes dates 15 months ahead):
    every k months, on the same date as the first meeting, or on a weekday of the month such
    as "the second Thursday of every third month". A series may repeat a meetings day: each
    date then gets a copy of the day and its sessions (`template_day`)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Every month"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Every three months (quarterly)"
        FOUR_MONTHLY = "four_monthly", "Every four months"
        HALF_YEARLY = "half_yearly", "Every six months"
        YEARLY = "yearly", "Every year"

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = LAST_WEEK, "Last"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meeting_series")
    title = models.CharField(max_length=200)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY)
    first_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    venue = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField("held in public", default=True)
    # Both set: the nth (or last) weekday of each month of the series; neither: the first date's day.
    week_of_month = models.PositiveSmallIntegerField(choices=WeekOfMonth.choices, null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        choices=[(n, name) for n, name in enumerate(WEEKDAYS)], null=True, blank=True
    )
    template_day = models.ForeignKey(
        "MeetingsDay",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A meetings day to repeat: each date of the series gets its sessions.",
    )

    class Meta:
        verbose_name_plural = "meeting series"

    def __str__(self):
        return self.title

    def clean(self):
        if (self.week_of_month is None) != (self.weekday is None):
            raise ValidationError("Give both the week of the month and the weekday, or neither.")
        if self.template_day_id and self.template_day.partnership_id != self.partnership_id:
            raise ValidationError({"template_day": "Choose a meetings day of this partnership."})

    @property
    def months_between(self) -> int:
        return {
            "monthly": 1,
            "bimonthly": 2,
            "quarterly": 3,
            "four_monthly": 4,
            "half_yearly": 6,
            "yearly": 12,
        }[self.frequency]

    @property
    def rule(self) -> str:
        """The rule in words: 'Second Thursday of every third month', 'Every month, on the date of the first'."""
        every = {
            1: "every month",
            2: "every second month",
            3: "every third month",
            4: "every fourth month",
            6: "every sixth month",
            12: "every year",
        }[self.months_between]
        if self.week_of_month is None:
            return f"{every.capitalize()}, on the date of the first meeting"
        week = self.WeekOfMonth(self.week_of_month).label
        return f"{week} {WEEKDAYS[self.weekday]} of {every}"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Meetings held in public. Cancelled and postponed ones stay listed with their notice."""
        return self.filter(is_public=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


def upcoming_and_past(meetings: list, now) -> tuple[list, list]:
    """`meetings`, read newest first, split as `upcoming` and `past` split them: those still to
    end, soonest first, and those ended, newest first. A partnership holds a few dozen meetings
    a year: reading them all once and splitting them here costs less than reading each part (and
    counting the past ones to page them) in queries of their own."""
    upcoming = [meeting for meeting in reversed(meetings) if meeting.ends_at >= now]
    past = [meeting for meeting in meetings if meeting.ends_at < now]
    return upcoming, past


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    meetings_day = models.ForeignKey(
        MeetingsDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    series_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date the series gave this meeting. Kept when the meeting moves, so that "
        "generating the series again does not recreate it on its old date.",
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    joining_url = models.URLField("online joining link", blank=True)
    webcast_url = models.URLField("webcast or recording link", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    is_public = models.BooleanField(
        "held in public", default=True, help_text="Private sessions are listed only for members and staff."
    )
    notice = models.TextField(
        "public notice", blank=True, help_text="Shown publicly, e.g. why the meeting was cancelled or moved."
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Stable calendar identifier.")
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # s.100B(4) LGA 1972: an agenda not open to inspection five clear days ahead may be considered
    # only if the chair rules it urgent, for reasons specified. Required when publishing late.
    late_publication_reason = models.TextField(
        "chair's reason for urgency (late agenda)",
        blank=True,
        help_text="Why the meeting goes ahead although its agenda was published after the deadline. Shown publicly.",
    )
    # A meeting entered after it was held (to keep its record) never had a publication deadline
    # to meet: it is shown as "recorded after the meeting", never "published on time" or "late".
    recorded_after_event = models.BooleanField(
        "recorded after the meeting",
        default=False,
        help_text="The meeting had already been held when it was entered in the portal.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["partnership", "starts_at"]),
            models.Index(fields=["partnership", "is_public", "starts_at"]),
            # The next meeting to start or end, of all partnerships: the page cache asks for both
            # after every change (icp_portal.pagecache), for public pages and staff fragments.
            models.Index(fields=["starts_at"], name="meeting_starts"),
            models.Index(fields=["ends_at"], name="meeting_ends"),
        ]
        constraints = [
            # The same title at the same time is the same meeting entered twice (a double click,
            # two tabs). Parallel sessions of a meetings day may start together: they differ in title.
            models.UniqueConstraint(
                F("partnership"),
                F("starts_at"),
                Lower("title"),
                name="unique_meeting_title_start",
                violation_error_code=MEETING_CLASH,
                violation_error_message="The partnership already has a meeting with this title at this time.",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self):
        return row_url("meetings:meeting", self.partnership.slug, self.pk)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The meeting must end after it starts."})
        if self.status in {self.Status.CANCELLED, self.Status.POSTPONED} and not self.notice:
            raise ValidationError({"notice": "Say publicly why the meeting was cancelled or postponed."})

    @property
    def date(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def publication_deadline(self):
        """The last date the agenda and public papers may be published (five clear working days)."""
        return deadlines.publication_deadline(self.date)

    @property
    def agenda_is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def minutes_due(self):
        """The date its draft minutes are due: the partnership's number of working days after the meeting."""
        return deadlines.working_days_after(self.date, self.partnership.minutes_due_working_days)

    @property
    def has_publication_deadline(self) -> bool:
        """Part VA's five clear days apply to meetings held in public, scheduled ahead. A private
        session's agenda goes to members only; a meeting recorded after it was held had none."""
        return self.is_public and not self.recorded_after_event

    @property
    def agenda_published_late(self) -> bool:
        if not (self.agenda_published_at and self.has_publication_deadline):
            return False
        return timezone.localtime(self.agenda_published_at).date() > self.publication_deadline

    @property
    def publication_status(self) -> str:
        """For staff: 'published on time', 'published late', 'due' or 'not published'; for a
        meeting with no deadline, 'recorded after the meeting', 'private session' or 'published to
        members' (never late or due)."""
        if self.recorded_after_event:
            return "recorded after the meeting"
        if not self.is_public:
            return "published to members" if self.agenda_published_at else "private session"
        if self.agenda_published_at:
            return "published late" if self.agenda_published_late else "published on time"
        if timezone.localdate() <= self.publication_deadline:
            return "due"
        return "not published"
