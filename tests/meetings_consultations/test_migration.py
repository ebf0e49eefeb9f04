"""Migration 0016 gives every paper already on the portal its first consideration: the item it
was tabled at, its role read from the item's purpose and its outcome left unrecorded."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.factories import AgendaItemFactory
from meetings.models import Consideration

BEFORE = [("meetings", "0015_attendance_recorded_at")]


@pytest.fixture
def old_apps(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_each_existing_paper_is_considered_at_its_own_item(old_apps):
    for_decision = AgendaItemFactory(purpose="decision")
    for_discussion = AgendaItemFactory(purpose="discussion")
    Paper = old_apps.get_model("meetings", "Paper")
    first = Paper.objects.create(agenda_item_id=for_decision.pk, title="Winter plan")
    second = Paper.objects.create(agenda_item_id=for_decision.pk, title="Winter plan: annex", position=2)
    third = Paper.objects.create(agenda_item_id=for_discussion.pk, title="Draft strategy")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = {c.paper_id: c for c in Consideration.objects.all()}
    assert set(rows) == {first.pk, second.pk, third.pk}
    assert (rows[first.pk].agenda_item_id, rows[first.pk].role) == (for_decision.pk, "decision")
    assert (rows[third.pk].agenda_item_id, rows[third.pk].role) == (for_discussion.pk, "comment")
    assert {c.outcome for c in rows.values()} == {""}
