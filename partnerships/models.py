"""England's health and care geography, and the bodies that sit on partnerships.

Councils and ICBs are organisations too: `LocalAuthority` and `IntegratedCareBoard`
extend `Organisation` (one record each), so a membership can represent any of them.
Organisations change (ICBs merge, councils reorganise): history is kept with validity
dates and a successor, never by editing a record into something else.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.urls import row_url


class Region(models.Model):
    """One of NHS England's seven regions."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return row_url("partnerships:region", self.slug)


def in_force_filter(on=None, related: str = "") -> models.Q:
    """The rows in force on `on` (today by default), or those whose `related` row (a path such
    as "ics") is: in the same query, where `related__in=...in_force()` would add a subquery."""
    on = on or timezone.localdate()
    prefix = f"{related}__" if related else ""
    return (models.Q(**{f"{prefix}valid_from__isnull": True}) | models.Q(**{f"{prefix}valid_from__lte": on})) & (
        models.Q(**{f"{prefix}valid_to__isnull": True}) | models.Q(**{f"{prefix}valid_to__gte": on})
    )


class InForceQuerySet(models.QuerySet):
    """Rows with validity dates: `in_force(on)` keeps those in force on a day (today by default).

    An empty `valid_from` means in force since before the portal's records begin; an empty
    `valid_to` means still in force. Both dates are inclusive: `valid_to` is the last day."""

    def in_force(self, on=None):
        return self.filter(in_force_filter(on))


class InForce:
    """Validity on one row (for models with `valid_from` and `valid_to`)."""

    def in_force_on(self, on) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    @property
    def has_ended(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()


class IntegratedCareSystem(InForce, models.Model):
    """A partnership of organisations across an area; not itself a legal body.

    Each has exactly one integrated care board (`icb`), for the whole life of both: a merger or a
    new footprint makes a new system and board, and the old ones end (`valid_to`), with
    `Succession` rows saying what became of them. So the ICB–system link is dated by the board's
    own `valid_from`/`valid_to`."""

    name = models.CharField(max_length=150, unique=True, help_text="The short name, e.g. 'Surrey Heartlands'.")
    slug = models.SlugField(max_length=150, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="systems")
    local_authorities = models.ManyToManyField("LocalAuthority", through="SystemLocalAuthority", related_name="systems")
    valid_from = models.DateField(null=True, blank=True, help_text="The first day of the system, if known.")
    valid_to = models.DateField(null=True, blank=True, help_text="Its last day, if it has ended (merged or split).")
    provisional_note = models.TextField(
        "not yet confirmed",
        blank=True,
        help_text="What the sources do not yet confirm about this system (e.g. its name or codes). Shown publicly.",
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return row_url("partnerships:system", self.slug)


class OrganisationQuerySet(InForceQuerySet):
    def current(self, on=None):
        return self.in_force(on)


class Organisation(InForce, models.Model):
    """A body that can be represented on a partnership."""

    class Sector(models.TextChoices):
        ICB = "icb", "Integrated care board"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS_TRUST = "nhs_trust", "NHS trust or foundation trust"
        PRIMARY_CARE = "primary_care", "Primary care / primary care network"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        VCSE = "vcse", "Voluntary, community and social enterprise"
        SOCIAL_CARE_PROVIDER = "social_care_provider", "Social care provider"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        POLICE = "police", "Police"
        FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue"
        HOUSING = "housing", "Housing"
        EDUCATION = "education", "Education"
        UNIVERSITY = "university", "University"
        BUSINESS = "business", "Business"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    website = models.URLField(blank=True)
    valid_from = models.DateField(null=True, blank=True, help_text="When the body came into being, if known.")
    valid_to = models.DateField(null=True, blank=True, help_text="Its last day, if it has been abolished or merged.")
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors")
    # Partner bodies (a trust, Healthwatch, a VCSE alliance) are added by a partnership's
    # secretariat; only that secretariat (or a portal administrator) changes or ends them, since
    # other partnerships may come to rely on the record. Reference data (ICBs, councils) has none.
    added_for = models.ForeignKey(
        "Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations_added",
        help_text="The partnership whose secretariat added this organisation.",
    )
    end_reason = models.CharField("reason it ended", max_length=300, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["sector", "name"])]

    def __str__(self):
        return self.name


class IntegratedCareBoard(Organisation):
    """The statutory NHS body of an integrated care system."""

    # A board formed by a change set may not have its codes published yet: they stay empty
    # (shown as "not yet published"), never guessed.
    ons_code = models.CharField("ONS code", max_length=9, unique=True, null=True, blank=True)
    ods_code = models.CharField("ODS code", max_length=5, unique=True, null=True, blank=True)
    ics = models.OneToOneField(IntegratedCareSystem, on_delete=models.PROTECT, related_name="icb")

    class Meta:
        verbose_name = "integrated care board"


class LocalAuthority(Organisation):
    """An upper-tier council: responsible for social care and public health."""

    class Type(models.TextChoices):
        COUNTY = "county", "County council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
        LONDON_BOROUGH = "london_borough", "London borough"
        SUI_GENERIS = "sui_generis", "Sui generis"

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    la_type = models.CharField("type", max_length=30, choices=Type.choices)

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"


class SystemLocalAuthority(InForce, models.Model):
    """A council's place in a system. A few councils fall in two or three systems;
    `lsoa_share_pct` says how much of the council's area lies in this one.

    A change of share or of system ends the row (`valid_to`) and starts a new one, so the
    page for an earlier date still shows the council where it was."""

    ics = models.ForeignKey(IntegratedCareSystem, on_delete=models.CASCADE, related_name="council_areas")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="system_areas")
    lsoa_share_pct = models.DecimalField("share of the council's area (%)", max_digits=4, decimal_places=1, default=100)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    provisional = models.BooleanField(
        default=False, help_text="The sources do not yet confirm this council's place (or share) in the system."
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ics", "local_authority"],
                condition=models.Q(valid_from__isnull=True),
                name="unique_council_per_system",
            ),
            models.UniqueConstraint(
                fields=["ics", "local_authority", "valid_from"], name="unique_council_per_system_from"
            ),
        ]
        ordering = ["local_authority__name"]

    def __str__(self):
        return f"{self.local_authority} in {self.ics}"

    @property
    def is_partial(self) -> bool:
        return self.lsoa_share_pct < 100


def system_council_ids(ics_id, on=None):
    """The ids of the councils with a place in the system `ics_id` on `on` (today by default),
    as a subquery: a council a boundary change moved to another system is no longer one of its
    councils, and one joining later not yet."""
    return SystemLocalAuthority.objects.in_force(on).filter(ics_id=ics_id).values("local_authority_id")


class Place(models.Model):
    """A place-based partnership footprint inside a system, often a council area."""

    ics = models.ForeignKey(IntegratedCareSystem, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150)
    description = models.TextField(blank=True)
    local_authorities = models.ManyToManyField(LocalAuthority, blank=True, related_name="places")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ics", "slug"], name="unique_place_slug_per_system")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return row_url("partnerships:place", self.ics.slug, self.slug)


class HealthAndWellbeingBoard(models.Model):
    """The place-level board of an upper-tier council; writes the JSNA and the joint
    local health and wellbeing strategy. It cannot be the ICP, but may meet in common with it."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="health_and_wellbeing_board"
    )
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "health and wellbeing board"

    def __str__(self):
        return self.name


# How quorum fractions are said; any other is written as 2/5.
FRACTION_WORDS = {
    (1, 1): "all",
    (1, 2): "half",
    (1, 3): "one third",
    (2, 3): "two thirds",
    (1, 4): "one quarter",
    (3, 4): "three quarters",
    (2, 5): "two fifths",
}


class ConflictsPolicy(models.TextChoices):
    WITHHOLD = "withhold", "Withhold an exempt item's papers from a member with a financial interest in it"
    READ = "read", "Members with a financial interest may still read an exempt item's papers"


class PartnershipQuerySet(models.QuerySet):
    def public(self):
        """Partnerships the public may see: all that exist and have not been wound up. One that
        ended by merging into a successor keeps its public record (its meetings, minutes and
        strategies belong to it), with the successor named."""
        return self.filter(
            models.Q(ended_on__isnull=True)
            | models.Q(ended_on__gte=timezone.localdate())
            | models.Q(successor__isnull=False)
        )

    def in_force(self, on=None):
        """Partnerships that existed on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            models.Q(established_on__isnull=True) | models.Q(established_on__lte=on),
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=on),
        )


class Partnership(models.Model):
    """An ICP committee: the statutory ICP of a system, or one of its sub-partnerships."""

    class Kind(models.TextChoices):
        STATUTORY_ICP = "statutory_icp", "Statutory integrated care partnership"
        AREA = "area", "Area partnership (sub-partnership)"
        PLACE = "place", "Place partnership"
        ASSEMBLY = "assembly", "Assembly or forum"
        SUB_GROUP = "sub_group", "Sub-group"

    class AccessRule(models.TextChoices):
        LGA_1972 = "lga_1972_part_va", "Local Government Act 1972, Part VA (access to information)"
        PUBLIC_BODIES_1960 = (
            "public_bodies_1960",
            "Public Bodies (Admission to Meetings) Act 1960 (ICB standing orders)",
        )
        LOCAL = "local", "The partnership's own standing orders"

    ics = models.ForeignKey(IntegratedCareSystem, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in the partnership's web address.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATUTORY_ICP)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_partnerships")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="partnerships")
    purpose = models.TextField(blank=True)
    terms_of_reference = models.FileField(upload_to="terms-of-reference/", blank=True)
    terms_of_reference_adopted_on = models.DateField(null=True, blank=True)
    # The quorum, as the terms of reference set it: a fraction of the voting members on the day
    # (numerator/denominator, rounded up) or a fixed number, never both; the constituencies that
    # must be present; and whether a substitute counts for the member they replace. The words of
    # the terms of reference are kept beside it; the portal computes from the structured rule.
    quorum_rule = models.CharField(
        "the quorum in the terms of reference",
        max_length=300,
        blank=True,
        help_text="In words, as the terms of reference put it, e.g. 'One third of voting members, "
        "including one ICB and one council member'.",
    )
    quorum_numerator = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="With the denominator, the fraction of voting members that must be present (1 and 3 for one "
        "third), rounded up.",
    )
    quorum_denominator = models.PositiveSmallIntegerField(null=True, blank=True)
    quorum_minimum = models.PositiveSmallIntegerField(
        "fixed quorum",
        null=True,
        blank=True,
        help_text="How many voting members must be present, where the terms of reference state a number "
        "rather than a fraction.",
    )
    quorum_requires_icb = models.BooleanField("the quorum must include an ICB member", default=False)
    quorum_requires_council = models.BooleanField("the quorum must include a council member", default=False)
    quorum_substitutes_count = models.BooleanField(
        "substitutes count towards the quorum",
        default=True,
        help_text="A substitute counts in the place of the voting member they replace.",
    )
    access_rule = models.CharField(
        "access to information rule", max_length=30, choices=AccessRule.choices, default=AccessRule.LGA_1972
    )
    # Part VA sets no date for minutes; partnerships commit to one in their terms of reference
    # (ten working days is common). Staff and public meeting pages say whether it was met.
    minutes_due_working_days = models.PositiveSmallIntegerField(
        "draft minutes due (working days after the meeting)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How many working days after a meeting its draft minutes are to be published.",
    )
    # Whether a member with a financial interest in an organisation an exempt item concerns may
    # read that item's papers, as the terms of reference decide (NHS England's conflicts of
    # interest guidance lets a committee withhold papers from a conflicted member). Applied when
    # the papers are read, by `meetings.access.papers_withheld_from`.
    conflicts_policy = models.CharField(
        "conflicts of interest policy",
        max_length=20,
        choices=ConflictsPolicy.choices,
        default=ConflictsPolicy.WITHHOLD,
        help_text="Whether a member with a declared or registered financial interest in an organisation an "
        "exempt item concerns may read that item's papers.",
    )
    contact_email = models.EmailField("public contact email", blank=True)
    website = models.URLField(blank=True)
    established_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # What an area or place partnership covers, for "which partnership covers my council": its
    # page lists them, and the system page names the partnership beside each council.
    councils = models.ManyToManyField(
        LocalAuthority,
        blank=True,
        related_name="covering_partnerships",
        help_text="For an area or place partnership: the councils whose area it covers.",
    )
    places = models.ManyToManyField(
        Place,
        blank=True,
        related_name="covering_partnerships",
        help_text="For an area partnership: the places it brings together.",
    )
    # A partnership that merges into another ends and names it; its record stays its own.
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors")

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ics"],
                condition=models.Q(kind="statutory_icp"),
                name="one_statutory_icp_per_system",
                violation_error_message="This system already has a statutory integrated care partnership.",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__isnull=True, quorum_denominator__isnull=True)
                | models.Q(
                    quorum_numerator__isnull=False,
                    quorum_denominator__isnull=False,
                    quorum_numerator__gte=1,
                    quorum_denominator__gte=models.F("quorum_numerator"),
                ),
                name="quorum_fraction_whole",
                violation_error_message="A quorum fraction needs both its numbers, and is at most the whole.",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__isnull=True) | models.Q(quorum_minimum__isnull=True),
                name="quorum_fraction_or_number",
                violation_error_message="A quorum is a fraction of the voting members or a fixed number, not both.",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_minimum__isnull=True) | models.Q(quorum_minimum__gte=1),
                name="quorum_minimum_positive",
                violation_error_message="A fixed quorum is at least one member.",
            ),
        ]
        permissions = [
            ("manage_partnership", "Manage the partnership (secretariat)"),
            ("approve_strategy", "Approve strategy drafts (chairs and co-chairs)"),
            ("view_exempt", "Read exempt papers and items (members and secretariat)"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The page shows the partnership's people, so it lives in the membership app.
        return row_url("membership:partnership", self.slug)

    # The quorum ---------------------------------------------------------------------------

    @property
    def quorum_basis(self) -> str:
        """'fraction', 'number' or '' (the terms of reference set no number)."""
        if self.quorum_numerator and self.quorum_denominator:
            return "fraction"
        if self.quorum_minimum:
            return "number"
        return ""

    @property
    def has_quorum_rule(self) -> bool:
        return bool(self.quorum_basis or self.quorum_requires_icb or self.quorum_requires_council)

    def quorum_needed(self, voting_members: int) -> int | None:
        """How many voting members make a quorum when the partnership has `voting_members`:
        the fraction rounded up (one third of 42 is 14, half of 9 is 5), or the fixed number.
        Never fewer than one. None when the terms of reference set no number."""
        if self.quorum_basis == "fraction":
            return max(1, -(-voting_members * self.quorum_numerator // self.quorum_denominator))
        if self.quorum_basis == "number":
            return self.quorum_minimum
        return None

    @property
    def quorum_fraction_words(self) -> str:
        """'one third', 'half', '2/5'."""
        if self.quorum_basis != "fraction":
            return ""
        pair = (self.quorum_numerator, self.quorum_denominator)
        return FRACTION_WORDS.get(pair, f"{pair[0]}/{pair[1]}")

    @property
    def quorum_rule_summary(self) -> str:
        """The structured rule in plain English, e.g. 'One third of the voting members
        (rounded up), including an ICB member and a council member; substitutes count'."""
        if not self.has_quorum_rule:
            return ""
        if self.quorum_basis == "fraction":
            words = self.quorum_fraction_words
            number = f"{words} of the voting members" + ("" if words == "all" else " (rounded up)")
        elif self.quorum_basis == "number":
            number = f"{self.quorum_minimum} voting member{'' if self.quorum_minimum == 1 else 's'}"
        else:
            number = "No number of members"
        wanted = (("an ICB member", self.quorum_requires_icb), ("a council member", self.quorum_requires_council))
        required = [name for name, needed in wanted if needed]
        summary = number[0].upper() + number[1:]
        if required:
            summary += f", including {' and '.join(required)}"
        return summary + ("; substitutes count" if self.quorum_substitutes_count else "; substitutes do not count")

    def clean(self):
        from django.core.exceptions import ValidationError

        if (self.quorum_numerator is None) != (self.quorum_denominator is None):
            raise ValidationError({"quorum_denominator": "Give both numbers of the quorum fraction, e.g. 1 and 3."})
        if self.quorum_numerator is not None and not 1 <= self.quorum_numerator <= self.quorum_denominator:
            raise ValidationError({"quorum_numerator": "The quorum fraction must be more than none and at most all."})
        if self.quorum_numerator is not None and self.quorum_minimum is not None:
            raise ValidationError(
                {"quorum_minimum": "The quorum is a fraction of the voting members or a fixed number, not both."}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A partnership cannot be its own parent."})
        if self.parent and self.parent.ics_id != self.ics_id:
            raise ValidationError({"parent": "A sub-partnership must belong to the same system as its parent."})
        if self.kind == self.Kind.STATUTORY_ICP and self.parent_id:
            raise ValidationError({"parent": "The statutory ICP is the top of its system: it has no parent."})
        if self.ended_on and self.established_on and self.ended_on < self.established_on:
            raise ValidationError({"ended_on": "The end date is before the date the partnership was established."})


class ChangeSet(models.Model):
    """One reference-data change, loaded from a file in `reference_data/changes/`: what ends,
    what starts, from when, on what source. Loaded once; its checksum says whether the file
    has been edited since (a loaded change is history: a correction is a new change set)."""

    key = models.SlugField(max_length=100, unique=True, help_text="The file's name without its extension.")
    title = models.CharField(max_length=200)
    effective_on = models.DateField(help_text="The first day of the new arrangements.")
    source = models.TextField(help_text="Where the change is announced.")
    provisional_note = models.TextField(
        "not yet confirmed", blank=True, help_text="What the sources do not yet confirm. Shown publicly."
    )
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "title"]
        verbose_name = "reference data change set"

    def __str__(self):
        return f"{self.title} ({self.effective_on:%-d %B %Y})"


class Succession(models.Model):
    """What became of a body that ended: "formerly part of …" on the successor's page and
    "became …" on the predecessor's. Exactly one pair is set: systems, organisations (ICBs and
    councils) or partnerships. `whole` is false when only part of the predecessor's area went
    to this successor (a boundary change or a split)."""

    change = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="successions")
    from_system = models.ForeignKey(
        IntegratedCareSystem, null=True, blank=True, on_delete=models.CASCADE, related_name="successions"
    )
    to_system = models.ForeignKey(
        IntegratedCareSystem, null=True, blank=True, on_delete=models.CASCADE, related_name="successions_from"
    )
    from_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="successions"
    )
    to_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="successions_from"
    )
    from_partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="successions"
    )
    to_partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="successions_from"
    )
    whole = models.BooleanField(default=True, help_text="All of the predecessor went to this successor.")

    class Meta:
        ordering = ["change__effective_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        from_system__isnull=False,
                        to_system__isnull=False,
                        from_organisation__isnull=True,
                        to_organisation__isnull=True,
                        from_partnership__isnull=True,
                        to_partnership__isnull=True,
                    )
                    | models.Q(
                        from_system__isnull=True,
                        to_system__isnull=True,
                        from_organisation__isnull=False,
                        to_organisation__isnull=False,
                        from_partnership__isnull=True,
                        to_partnership__isnull=True,
                    )
                    | models.Q(
                        from_system__isnull=True,
                        to_system__isnull=True,
                        from_organisation__isnull=True,
                        to_organisation__isnull=True,
                        from_partnership__isnull=False,
                        to_partnership__isnull=False,
                    )
                ),
                name="succession_one_pair",
                violation_error_message="A succession links two systems, two organisations or two partnerships.",
            ),
        ]

    def __str__(self):
        before = self.from_system or self.from_organisation or self.from_partnership
        after = self.to_system or self.to_organisation or self.to_partnership
        return f"{before} → {after} ({'whole' if self.whole else 'part'})"
