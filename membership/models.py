"""People, their seats on partnerships, chairs, the register of interests, and the
secretariat. Nothing here is deleted to change the record: terms end, with a reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.urls import row_url
from partnerships.models import Organisation, Partnership


class TermQuerySet(models.QuerySet):
    """Rows with a start_date and an optional end_date (the last day of the term)."""

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))

    def past(self, on=None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)


class Term(models.Model):
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day of the term, if it has ended or will end."
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def clean_term(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})

    def overlapping(self, queryset):
        """Rows of `queryset` whose terms share at least one day with this one."""
        queryset = queryset.exclude(pk=self.pk) if self.pk else queryset
        if self.end_date:
            queryset = queryset.filter(start_date__lte=self.end_date)
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))


def display_name(honorific: str, given_name: str, family_name: str, post_nominals: str) -> str:
    """A person's name as the portal writes it: "Cllr Jane Smith OBE"."""
    name = " ".join(part for part in (honorific, given_name, family_name) if part)
    return f"{name} {post_nominals}" if post_nominals else name


class Person(models.Model):
    """Someone who sits on, chairs or advises a partnership. Contact details are private to
    the secretariat that added them (see `membership.permissions.may_see_contact_details`);
    everything else about a current or past role is public."""

    honorific = models.CharField(max_length=30, blank=True, help_text="For example Cllr, Dr, Professor.")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    post_nominals = models.CharField(max_length=50, blank=True, help_text="For example OBE, MBE.")
    pronouns = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    email = models.EmailField(blank=True, help_text="Private: never shown publicly.")
    phone = models.CharField(max_length=40, blank=True, help_text="Private: never shown publicly.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The sign-in account of this person, if they have one. Only a portal administrator links it.",
        error_messages={"unique": "That sign-in account already belongs to another person."},
    )
    is_demonstration = models.BooleanField(default=False, help_text="A fictional person created as demonstration data.")
    # People are shared by every partnership they sit on, and their contact details are
    # private; a secretariat reaches a person through a seat or chair on its partnership.
    # This records who added someone who holds no seat yet, so they stay reachable.
    added_for = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people_added",
        help_text="The partnership whose secretariat added this person.",
    )
    # Contact details are seen by the secretariat of `added_for` only: adding someone to another
    # partnership (even as an observer) must not reveal them. The person may agree otherwise.
    contact_details_shared_on = models.DateField(
        "contact details shared on",
        null=True,
        blank=True,
        help_text="The date the person agreed that the secretariat of every partnership they sit on may see "
        "their email address and phone number. Only a portal administrator records it.",
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return row_url("membership:person", self.slug)

    @property
    def display_name(self) -> str:
        return display_name(self.honorific, self.given_name, self.family_name, self.post_nominals)


class Membership(Term):
    """A person's seat on a partnership, for a term."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        PARTICIPANT = "participant", "Participant"
        OBSERVER = "observer", "Observer"
        ADVISER = "adviser", "Adviser"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    seat = models.CharField(
        max_length=200, blank=True, help_text="The seat held, e.g. 'Director of Public Health' or 'ICB chair'."
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="representing organisation",
    )
    sector = models.CharField(
        max_length=30, choices=Organisation.Sector.choices, help_text="Defaults to the organisation's sector."
    )
    is_voting = models.BooleanField("voting member", default=True)
    end_reason = models.CharField("reason for leaving", max_length=300, blank=True)

    class Meta:
        ordering = ["partnership", "person__family_name", "start_date"]
        indexes = [models.Index(fields=["partnership", "end_date"]), models.Index(fields=["person", "start_date"])]

    def __str__(self):
        return f"{self.person} on {self.partnership}"

    def clean(self):
        self.clean_term()
        if self.organisation_id and not self.sector:
            self.sector = self.organisation.sector
        if not self.sector:
            raise ValidationError({"sector": "Choose the sector this seat represents."})
        if self.person_id and self.partnership_id and self.start_date:
            same = Membership.objects.filter(person_id=self.person_id, partnership_id=self.partnership_id)
            if self.overlapping(same).exists():
                raise ValidationError(
                    "This person already has a membership of this partnership for some of these dates."
                )


class ChairAppointment(Term):
    """A chair, co-chair or vice-chair of a partnership. The chair of an ICP is chosen
    jointly by the ICB and the councils, who also set the term."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        CO_CHAIR = "co_chair", "Co-chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"

    class AppointedBy(models.TextChoices):
        JOINTLY = "jointly", "Jointly by the ICB and the local authorities"
        PARTNERSHIP = "partnership", "By the partnership"
        ICB = "icb", "By the ICB"
        LOCAL_AUTHORITIES = "local_authorities", "By the local authorities"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="chair_appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="chair_appointments")
    role = models.CharField(max_length=20, choices=Role.choices)
    appointed_by = models.CharField(max_length=30, choices=AppointedBy.choices, default=AppointedBy.JOINTLY)
    appointed_on = models.DateField(null=True, blank=True, help_text="The date of the appointment decision.")
    decision_reference = models.CharField(
        max_length=200, blank=True, help_text="The decision or minute that made the appointment."
    )
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["partnership", "role", "start_date"]

    def __str__(self):
        return f"{self.get_role_display()} of {self.partnership}: {self.person}"

    def clean(self):
        self.clean_term()
        if self.person_id and self.partnership_id and self.role and self.start_date:
            same = ChairAppointment.objects.filter(
                person_id=self.person_id, partnership_id=self.partnership_id, role=self.role
            )
            if self.overlapping(same).exists():
                raise ValidationError(
                    f"{self.person} is already {self.get_role_display().lower()} of this partnership "
                    "for some of these dates."
                )


class Interest(models.Model):
    """An entry on a person's register of interests."""

    class Category(models.TextChoices):
        FINANCIAL = "financial", "Financial interest"
        NON_FINANCIAL_PROFESSIONAL = "non_financial_professional", "Non-financial professional interest"
        NON_FINANCIAL_PERSONAL = "non_financial_personal", "Non-financial personal interest"
        INDIRECT = "indirect", "Indirect interest"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interests")
    category = models.CharField(max_length=30, choices=Category.choices)
    description = models.TextField()
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    start_date = models.DateField("interest from", null=True, blank=True)
    end_date = models.DateField("interest to", null=True, blank=True)
    declared_on = models.DateField(default=timezone.localdate)
    # Ending an interest keeps it on the register, with the last day (`end_date`) and why.
    end_reason = models.CharField("reason it ended", max_length=300, blank=True)

    class Meta:
        ordering = ["person", "-declared_on"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:60]}"

    def has_ended(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.end_date and self.end_date < on)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})


class NilReturn(models.Model):
    """A declaration that a person has no interests to register, on a date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nil_returns")
    declared_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["person", "-declared_on"]

    def __str__(self):
        return f"Nil return by {self.person} on {self.declared_on}"


class SecretariatAssignment(Term):
    """A staff user who runs a partnership's business. Assignment is per partnership:
    running a parent partnership gives no rights over its sub-partnerships."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="secretariat_assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="secretariat_assignments")

    class Meta:
        ordering = ["partnership", "start_date"]

    def __str__(self):
        return f"{self.user} (secretariat of {self.partnership})"

    def clean(self):
        self.clean_term()
        if self.user_id and self.partnership_id and self.start_date:
            same = SecretariatAssignment.objects.filter(user_id=self.user_id, partnership_id=self.partnership_id)
            if self.overlapping(same).exists():
                raise ValidationError("This user is already assigned to this partnership for some of these dates.")


class InvitationQuerySet(models.QuerySet):
    def pending(self, at=None):
        """Invitations that can still be accepted: not accepted, not withdrawn, not expired."""
        at = at or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at)

    def open(self):
        """Invitations not accepted or withdrawn, expired or not: what the secretariat follows up."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An email inviting a person to create their sign-in account, sent by a partnership's
    secretariat. Accepting it is the only way, besides a portal administrator, that an account
    is linked to a person (docs/accounts.md). Only a digest of the link's token is stored: the
    link itself is in the email alone."""

    VALID_FOR_DAYS = 7

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=200, help_text="The person's role on the partnership when invited.")
    email = models.EmailField(help_text="The address the invitation was sent to.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # An invitation to join the secretariat: accepting it assigns the new account to the
    # partnership's secretariat, so a person with no seat (a governance officer) can be invited.
    secretariat = models.BooleanField("invited to the secretariat", default=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account created by accepting the invitation.",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "accepted_at", "revoked_at"])]

    def __str__(self):
        return f"Invitation of {self.person} to sign in ({self.partnership})"

    @property
    def status(self) -> str:
        """'accepted', 'withdrawn', 'expired' or 'pending'."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
