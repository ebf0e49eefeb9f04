"""`strategy.demo.build()`: NENC's strategy with two published versions and one awaiting a
co-chair, and Devon's and Greater Manchester's focused priorities; a second run adds nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from publishing.models import PublishedDocument
from strategy import demo
from strategy.models import Strategy, StrategyVersion
from strategy.selectors import approval_state
from strategy.services.approval import approval_record

STRATEGIC = "north-east-and-north-cumbria-strategic-icp"


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo_data(settings, db, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    call_command("load_reference_data", stdout=StringIO())
    # load_demo builds the strategy demo too; its PDFs are built on commit.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_builds_nenc_devon_and_greater_manchester_and_a_second_run_adds_nothing(client, demo_data):
    assert StrategyVersion.objects.count() == 5
    before = _counts()
    assert demo.build() == {}
    assert _counts() == before

    strategy = Strategy.objects.get(partnership__slug=STRATEGIC)
    versions = {v.number: v.status for v in strategy.versions.all()}
    assert versions == {1: "superseded", 2: "published", 3: "submitted"}
    assert strategy.review_due and "Westmorland and Furness" in strategy.review_reason
    assert strategy.evidence.filter(kind="jsna").count() == 15  # a JSNA for each of 14 councils, and a newer one
    assert PublishedDocument.objects.filter(kind="strategy", status="done").count() == 4

    page = client.get(reverse("strategy:public", args=[STRATEGIC])).content.decode()
    assert "Ageing well" in page and "listening events" in page and "Demonstration content" in page
    assert client.get(reverse("strategy:public_version", args=[STRATEGIC, 3])).status_code == 404
    compare = client.get(reverse("strategy:public_compare", args=[STRATEGIC])).content.decode()
    assert "Housing and health" in compare

    for slug, topic in (("devon-icp", "SEND"), ("greater-manchester-icp", "Falls Collaborative")):
        assert topic in client.get(reverse("strategy:public", args=[slug])).content.decode()


def test_the_demo_chair_approves_the_pending_version_but_the_council_co_chair_has_no_account(demo_data):
    from django.contrib.auth import get_user_model

    version = StrategyVersion.objects.get(strategy__partnership__slug=STRATEGIC, number=3)
    chair = get_user_model().objects.get(username="chair")
    state = approval_state(version)
    assert [approver.listed for approver in state.waiting] == [
        "Prof Ada Fellside (co-chair)",
        "Cllr Edwin Saltmarsh (co-chair)",
    ]
    assert state.blockers == [
        "Cllr Edwin Saltmarsh, co-chair, has no sign-in account: invite them to sign in from their page in the "
        "workspace (Invite to sign in)."
    ]
    approval_record(version=version, actor=chair, decision="approved")
    version.refresh_from_db()
    assert version.status == "submitted"  # the NHS co-chair does not approve the joint strategy alone


def test_the_demo_record_follows_the_rules(demo_data):
    """Each published version adopted by its own agreed decision, of a meeting held on or after
    its approval; each approved version approved by every chair and co-chair in post that day."""
    from membership.models import ChairAppointment

    published = StrategyVersion.objects.public().select_related("adopted_by_decision__meeting", "strategy")
    assert published.count() == 4
    decisions = [version.adopted_by_decision for version in published]
    assert all(decisions) and len(set(decisions)) == len(decisions)
    for version in published:
        assert version.adoption_problem(version.adopted_by_decision) is None, version
        version.full_clean()
        approvers = {a.person_id for a in version.approvals.filter(voided_at__isnull=True, decision="approved")}
        in_post = set(
            ChairAppointment.objects.current(version.approved_on)
            .filter(partnership=version.strategy.partnership, role__in=["chair", "co_chair"])
            .values_list("person_id", flat=True)
        )
        assert approvers == in_post, version


def test_the_demo_builds_what_it_needs_without_the_reference_data(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = demo.build()
    assert created["strategy versions"] == 3
    strategy = Strategy.objects.get(partnership__slug=STRATEGIC)
    assert strategy.versions.count() == 3
    assert not strategy.evidence.exists()  # no councils to draw on without the reference data
