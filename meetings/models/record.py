"""A meeting's record: who attended, the interests declared, the minutes, decisions and actions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from membership.models import Interest, Person
from partnerships.models import Organisation, Partnership

from .agenda import AgendaItem
from .meeting import Meeting


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
        indexes = [
            # "Has this meeting published minutes?" (what is due, the registers): without it
            # PostgreSQL reads every meeting's minutes of the country to answer for a few meetings.
            models.Index(
                fields=["meeting"], condition=Q(published_at__isnull=False), name="minutes_published_by_meeting"
            )
        ]

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


class RecordQuerySet(models.QuerySet):
    """Decisions and actions: rows of a meeting, with its partnership copied onto them."""

    def public(self, now=None):
        return self.filter(_public_record_filter(now))

    def of_partnership(self, partnership):
        """The rows of `partnership`, named through their meetings too: a row's partnership is its
        meeting's (`clean`), and saying so lets PostgreSQL join only that partnership's meetings
        where the public filter or a register's order by date joins them. Otherwise it read every
        meeting of the country to join a partnership's few (a register's count and page, 4 ms
        each at national scale, 1 ms)."""
        return self.filter(partnership=partnership, meeting__partnership=partnership)


class DecisionQuerySet(RecordQuerySet):
    pass


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


class ActionQuerySet(RecordQuerySet):
    def open(self):
        return self.filter(status__in=Action.OPEN_STATUSES)

    def closed(self):
        return self.exclude(status__in=Action.OPEN_STATUSES)

    def open_on(self, day):
        """Those open on `day`: open now, or closed (by an update marking them completed or no
        longer required) on or after it, each annotated with `closed_on`. A meeting's action log
        is the earlier meetings' actions open on its day."""
        closed_on = (
            ActionUpdate.objects.filter(action=OuterRef("pk"), status__in=Action.CLOSED_STATUSES)
            .order_by("-written_on", "-pk")
            .values("written_on")[:1]
        )
        return self.annotate(closed_on=Subquery(closed_on)).filter(
            Q(status__in=Action.OPEN_STATUSES) | Q(status__in=Action.CLOSED_STATUSES, closed_on__gte=day)
        )


class Action(models.Model):
    """Something a meeting asked someone to do. Open actions roll forward to the next
    meeting's action log."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Completed"
        DROPPED = "dropped", "No longer required"

    # The statuses of an action still to be done: these roll forward.
    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    CLOSED_STATUSES = (Status.DONE, Status.DROPPED)

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
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.overdue(self.status, self.due_date, timezone.localdate())

    @classmethod
    def overdue(cls, status: str, due_date, today) -> bool:
        """The rule `is_overdue` applies, for an action read as values: open, and due before `today`."""
        return status in cls.OPEN_STATUSES and due_date is not None and due_date < today


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
