"""Factories for people and their roles; shared by tests and demo data."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from partnerships.factories import OrganisationFactory, PartnershipFactory

from .models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-test-password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Alex{n}")
    family_name = factory.Sequence(lambda n: f"Example{n}")
    slug = factory.LazyAttribute(lambda o: slugify(f"{o.given_name} {o.family_name}"))
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.org")


def _term_start():
    return timezone.localdate() - dt.timedelta(days=365)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    seat = "Partner member"
    organisation = factory.SubFactory(OrganisationFactory)
    sector = factory.LazyAttribute(lambda o: o.organisation.sector if o.organisation else "other")
    start_date = factory.LazyFunction(_term_start)


class ChairAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairAppointment

    partnership = factory.SubFactory(PartnershipFactory)
    person = factory.SubFactory(PersonFactory)
    role = ChairAppointment.Role.CHAIR
    start_date = factory.LazyFunction(_term_start)


class SecretariatAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretariatAssignment

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(_term_start)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    person = factory.SubFactory(PersonFactory)
    category = Interest.Category.NON_FINANCIAL_PROFESSIONAL
    description = "Trustee of a local carers' charity"
    organisation_name = "Example Carers' Trust"
    declared_on = factory.LazyFunction(timezone.localdate)


class NilReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NilReturn

    person = factory.SubFactory(PersonFactory)
