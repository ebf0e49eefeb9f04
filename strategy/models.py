"""A partnership's integrated care strategy: its one statutory duty is to prepare it for the
whole population of its area, publish it and keep it under review.

A `Strategy` has numbered `StrategyVersion`s that move draft → submitted → approved (or
changes requested) → published → superseded. What a version says lives in its sections,
priorities (with outcome measures) and engagement activities; the evidence it cites (JSNAs
and joint local health and wellbeing strategies) is the partnership's library, shared by all
versions. Approved and published versions are never changed: a change is a new draft.

What the public may see is decided once, in `StrategyVersion.objects.public()`.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.urls import row_url
from meetings.models import Action, AgendaItem, Decision, Meeting
from partnerships.models import LocalAuthority, Partnership, Place

from .markdown import render_markdown

# Only what the partnership agreed adopts its strategy; nothing from a meeting that did not take place.
ADOPTING_DECISION_STATUSES = (Decision.Status.AGREED, Decision.Status.AGREED_WITH_AMENDMENTS)
ADOPTING_MEETING_EXCLUDED = (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED)


class Aim(models.TextChoices):
    """The four aims of every integrated care system, which a strategy's priorities serve."""

    OUTCOMES = "outcomes", "Improve outcomes in population health and health care"
    INEQUALITIES = "inequalities", "Tackle inequalities in outcomes, experience and access"
    VALUE = "value", "Enhance productivity and value for money"
    SOCIAL_ECONOMIC = "social_economic", "Help the NHS support broader social and economic development"


class Strategy(models.Model):
    """The integrated care strategy of one partnership, across all its versions."""

    partnership = models.OneToOneField(Partnership, on_delete=models.PROTECT, related_name="strategy")
    review_due = models.BooleanField(
        default=False, help_text="New evidence (such as a newer JSNA) means the published strategy needs review."
    )
    review_due_since = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "strategies"

    def __str__(self):
        return f"Integrated care strategy of {self.partnership}"

    def get_absolute_url(self):
        return row_url("strategy:public", self.partnership.slug)


class StrategyVersionQuerySet(models.QuerySet):
    def public(self):
        """Versions the public may read: published, and published ones since superseded.
        Drafts, submitted and approved-but-unpublished versions never leave this filter."""
        return self.filter(
            status__in=[StrategyVersion.Status.PUBLISHED, StrategyVersion.Status.SUPERSEDED],
            published_at__isnull=False,
        )

    def with_public_adoption(self):
        """Each version's `adoption_is_public`: whether the decision that adopted it is on the
        public record now. A meeting made private or an item made exempt since takes it off,
        and then no public page, PDF or API names that decision or its meeting."""
        return self.annotate(
            adoption_is_public=models.Exists(
                Decision.objects.public().filter(pk=models.OuterRef("adopted_by_decision_id"))
            )
        )

    def open(self):
        """Versions still being written or approved."""
        return self.filter(status__in=StrategyVersion.OPEN_STATUSES)


class StrategyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    # The secretariat may change a version only in these statuses; a change to a submitted
    # version returns it to draft (see strategy.services).
    EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED)
    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED)

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(
        max_length=200, help_text="The strategy's title, e.g. 'Better health and wellbeing for all'."
    )
    summary = models.TextField(blank=True, help_text="A short introduction, shown at the top of the strategy.")
    change_summary = models.TextField(
        "what changed", blank=True, help_text="In a sentence or two: what this version changes, and why."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Copied from."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A chair may not approve changes they made themselves once the version was put to the chairs.
    edited_after_submission_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    # One decision adopts one version, and the database refuses a second: reusing the decision
    # that adopted version 2 would tell the public version 3 was adopted at that meeting. The rest
    # of the rule needs the meeting and the approval date: see `adoption_problem`.
    adopted_by_decision = models.OneToOneField(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_strategy_version",
        help_text="The partnership's decision that adopted this version.",
        error_messages={"unique": "That decision has already adopted another version of the strategy."},
    )

    objects = StrategyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "-number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="unique_strategy_version")]
        indexes = [models.Index(fields=["strategy", "status"])]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    @property
    def label(self) -> str:
        return f"Version {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.status in {self.Status.PUBLISHED, self.Status.SUPERSEDED}

    @property
    def approved_on(self):
        return timezone.localdate(self.approved_at) if self.approved_at else None

    @property
    def public_adoption(self) -> Decision | None:
        """The decision that adopted this version, if the public may read it (the queryset's
        `with_public_adoption` says so); None otherwise."""
        return self.adopted_by_decision if getattr(self, "adoption_is_public", False) else None

    def clean(self):
        if self.adopted_by_decision_id is not None:
            problem = self.adoption_problem(self.adopted_by_decision)
            if problem:
                raise ValidationError({"adopted_by_decision": problem})

    def adoption_problem(self, decision: Decision) -> str | None:
        """Why `decision` cannot be the one that adopted this version, in words the secretariat
        can act on; None if it can.

        The integrated care partnership prepares the strategy (s.116ZB of the Local Government
        and Public Involvement in Health Act 2007, inserted by the Health and Care Act 2022), so a
        version is adopted by the partnership's own decision: agreed (or agreed with amendments),
        on the public record, taken at a meeting held on or after the day its chairs and co-chairs
        approved the version, and adopting no other version. `strategy.selectors.adopting_decisions`
        asks the same in one query, for the form."""
        partnership = self.strategy.partnership
        meeting = decision.meeting
        if meeting.partnership_id != partnership.pk:
            return (
                f"That decision was taken by {meeting.partnership}, not {partnership}: only the partnership's "
                "own decision adopts its strategy."
            )
        if decision.status not in ADOPTING_DECISION_STATUSES:
            return (
                f"That decision is recorded as “{decision.get_status_display().lower()}”, not agreed: only a "
                "decision the partnership agreed (or agreed with amendments) adopts its strategy."
            )
        if decision.inquorate:
            return (
                "That decision was recorded without a quorum, so it is not a valid decision of the partnership "
                "and cannot adopt its strategy."
            )
        if meeting.status in ADOPTING_MEETING_EXCLUDED:
            return (
                f"The meeting of {meeting.date:%-d %B %Y} was {meeting.get_status_display().lower()}: "
                "choose a decision of a meeting that took place."
            )
        if not Decision.objects.public().filter(pk=decision.pk).exists():
            return (
                "That decision is not on the public record: choose an agreed decision from a public meeting "
                "that has taken place, not on an exempt item. The strategy's adoption is on the public record."
            )
        if self.approved_at is None:
            return (
                f"{self.label} has not been approved by its chairs and co-chairs: only an approved version is adopted."
            )
        if meeting.date < self.approved_on:
            return (
                f"That decision was taken on {meeting.date:%-d %B %Y}, before {self.label} was approved on "
                f"{self.approved_on:%-d %B %Y}: it cannot have adopted this version. Choose the decision of a "
                "meeting held on or after the approval."
            )
        other = StrategyVersion.objects.filter(adopted_by_decision=decision).exclude(pk=self.pk).first()
        if other is not None:
            return (
                f"That decision already adopted version {other.number}: each version is adopted by its own "
                "decision. Record the decision that adopted this version in its meeting's record first."
            )
        return None


class Evidence(models.Model):
    """A document the strategy builds on: above all the joint strategic needs assessments and
    joint local health and wellbeing strategies of the health and wellbeing boards in the area."""

    class Kind(models.TextChoices):
        JSNA = "jsna", "Joint strategic needs assessment (JSNA)"
        HWB_STRATEGY = "hwb_strategy", "Joint local health and wellbeing strategy"
        OTHER = "other", "Other evidence or data"

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_evidence",
        verbose_name="council",
        help_text="The council whose health and wellbeing board produced it.",
    )
    published_on = models.DateField("date", help_text="When it was published or approved.")
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to="strategy-evidence/%Y/", max_length=300, blank=True)
    # Download URLs carry this, not the sequential id, so evidence files cannot be enumerated.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Of the stored file (after active content was removed): the download's ETag. Blank for
    # a link without a file, and for files recorded before it was kept.
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    summary = models.TextField(blank=True, help_text="What it tells us, in a sentence or two.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["local_authority__name", "-published_on", "pk"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["strategy", "kind", "local_authority", "published_on"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.kind in {self.Kind.JSNA, self.Kind.HWB_STRATEGY} and not self.local_authority_id:
            raise ValidationError({"local_authority": "Choose the council whose health and wellbeing board wrote it."})


class Section(models.Model):
    """A titled part of a version, written in Markdown."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="sections")
    # The same section in every version: kept when a version is copied, so versions can be compared.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown: headings, lists, links and tables.")
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="citing_sections")

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_section_position"),
            models.UniqueConstraint(fields=["version", "key"], name="unique_section_key"),
        ]

    def __str__(self):
        return self.title

    @property
    def body_html(self):
        return render_markdown(self.body)

    @property
    def anchor(self) -> str:
        return f"section-{self.position}"


class Priority(models.Model):
    """Something the partnership has chosen to act on together, with the aims it serves,
    its life-course theme or topic, how success is measured and where it focuses."""

    class Theme(models.TextChoices):
        START_WELL = "start_well", "Start Well"
        LIVE_WELL = "live_well", "Live Well"
        AGE_WELL = "age_well", "Age Well"
        DIE_WELL = "die_well", "Die Well"
        TOPIC = "topic", "A topic"

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="priorities")
    # The same priority in every version: delivery links and comparisons follow it.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    aims = models.JSONField(default=list, help_text="Which of the four ICS aims it serves.")
    theme = models.CharField("life-course theme or topic", max_length=20, choices=Theme.choices)
    topic = models.CharField(
        max_length=200, blank=True, help_text="For example 'Children and young people's mental health' or 'Falls'."
    )
    places = models.ManyToManyField(Place, blank=True, related_name="strategy_priorities")
    local_authorities = models.ManyToManyField(
        LocalAuthority, blank=True, related_name="strategy_priorities", verbose_name="councils"
    )
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="citing_priorities")

    class Meta:
        ordering = ["version", "position"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_priority_position"),
            models.UniqueConstraint(fields=["version", "key"], name="unique_priority_key"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        unknown = [aim for aim in self.aims if aim not in Aim.values]
        if not self.aims:
            errors["aims"] = "Choose at least one of the four aims this priority serves."
        elif unknown:
            errors["aims"] = f"Unknown aims: {', '.join(unknown)}."
        if self.theme == self.Theme.TOPIC and not self.topic.strip():
            errors["topic"] = "Name the topic, for example 'Falls prevention'."
        if errors:
            raise ValidationError(errors)

    @property
    def aim_labels(self) -> list[str]:
        return [label for value, label in Aim.choices if value in self.aims]

    @property
    def theme_label(self) -> str:
        return self.topic if self.theme == self.Theme.TOPIC else self.get_theme_display()


class OutcomeMeasure(models.Model):
    """How the partnership will know a priority is working: where we are, where we aim to be."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField()
    name = models.CharField("measure", max_length=300)
    baseline = models.CharField(max_length=100, help_text="For example '64.2 years' or '1,240 a year'.")
    baseline_period = models.CharField(max_length=50, blank=True, help_text="For example '2019 to 2021'.")
    target = models.CharField(max_length=100)
    target_date = models.CharField("target by", max_length=50, blank=True, help_text="For example 'March 2030'.")

    class Meta:
        ordering = ["priority", "position"]

    def __str__(self):
        return self.name


class EngagementActivity(models.Model):
    """How the partnership involved people in a version: who, when, how, how many, what it
    heard and what it changed in response ("you said, we did")."""

    class Audience(models.TextChoices):
        HEALTHWATCH = "healthwatch", "Healthwatch"
        VCSE = "vcse", "Voluntary, community and social enterprise sector"
        RESIDENTS = "residents", "Residents"
        PATIENTS_CARERS = "patients_carers", "Patients, people who use services and carers"
        CHILDREN_YOUNG_PEOPLE = "children_young_people", "Children and young people"
        STAFF = "staff", "Health and care staff"
        COUNCILLORS = "councillors", "Councillors"
        PARTNERS = "partners", "Partner organisations"

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="engagement")
    title = models.CharField(max_length=200)
    audiences = models.JSONField(default=list)
    audience_detail = models.CharField(
        "who else", max_length=300, blank=True, help_text="For example 'carers' groups in Hartlepool'."
    )
    started_on = models.DateField("from")
    ended_on = models.DateField("to", null=True, blank=True)
    method = models.CharField("how", max_length=300, help_text="For example 'online survey and 14 listening events'.")
    participants = models.PositiveIntegerField("how many people", null=True, blank=True)
    heard = models.TextField("what we heard")
    response = models.TextField("what we did in response")

    class Meta:
        ordering = ["version", "started_on", "pk"]
        verbose_name_plural = "engagement activities"

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if not self.audiences and not self.audience_detail.strip():
            errors["audiences"] = "Say whom you involved."
        unknown = [value for value in self.audiences if value not in self.Audience.values]
        if unknown:
            errors["audiences"] = f"Unknown groups: {', '.join(unknown)}."
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "The end date must be on or after the start date."
        if errors:
            raise ValidationError(errors)

    @property
    def audience_labels(self) -> list[str]:
        labels = [label for value, label in self.Audience.choices if value in self.audiences]
        return labels + ([self.audience_detail] if self.audience_detail else [])


class Approval(models.Model):
    """A chair's or co-chair's decision on a submitted version. A new submission, or a change
    to the version, voids the decisions of the round before (they are kept, with the date).

    The decision is the person's, in their role; the account is how they signed in to make it.
    Recording the person keeps the record right when an account is later unlinked or relinked,
    and lets the record name them rather than an account."""

    class Verdict(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="approvals")
    # Empty only on decisions recorded before the person was kept (see migration 0003).
    person = models.ForeignKey(
        "membership.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_approvals",
        help_text="The chair or co-chair whose decision it is.",
    )
    # Empty for a decision recorded outside the portal, such as a version approved before it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_approvals",
        help_text="The sign-in account the decision was made with.",
    )
    decision = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"], condition=Q(voided_at__isnull=True), name="one_current_approval_per_chair"
            ),
            models.UniqueConstraint(
                fields=["version", "person"],
                condition=Q(voided_at__isnull=True),
                name="one_current_approval_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(user__isnull=False), name="approval_has_an_approver"
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.approver_name} on {self.version}"

    @property
    def approver_name(self) -> str:
        """The approver as the record names them: the person, never an account's username."""
        person = self.person or (getattr(self.user, "person", None) if self.user_id else None)
        if person is not None:
            return person.display_name
        return (self.user.get_full_name() if self.user_id else "") or "A chair no longer on the portal's record"


class PriorityLink(models.Model):
    """Delivery: an agenda item, decision or action of the partnership's meetings that carries
    a priority forward. Exactly one of the three is set."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="delivery_links")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_links"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_links"
    )
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_links")
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["priority", "linked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(agenda_item__isnull=False, decision__isnull=True, action__isnull=True)
                    | Q(agenda_item__isnull=True, decision__isnull=False, action__isnull=True)
                    | Q(agenda_item__isnull=True, decision__isnull=True, action__isnull=False)
                ),
                name="priority_link_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["priority", "agenda_item"], condition=Q(agenda_item__isnull=False), name="unique_item_link"
            ),
            models.UniqueConstraint(
                fields=["priority", "decision"], condition=Q(decision__isnull=False), name="unique_decision_link"
            ),
            models.UniqueConstraint(
                fields=["priority", "action"], condition=Q(action__isnull=False), name="unique_action_link"
            ),
        ]

    def __str__(self):
        return f"{self.priority}: {self.target}"

    @property
    def target(self):
        return self.agenda_item or self.decision or self.action

    @property
    def kind(self) -> str:
        if self.agenda_item_id:
            return "agenda item"
        return "decision" if self.decision_id else "action"
