"""England's health and care geography, and the bodies that sit on partnerships.

Councils and ICBs are organisations too: `LocalAuthority` and `IntegratedCareBoard`
extend `Organisation` (one record each), so a membership can represent any of them.
Organisations change (ICBs merge, councils reorganise): history is kept with validity
dates and a successor, never by editing a record into something else.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone


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
        return reverse("partnerships:region", kwargs={"slug": self.slug})


class IntegratedCareSystem(models.Model):
    """A partnership of organisations across an area; not itself a legal body.

    Each has exactly one integrated care board (`icb`)."""

    name = models.CharField(max_length=150, unique=True, help_text="The short name, e.g. 'Surrey Heartlands'.")
    slug = models.SlugField(max_length=150, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="systems")
    local_authorities = models.ManyToManyField("LocalAuthority", through="SystemLocalAuthority", related_name="systems")

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:system", kwargs={"slug": self.slug})


class OrganisationQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class Organisation(models.Model):
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

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["sector", "name"])]

    def __str__(self):
        return self.name


class IntegratedCareBoard(Organisation):
    """The statutory NHS body of an integrated care system."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    ods_code = models.CharField("ODS code", max_length=5, unique=True)
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


class SystemLocalAuthority(models.Model):
    """A council's place in a system. A few councils fall in two or three systems;
    `lsoa_share_pct` says how much of the council's area lies in this one."""

    ics = models.ForeignKey(IntegratedCareSystem, on_delete=models.CASCADE, related_name="council_areas")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="system_areas")
    lsoa_share_pct = models.DecimalField("share of the council's area (%)", max_digits=4, decimal_places=1, default=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ics", "local_authority"], name="unique_council_per_system"),
        ]
        ordering = ["local_authority__name"]

    def __str__(self):
        return f"{self.local_authority} in {self.ics}"

    @property
    def is_partial(self) -> bool:
        return self.lsoa_share_pct < 100
