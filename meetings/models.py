"""A partnership's meeting cycle: meetings (grouped into meetings days and series),
agendas, papers, attendance, declarations, minutes, decisions and actions.

What the public may see is decided once, in the `public()` querysets and the
`is_exempt`/`is_public` properties: exempt items and papers, private sessions and
unpublished agendas never leave them.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from membership.models import Interest, Person
from partnerships.models import Organisation, Partnership

from . import deadlines

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
        return reverse("meetings:meeting", kwargs={"slug": self.partnership.slug, "pk": self.pk})

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
        return self.filter(models.Q(is_exempt=False) | models.Q(exemption_release__isnull=False))


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


class PaperQuerySet(models.QuerySet):
    def public(self):
        """Papers the public may read: on public items of published agendas of public meetings.
        An exempt item or restricted paper counts as public once its exemption is released
        (`ExemptionRelease`); the exemption itself stays on the record."""
        return self.filter(
            models.Q(restricted=False) | models.Q(exemption_release__isnull=False),
            models.Q(agenda_item__is_exempt=False) | models.Q(agenda_item__exemption_release__isnull=False),
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


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"
        SUBSTITUTE = "substitute", "Substitute"
        IN_ATTENDANCE = "in_attendance", "In attendance (not a member)"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=20, choices=Status.choices)
    substitute_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="substituted_by"
    )
    capacity = models.CharField(max_length=200, blank=True, help_text="Seat or role in which they attended.")
    # Someone who came late or left early is present only for the items in between: the quorum
    # is judged item by item (meetings.record.quorum_for). Empty: from the start, to the end.
    arrived_at_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The first item they were present for, if they arrived after the start.",
    )
    left_after_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The last item they were present for, if they left before the end.",
    )
    # When the status was last set. Apologies recorded before the meeting began are the ones
    # "sent in advance"; empty for rows recorded before the portal kept the time.
    recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When this person's attendance (its status) was last recorded."
    )

    # Who is in the room: these can arrive late and leave early.
    IN_THE_ROOM = (Status.PRESENT, Status.SUBSTITUTE, Status.IN_ATTENDANCE)

    class Meta:
        ordering = ["meeting", "person__family_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance")]

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"

    def sent_before(self, starts_at) -> bool:
        """Apologies recorded before `starts_at` (the meeting's start): sent in advance."""
        return self.status == self.Status.APOLOGIES and self.recorded_at is not None and self.recorded_at < starts_at

    def clean(self):
        if self.status == self.Status.SUBSTITUTE and not self.substitute_for_id:
            raise ValidationError({"substitute_for": "Say whom this person substituted for."})
        if self.status != self.Status.SUBSTITUTE and self.substitute_for_id:
            raise ValidationError({"substitute_for": "Only a substitute stands in for someone."})
        if self.status not in self.IN_THE_ROOM and (self.arrived_at_item_id or self.left_after_item_id):
            raise ValidationError("Only someone who attended arrives or leaves during the meeting.")
        for name in ("arrived_at_item", "left_after_item"):
            item = getattr(self, name)
            if item is not None and item.meeting_id != self.meeting_id:
                raise ValidationError({name: "Choose an item from this meeting's agenda."})
        arrived, left = self.arrived_at_item, self.left_after_item
        if arrived and left and left.position < arrived.position:
            raise ValidationError({"left_after_item": "They cannot leave before the item they arrived at."})


class Declaration(models.Model):
    """An interest declared at a meeting on an agenda item, and what was done about it."""

    class ActionTaken(models.TextChoices):
        NOTED = "noted", "Noted; took part"
        DID_NOT_VOTE = "did_not_vote", "Took part in discussion but did not vote"
        LEFT_THE_ROOM = "left_the_room", "Left the room for the item"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    interest = models.ForeignKey(Interest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField()
    action_taken = models.CharField(max_length=20, choices=ActionTaken.choices, default=ActionTaken.NOTED)

    class Meta:
        ordering = ["agenda_item__position", "person__family_name"]

    def __str__(self):
        return f"{self.person} on item {self.agenda_item.position}"


class Minutes(models.Model):
    """One version of a meeting's minutes. Drafted after the meeting, published as a
    draft, approved as a correct record at a later meeting. An approved version is never
    edited: a correction is a new version with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When this version was made public.")
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_approved"
    )
    approval_decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = "minutes"
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="unique_minutes_version")]

    def __str__(self):
        return f"Minutes of {self.meeting} (version {self.version}, {self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class MinuteEntry(models.Model):
    """The minute of one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="minute_entries")
    discussion = models.TextField(blank=True)
    resolutions = models.TextField(blank=True)

    class Meta:
        ordering = ["agenda_item__position"]
        constraints = [models.UniqueConstraint(fields=["minutes", "agenda_item"], name="unique_minute_per_item")]

    def __str__(self):
        return f"Minute of item {self.agenda_item.position}"


def _public_record_filter(now=None):
    """Decisions and actions the public may read: from public meetings that have started,
    and not on an exempt agenda item (a row with no item follows its meeting)."""
    return models.Q(meeting__is_public=True, meeting__starts_at__lte=now or timezone.now()) & (
        models.Q(agenda_item__isnull=True) | models.Q(agenda_item__is_exempt=False)
    )


class DecisionQuerySet(models.QuerySet):
    def public(self, now=None):
        return self.filter(_public_record_filter(now))


class Decision(models.Model):
    class Status(models.TextChoices):
        AGREED = "agreed", "Agreed"
        AGREED_WITH_AMENDMENTS = "agreed_amended", "Agreed with amendments"
        NOTED = "noted", "Noted"
        DEFERRED = "deferred", "Deferred"
        NOT_AGREED = "not_agreed", "Not agreed"

    # The meeting's partnership, copied here so that the database can refuse a reference used
    # twice in one partnership (a constraint cannot reach through the meeting). Always set from
    # the meeting; a decision does not move between meetings.
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    reference = models.CharField(max_length=30, blank=True, help_text="For example ICP/2026/14.")
    wording = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AGREED)
    # A decision of an inquorate meeting is not a valid decision of the committee. The services
    # refuse one at an item without a quorum unless the secretariat records it with this flag,
    # which the public record shows.
    inquorate = models.BooleanField(
        "recorded without a quorum",
        default=False,
        help_text="The item was not quorate: recorded as the meeting took it, and shown publicly as "
        "recorded without a quorum.",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "agenda_item__position", "pk"]
        constraints = [
            # References are compared as the secretariat reads them: icp/2026/14 is ICP/2026/14.
            models.UniqueConstraint(
                F("partnership"),
                Lower("reference"),
                condition=~models.Q(reference=""),
                name="unique_decision_reference",
                violation_error_message="This reference is already used by another decision of the partnership.",
            ),
        ]

    def __str__(self):
        return self.reference or self.wording[:60]

    def clean(self):
        if self.meeting_id and self.partnership_id and self.meeting.partnership_id != self.partnership_id:
            raise ValidationError("A decision belongs to its meeting's partnership.")


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])

    def closed(self):
        return self.exclude(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])

    def public(self, now=None):
        return self.filter(_public_record_filter(now))


class Action(models.Model):
    """Something a meeting asked someone to do. Open actions roll forward to the next
    meeting's action log."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Completed"
        DROPPED = "dropped", "No longer required"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "due_date", "pk"]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if not self.owner_person_id and not self.owner_organisation_id:
            raise ValidationError("Give the action an owner: a person or an organisation.")

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.IN_PROGRESS}

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    written_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["action", "-written_on", "-pk"]

    def __str__(self):
        return f"Update on {self.written_on}: {self.text[:60]}"


class FormSubmission(models.Model):
    """A one-time form token that has been used (see `meetings.once`). The unique token makes
    the database refuse a second post of the same form, however close together they arrive."""

    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.token} ({self.created_at:%Y-%m-%d %H:%M})"


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
                condition=models.Q(agenda_item__isnull=False, paper__isnull=True)
                | models.Q(agenda_item__isnull=True, paper__isnull=False),
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
                condition=models.Q(agenda_item__isnull=False, paper__isnull=True)
                | models.Q(agenda_item__isnull=True, paper__isnull=False),
                name="extension_of_item_or_paper",
            ),
        ]

    def __str__(self):
        return f"Exemption extended to {self.review_on:%-d %B %Y}"


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
        db_table = "icp_portal_pdfaccessibility"  # from when it was icp_portal's: no data moved
        verbose_name = "PDF accessibility check"

    def __str__(self):
        return f"{self.sha256[:12]}: {', '.join(self.gaps) or 'accessible'}"

    @property
    def gaps(self) -> list[str]:
        """What is missing, in words: 'no title', 'no language', 'no tags'."""
        wanted = (("no title", self.has_title), ("no language", self.has_language), ("no tags", self.is_tagged))
        return [words for words, present in wanted if not present]
