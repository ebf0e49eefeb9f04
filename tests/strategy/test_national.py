"""The national-scale generator writes strategies whose record follows the portal's rules: each
published version adopted by its own decision, one that could have adopted it."""

import pytest

from icp_portal.national import Plan, national_generate
from partnerships.factories import IntegratedCareSystemFactory, SystemLocalAuthorityFactory
from strategy.models import StrategyVersion

PLAN = Plan(systems=1, partnerships=2, people=30, meetings=24, years=9, upcoming_per_partnership=2)


@pytest.fixture
def geography(db):
    for _ in range(2):
        ics = IntegratedCareSystemFactory()
        SystemLocalAuthorityFactory(ics=ics)
        SystemLocalAuthorityFactory(ics=ics)


def test_each_generated_version_is_adopted_by_its_own_eligible_decision(geography):
    national_generate(PLAN, seed=11)
    published = list(
        StrategyVersion.objects.public().select_related("strategy__partnership", "adopted_by_decision__meeting")
    )
    assert len(published) >= 2
    adopted = [version for version in published if version.adopted_by_decision_id]
    assert adopted, "the generator should adopt versions by decisions"
    assert len({version.adopted_by_decision_id for version in adopted}) == len(adopted)
    for version in adopted:
        assert version.adoption_problem(version.adopted_by_decision) is None, version
        assert version.adopted_by_decision.meeting.date <= version.published_at.date()
