"""The quorum: voting members present (substitutes for the member they replace) against the
partnership's minimum, with the ICB and a council when its rule requires them."""

import datetime as dt

from meetings.factories import AttendanceFactory
from meetings.models import Attendance
from meetings.record import quorum_for
from membership.factories import PersonFactory


def attend(meeting, membership, status=Attendance.Status.PRESENT, **kwargs):
    return AttendanceFactory(meeting=meeting, person=membership.person, status=status, **kwargs)


def test_quorate_with_icb_and_council(board):
    for name in ("icb", "council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert quorum.met is True
    assert quorum.present == 3
    assert quorum.explanation == "Quorate: 3 voting members present of 3 needed, including the ICB and a council"


def test_too_few_voting_members(board):
    attend(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    quorum = quorum_for(board.meeting)
    assert quorum.met is False
    assert quorum.explanation == "Not quorate: 2 voting members present of 3 needed"


def test_missing_icb_is_not_quorate_however_many_attend(board):
    for name in ("council", "council2", "healthwatch", "vcse"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert quorum.met is False
    assert quorum.has_council and not quorum.has_icb
    assert quorum.explanation == "Not quorate: 4 voting members present of 3 needed, but none for the ICB"


def test_missing_both_and_too_few(board):
    attend(board.meeting, board.seats.healthwatch)
    quorum = quorum_for(board.meeting)
    assert quorum.explanation == ("Not quorate: 1 voting member present of 3 needed, and none for the ICB or a council")


def test_a_substitute_counts_for_the_member_they_replace(board):
    attend(board.meeting, board.seats.icb, Attendance.Status.APOLOGIES)
    AttendanceFactory(
        meeting=board.meeting,
        person=PersonFactory(),
        status=Attendance.Status.SUBSTITUTE,
        substitute_for=board.seats.icb.person,
    )
    attend(board.meeting, board.seats.council)
    attend(board.meeting, board.seats.vcse)
    quorum = quorum_for(board.meeting)
    assert quorum.met is True
    assert quorum.substitutes == 1
    assert quorum.has_icb  # through the substitute
    assert quorum.explanation == (
        "Quorate: 3 voting members present (including 1 substitute) of 3 needed, including the ICB and a council"
    )


def test_non_voting_members_and_people_in_attendance_do_not_count(board):
    attend(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    attend(board.meeting, board.seats.adviser)  # non-voting
    AttendanceFactory(meeting=board.meeting, person=PersonFactory(), status=Attendance.Status.IN_ATTENDANCE)
    # A substitute for a non-voting member does not count either.
    AttendanceFactory(
        meeting=board.meeting,
        person=PersonFactory(),
        status=Attendance.Status.SUBSTITUTE,
        substitute_for=board.seats.adviser.person,
    )
    quorum = quorum_for(board.meeting)
    assert quorum.present == 2
    assert quorum.met is False


def test_a_member_whose_term_ended_before_the_meeting_does_not_count(board):
    board.seats.healthwatch.end_date = board.meeting.date - dt.timedelta(days=1)
    board.seats.healthwatch.save()
    for name in ("icb", "council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    assert quorum_for(board.meeting).present == 2


def test_a_member_counted_once_even_if_also_substituted(board):
    attend(board.meeting, board.seats.icb)
    AttendanceFactory(
        meeting=board.meeting,
        person=PersonFactory(),
        status=Attendance.Status.SUBSTITUTE,
        substitute_for=board.seats.icb.person,
    )
    assert quorum_for(board.meeting).present == 1


def test_no_attendance_recorded(board):
    quorum = quorum_for(board.meeting)
    assert quorum.met is None
    assert quorum.label == "Quorum not assessed"
    assert "Attendance has not been recorded" in quorum.explanation


def test_no_quorum_rule(board):
    partnership = board.partnership
    partnership.quorum_minimum = None
    partnership.quorum_requires_icb = partnership.quorum_requires_council = False
    partnership.save()
    attend(board.meeting, board.seats.icb)
    quorum = quorum_for(board.meeting)
    assert quorum.met is None
    assert quorum.explanation == (
        "1 voting member present. The partnership has not recorded a quorum in its terms of reference."
    )


def test_only_a_number_required(board):
    partnership = board.partnership
    partnership.quorum_requires_icb = partnership.quorum_requires_council = False
    partnership.save()
    for name in ("healthwatch", "vcse", "council2"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert quorum.met is True
    assert quorum.explanation == "Quorate: 3 voting members present of 3 needed"
