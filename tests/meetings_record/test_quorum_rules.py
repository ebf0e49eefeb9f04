"""What the quorum forbids: a decision at an item without a quorum (unless recorded as taken
without one, which the public record shows), minutes approved by a meeting with no attendance
recorded or without a quorum, and changes to attendance or declarations that would leave a
decision recorded as quorate at an item that was not. Through the services, and through the
staff pages as the secretariat (and not as another partnership's)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import record_services as services
from meetings.factories import AgendaItemFactory, AttendanceFactory, DecisionFactory
from meetings.models import Attendance, Decision, Declaration, Minutes
from meetings.record import public_record
from membership.factories import InterestFactory, SecretariatAssignmentFactory, UserFactory
from membership.permissions import permissions_sync

from .conftest import meeting_on, quorate, seat

REFUSED = "Item 3 was not quorate: 2 of 6 voting members present, 3 needed; no council member present"


@pytest.fixture
def inquorate(board):
    """The board's meeting with the ICB and Healthwatch members present and no council:
    every item is without a quorum (three needed, including a council member)."""
    quorate(board, board.meeting, "icb", "healthwatch")
    return board


def decide(board, *, item=None, **kwargs):
    return services.decision_record(
        meeting=board.meeting,
        wording="The partnership agreed the refresh.",
        status=Decision.Status.AGREED,
        actor=board.secretariat,
        agenda_item=item or board.items.strategy,
        **kwargs,
    )


# Decisions -----------------------------------------------------------------------------------


def test_a_decision_at_an_item_without_a_quorum_is_refused_with_the_reason(inquorate):
    with pytest.raises(services.RecordError) as refused:
        decide(inquorate)
    assert str(refused.value).startswith(f"{REFUSED}. A decision taken without a quorum is not a valid decision")
    assert not Decision.objects.exists()


def test_the_refusal_counts_forty_two_members(cast):
    """Issue 13's example: one third of 42 is 14; twelve present, none for a council."""
    partnership = cast.partnership
    partnership.quorum_requires_icb = partnership.quorum_requires_council = True
    partnership.save()
    partnership.memberships.all().delete()
    icb = seat(partnership, "icb")
    seat(partnership, "local_authority")
    partners = [seat(partnership, "vcse") for _ in range(40)]
    meeting = meeting_on(partnership, -2)
    item = AgendaItemFactory(meeting=meeting, position=6, title="Better Care Fund")
    for membership in [icb, *partners[:11]]:
        AttendanceFactory(meeting=meeting, person=membership.person)
    with pytest.raises(services.RecordError, match="^Item 6 was not quorate: ") as refused:
        services.decision_record(meeting=meeting, wording="Agreed.", status="agreed", actor=None, agenda_item=item)
    assert str(refused.value).startswith(
        "Item 6 was not quorate: 12 of 42 voting members present, 14 needed; no council member present."
    )


def test_a_decision_on_no_item_needs_the_meeting_to_be_quorate(inquorate):
    with pytest.raises(services.RecordError, match="^The meeting was not quorate"):
        services.decision_record(meeting=inquorate.meeting, wording="Agreed.", status="agreed", actor=None)


def test_recorded_without_a_quorum_the_public_record_says_so(inquorate):
    decision = decide(inquorate, inquorate=True)
    assert decision.inquorate
    html = render_to_string(
        "meetings/public/_record.html", {"meeting": inquorate.meeting, "record": public_record(inquorate.meeting)}
    )
    assert "The partnership agreed the refresh." in html
    assert "Recorded without a quorum" in html


def test_a_quorate_decision_is_recorded_and_not_marked(board):
    quorate(board, board.meeting)
    assert decide(board).inquorate is False


def test_a_decision_is_not_marked_inquorate_at_a_quorate_item(board):
    quorate(board, board.meeting)
    with pytest.raises(services.RecordError, match="^Item 3 was quorate"):
        decide(board, inquorate=True)


def test_without_attendance_a_decision_cannot_be_marked_inquorate(board):
    with pytest.raises(services.RecordError, match="No attendance is recorded"):
        decide(board, inquorate=True)


def test_a_late_arrival_makes_later_items_quorate(inquorate):
    later_item = AgendaItemFactory(meeting=inquorate.meeting, position=4, title="Winter plan")
    AttendanceFactory(meeting=inquorate.meeting, person=inquorate.seats.council.person, arrived_at_item=later_item)
    with pytest.raises(services.RecordError, match="^Item 3 was not quorate"):
        decide(inquorate)
    assert decide(inquorate, item=later_item).inquorate is False


def test_a_decision_cannot_be_changed_to_quorate_at_an_item_without_a_quorum(inquorate):
    decision = decide(inquorate, inquorate=True)
    with pytest.raises(services.RecordError, match=REFUSED):
        services.decision_update(
            decision=decision, wording=decision.wording, status=decision.status, agenda_item=decision.agenda_item,
            actor=None, inquorate=False,
        )  # fmt: skip


# Attendance and declarations after a decision ------------------------------------------------


def test_attendance_that_would_leave_a_decision_without_a_quorum_is_refused(board):
    quorate(board, board.meeting)
    decision = decide(board, reference="ICP/26/3")
    council = board.seats.council.person
    entries = [
        services.AttendanceEntry(person=row.person, status=row.status)
        for row in board.meeting.attendance.select_related("person")
        if row.person != council
    ] + [services.AttendanceEntry(person=council, status=Attendance.Status.APOLOGIES)]
    with pytest.raises(services.RecordError) as refused:
        services.attendance_record(meeting=board.meeting, entries=entries, actor=None)
    assert str(refused.value) == (
        f"{REFUSED}. Decision ICP/26/3 is recorded there as taken with a quorum: mark it as recorded without a "
        "quorum first, or check the attendance."
    )
    assert board.meeting.attendance.get(person=council).status == Attendance.Status.PRESENT  # rolled back
    # Once the decision is marked, the attendance can be corrected.
    services.decision_update(
        decision=decision, wording=decision.wording, status=decision.status, agenda_item=decision.agenda_item,
        reference=decision.reference, actor=None, inquorate=True,
    )  # fmt: skip
    services.attendance_record(meeting=board.meeting, entries=entries, actor=None)


def test_leaving_the_room_that_would_leave_a_decision_without_a_quorum_is_refused(board):
    quorate(board, board.meeting)
    decide(board)
    person = board.seats.council.person
    with pytest.raises(services.RecordError, match=REFUSED):
        services.declaration_record(
            meeting=board.meeting, agenda_item=board.items.strategy, person=person, actor=None,
            interest=InterestFactory(person=person), action_taken=Declaration.ActionTaken.LEFT_THE_ROOM,
        )  # fmt: skip
    assert not Declaration.objects.exists()
    # Noting the interest and staying in the room leaves the quorum as it was.
    services.declaration_record(
        meeting=board.meeting, agenda_item=board.items.strategy, person=person, actor=None,
        interest=InterestFactory(person=person), action_taken=Declaration.ActionTaken.NOTED,
    )  # fmt: skip


# Approving minutes ---------------------------------------------------------------------------


@pytest.fixture
def draft(board):
    quorate(board, board.meeting)
    minutes = services.minutes_start_draft(meeting=board.meeting, actor=None)
    services.minutes_update_entry(
        minutes=minutes, agenda_item=board.items.strategy, discussion="Discussed.", resolutions="", actor=None
    )
    return services.minutes_publish_draft(minutes=minutes, actor=None)


def test_a_meeting_with_no_attendance_recorded_approves_nothing(board, draft):
    with pytest.raises(services.RecordError) as refused:
        services.minutes_approve(minutes=draft, approving_meeting=board.later, actor=None)
    assert str(refused.value) == (
        f"No attendance is recorded for the meeting of {board.later.date:%-d %B %Y}, and a meeting with no "
        "attendance recorded cannot approve anything. Record who attended it first."
    )
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.DRAFT


def test_minutes_are_approved_only_at_a_quorate_item(board, draft):
    quorate(board, board.later, "icb", "healthwatch")
    with pytest.raises(services.RecordError) as refused:
        services.minutes_approve(minutes=draft, approving_meeting=board.later, actor=None)
    assert str(refused.value).startswith(
        f"The minutes cannot be approved: item 1 of the meeting of {board.later.date:%-d %B %Y} was not quorate "
        "(2 of 6 voting members present, 3 needed; no council member present)."
    )
    assert not Decision.objects.filter(meeting=board.later).exists()


def test_minutes_approval_follows_the_approving_item(board, draft):
    """The council member arrived at item 2: item 1, 'Minutes of the last meeting', was not quorate."""
    quorate(board, board.later, "icb", "healthwatch")
    AttendanceFactory(
        meeting=board.later, person=board.seats.council.person, arrived_at_item=board.later_items.action_log
    )
    with pytest.raises(services.RecordError, match="item 1 of the meeting"):
        services.minutes_approve(minutes=draft, approving_meeting=board.later, actor=None)
    board.later_items.minutes.position, board.later_items.action_log.position = 3, 1
    board.later_items.minutes.save()
    board.later_items.action_log.save()
    decision = services.minutes_approve(minutes=draft, approving_meeting=board.later, actor=None)
    assert decision.agenda_item == board.later_items.minutes and not decision.inquorate


def test_an_approval_cannot_be_left_without_a_quorum(board, draft):
    quorate(board, board.later)
    services.minutes_approve(minutes=draft, approving_meeting=board.later, actor=None)
    entries = [services.AttendanceEntry(person=board.seats.council.person, status=Attendance.Status.ABSENT)]
    with pytest.raises(services.RecordError, match="were approved there, and an approval stands"):
        services.attendance_record(meeting=board.later, entries=entries, actor=None)


# Through the pages ---------------------------------------------------------------------------


def decisions_url(meeting, slug=None):
    return reverse("record:decisions", kwargs={"slug": slug or meeting.partnership.slug, "pk": meeting.pk})


def decision_post(board, **extra):
    return {"agenda_item": board.items.strategy.pk, "wording": "The refresh was agreed.", "status": "agreed", **extra}


def test_the_secretariat_is_told_why_and_may_record_it_as_inquorate(client, inquorate):
    client.force_login(inquorate.secretariat)
    page = client.get(decisions_url(inquorate.meeting)).content.decode()
    assert "Not quorate: 2 of 6 voting members present, 3 needed; no council member present" in page
    response = client.post(decisions_url(inquorate.meeting), decision_post(inquorate))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Decision.objects.exists()

    response = client.post(decisions_url(inquorate.meeting), decision_post(inquorate, inquorate="on"), follow=True)
    assert response.redirect_chain[-1][0] == decisions_url(inquorate.meeting)
    assert Decision.objects.get().inquorate
    assert "Recorded without a quorum" in response.content.decode()
    public = client.get(inquorate.meeting.get_absolute_url()).content.decode()
    assert "Recorded without a quorum" in public


def test_the_secretariat_cannot_approve_minutes_at_a_meeting_without_attendance(client, board, draft):
    client.force_login(board.secretariat)
    url = reverse(
        "record:minutes_approve", kwargs={"slug": board.partnership.slug, "pk": board.meeting.pk, "version": 1}
    )
    response = client.post(url, {"approving_meeting": board.later.pk, "reference": ""})
    assert response.status_code == 200
    assert "a meeting with no attendance recorded cannot approve anything" in response.content.decode()


def test_another_partnerships_secretariat_cannot_record_a_decision(client, cast, inquorate):
    outsider = UserFactory(username="other_secretariat")
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=outsider)
    permissions_sync(cast.other_partnership)
    client.force_login(outsider)
    data = decision_post(inquorate, inquorate="on")
    assert client.post(decisions_url(inquorate.meeting), data).status_code == 403
    assert client.post(decisions_url(inquorate.meeting, cast.other_partnership.slug), data).status_code == 404
    decision = DecisionFactory(meeting=inquorate.meeting, agenda_item=inquorate.items.strategy, inquorate=True)
    edit = reverse("record:decision_edit", kwargs={"slug": cast.other_partnership.slug, "decision_pk": decision.pk})
    assert client.post(edit, decision_post(inquorate)).status_code == 404
    assert list(Decision.objects.values_list("pk", flat=True)) == [decision.pk]


def test_the_attendance_page_records_a_late_arrival_and_the_quorum_item_by_item(client, board):
    from .test_pages import attendance_post

    client.force_login(board.secretariat)
    url = reverse("record:attendance", kwargs={"slug": board.partnership.slug, "pk": board.meeting.pk})
    page = client.get(url)
    seats = board.seats
    # Everyone is offered as present: leave the others unrecorded.
    unrecorded = {form.line.person.pk: "" for form in page.context["formset"].forms}
    data = attendance_post(page, unrecorded | {seats.icb.person_id: "present", seats.council.person_id: "present"})
    data |= {f"attendance-{i}-status": "present" for i, form in enumerate(page.context["formset"].forms)
             if form.line.person == seats.healthwatch.person}  # fmt: skip
    index = next(i for i, form in enumerate(page.context["formset"].forms) if form.line.person == seats.council.person)
    data[f"attendance-{index}-arrived_at_item"] = str(board.items.strategy.pk)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert Attendance.objects.get(person=seats.council.person).arrived_at_item == board.items.strategy
    content = response.content.decode()
    assert "Quorate: 3 of 6 voting members present, 3 needed" in content
    assert (
        "Item 1: Welcome and apologies. Not quorate: 2 of 6 voting members present, 3 needed; no council member "
        "present" in content
    )

    # Someone who sent apologies does not arrive late.
    data[f"attendance-{index}-status"] = "apologies"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is not recorded as attending: they cannot arrive or leave during it" in response.content.decode()
    assert Attendance.objects.get(person=seats.council.person).status == "present"
