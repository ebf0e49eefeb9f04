"""The quorum engine, by hand-worked cases.

The board (conftest) has six voting members on the day (ICB, two councils, Healthwatch, VCSE
and the cast's member), a non-voting adviser, and a rule of three voting members including
the ICB and a council, unless a test sets another. Each case says what the terms of
reference require and counts who was in the room."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from meetings.factories import AgendaItemFactory, AttendanceFactory
from meetings.models import Attendance, Declaration
from meetings.record import public_record, quorum_for, quorum_record
from membership.factories import InterestFactory, PersonFactory
from partnerships.models import Partnership

from .conftest import meeting_on, seat


def attend(meeting, membership, status=Attendance.Status.PRESENT, **kwargs):
    return AttendanceFactory(meeting=meeting, person=membership.person, status=status, **kwargs)


def substitute(meeting, membership, **kwargs):
    return AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(),
        status=Attendance.Status.SUBSTITUTE,
        substitute_for=membership.person,
        **kwargs,
    )


def rule(partnership, *, fraction=None, number=None, icb=False, council=False, substitutes=True):
    partnership.quorum_numerator, partnership.quorum_denominator = fraction or (None, None)
    partnership.quorum_minimum = number
    partnership.quorum_requires_icb, partnership.quorum_requires_council = icb, council
    partnership.quorum_substitutes_count = substitutes
    partnership.full_clean()
    partnership.save()


# The number needed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "voting", "needed"),
    [
        ((1, 3), 42, 14),  # 42 / 3 = 14 exactly
        ((1, 3), 43, 15),  # 14.33… rounded up
        ((1, 2), 9, 5),  # 4.5 rounded up
        ((1, 2), 8, 4),
        ((2, 3), 10, 7),  # 6.67 rounded up
        ((1, 3), 0, 1),  # never fewer than one
    ],
)
def test_a_fraction_of_the_voting_members_rounded_up(fraction, voting, needed):
    partnership = Partnership(quorum_numerator=fraction[0], quorum_denominator=fraction[1])
    assert partnership.quorum_needed(voting) == needed


def test_a_fixed_number_whatever_the_membership():
    partnership = Partnership(quorum_minimum=18)
    assert partnership.quorum_needed(42) == partnership.quorum_needed(12) == 18
    assert Partnership().quorum_needed(42) is None


def test_the_rule_in_plain_english():
    nenc = Partnership(quorum_numerator=1, quorum_denominator=3, quorum_requires_icb=True, quorum_requires_council=True)
    assert nenc.quorum_rule_summary == (
        "One third of the voting members (rounded up), including an ICB member and a council member; substitutes count"
    )
    assert Partnership(quorum_minimum=5, quorum_substitutes_count=False).quorum_rule_summary == (
        "5 voting members; substitutes do not count"
    )
    assert Partnership().quorum_rule_summary == ""


@pytest.fixture
def large(cast):
    """A partnership of 42 voting members (the ICB, twelve councils, 29 partners) with NENC's
    rule: one third of voting members, including the ICB and a council."""
    partnership = cast.partnership
    rule(partnership, fraction=(1, 3), icb=True, council=True)
    partnership.memberships.all().delete()  # the cast's member: this partnership is made from scratch
    icb = seat(partnership, "icb")
    councils = [seat(partnership, "local_authority") for _ in range(12)]
    partners = [seat(partnership, "vcse") for _ in range(29)]
    return SimpleNamespace(partnership=partnership, icb=icb, councils=councils, partners=partners)


def test_sixteen_of_forty_two_is_quorate_under_one_third(large):
    """The case of issue 13: a stale fixed 18 called this meeting "Not quorate"."""
    meeting = meeting_on(large.partnership, -7)
    for membership in [large.icb, large.councils[0], *large.partners[:14]]:
        attend(meeting, membership)
    quorum = quorum_for(meeting)
    assert (quorum.met, quorum.present, quorum.voting, quorum.needed) == (True, 16, 42, 14)
    assert quorum.explanation == (
        "Quorate: 16 of 42 voting members present, 14 needed, including an ICB member and a council member"
    )


def test_half_of_nine(board):
    rule(board.partnership, fraction=(1, 2))
    # Nine voting members: the board's six and three more.
    extra = [seat(board.partnership, "vcse") for _ in range(3)]
    for membership in (board.seats.icb, board.seats.council, board.seats.healthwatch, extra[0]):
        attend(board.meeting, membership)
    quorum = quorum_for(board.meeting)
    assert quorum.explanation == "Not quorate: 4 of 9 voting members present, 5 needed"
    attend(board.meeting, extra[1])
    assert quorum_for(board.meeting).explanation == "Quorate: 5 of 9 voting members present, 5 needed"


def test_a_fixed_number(board):
    rule(board.partnership, number=3)
    for name in ("healthwatch", "vcse"):
        attend(board.meeting, getattr(board.seats, name))
    assert quorum_for(board.meeting).explanation == "Not quorate: 2 of 6 voting members present, 3 needed"
    attend(board.meeting, board.seats.council2)
    assert quorum_for(board.meeting).explanation == "Quorate: 3 of 6 voting members present, 3 needed"


# Constituencies ------------------------------------------------------------------------------


def test_quorate_with_icb_and_council(board):
    for name in ("icb", "council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert quorum.met is True
    assert quorum.explanation == (
        "Quorate: 3 of 6 voting members present, 3 needed, including an ICB member and a council member"
    )


def test_without_the_icb_not_quorate_however_many_attend(board):
    for name in ("council", "council2", "healthwatch", "vcse"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert quorum.met is False
    assert quorum.has_council and not quorum.has_icb
    assert quorum.explanation == "Not quorate: 4 of 6 voting members present, 3 needed; no ICB member present"


def test_without_a_council_not_quorate_however_many_attend(board):
    for name in ("icb", "healthwatch", "vcse"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert quorum.met is False
    assert quorum.explanation == "Not quorate: 3 of 6 voting members present, 3 needed; no council member present"


def test_too_few_and_neither(board):
    attend(board.meeting, board.seats.healthwatch)
    assert quorum_for(board.meeting).explanation == (
        "Not quorate: 1 of 6 voting members present, 3 needed; no ICB or council member present"
    )


def test_only_the_constituencies_required(board):
    rule(board.partnership, icb=True, council=True)
    attend(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    assert quorum_for(board.meeting).explanation == (
        "Quorate: 2 of 6 voting members present, including an ICB member and a council member"
    )


# Substitutes ---------------------------------------------------------------------------------


def test_a_substitute_counts_for_the_member_they_replace(board):
    attend(board.meeting, board.seats.icb, Attendance.Status.APOLOGIES)
    substitute(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    attend(board.meeting, board.seats.vcse)
    quorum = quorum_for(board.meeting)
    assert quorum.met is True
    assert quorum.substitutes == 1
    assert quorum.has_icb  # through the substitute, with the ICB member's seat
    assert quorum.explanation == (
        "Quorate: 3 of 6 voting members present (including 1 substitute), 3 needed, including an ICB member and "
        "a council member"
    )


def test_substitutes_do_not_count_where_the_rule_says_so(board):
    rule(board.partnership, number=3, icb=True, council=True, substitutes=False)
    attend(board.meeting, board.seats.icb, Attendance.Status.APOLOGIES)
    substitute(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    attend(board.meeting, board.seats.vcse)
    quorum = quorum_for(board.meeting)
    assert (quorum.met, quorum.present, quorum.has_icb) == (False, 2, False)
    assert quorum.explanation == (
        "Not quorate: 2 of 6 voting members present (1 substitute not counted), 3 needed; no ICB member present"
    )


def test_non_voting_members_and_people_in_attendance_do_not_count(board):
    attend(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    attend(board.meeting, board.seats.adviser)  # non-voting
    AttendanceFactory(meeting=board.meeting, person=PersonFactory(), status=Attendance.Status.IN_ATTENDANCE)
    substitute(board.meeting, board.seats.adviser)  # a substitute for a non-voting member
    quorum = quorum_for(board.meeting)
    assert (quorum.present, quorum.voting, quorum.met) == (2, 6, False)


def test_a_member_counted_once_even_if_also_substituted(board):
    attend(board.meeting, board.seats.icb)
    substitute(board.meeting, board.seats.icb)
    assert quorum_for(board.meeting).present == 1


# Membership on the day -----------------------------------------------------------------------


def test_a_member_whose_term_ended_before_the_meeting_does_not_count(board):
    board.seats.healthwatch.end_date = board.meeting.date - dt.timedelta(days=1)
    board.seats.healthwatch.save()
    for name in ("icb", "council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    # Neither present nor a voting member that day: 2 of 5, where the day before it was 3 of 6.
    assert (quorum.present, quorum.voting, quorum.met) == (2, 5, False)


def test_the_fraction_is_of_the_members_on_the_day(board):
    rule(board.partnership, fraction=(1, 2))
    seat(board.partnership, "vcse", start_date=board.meeting.date + dt.timedelta(days=1))  # joined after
    for name in ("icb", "council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    quorum = quorum_for(board.meeting)
    assert (quorum.voting, quorum.needed, quorum.met) == (6, 3, True)


# Item by item --------------------------------------------------------------------------------


@pytest.fixture
def agenda(board):
    """Items 4 to 6 of the board's meeting (items 1 to 3 are in the fixture)."""
    return {
        position: AgendaItemFactory(meeting=board.meeting, position=position, title=f"Item {position}")
        for position in (4, 5, 6)
    } | {1: board.items.welcome, 2: board.items.exempt, 3: board.items.strategy}


def test_a_late_arrival_makes_the_meeting_quorate_from_item_3(board, agenda):
    attend(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.healthwatch)
    attend(board.meeting, board.seats.council, arrived_at_item=agenda[3])
    record = quorum_record(board.meeting)
    assert [(entry.number, entry.quorum.met) for entry in record.items] == [
        (1, False),
        (2, False),
        (3, True),
        (4, True),
        (5, True),
        (6, True),
    ]
    assert record.items[0].quorum.refusal == (
        "Item 1 was not quorate: 2 of 6 voting members present, 3 needed; no council member present"
    )
    # The meeting as a whole counts everyone who attended; the record shows where items differ.
    assert record.met is True
    assert [entry.number for entry in record.differing] == [1, 2]


def test_an_early_departure(board, agenda):
    for name in ("council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    attend(board.meeting, board.seats.icb, left_after_item=agenda[4])
    record = quorum_record(board.meeting)
    assert [entry.quorum.met for entry in record.items] == [True, True, True, True, False, False]
    assert record.at(agenda[5].pk).explanation == (
        "Not quorate: 2 of 6 voting members present, 3 needed; no ICB member present"
    )


def test_arriving_late_and_leaving_early(board, agenda):
    for name in ("icb", "council"):
        attend(board.meeting, getattr(board.seats, name))
    attend(board.meeting, board.seats.vcse, arrived_at_item=agenda[2], left_after_item=agenda[4])
    record = quorum_record(board.meeting)
    assert [entry.quorum.present for entry in record.items] == [2, 3, 3, 3, 2, 2]


def test_leaving_the_room_for_an_interest_removes_the_member_for_that_item_only(board, agenda):
    for name in ("icb", "council", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    for action, item in (
        (Declaration.ActionTaken.LEFT_THE_ROOM, agenda[5]),
        (Declaration.ActionTaken.NOTED, agenda[6]),
    ):
        Declaration.objects.create(
            meeting=board.meeting,
            agenda_item=item,
            person=board.seats.healthwatch.person,
            interest=InterestFactory(person=board.seats.healthwatch.person),
            description="Trustee of the provider",
            action_taken=action,
        )
    record = quorum_record(board.meeting)
    assert [entry.quorum.present for entry in record.items] == [3, 3, 3, 3, 2, 3]
    assert record.at(agenda[5].pk).refusal == "Item 5 was not quorate: 2 of 6 voting members present, 3 needed"
    assert [entry.number for entry in record.differing] == [5]


def test_a_substitute_who_leaves_the_room_takes_the_seat_with_them(board, agenda):
    substitute(board.meeting, board.seats.icb)
    attend(board.meeting, board.seats.council)
    attend(board.meeting, board.seats.healthwatch)
    Declaration.objects.create(
        meeting=board.meeting,
        agenda_item=agenda[4],
        person=board.meeting.attendance.get(status=Attendance.Status.SUBSTITUTE).person,
        description="Director of the bidder",
        action_taken=Declaration.ActionTaken.LEFT_THE_ROOM,
    )
    assert quorum_record(board.meeting).at(agenda[4].pk).has_icb is False


def test_the_public_record_shows_the_quorum_of_items_where_it_differs(board, agenda):
    for name in ("icb", "healthwatch"):
        attend(board.meeting, getattr(board.seats, name))
    attend(board.meeting, board.seats.council, arrived_at_item=agenda[3])
    html = render_to_string(
        "meetings/public/_record.html", {"meeting": board.meeting, "record": public_record(board.meeting)}
    )
    assert "Quorate: 3 of 6 voting members present, 3 needed" in html
    assert (
        "Item 1: Welcome and apologies. Not quorate: 2 of 6 voting members present, 3 needed; "
        "no council member present" in html
    )
    # The exempt item is named by its number and paragraph only.
    assert "Item 2: exempt under paragraph 3. Not quorate" in html
    assert "Item 3: Integrated care strategy refresh. " not in html  # quorate like the meeting: not listed
    assert f"{board.seats.council.person}, Leader of the council, A local_authority body (arrived at item 3)" in html


# Not assessed --------------------------------------------------------------------------------


def test_no_attendance_recorded(board):
    quorum = quorum_for(board.meeting)
    assert quorum.met is None
    assert quorum.label == "Quorum not assessed"
    assert "Attendance has not been recorded" in quorum.explanation
    assert quorum_record(board.meeting).differing == []


def test_no_quorum_rule(board):
    rule(board.partnership)
    attend(board.meeting, board.seats.icb)
    quorum = quorum_for(board.meeting)
    assert quorum.met is None
    assert quorum.explanation == (
        "1 of 6 voting members present. The partnership has not recorded a quorum rule from its terms of reference."
    )
