"""Attendance in one step: once the meeting has started every member with nothing recorded is
offered as present, apologies sent in advance are shown, and substitutes are added inline. The
rules of `meetings.record_services.attendance_record` (ADR 004) are unchanged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.factories import AttendanceFactory
from meetings.models import Attendance
from tests.meetings_record.conftest import meeting_on
from tests.meetings_record.test_pages import attendance_post


def url(meeting, name="attendance"):
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk})


@pytest.fixture
def staff(client, board):
    client.force_login(board.secretariat)
    return client


def test_members_not_recorded_are_offered_as_present_once_the_meeting_has_started(staff, board):
    page = staff.get(url(board.meeting))
    statuses = {form.line.person.pk: form.initial["status"] for form in page.context["formset"].forms}
    assert set(statuses.values()) == {"present"}
    assert "marked <strong>present</strong> below" in page.content.decode()


def test_saving_without_changes_records_everyone_present_in_one_step(staff, board):
    page = staff.get(url(board.meeting))
    response = staff.post(url(board.meeting), attendance_post(page, {}), follow=True)
    assert response.redirect_chain[-1][0] == url(board.meeting)
    members = len(page.context["formset"].forms)
    assert Attendance.objects.filter(meeting=board.meeting, status="present").count() == members
    assert "Quorate" in response.content.decode()


def test_only_the_exceptions_are_marked(staff, board):
    page = staff.get(url(board.meeting))
    seats = board.seats
    staff.post(url(board.meeting), attendance_post(page, {seats.vcse.person_id: "apologies"}))
    assert Attendance.objects.get(meeting=board.meeting, person=seats.vcse.person).status == "apologies"
    assert Attendance.objects.get(meeting=board.meeting, person=seats.icb.person).status == "present"


def test_before_the_meeting_nobody_is_offered_as_present(staff, board):
    """The rule of the record: before a meeting starts only apologies may be recorded."""
    upcoming = meeting_on(board.partnership, 3)
    page = staff.get(url(upcoming))
    assert {form.initial["status"] for form in page.context["formset"].forms} == {""}
    assert "marked <strong>present</strong>" not in page.content.decode()
    response = staff.post(url(upcoming), attendance_post(page, {board.seats.icb.person_id: "apologies"}))
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=upcoming).status == "apologies"


def test_apologies_sent_in_advance_are_shown_and_kept(staff, board):
    sent = board.meeting.starts_at - dt.timedelta(days=2)
    AttendanceFactory(
        meeting=board.meeting, person=board.seats.healthwatch.person, status="apologies", recorded_at=sent
    )
    page = staff.get(url(board.meeting))
    content = page.content.decode()
    assert "Apologies sent in advance (1)" in content
    assert f"(recorded {timezone.localtime(sent):%-d %B %Y at %H:%M})" in content
    form = next(f for f in page.context["formset"].forms if f.line.person == board.seats.healthwatch.person)
    assert form.initial["status"] == "apologies"
    staff.post(url(board.meeting), attendance_post(page, {}))
    assert Attendance.objects.get(person=board.seats.healthwatch.person).status == "apologies"


def test_apologies_recorded_once_the_meeting_had_begun_were_not_sent_in_advance(staff, board):
    """Apologies given at the meeting (or recorded after it) are apologies, but not sent ahead."""
    page = staff.get(url(board.meeting))
    staff.post(url(board.meeting), attendance_post(page, {board.seats.vcse.person_id: "apologies"}))
    row = Attendance.objects.get(meeting=board.meeting, person=board.seats.vcse.person)
    assert row.status == "apologies" and row.recorded_at > board.meeting.starts_at
    content = staff.get(url(board.meeting)).content.decode()
    assert "Apologies sent in advance" not in content
    assert f"Recorded {timezone.localtime(row.recorded_at):%-d %b %Y, %H:%M}" in content


def test_apologies_recorded_before_the_meeting_are_listed_as_sent_in_advance(staff, board):
    upcoming = meeting_on(board.partnership, 3)
    page = staff.get(url(upcoming))
    staff.post(url(upcoming), attendance_post(page, {board.seats.icb.person_id: "apologies"}))
    row = Attendance.objects.get(meeting=upcoming)
    assert row.recorded_at < upcoming.starts_at
    assert "Apologies sent in advance (1)" in staff.get(url(upcoming)).content.decode()


def test_recording_the_same_status_again_keeps_when_it_was_first_recorded(staff, board):
    earlier = board.meeting.starts_at - dt.timedelta(days=1)
    AttendanceFactory(
        meeting=board.meeting, person=board.seats.healthwatch.person, status="apologies", recorded_at=earlier
    )
    page = staff.get(url(board.meeting))
    staff.post(url(board.meeting), attendance_post(page, {}))
    assert Attendance.objects.get(person=board.seats.healthwatch.person).recorded_at == earlier


def test_a_substitute_is_added_from_the_attendance_page_itself(staff, board):
    page = staff.get(url(board.meeting))
    content = page.content.decode()
    assert f'action="{url(board.meeting, "attendance_add")}"' in content
    assert "Add a substitute or someone in attendance" in content
    response = staff.post(
        url(board.meeting, "attendance_add"),
        {
            "status": "substitute",
            "substitute_for": board.seats.council.person_id,
            "given_name": "Sam",
            "family_name": "Stand-in",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(board.meeting)
    row = Attendance.objects.get(meeting=board.meeting, status="substitute")
    assert row.substitute_for == board.seats.council.person


def test_a_substitute_for_a_member_also_marked_present_is_still_refused(staff, board):
    """ADR 004: a substitute stands in for a member who is not there."""
    staff.post(
        url(board.meeting, "attendance_add"),
        {
            "status": "substitute",
            "substitute_for": board.seats.council.person_id,
            "given_name": "S",
            "family_name": "T",
        },
    )
    page = staff.get(url(board.meeting))
    response = staff.post(url(board.meeting), attendance_post(page, {}))
    assert response.status_code == 200
    assert not Attendance.objects.filter(meeting=board.meeting, status="present").exists()


@pytest.mark.parametrize("who", ["chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_records_attendance(client, cast, board, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(board.meeting)).status_code == 403
    page_post = {"attendance-TOTAL_FORMS": "0", "attendance-INITIAL_FORMS": "0"}
    assert client.post(url(board.meeting), page_post).status_code == 403
    assert not Attendance.objects.exists()


def test_the_attendance_page_costs_the_same_queries_with_more_members(staff, board, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.meetings_record.conftest import seat

    with CaptureQueriesContext(connection) as before:
        staff.get(url(board.meeting))
    for n in range(15):
        seat(board.partnership, "vcse", organisation_name=f"Charity {n}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        staff.get(url(board.meeting))
