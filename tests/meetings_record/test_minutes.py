"""The minutes cycle: draft after the meeting, publish the draft, approve at a later meeting
(which records that meeting's decision), corrections as new versions."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from meetings import record_services as services
from meetings.factories import MeetingFactory
from meetings.models import AgendaItem, Decision, Minutes
from meetings.record import public_record

from .conftest import meeting_on, quorate


@pytest.fixture(autouse=True)
def _later_meeting_is_quorate(board):
    """The meeting that approves the minutes has its attendance recorded, with a quorum (the
    quorum rules themselves are tested in test_quorum_rules.py)."""
    quorate(board, board.later)


def write_draft(board, text="The partnership discussed the refresh of the strategy."):
    minutes = services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)
    services.minutes_update_entry(
        minutes=minutes,
        agenda_item=board.items.strategy,
        discussion=text,
        resolutions="Agreed.",
        actor=board.secretariat,
    )
    return minutes


def test_draft_has_an_empty_minute_per_item_and_is_audited(board):
    minutes = services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)
    assert minutes.version == 1 and minutes.status == Minutes.Status.DRAFT
    assert minutes.entries.count() == 3
    assert AuditEvent.objects.filter(action="meetings.minutes.drafted", object_id=str(minutes.pk)).exists()


def test_minutes_are_not_drafted_before_the_meeting(board):
    upcoming = meeting_on(board.partnership, 10)
    with pytest.raises(services.RecordError, match="has not started yet"):
        services.minutes_start_draft(meeting=upcoming, actor=board.secretariat)


def test_a_second_draft_is_refused(board):
    services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)
    with pytest.raises(services.RecordError, match="exist already"):
        services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)


def test_an_empty_draft_is_not_published(board):
    minutes = services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)
    with pytest.raises(services.RecordError, match="empty"):
        services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)


def test_unpublished_draft_is_never_public(board):
    write_draft(board, "Unpublished words about the strategy.")
    record = public_record(board.meeting)
    assert record.minutes is None
    assert not any(item.entry for item in record.items)


def test_published_draft_is_public_and_labelled_draft(board):
    minutes = write_draft(board)
    services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    record = public_record(board.meeting)
    assert record.minutes == minutes and record.minutes_are_draft
    strategy = next(i for i in record.items if i.number == 3)
    assert strategy.entry.discussion.startswith("The partnership discussed")
    with pytest.raises(services.RecordError, match="published on"):
        services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)


def test_approval_needs_a_published_draft(board):
    minutes = write_draft(board)
    with pytest.raises(services.RecordError, match="Publish the draft"):
        services.minutes_approve(minutes=minutes, approving_meeting=board.later, actor=board.secretariat)


def test_approval_at_the_next_meeting_records_its_decision(board):
    minutes = write_draft(board)
    services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    decision = services.minutes_approve(
        minutes=minutes, approving_meeting=board.later, reference="ICP/26/01", actor=board.secretariat
    )
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_meeting == board.later
    assert minutes.approval_decision == decision
    assert decision.meeting == board.later
    assert decision.agenda_item == board.later_items.minutes  # the "Minutes of the last meeting" item
    held_on = f"{board.meeting.date:%-d %B %Y}"
    assert decision.wording == f"The minutes of the meeting held on {held_on} were approved as a correct record."
    assert decision.reference == "ICP/26/01"
    event = AuditEvent.objects.get(action="meetings.minutes.approved")
    assert event.actor == board.secretariat and event.partnership == board.partnership


@pytest.mark.parametrize("when", ["earlier", "same"])
def test_approval_at_an_earlier_or_the_same_meeting_is_refused(board, when):
    minutes = write_draft(board)
    services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    approving = board.meeting if when == "same" else meeting_on(board.partnership, -60)
    with pytest.raises(services.RecordError, match="later meeting"):
        services.minutes_approve(minutes=minutes, approving_meeting=approving, actor=board.secretariat)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert not Decision.objects.exists()


def test_approval_at_another_partnerships_or_a_future_meeting_is_refused(board, cast):
    minutes = write_draft(board)
    services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    with pytest.raises(services.RecordError, match="same partnership"):
        services.minutes_approve(
            minutes=minutes, approving_meeting=meeting_on(cast.other_partnership, -1), actor=board.secretariat
        )
    with pytest.raises(services.RecordError, match="has not taken place yet"):
        services.minutes_approve(
            minutes=minutes, approving_meeting=meeting_on(board.partnership, 20), actor=board.secretariat
        )


def approved(board):
    minutes = write_draft(board, "The partnership discussed the refresh of the strategy.")
    services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    services.minutes_approve(minutes=minutes, approving_meeting=board.later, actor=board.secretariat)
    minutes.refresh_from_db()
    return minutes


def test_approved_minutes_replace_the_draft_publicly(board):
    minutes = approved(board)
    record = public_record(board.meeting)
    assert record.minutes == minutes and record.minutes_are_approved
    assert record.minutes.approved_at_meeting == board.later


def test_approved_minutes_cannot_be_edited_or_published_again(board):
    minutes = approved(board)
    with pytest.raises(services.RecordError, match="approved as a correct record and cannot be changed"):
        services.minutes_update_entry(
            minutes=minutes, agenda_item=board.items.strategy, discussion="Rewritten", resolutions="", actor=None
        )
    with pytest.raises(services.RecordError, match="approved already"):
        services.minutes_approve(minutes=minutes, approving_meeting=board.later, actor=board.secretariat)
    assert minutes.entries.get(agenda_item=board.items.strategy).discussion.startswith("The partnership discussed")


def test_a_correction_is_a_new_version_that_supersedes_once_approved(board):
    original = approved(board)
    with pytest.raises(services.RecordError, match="reason"):
        services.minutes_correct(minutes=original, reason="  ", actor=board.secretariat)
    correction = services.minutes_correct(
        minutes=original, reason="Cllr Patel's apologies were omitted.", actor=board.secretariat
    )
    assert correction.version == 2 and correction.status == Minutes.Status.DRAFT
    assert correction.entries.get(agenda_item=board.items.strategy).discussion.startswith("The partnership")
    with pytest.raises(services.RecordError, match="already in draft"):
        services.minutes_correct(minutes=original, reason="Another", actor=board.secretariat)

    services.minutes_update_entry(
        minutes=correction,
        agenda_item=board.items.strategy,
        discussion="The partnership discussed the refresh, with corrections.",
        resolutions="Agreed.",
        actor=board.secretariat,
    )
    services.minutes_publish_draft(minutes=correction, actor=board.secretariat)
    # Until it is approved, the approved version stays the public record.
    record = public_record(board.meeting)
    assert record.minutes == original and record.correction_pending

    third = quorate(
        board, MeetingFactory(partnership=board.partnership, starts_at=timezone.now() - dt.timedelta(hours=1))
    )
    decision = services.minutes_approve(minutes=correction, approving_meeting=third, actor=board.secretariat)
    assert "corrected minutes (version 2)" in decision.wording
    original.refresh_from_db()
    correction.refresh_from_db()
    assert original.status == Minutes.Status.SUPERSEDED
    assert correction.status == Minutes.Status.APPROVED
    record = public_record(board.meeting)
    assert record.minutes == correction and not record.correction_pending
    assert board.meeting.minutes_versions.count() == 2  # all versions kept


def test_approval_uses_no_item_when_the_agenda_has_none(board):
    board.later_items.minutes.standard = ""
    board.later_items.minutes.save()
    minutes = write_draft(board)
    services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    decision = services.minutes_approve(minutes=minutes, approving_meeting=board.later, actor=board.secretariat)
    assert decision.agenda_item is None
    assert AgendaItem.objects.filter(meeting=board.later).count() == 2
