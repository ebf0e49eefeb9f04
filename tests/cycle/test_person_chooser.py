"""Choosing a person by searching when recording a meeting: a substitute or someone in
attendance (on the attendance page itself and its own page) and who declared an interest. The
plain form works without JavaScript; the same address with `format=json` gives the matches as
you type (static/js/person-chooser.mjs). Only the people the page may offer, names only."""

import pytest
from django.urls import reverse

from meetings.factories import AttendanceFactory
from meetings.models import Attendance
from membership.factories import MembershipFactory, PersonFactory


def url(meeting, name="attendance"):
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk})


@pytest.fixture
def staff(client, board):
    client.force_login(board.secretariat)
    return client


@pytest.fixture
def people(board):
    """Someone the partnership added (may be chosen), a namesake of another partnership (may not)."""
    wanted = PersonFactory(
        given_name="Priya", family_name="Shahid", added_for=board.partnership, email="priya@example.org"
    )
    outsider = MembershipFactory(person=PersonFactory(given_name="Priya", family_name="Shaw")).person
    return wanted, outsider


def test_the_attendance_page_searches_instead_of_listing_everyone(staff, board, people):
    wanted, outsider = people
    page = staff.get(url(board.meeting)).content.decode()
    add_section = page.split('id="add"')[1]
    assert '<form method="get" action="#add" role="search"' in add_section
    assert wanted.family_name not in add_section  # nobody is listed before a search
    results = staff.get(url(board.meeting), {"q": "priya sh"}).content.decode()
    assert "1 person matches" in results
    assert f'href="?person={wanted.pk}#add"' in results
    assert outsider.family_name not in results
    assert "priya@example.org" not in results


def test_a_person_chosen_by_search_is_added_as_a_substitute(staff, board, people):
    wanted, _outsider = people
    chosen = staff.get(url(board.meeting), {"person": wanted.pk}).content.decode()
    assert f'<input type="hidden" name="person" value="{wanted.pk}">' in chosen
    assert "Choose someone else" in chosen and 'name="given_name"' not in chosen.split('id="add"')[1]
    data = {"status": "substitute", "substitute_for": board.seats.council.person_id, "person": wanted.pk}
    response = staff.post(url(board.meeting, "attendance_add"), data)
    assert response.status_code == 302
    row = Attendance.objects.get(meeting=board.meeting, person=wanted)
    assert row.substitute_for == board.seats.council.person


def test_someone_who_may_not_be_chosen_is_refused_with_a_clear_message(staff, board, people):
    _wanted, outsider = people
    data = {"status": "in_attendance", "person": outsider.pk}
    response = staff.post(url(board.meeting, "attendance_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Search for the person by name and choose them again." in html
    assert 'id="id_person" name="q"' in html  # the search is offered again
    assert not Attendance.objects.filter(person=outsider).exists()


def test_the_add_page_keeps_the_chosen_person_when_another_field_is_wrong(staff, board, people):
    wanted, _outsider = people
    response = staff.post(url(board.meeting, "attendance_add"), {"status": "substitute", "person": wanted.pk})
    html = response.content.decode()
    assert "Choose the member they substituted for." in html
    assert f'<input type="hidden" name="person" value="{wanted.pk}">' in html and str(wanted) in html
    results = staff.get(url(board.meeting, "attendance_add"), {"q": "shahid"}).content.decode()
    assert f'href="?person={wanted.pk}"' in results


def test_the_matches_as_you_type_are_names_and_links_only(staff, board, people):
    wanted, outsider = people
    response = staff.get(url(board.meeting), {"q": "priya", "format": "json"})
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = response.json()
    assert data == {
        "query": "priya",
        "count": 1,
        "results": [{"name": str(wanted), "href": f"?person={wanted.pk}#add"}],
    }
    assert staff.get(url(board.meeting, "attendance_add"), {"q": "priya", "format": "json"}).json()["count"] == 1


def test_people_already_on_the_record_are_not_offered_again(staff, board, people):
    wanted, _outsider = people
    AttendanceFactory(meeting=board.meeting, person=wanted, status="in_attendance")
    assert staff.get(url(board.meeting), {"q": "shahid", "format": "json"}).json()["count"] == 0


def test_declarations_search_the_people_of_the_meeting(staff, board, people):
    wanted, _outsider = people
    member = board.seats.healthwatch.person
    page = staff.get(url(board.meeting, "declarations")).content.decode()
    assert 'role="search"' in page and "<select" not in page
    results = staff.get(url(board.meeting, "declarations"), {"q": member.family_name}).content.decode()
    assert f'href="{url(board.meeting, "declaration_add")}?person={member.pk}"' in results
    # Someone the partnership added but who was not at the meeting did not declare at it.
    assert staff.get(url(board.meeting, "declarations"), {"q": "shahid", "format": "json"}).json()["count"] == 0
    AttendanceFactory(meeting=board.meeting, person=wanted, status="in_attendance")
    data = staff.get(url(board.meeting, "declarations"), {"q": "shahid", "format": "json"}).json()
    assert data["results"] == [
        {"name": str(wanted), "href": f"{url(board.meeting, 'declaration_add')}?person={wanted.pk}"}
    ]
    assert staff.get(data["results"][0]["href"]).status_code == 200


def test_a_person_not_at_the_meeting_cannot_be_given_a_declaration(staff, board, people):
    _wanted, outsider = people
    response = staff.get(url(board.meeting, "declaration_add"), {"person": outsider.pk})
    html = response.content.decode()
    assert '<a href="#id_person">Search for the person who declared an interest and choose them.</a>' in html
    assert 'id="id_person" name="q"' in html


@pytest.mark.parametrize("who", ["chair", "member", "other_member", "stranger"])
@pytest.mark.parametrize("name", ["attendance", "attendance_add", "declarations"])
def test_only_the_secretariat_searches(client, cast, board, people, who, name):
    client.force_login(getattr(cast, who))
    response = client.get(url(board.meeting, name), {"q": "priya", "format": "json"})
    assert response.status_code == 403
    assert b"Shahid" not in response.content


def test_the_search_costs_the_same_for_hundreds_of_people(staff, board, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PersonFactory.create_batch(3, family_name="Smith", added_for=board.partnership)
    with CaptureQueriesContext(connection) as few:
        staff.get(url(board.meeting), {"q": "smith", "format": "json"})
    with CaptureQueriesContext(connection) as page_few:
        staff.get(url(board.meeting), {"q": "smith"})
    PersonFactory.create_batch(60, family_name="Smith", added_for=board.partnership)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = staff.get(url(board.meeting), {"q": "smith", "format": "json"}).json()
    assert data["count"] == 63 and len(data["results"]) == 20
    with django_assert_max_num_queries(len(page_few.captured_queries)):
        html = staff.get(url(board.meeting), {"q": "smith"}).content.decode()
    assert "63 people match" in html


@pytest.mark.parametrize("name", ["membership_add", "chair_appoint"])
def test_the_workspace_choosers_answer_as_you_type_for_the_secretariat_only(client, cast, name):
    wanted = PersonFactory(given_name="Ada", family_name="Fellside", added_for=cast.partnership, email="ada@x.org")
    address = reverse(f"workspace:{name}", args=[cast.partnership.slug])
    client.force_login(cast.secretariat)
    response = client.get(address, {"q": "fells", "format": "json"})
    assert response.json()["results"] == [{"name": str(wanted), "href": f"?person={wanted.slug}"}]
    assert b"ada@x.org" not in response.content
    client.force_login(cast.member)
    assert client.get(address, {"q": "fells", "format": "json"}).status_code == 403
