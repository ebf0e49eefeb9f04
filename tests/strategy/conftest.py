import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from partnerships.factories import LocalAuthorityFactory, SystemLocalAuthorityFactory
from strategy.factories import PriorityFactory, SectionFactory, StrategyVersionFactory
from strategy.models import Strategy, StrategyVersion
from strategy.services.approval import approval_record, version_submit
from strategy.services.publication import version_publish


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


# Tests can adopt a version only at a meeting that has taken place, and a decision adopts only a
# version approved on or before the day of its meeting: so the chairs' approval is dated this many
# days back (`approve_by_all`), and adopting meetings a week back (`meeting_decision`).
APPROVED_DAYS_AGO = 30


def meeting_decision(
    partnership, *, days_ago=7, reference="", wording="The partnership adopted the strategy.", **fields
):
    """A decision (agreed, unless `status` says otherwise) of a public meeting of `partnership`,
    held `days_ago` days ago, on a non-exempt item."""
    past = timezone.now() - dt.timedelta(days=days_ago)
    meeting = MeetingFactory(
        partnership=partnership, starts_at=past, ends_at=past + dt.timedelta(hours=2), status="held"
    )
    item = AgendaItemFactory(meeting=meeting, position=1, title="Integrated care strategy")
    return DecisionFactory(meeting=meeting, agenda_item=item, reference=reference, wording=wording, **fields)


@pytest.fixture
def adopting_decision(cast):
    """An agreed decision of a public meeting of the cast partnership held a week ago."""
    return meeting_decision(cast.partnership, reference="ICP/2026/7")


def approve_by_all(version, cast):
    """Both co-chairs approve `version`; the approval is then dated `APPROVED_DAYS_AGO` back."""
    for user in (cast.chair, cast.co_chair):
        approval_record(version=version, actor=user, decision="approved")
    StrategyVersion.objects.filter(pk=version.pk, approved_at__isnull=False).update(
        approved_at=F("approved_at") - dt.timedelta(days=APPROVED_DAYS_AGO)
    )
    version.refresh_from_db()
    return version


def publish(version, cast, decision=None, *, submit=True):
    """Submit (unless already), approve by both chairs and publish `version`, adopted by
    `decision` or, by default, a decision of its own."""
    if submit:
        version_submit(version=version, actor=cast.secretariat)
    approve_by_all(version, cast)
    if decision is None:
        decision = meeting_decision(version.strategy.partnership, reference=f"ICP/ADOPT/{version.number}")
    version_publish(version=version, actor=cast.secretariat, decision=decision)
    version.refresh_from_db()
    return version


@pytest.fixture
def other_secretariat(cast):
    """The secretariat of another partnership."""
    from membership.factories import SecretariatAssignmentFactory, UserFactory
    from membership.permissions import permissions_sync

    user = UserFactory(username="other_secretariat")
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=user)
    permissions_sync(cast.other_partnership)
    return user
