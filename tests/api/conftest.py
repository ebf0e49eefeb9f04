import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from meetings.factories import ActionFactory, AgendaItemFactory, DecisionFactory, MeetingFactory, PaperFactory
from membership.factories import ChairAppointmentFactory, MembershipFactory, PersonFactory
from partnerships.factories import LocalAuthorityFactory, PartnershipFactory, SystemLocalAuthorityFactory
from partnerships.models import Partnership
from strategy.factories import OutcomeMeasureFactory, PriorityFactory, SectionFactory, StrategyVersionFactory
from strategy.models import Strategy, StrategyVersion


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts():
    """The rate limit counts in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


def days_from_now(days: int, hour: int = 14):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def record(db):
    """One statutory ICP with a sub-partnership and a wound-up partnership; a council; people
    with seats and a chair; a public meeting held last month (a public item with a paper and
    a restricted paper, an exempt item with a paper, decisions and actions on both), a private
    session, a meeting whose agenda is unpublished; the strategy, published and in draft."""
    icp = PartnershipFactory()
    area = PartnershipFactory(ics=icp.ics, kind=Partnership.Kind.AREA, parent=icp, name="North Area ICP", slug="north")
    ended = PartnershipFactory(
        ended_on=timezone.localdate() - dt.timedelta(days=1), name="Old forum", slug="old-forum", kind="assembly"
    )
    council = LocalAuthorityFactory()
    SystemLocalAuthorityFactory(ics=icp.ics, local_authority=council)
    person = PersonFactory(email="pat.private@example.org", phone="07700 900123")
    membership = MembershipFactory(partnership=icp, person=person, seat="Director of Public Health")
    chair = ChairAppointmentFactory(partnership=icp)
    nobody = PersonFactory()  # no seat anywhere: no public record in the API
    ended_member = MembershipFactory(partnership=ended)

    held = MeetingFactory(partnership=icp, title="Board in public", starts_at=days_from_now(-30), status="held")
    held.agenda_published_at = days_from_now(-40)
    held.save()
    public_item = AgendaItemFactory(meeting=held, position=1, title="Winter plan", presenter="Director of Finance")
    paper = PaperFactory(agenda_item=public_item, title="Winter plan report")
    restricted = PaperFactory(agenda_item=public_item, title="Appendix naming patients", restricted=True)
    exempt_item = AgendaItemFactory(
        meeting=held,
        position=2,
        title="Contract award",
        exempt=True,
        presenter="Secret presenter",
        exempt_reason="Secret reason",
    )
    exempt_paper = PaperFactory(agenda_item=exempt_item, title="Secret tender scores")
    decision = DecisionFactory(meeting=held, agenda_item=public_item, wording="The winter plan was agreed.")
    exempt_decision = DecisionFactory(meeting=held, agenda_item=exempt_item, wording="Secret award decision")
    action = ActionFactory(meeting=held, agenda_item=public_item, description="Report on winter progress.")
    exempt_action = ActionFactory(meeting=held, agenda_item=exempt_item, description="Secret negotiation action")

    private = MeetingFactory(partnership=icp, title="Secret away day", is_public=False, starts_at=days_from_now(-20))
    private.agenda_published_at = days_from_now(-25)
    private.save()
    private_item = AgendaItemFactory(meeting=private, position=1, title="Secret private item")
    DecisionFactory(meeting=private, agenda_item=private_item, wording="Secret private decision")
    unpublished = MeetingFactory(partnership=icp, title="Next board", starts_at=days_from_now(30))
    unpublished_item = AgendaItemFactory(meeting=unpublished, position=1, title="Secret unpublished item")
    area_meeting = MeetingFactory(partnership=area, title="Area meeting", starts_at=days_from_now(-5))
    ended_meeting = MeetingFactory(partnership=ended, title="Forum meeting", starts_at=days_from_now(-50))

    strategy = Strategy.objects.create(partnership=icp)
    published = StrategyVersionFactory(
        strategy=strategy,
        status=StrategyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        adopted_by_decision=decision,
    )
    SectionFactory(version=published, title="Our population")
    priority = PriorityFactory(version=published, title="Start well")
    OutcomeMeasureFactory(priority=priority)
    draft = StrategyVersionFactory(strategy=strategy, title="Secret draft strategy")
    draft_priority = PriorityFactory(version=draft, title="Secret draft priority")
    return SimpleNamespace(**locals())
