"""The life of a version: draft → submitted → approved (or changes requested) → published →
superseded; approved and published versions never change; edits start a new draft."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from strategy.factories import EvidenceFactory, OutcomeMeasureFactory
from strategy.models import StrategyVersion
from strategy.services.approval import approval_record, version_submit
from strategy.services.priorities import measure_add, priority_remove
from strategy.services.publication import version_publish
from strategy.services.sections import section_add, section_move, section_remove, section_update
from strategy.services.versions import version_new_draft, version_update

from .conftest import approve_by_all, publish

Status = StrategyVersion.Status


def test_a_draft_goes_through_submission_approval_and_publication(cast, draft, adopting_decision):
    version_submit(version=draft, actor=cast.secretariat)
    assert draft.status == Status.SUBMITTED and draft.first_submitted_at
    approve_by_all(draft, cast)
    assert draft.status == Status.APPROVED and draft.approved_at
    version_publish(version=draft, actor=cast.secretariat, decision=adopting_decision)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at
    assert draft.adopted_by_decision == adopting_decision
    actions = list(AuditEvent.objects.filter(partnership=cast.partnership).values_list("action", flat=True))
    for step in ("submitted", "approved", "published"):
        assert f"strategy.version.{step}" in actions
    assert actions.count("strategy.approval.approved") == 2


def test_publishing_a_new_version_supersedes_the_old_one(cast, draft, adopting_decision):
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    publish(second, cast)
    draft.refresh_from_db()
    assert draft.status == Status.SUPERSEDED and draft.superseded_at
    assert list(StrategyVersion.objects.public().order_by("number")) == [draft, second]


@pytest.mark.parametrize("status", [Status.APPROVED, Status.PUBLISHED])
def test_approved_and_published_versions_refuse_every_change(cast, draft, adopting_decision, status):
    version_submit(version=draft, actor=cast.secretariat)
    approve_by_all(draft, cast)
    if status == Status.PUBLISHED:
        version_publish(version=draft, actor=cast.secretariat, decision=adopting_decision)
    section, priority = draft.sections.get(), draft.priorities.get()
    attempts = [
        lambda: version_update(version=draft, actor=cast.secretariat, title="X", summary="", change_summary=""),
        lambda: section_add(version=draft, actor=cast.secretariat, title="New", body=""),
        lambda: section_update(section=section, actor=cast.secretariat, title="Changed", body="Changed"),
        lambda: section_remove(section=section, actor=cast.secretariat),
        lambda: priority_remove(priority=priority, actor=cast.secretariat),
        lambda: measure_add(priority=priority, actor=cast.secretariat, name="M", baseline="1", target="2"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="can no longer be changed. Start a new draft"):
            attempt()
    section.refresh_from_db()
    assert section.title == "Our population"


def test_a_new_draft_copies_sections_priorities_measures_and_citations(cast, draft, adopting_decision, council):
    evidence = EvidenceFactory(strategy=draft.strategy, local_authority=council)
    section, priority = draft.sections.get(), draft.priorities.get()
    section.evidence.add(evidence)
    priority.evidence.add(evidence)
    priority.local_authorities.add(council)
    OutcomeMeasureFactory(priority=priority, name="Infant mortality")
    publish(draft, cast, adopting_decision)

    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    assert (second.number, second.status, second.based_on) == (2, Status.DRAFT, draft)
    copy = second.sections.get()
    assert (copy.title, copy.body, copy.key) == (section.title, section.body, section.key)
    assert list(copy.evidence.all()) == [evidence]
    copied = second.priorities.get()
    assert copied.key == priority.key and copied.aims == priority.aims
    assert list(copied.local_authorities.all()) == [council]
    assert list(copied.evidence.all()) == [evidence]
    assert [m.name for m in copied.measures.all()] == ["Infant mortality"]
    # Changing the draft leaves the published version as it was.
    section_update(section=copy, actor=cast.secretariat, title="Our people", body="Changed")
    section.refresh_from_db()
    assert section.title == "Our population"


def test_only_one_version_is_open_at_a_time(cast, draft):
    with pytest.raises(ValidationError, match="Version 1 is still draft"):
        version_new_draft(strategy=draft.strategy, actor=cast.secretariat)


def test_a_new_draft_sets_aside_an_approved_version_that_was_never_published(cast, draft):
    version_submit(version=draft, actor=cast.secretariat)
    approve_by_all(draft, cast)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    draft.refresh_from_db()
    assert draft.status == Status.SUPERSEDED and draft.published_at is None
    assert not StrategyVersion.objects.public().exists()
    assert second.number == 2


def test_a_version_needs_a_section_and_a_priority_with_aims_before_submission(cast, draft):
    draft.sections.all().delete()
    priority = draft.priorities.get()
    priority.aims = []
    priority.save()
    with pytest.raises(ValidationError) as error:
        version_submit(version=draft, actor=cast.secretariat)
    assert "Add at least one section." in error.value.messages
    assert "Say which of the four aims “Start well” serves." in error.value.messages
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_changes_requested_need_a_comment_and_send_the_version_back(cast, draft, mailoutbox):
    version_submit(version=draft, actor=cast.secretariat)
    with pytest.raises(ValidationError, match="Say what needs to change"):
        approval_record(version=draft, actor=cast.chair, decision="changes_requested", comment=" ")
    approval_record(version=draft, actor=cast.chair, decision="changes_requested", comment="Say more about housing.")
    draft.refresh_from_db()
    assert draft.status == Status.CHANGES_REQUESTED
    assert AuditEvent.objects.filter(action="strategy.version.changes_requested").exists()
    # The secretariat can submit it again: a new round.
    section_add(version=draft, actor=cast.secretariat, title="Housing and health", body="Homes matter.")
    state = version_submit(version=draft, actor=cast.secretariat)
    assert draft.status == Status.SUBMITTED and state.requests == [] and state.approved == []


def test_sections_move_and_close_gaps_when_removed(cast, draft):
    second = section_add(version=draft, actor=cast.secretariat, title="Second", body="")
    third = section_add(version=draft, actor=cast.secretariat, title="Third", body="")
    section_move(section=third, actor=cast.secretariat, direction="up")
    assert list(draft.sections.values_list("title", flat=True)) == ["Our population", "Third", "Second"]
    section_remove(section=draft.sections.get(title="Our population"), actor=cast.secretariat)
    assert list(draft.sections.values_list("position", "title")) == [(1, "Third"), (2, "Second")]
    assert second.pk
