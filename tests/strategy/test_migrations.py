"""Migrations 0003 to 0005 bring existing rows in line before the database enforces one decision
per version and one current decision per chair: run from the state before them, on rows as the
portal wrote them before."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AuditEvent
from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from membership.factories import PersonFactory, UserFactory
from partnerships.factories import PartnershipFactory
from strategy.models import Approval, StrategyVersion

BEFORE = [("strategy", "0003_approval_person")]


def _at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def old_apps(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_decision_shared_by_two_versions_stays_with_the_one_it_adopted(old_apps):
    partnership = PartnershipFactory()
    meeting = MeetingFactory(
        partnership=partnership, starts_at=_at(dt.date(2024, 12, 10)), ends_at=_at(dt.date(2024, 12, 10)), status="held"
    )
    item = AgendaItemFactory(meeting=meeting, position=1, title="Refreshed strategy")
    decision = DecisionFactory(meeting=meeting, agenda_item=item, reference="SICP/2024/09")
    Strategy = old_apps.get_model("strategy", "Strategy")
    Version = old_apps.get_model("strategy", "StrategyVersion")
    strategy = Strategy.objects.create(partnership_id=partnership.pk)
    common = {"strategy": strategy, "title": "Better health", "adopted_by_decision_id": decision.pk}
    v2 = Version.objects.create(
        number=2,
        status="superseded",
        approved_at=_at(dt.date(2024, 11, 22)),
        published_at=_at(dt.date(2024, 12, 20)),
        **common,
    )
    v3 = Version.objects.create(
        number=3,
        status="published",
        approved_at=_at(dt.date(2026, 3, 2)),
        published_at=_at(dt.date(2026, 3, 20)),
        **common,
    )

    _forward()

    assert StrategyVersion.objects.get(pk=v2.pk).adopted_by_decision_id == decision.pk
    assert StrategyVersion.objects.get(pk=v3.pk).adopted_by_decision_id is None
    event = AuditEvent.objects.get(action="strategy.version.adoption_cleared")
    assert (event.object_id, event.partnership_id, event.actor) == (str(v3.pk), partnership.pk, None)
    assert event.changes["adopted_by_decision"] == ["SICP/2024/09", ""]
    assert event.changes["kept_by_version"] == 2 and "this decision adopted version 2" in event.changes["reason"]


def test_approvals_name_the_person_whose_account_made_them(old_apps):
    partnership = PartnershipFactory()
    Strategy = old_apps.get_model("strategy", "Strategy")
    Version = old_apps.get_model("strategy", "StrategyVersion")
    OldApproval = old_apps.get_model("strategy", "Approval")
    version = Version.objects.create(
        strategy=Strategy.objects.create(partnership_id=partnership.pk), number=1, title="T", status="submitted"
    )
    linked, unlinked = UserFactory(username="linked"), UserFactory(username="unlinked")
    person = PersonFactory(user=linked, honorific="Cllr", given_name="Edwin", family_name="Saltmarsh")
    for user in (linked, unlinked):
        OldApproval.objects.create(
            version_id=version.pk, user_id=user.pk, decision="approved", decided_at=timezone.now()
        )

    _forward()

    assert Approval.objects.get(user=linked).person == person
    orphan = Approval.objects.get(user=unlinked)
    assert orphan.person is None and orphan.approver_name == "A chair no longer on the portal's record"
