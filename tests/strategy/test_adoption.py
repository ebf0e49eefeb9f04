"""Which decision can adopt a version: only the partnership's own agreed decision, on the public
record, taken at a meeting held on or after the day the version was approved, and adopting no
other version. The publish form offers only those; the service refuses the rest, saying why;
the database refuses a decision used twice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from membership.factories import ChairAppointmentFactory, PersonFactory, UserFactory
from membership.permissions import permissions_sync
from strategy.models import StrategyVersion
from strategy.selectors import adopting_decisions
from strategy.services.approval import version_submit
from strategy.services.publication import version_publish
from strategy.services.versions import version_new_draft

from .conftest import APPROVED_DAYS_AGO, approve_by_all, meeting_decision, publish

Status = StrategyVersion.Status


@pytest.fixture
def approved(cast, draft):
    """Version 1, approved by both chairs `APPROVED_DAYS_AGO` days ago."""
    version_submit(version=draft, actor=cast.secretariat)
    return approve_by_all(draft, cast)


def _refused(version, cast, decision) -> str:
    with pytest.raises(ValidationError) as refused:
        version_publish(version=version, actor=cast.secretariat, decision=decision)
    version.refresh_from_db()
    assert version.status == Status.APPROVED and version.adopted_by_decision is None
    (message,) = refused.value.message_dict["decision"]
    return message


def _publish_url(version):
    return reverse("strategy:publish", args=[version.strategy.partnership.slug, version.number])


def test_the_decision_that_adopted_one_version_cannot_adopt_the_next(cast, draft, adopting_decision):
    # The finding: publishing version 3 accepted the decision that had adopted version 2, and the
    # public page then said version 3 was adopted at that meeting.
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    version_submit(version=second, actor=cast.secretariat)
    approve_by_all(second, cast)
    assert _refused(second, cast, adopting_decision) == (
        "That decision already adopted version 1: each version is adopted by its own decision. Record the "
        "decision that adopted this version in its meeting's record first."
    )
    assert adopting_decision not in adopting_decisions(cast.partnership, second)


def test_the_database_refuses_a_decision_adopting_two_versions(cast, draft, adopting_decision):
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyVersion.objects.filter(pk=second.pk).update(adopted_by_decision=adopting_decision)


def test_a_decision_taken_before_the_version_was_approved_cannot_adopt_it(cast, approved):
    earlier = meeting_decision(cast.partnership, days_ago=APPROVED_DAYS_AGO + 10, reference="ICP/OLD/1")
    message = _refused(approved, cast, earlier)
    assert message.startswith(f"That decision was taken on {earlier.meeting.date:%-d %B %Y}, before Version 1 was ")
    assert f"approved on {approved.approved_on:%-d %B %Y}: it cannot have adopted this version." in message


def test_a_decision_on_the_day_of_approval_can_adopt_it(cast, approved):
    # Chairs may sign off in the morning of the meeting that adopts it: the rule is by day.
    start = timezone.make_aware(dt.datetime.combine(approved.approved_on, dt.time(0, 1)))
    same_day = meeting_decision(cast.partnership, days_ago=0, reference="ICP/SAME/1")
    same_day.meeting.starts_at, same_day.meeting.ends_at = start, start + dt.timedelta(hours=1)
    same_day.meeting.save(update_fields=["starts_at", "ends_at"])
    version_publish(version=approved, actor=cast.secretariat, decision=same_day)
    approved.refresh_from_db()
    assert approved.status == Status.PUBLISHED and approved.adopted_by_decision == same_day


@pytest.mark.parametrize(
    ("status", "label"), [("noted", "noted"), ("deferred", "deferred"), ("not_agreed", "not agreed")]
)
def test_only_an_agreed_decision_adopts(cast, approved, status, label):
    decision = meeting_decision(cast.partnership, reference="ICP/X/1", status=status)
    assert _refused(approved, cast, decision) == (
        f"That decision is recorded as “{label}”, not agreed: only a decision the partnership agreed (or "
        "agreed with amendments) adopts its strategy."
    )


def test_a_decision_agreed_with_amendments_adopts(cast, approved):
    decision = meeting_decision(cast.partnership, reference="ICP/A/1", status="agreed_amended")
    version_publish(version=approved, actor=cast.secretariat, decision=decision)
    approved.refresh_from_db()
    assert approved.adopted_by_decision == decision


def test_another_partnerships_decision_cannot_adopt_it(cast, approved, other_secretariat):
    # Say another partnership's secretariat, or a slip, offers its own partnership's decision.
    theirs = meeting_decision(cast.other_partnership, reference="OTHER/1")
    assert _refused(approved, cast, theirs) == (
        f"That decision was taken by {cast.other_partnership}, not {cast.partnership}: only the partnership's "
        "own decision adopts its strategy."
    )


def test_a_decision_off_the_public_record_or_of_a_cancelled_meeting_cannot_adopt_it(cast, approved):
    exempt = meeting_decision(cast.partnership, reference="ICP/E/1")
    exempt.agenda_item.is_exempt, exempt.agenda_item.exempt_paragraph = True, 3
    exempt.agenda_item.exempt_reason = "Commercially sensitive."
    exempt.agenda_item.save()
    private = meeting_decision(cast.partnership, reference="ICP/P/1", days_ago=6)
    private.meeting.is_public = False
    private.meeting.save(update_fields=["is_public"])
    future = meeting_decision(cast.partnership, reference="ICP/F/1", days_ago=-7)
    for decision in (exempt, private, future):
        assert _refused(approved, cast, decision).startswith("That decision is not on the public record")
    cancelled = meeting_decision(cast.partnership, reference="ICP/C/1", days_ago=5)
    cancelled.meeting.status, cancelled.meeting.notice = "cancelled", "Not quorate."
    cancelled.meeting.save(update_fields=["status", "notice"])
    assert "was cancelled: choose a decision of a meeting that took place." in _refused(approved, cast, cancelled)


def test_the_form_offers_only_decisions_that_can_adopt_the_version(client, cast, draft, adopting_decision):
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    version_submit(version=second, actor=cast.secretariat)
    approve_by_all(second, cast)
    good = meeting_decision(cast.partnership, reference="ICP/GOOD/1", days_ago=3)
    refused = {
        "used": adopting_decision,
        "before approval": meeting_decision(cast.partnership, reference="ICP/OLD/1", days_ago=APPROVED_DAYS_AGO + 5),
        "deferred": meeting_decision(cast.partnership, reference="ICP/DEF/1", status="deferred"),
        "another partnership": meeting_decision(cast.other_partnership, reference="ICP/OTHER/1"),
    }
    client.force_login(cast.secretariat)
    page = client.get(_publish_url(second)).content.decode()
    assert "ICP/GOOD/1" in page
    for decision in refused.values():
        assert decision.reference not in page
    for reason, decision in refused.items():
        response = client.post(_publish_url(second), {"decision": decision.pk})
        assert response.status_code == 200, reason
        assert "Choose one of the decisions listed" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Status.APPROVED
    assert client.post(_publish_url(second), {"decision": good.pk}).status_code == 302
    second.refresh_from_db()
    assert second.status == Status.PUBLISHED and second.adopted_by_decision == good


def test_the_form_and_the_service_agree_on_every_decision(cast, draft, adopting_decision):
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    version_submit(version=second, actor=cast.secretariat)
    approve_by_all(second, cast)
    decisions = [adopting_decision]
    for days_ago in (APPROVED_DAYS_AGO + 1, APPROVED_DAYS_AGO, APPROVED_DAYS_AGO - 1, 2, -2):
        for status in ("agreed", "agreed_amended", "noted"):
            decisions.append(
                meeting_decision(cast.partnership, days_ago=days_ago, reference=f"R/{days_ago}/{status}", status=status)
            )
    decisions.append(meeting_decision(cast.other_partnership, reference="R/other"))
    offered = set(adopting_decisions(cast.partnership, second))
    for decision in decisions:
        assert (decision in offered) == (second.adoption_problem(decision) is None), decision.reference
    assert offered  # some can, some cannot


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("other_secretariat", 403),
        ("chair", 403),
        ("co_chair", 403),
        ("member", 403),
        (None, 302),
    ],
)
def test_only_the_partnerships_secretariat_publishes(
    client, cast, approved, adopting_decision, other_secretariat, who, status
):
    if who:
        client.force_login(other_secretariat if who == "other_secretariat" else getattr(cast, who))
    assert client.get(_publish_url(approved)).status_code == status
    response = client.post(_publish_url(approved), {"decision": adopting_decision.pk})
    assert response.status_code == (302 if status == 200 else status)
    approved.refresh_from_db()
    assert approved.status == (Status.PUBLISHED if status == 200 else Status.APPROVED)


def test_a_chair_of_another_partnership_with_its_own_decision_changes_nothing(cast, approved):
    outsider = UserFactory(username="other_chair")
    ChairAppointmentFactory(partnership=cast.other_partnership, person=PersonFactory(user=outsider), role="chair")
    permissions_sync(cast.other_partnership)
    theirs = meeting_decision(cast.other_partnership, reference="OTHER/9")
    with pytest.raises(ValidationError, match="only the partnership's own decision adopts its strategy"):
        version_publish(version=approved, actor=outsider, decision=theirs)


def test_a_decision_recorded_without_a_quorum_cannot_adopt_it(cast, approved):
    decision = meeting_decision(cast.partnership, reference="ICP/Q/1")
    decision.inquorate = True
    decision.save(update_fields=["inquorate"])
    assert "recorded without a quorum" in _refused(approved, cast, decision)
    assert decision not in adopting_decisions(cast.partnership, approved)
