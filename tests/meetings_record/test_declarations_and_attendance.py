"""Declarations link to the register of interests; attendance is recorded in one go."""

import pytest

from audit.models import AuditEvent
from meetings import record_services as services
from meetings.factories import AgendaItemFactory
from meetings.models import Attendance, Declaration
from membership.factories import InterestFactory, PersonFactory
from membership.models import Interest, Person

from .conftest import meeting_on


def test_declaring_an_interest_from_the_register(board):
    person = board.seats.icb.person
    interest = InterestFactory(
        person=person, description="Director of a home care company", organisation_name="Acme Care Ltd"
    )
    declaration = services.declaration_record(
        meeting=board.meeting,
        agenda_item=board.items.strategy,
        person=person,
        interest=interest,
        action_taken=Declaration.ActionTaken.LEFT_THE_ROOM,
        actor=board.secretariat,
    )
    assert declaration.interest == interest
    assert declaration.description == "Director of a home care company (Acme Care Ltd)"
    assert AuditEvent.objects.filter(action="meetings.declaration.recorded").count() == 1
    with pytest.raises(services.RecordError, match="already declared this interest"):
        services.declaration_record(
            meeting=board.meeting,
            agenda_item=board.items.strategy,
            person=person,
            interest=interest,
            action_taken=Declaration.ActionTaken.NOTED,
            actor=board.secretariat,
        )


def test_a_new_interest_is_added_to_the_register(board):
    person = board.seats.council.person
    declaration = services.declaration_record(
        meeting=board.meeting,
        agenda_item=board.items.strategy,
        person=person,
        new_interest={"category": "financial", "description": "Shares in a care home group", "organisation_name": ""},
        action_taken=Declaration.ActionTaken.DID_NOT_VOTE,
        actor=board.secretariat,
    )
    interest = Interest.objects.get(person=person)
    assert declaration.interest == interest
    assert interest.declared_on == board.meeting.date
    # Through membership's own service: one audit action for every entry of a register.
    event = AuditEvent.objects.get(action="membership.interest.recorded")
    assert event.changes["reason"] == f"Declared at {board.meeting}"


def test_someone_elses_interest_or_another_meetings_item_is_refused(board):
    other_interest = InterestFactory(person=board.seats.vcse.person)
    with pytest.raises(services.RecordError, match="not on"):
        services.declaration_record(
            meeting=board.meeting,
            agenda_item=board.items.strategy,
            person=board.seats.icb.person,
            interest=other_interest,
            action_taken="noted",
            actor=None,
        )
    with pytest.raises(services.RecordError, match="this meeting's agenda"):
        services.declaration_record(
            meeting=board.meeting,
            agenda_item=board.later_items.action_log,
            person=board.seats.vcse.person,
            interest=other_interest,
            action_taken="noted",
            actor=None,
        )
    with pytest.raises(services.RecordError, match="register, or describe"):
        services.declaration_record(
            meeting=board.meeting,
            agenda_item=board.items.strategy,
            person=board.seats.vcse.person,
            action_taken="noted",
            actor=None,
        )


def test_removing_a_declaration_keeps_the_register_and_audits(board):
    person = board.seats.icb.person
    interest = InterestFactory(person=person)
    declaration = services.declaration_record(
        meeting=board.meeting,
        agenda_item=board.items.strategy,
        person=person,
        interest=interest,
        action_taken="noted",
        actor=board.secretariat,
    )
    services.declaration_remove(declaration=declaration, actor=board.secretariat)
    assert not Declaration.objects.exists()
    assert Interest.objects.filter(pk=interest.pk).exists()
    event = AuditEvent.objects.get(action="meetings.declaration.removed")
    assert event.changes["description"] == declaration.description


def entry(membership, status, **kwargs):
    return services.AttendanceEntry(person=membership.person, status=status, **kwargs)


def test_attendance_is_recorded_changed_and_removed(board):
    seats = board.seats
    counts = services.attendance_record(
        meeting=board.meeting,
        entries=[entry(seats.icb, "present"), entry(seats.council, "apologies"), entry(seats.vcse, "")],
        actor=board.secretariat,
    )
    assert counts == {"created": 2, "changed": 0, "removed": 0}
    counts = services.attendance_record(
        meeting=board.meeting,
        entries=[entry(seats.icb, ""), entry(seats.council, "present")],
        actor=board.secretariat,
    )
    assert counts == {"created": 0, "changed": 1, "removed": 1}
    assert dict(board.meeting.attendance.values_list("person_id", "status")) == {seats.council.person_id: "present"}
    assert AuditEvent.objects.filter(action="meetings.attendance.recorded").count() == 2


def test_only_apologies_before_the_meeting(board):
    upcoming = meeting_on(board.partnership, 7)
    services.attendance_record(meeting=upcoming, entries=[entry(board.seats.icb, "apologies")], actor=None)
    with pytest.raises(services.RecordError, match="apologies only"):
        services.attendance_record(meeting=upcoming, entries=[entry(board.seats.icb, "present")], actor=None)


def test_substitute_rules(board):
    seats = board.seats
    substitute = PersonFactory()
    row = services.attendance_add(
        meeting=board.meeting,
        status=Attendance.Status.SUBSTITUTE,
        person=substitute,
        substitute_for=seats.icb.person,
        actor=board.secretariat,
    )
    assert row.substitute_for == seats.icb.person
    with pytest.raises(services.RecordError, match="Only one substitute"):
        services.attendance_add(
            meeting=board.meeting,
            status=Attendance.Status.SUBSTITUTE,
            given_name="Sam",
            family_name="Second",
            substitute_for=seats.icb.person,
            actor=board.secretariat,
        )
    with pytest.raises(services.RecordError, match="recorded as present"):
        services.attendance_record(
            meeting=board.meeting,
            entries=[entry(seats.icb, "present"), services.AttendanceEntry(substitute, "substitute", seats.icb.person)],
            actor=None,
        )
    with pytest.raises(services.RecordError, match="is a member"):
        services.attendance_add(
            meeting=board.meeting, status="in_attendance", person=seats.vcse.person, actor=board.secretariat
        )


def test_a_new_person_in_attendance_is_created_for_the_partnership(board):
    row = services.attendance_add(
        meeting=board.meeting,
        status=Attendance.Status.IN_ATTENDANCE,
        honorific="Dr",
        given_name="Jo",
        family_name="Presenter",
        capacity="Presenting item 3",
        actor=board.secretariat,
    )
    person = Person.objects.get(family_name="Presenter")
    assert row.person == person and person.added_for == board.partnership
    assert row.capacity == "Presenting item 3"
    # A second Jo Presenter gets a slug of their own.
    other = services.attendance_add(
        meeting=meeting_on(board.partnership, -2),
        status=Attendance.Status.IN_ATTENDANCE,
        given_name="Jo",
        family_name="Presenter",
        actor=board.secretariat,
    )
    assert other.person.slug != person.slug


def test_nothing_is_recorded_for_a_cancelled_meeting(board):
    cancelled = meeting_on(board.partnership, -3, status="cancelled", notice="Cancelled: not quorate.")
    AgendaItemFactory(meeting=cancelled, position=1)
    with pytest.raises(services.RecordError, match="cancelled"):
        services.attendance_record(meeting=cancelled, entries=[entry(board.seats.icb, "present")], actor=None)
    with pytest.raises(services.RecordError, match="cancelled"):
        services.minutes_start_draft(meeting=cancelled, actor=None)
