"""Factories for the integrated care strategy; shared by tests and demo data."""

import datetime as dt

import factory
from django.db.models import Max
from django.utils import timezone

from partnerships.factories import LocalAuthorityFactory, PartnershipFactory

from .models import (
    Aim,
    Approval,
    EngagementActivity,
    Evidence,
    OutcomeMeasure,
    Priority,
    Section,
    Strategy,
    StrategyVersion,
)


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ("partnership",)

    partnership = factory.SubFactory(PartnershipFactory)


def _next_number(version) -> int:
    return (version.strategy.versions.aggregate(top=Max("number"))["top"] or 0) + 1


class StrategyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyVersion

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.LazyAttribute(_next_number)
    title = "Better health and wellbeing for everyone"
    summary = "How the partners will work together to improve health and wellbeing across the area."
    status = StrategyVersion.Status.DRAFT


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(StrategyVersionFactory)
    position = factory.LazyAttribute(lambda o: (o.version.sections.aggregate(top=Max("position"))["top"] or 0) + 1)
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "## Our population\n\nPeople here live shorter lives than the average for England.\n\n- One\n- Two"


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    version = factory.SubFactory(StrategyVersionFactory)
    position = factory.LazyAttribute(lambda o: (o.version.priorities.aggregate(top=Max("position"))["top"] or 0) + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")
    summary = "Partners will act together on this."
    aims = factory.LazyFunction(lambda: [Aim.OUTCOMES, Aim.INEQUALITIES])
    theme = Priority.Theme.LIVE_WELL


class OutcomeMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeMeasure

    priority = factory.SubFactory(PriorityFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = "Healthy life expectancy at birth"
    baseline = "58.9 years"
    baseline_period = "2018 to 2020"
    target = "61 years"
    target_date = "2030"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    strategy = factory.SubFactory(StrategyFactory)
    kind = Evidence.Kind.JSNA
    title = factory.Sequence(lambda n: f"Joint strategic needs assessment {n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    published_on = dt.date(2023, 4, 1)
    url = "https://www.example.gov.uk/jsna"


class EngagementActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementActivity

    version = factory.SubFactory(StrategyVersionFactory)
    title = factory.Sequence(lambda n: f"Community conversations {n}")
    audiences = factory.LazyFunction(lambda: [EngagementActivity.Audience.HEALTHWATCH])
    started_on = dt.date(2023, 1, 9)
    method = "Listening events in community venues"
    participants = 120
    heard = "People want help earlier, closer to home."
    response = "We made prevention in neighbourhoods a priority."


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    version = factory.SubFactory(StrategyVersionFactory)
    user = factory.SubFactory("membership.factories.UserFactory")
    decision = Approval.Verdict.APPROVED
    decided_at = factory.LazyFunction(timezone.now)
