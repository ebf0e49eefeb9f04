import datetime as dt

import pytest
from django.utils import timezone

from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from partnerships.factories import LocalAuthorityFactory, SystemLocalAuthorityFactory
from strategy import services
from strategy.factories import PriorityFactory, SectionFactory, StrategyVersionFactory
from strategy.models import Strategy


@pytest.fixture
def council(cast):
    """A council in the cast partnership's system, with a health and wellbeing board."""
    from partnerships.models import HealthAndWellbeingBoard

    council = LocalAuthorityFactory(name="Hartlepool Borough Council")
    SystemLocalAuthorityFactory(ics=cast.partnership.ics, local_authority=council)
    HealthAndWellbeingBoard.objects.create(local_authority=council, name="Hartlepool Health and Wellbeing Board")
    return council


@pytest.fixture
def draft(cast):
    """Version 1 of the cast partnership's strategy: a draft with a section and a priority."""
    version = StrategyVersionFactory(strategy=Strategy.objects.create(partnership=cast.partnership))
    SectionFactory(version=version, title="Our population", body="People here live shorter lives.")
    PriorityFactory(version=version, title="Start well", theme="start_well")
    return version


@pytest.fixture
def adopting_decision(cast):
    """An agreed decision of a public meeting of the cast partnership that has taken place."""
    past = timezone.now() - dt.timedelta(days=7)
    meeting = MeetingFactory(
        partnership=cast.partnership, starts_at=past, ends_at=past + dt.timedelta(hours=2), status="held"
    )
    item = AgendaItemFactory(meeting=meeting, position=1, title="Integrated care strategy")
    return DecisionFactory(
        meeting=meeting, agenda_item=item, reference="ICP/2026/7", wording="The partnership adopted the strategy."
    )


def approve_by_all(version, cast):
    for user in (cast.chair, cast.co_chair):
        services.approval_record(version=version, actor=user, decision="approved")
    version.refresh_from_db()
    return version


def publish(version, cast, decision, *, submit=True):
    """Submit (unless already), approve by both chairs and publish `version`."""
    if submit:
        services.version_submit(version=version, actor=cast.secretariat)
    approve_by_all(version, cast)
    services.version_publish(version=version, actor=cast.secretariat, decision=decision)
    version.refresh_from_db()
    return version
