"""Decisions and actions; open actions roll forward to later meetings' action logs."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import record_services as services
from meetings.factories import ActionFactory, DecisionFactory, MinutesFactory
from meetings.models import Action
from meetings.record import actions_carried_forward

from .conftest import meeting_on


def test_open_actions_roll_forward_to_later_meetings(board):
    earliest = meeting_on(board.partnership, -90)
    open_one = ActionFactory(meeting=earliest, description="Report on falls prevention")
    in_progress = ActionFactory(meeting=board.meeting, status=Action.Status.IN_PROGRESS)
    done = ActionFactory(meeting=earliest, status=Action.Status.DONE)  # closed, with no dated update
    raised_later = ActionFactory(meeting=board.later)

    carried = list(actions_carried_forward(board.later))
    assert open_one in carried and in_progress in carried
    assert done not in carried and raised_later not in carried
    assert list(actions_carried_forward(board.meeting)) == [open_one]


def test_an_action_closed_after_a_meeting_was_open_at_it(board):
    action = services.action_record(
        meeting=board.meeting,
        description="Publish the engagement report",
        owner_organisation=board.seats.icb.organisation,
        actor=board.secretariat,
    )
    services.action_add_update(
        action=action, text="Published.", status=Action.Status.DONE, written_on=timezone.localdate(), actor=None
    )
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action in actions_carried_forward(board.later)  # closed today, after yesterday's meeting
    next_meeting = meeting_on(board.partnership, 30)
    assert action not in actions_carried_forward(next_meeting)


def test_other_partnerships_actions_do_not_roll_forward(board, cast):
    ActionFactory(meeting=meeting_on(cast.other_partnership, -60))
    assert list(actions_carried_forward(board.later)) == []


def test_action_needs_an_owner_and_a_sensible_due_date(board):
    with pytest.raises(services.RecordError, match="owner"):
        services.action_record(meeting=board.meeting, description="Do it", actor=None)
    with pytest.raises(services.RecordError, match="due date is before"):
        services.action_record(
            meeting=board.meeting,
            description="Do it",
            owner_person=board.seats.icb.person,
            due_date=board.meeting.date - dt.timedelta(days=1),
            actor=None,
        )
    with pytest.raises(services.RecordError, match="has not started"):
        services.action_record(
            meeting=meeting_on(board.partnership, 5),
            description="Do it",
            owner_person=board.seats.icb.person,
            actor=None,
        )


def test_updates_cannot_be_dated_in_the_future(board):
    action = ActionFactory(meeting=board.meeting)
    with pytest.raises(services.RecordError, match="future"):
        services.action_add_update(
            action=action,
            text="Soon",
            status="open",
            written_on=timezone.localdate() + dt.timedelta(days=1),
            actor=None,
        )


def test_decision_references_are_unique_in_the_partnership(board):
    services.decision_record(
        meeting=board.meeting, wording="Agreed the strategy.", status="agreed", reference="ICP/1", actor=None
    )
    with pytest.raises(services.RecordError, match="already used"):
        services.decision_record(
            meeting=board.later, wording="Something else.", status="agreed", reference="icp/1", actor=None
        )


def test_decisions_are_recorded_only_once_the_meeting_has_begun(board):
    with pytest.raises(services.RecordError, match="has not started"):
        services.decision_record(
            meeting=meeting_on(board.partnership, 3), wording="Agreed.", status="agreed", actor=None
        )


def test_the_approval_decision_is_not_changed(board):
    decision = DecisionFactory(meeting=board.later)
    MinutesFactory(
        meeting=board.meeting, status="approved", approval_decision=decision, approved_at_meeting=board.later
    )
    with pytest.raises(services.RecordError, match="cannot be changed"):
        services.decision_update(decision=decision, wording="Changed", status="agreed", actor=None)
