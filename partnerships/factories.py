"""Factories for the geography and partner organisations; shared by tests and demo data."""

import factory
from django.utils.text import slugify

from .models import (
    IntegratedCareBoard,
    IntegratedCareSystem,
    LocalAuthority,
    Organisation,
    Partnership,
    Region,
    SystemLocalAuthority,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("ons_code",)

    ons_code = factory.Sequence(lambda n: f"E4090{n:04d}")
    name = factory.Sequence(lambda n: f"Test Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class IntegratedCareSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegratedCareSystem
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test System {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = factory.SubFactory(RegionFactory)
    icb = factory.RelatedFactory(
        "partnerships.factories.IntegratedCareBoardFactory",
        factory_related_name="ics",
        name=factory.LazyAttribute(lambda o: f"NHS {o.factory_parent.name} Integrated Care Board"),
    )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    sector = Organisation.Sector.VCSE


class IntegratedCareBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegratedCareBoard

    name = factory.Sequence(lambda n: f"NHS Test Integrated Care Board {n}")
    sector = Organisation.Sector.ICB
    ons_code = factory.Sequence(lambda n: f"E5490{n:04d}")
    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    website = "https://icb.example.nhs.uk/"
    ics = factory.SubFactory(IntegratedCareSystemFactory, icb=None)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    name = factory.Sequence(lambda n: f"Test Borough Council {n}")
    sector = Organisation.Sector.LOCAL_AUTHORITY
    ons_code = factory.Sequence(lambda n: f"E0690{n:04d}")
    la_type = LocalAuthority.Type.UNITARY


class SystemLocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemLocalAuthority

    ics = factory.SubFactory(IntegratedCareSystemFactory)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    lsoa_share_pct = 100


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    ics = factory.SubFactory(IntegratedCareSystemFactory)
    name = factory.LazyAttribute(lambda o: f"{o.ics.name} Integrated Care Partnership")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Partnership.Kind.STATUTORY_ICP
    purpose = "To prepare the integrated care strategy for the population of the system."
    quorum_rule = "A third of voting members"
    quorum_numerator = 1
    quorum_denominator = 3
    contact_email = "icp@example.org"
