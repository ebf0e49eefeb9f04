"""The secretariat's record pages: forms, POST-redirect-GET with messages, errors."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meetings.factories import ActionFactory
from meetings.models import Action, Attendance, Decision, Declaration, Minutes
from membership.factories import InterestFactory, PersonFactory
from membership.models import Interest

from .conftest import days_from_now, meeting_on, quorate


@pytest.fixture
def staff(client, cast):
    client.force_login(cast.secretariat)
    return client


def url(name, meeting, **kwargs):
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def attendance_post(response, statuses: dict[int, str]) -> dict:
    """The attendance form as the page rendered it, with `statuses` by person id."""
    formset = response.context["formset"]
    data = {
        "attendance-TOTAL_FORMS": str(formset.total_form_count()),
        "attendance-INITIAL_FORMS": str(formset.total_form_count()),
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.forms):
        person = form.line.person.pk
        data[f"attendance-{index}-person"] = str(person)
        data[f"attendance-{index}-status"] = statuses.get(person, form.initial.get("status", ""))
        if not form.line.is_member:
            data[f"attendance-{index}-substitute_for"] = str(form.initial.get("substitute_for") or "")
            data[f"attendance-{index}-capacity"] = form.initial.get("capacity", "")
    return data


def test_attendance_form_lists_every_current_member_and_saves(staff, board):
    page = staff.get(url("attendance", board.meeting))
    content = page.content.decode()
    for membership in vars(board.seats).values():
        assert membership.person.display_name in content
    assert "Attendance has not been recorded" in content
    seats = board.seats
    # Everyone is offered as present: leave the others unrecorded.
    unrecorded = {form.line.person.pk: "" for form in page.context["formset"].forms}
    data = attendance_post(
        page,
        unrecorded
        | {seats.icb.person_id: "present", seats.council.person_id: "present", seats.vcse.person_id: "present"},
    )
    response = staff.post(url("attendance", board.meeting), data, follow=True)
    assert response.redirect_chain[-1][0] == url("attendance", board.meeting)
    assert "Attendance saved (3 added, 0 changed, 0 removed)." in messages_of(response)
    quorate = "Quorate: 3 of 6 voting members present, 3 needed, including an ICB member and a council member"
    assert quorate in response.content.decode()


def test_attendance_form_reports_a_list_that_changed(staff, board):
    page = staff.get(url("attendance", board.meeting))
    data = attendance_post(page, {})
    data["attendance-TOTAL_FORMS"] = "2"
    response = staff.post(url("attendance", board.meeting), data)
    assert response.status_code == 200
    assert "The list of people changed while you were editing" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_refusal_is_shown_in_the_error_summary(staff, board):
    upcoming = meeting_on(board.partnership, 3)
    page = staff.get(url("attendance", upcoming))
    response = staff.post(url("attendance", upcoming), attendance_post(page, {board.seats.icb.person_id: "present"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "apologies only" in content


def test_adding_a_substitute_then_saving_the_whole_form(staff, board):
    response = staff.post(
        url("attendance_add", board.meeting),
        {
            "status": "substitute",
            "substitute_for": board.seats.icb.person_id,
            "given_name": "Sam",
            "family_name": "Deputy",
            "capacity": "Deputy chief executive",
        },
        follow=True,
    )
    assert "Sam Deputy added to the attendance (substitute)." in messages_of(response)
    row = Attendance.objects.get(person__family_name="Deputy")
    assert row.substitute_for == board.seats.icb.person
    # The substitute's line is on the form, and saving it unchanged keeps them.
    page = staff.get(url("attendance", board.meeting))
    assert "Sam Deputy" in page.content.decode()
    staff.post(url("attendance", board.meeting), attendance_post(page, {}))
    assert Attendance.objects.filter(status="substitute").count() == 1


def test_adding_someone_needs_a_name_or_a_person(staff, board):
    response = staff.post(url("attendance_add", board.meeting), {"status": "in_attendance"})
    content = response.content.decode()
    assert "Enter their first name" in content and "Enter their last name" in content
    response = staff.post(url("attendance_add", board.meeting), {"status": "substitute", "given_name": "A"})
    assert "Choose the member they substituted for." in response.content.decode()


def test_declaration_in_two_steps_with_a_new_interest(staff, board):
    person = board.seats.council.person
    InterestFactory(person=person, description="Trustee of a carers' charity")
    page = staff.get(url("declaration_add", board.meeting), {"person": person.pk})
    assert "Trustee of a carers" in page.content.decode()
    response = staff.post(
        url("declaration_add", board.meeting) + f"?person={person.pk}",
        {
            "agenda_item": board.items.strategy.pk,
            "interest": "new",
            "new_category": "financial",
            "new_description": "Shares in a care provider",
            "action_taken": "did_not_vote",
        },
        follow=True,
    )
    assert f"Declaration by {person} on item 3 recorded." in messages_of(response)
    declaration = Declaration.objects.get()
    assert declaration.interest.description == "Shares in a care provider"
    assert Interest.objects.filter(person=person).count() == 2


def test_declaration_form_errors(staff, board):
    person = board.seats.council.person
    response = staff.post(url("declaration_add", board.meeting) + f"?person={person.pk}", {"interest": "new"})
    content = response.content.decode()
    for message in ("Choose the agenda item", "Choose the kind of interest.", "Describe the interest."):
        assert message in content
    # A person who is neither a member nor attended cannot be chosen.
    response = staff.get(url("declaration_add", board.meeting), {"person": board.seats.icb.person_id + 999})
    assert "Search for the person who declared an interest and choose them." in response.content.decode()


def test_removing_a_declaration_asks_first(staff, board):
    person = board.seats.icb.person
    declaration = Declaration.objects.create(
        meeting=board.meeting, agenda_item=board.items.strategy, person=person, description="Something"
    )
    assert (
        "Remove the declaration by"
        in staff.get(url("declaration_remove", board.meeting, declaration_pk=declaration.pk)).content.decode()
    )
    response = staff.post(url("declaration_remove", board.meeting, declaration_pk=declaration.pk), follow=True)
    assert f"Declaration by {person} removed." in messages_of(response)
    assert not Declaration.objects.exists()


def test_the_minutes_cycle_through_the_pages(staff, board):
    meeting = board.meeting
    response = staff.post(url("minutes_start", meeting), follow=True)
    assert response.redirect_chain[-1][0] == url("minutes_version", meeting, version=1)
    entry_url = url("minutes_entry", meeting, version=1, item_pk=board.items.strategy.pk)
    response = staff.post(
        entry_url, {"discussion": "The strategy was discussed.", "resolutions": "Agreed."}, follow=True
    )
    assert "Minute of item 3 saved." in messages_of(response)
    assert "The strategy was discussed." in response.content.decode()

    response = staff.post(url("minutes_publish", meeting, version=1), follow=True)
    assert "Draft minutes published" in messages_of(response)[0]

    quorate(board, board.later)
    page = staff.get(url("minutes_approve", meeting, version=1))
    assert str(board.later) in page.content.decode()
    assert str(meeting) not in [label for _, label in page.context["form"].fields["approving_meeting"].choices]
    response = staff.post(
        url("minutes_approve", meeting, version=1), {"approving_meeting": board.later.pk, "reference": ""}, follow=True
    )
    assert "Minutes approved as a correct record" in messages_of(response)[0]
    assert Minutes.objects.get().status == Minutes.Status.APPROVED
    assert Decision.objects.filter(meeting=board.later).count() == 1

    # Approved minutes cannot be edited: the page says how to correct them.
    response = staff.get(entry_url, follow=True)
    assert "cannot be changed" in messages_of(response)[0]
    response = staff.post(url("minutes_correct", meeting, version=1), {"reason": "A name was misspelt."}, follow=True)
    assert response.redirect_chain[-1][0] == url("minutes_version", meeting, version=2)
    page = staff.get(url("minutes", meeting))
    assert "A name was misspelt." in page.content.decode()
    assert [v.version for v in page.context["versions"]] == [2, 1]


def test_approving_at_a_meeting_not_offered_is_refused(staff, board):
    minutes = Minutes.objects.create(meeting=board.meeting, published_at=timezone.now())
    response = staff.post(
        url("minutes_approve", board.meeting, version=minutes.version), {"approving_meeting": board.meeting.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert Minutes.objects.get().status == Minutes.Status.DRAFT


def test_recording_a_decision_and_an_invalid_one(staff, board):
    response = staff.post(
        url("decisions", board.meeting),
        {
            "agenda_item": board.items.strategy.pk,
            "reference": "ICP/2",
            "wording": "Agreed the refresh.",
            "status": "agreed",
        },
        follow=True,
    )
    assert "Decision recorded (ICP/2)." in messages_of(response)
    response = staff.post(url("decisions", board.meeting), {"reference": "ICP/2", "wording": "", "status": "agreed"})
    assert "Enter the wording of the decision." in response.content.decode()
    response = staff.post(
        url("decisions", board.meeting), {"reference": "ICP/2", "wording": "Again", "status": "agreed"}
    )
    assert "already used" in response.content.decode()
    assert AuditEvent.objects.filter(action="meetings.decision.recorded").count() == 1


def test_setting_an_action_and_closing_it_with_an_update(staff, board):
    response = staff.post(
        url("actions", board.meeting),
        {
            "agenda_item": board.items.strategy.pk,
            "description": "Share the draft strategy with Healthwatch",
            "owner_person": board.seats.healthwatch.person_id,
            "due_date": days_from_now(10).date().isoformat(),
        },
        follow=True,
    )
    assert "Action recorded." in messages_of(response)
    action = Action.objects.get()
    detail = reverse("record:action", kwargs={"slug": board.partnership.slug, "action_pk": action.pk})
    assert staff.get(detail).status_code == 200
    update = reverse("record:action_update", kwargs={"slug": board.partnership.slug, "action_pk": action.pk})
    response = staff.post(update, {"text": "", "status": "done", "written_on": ""})
    assert "Enter the update." in response.content.decode()
    response = staff.post(
        update, {"text": "Shared.", "status": "done", "written_on": timezone.localdate().isoformat()}, follow=True
    )
    assert "Update recorded." in messages_of(response)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.updates.count() == 1


def test_action_needs_an_owner(staff, board):
    response = staff.post(url("actions", board.meeting), {"description": "Do something"})
    assert "Give the action an owner" in response.content.decode()


def test_the_staff_action_log_filters_open_and_closed(staff, board):
    ActionFactory(meeting=board.meeting, description="Still open")
    ActionFactory(meeting=board.meeting, description="Long done", status=Action.Status.DONE)
    log = reverse("record:action_log", kwargs={"slug": board.partnership.slug})
    content = staff.get(log).content.decode()
    assert "Still open" in content and "Long done" not in content and "Open (1)" in content
    content = staff.get(log, {"status": "closed"}).content.decode()
    assert "Long done" in content and "Still open" not in content
    content = staff.get(log, {"status": "nonsense"}).content.decode()
    assert "Still open" in content


def test_the_staff_action_log_names_each_owner_as_the_portal_writes_a_name(staff, board):
    person = PersonFactory(honorific="Cllr", given_name="Jane", family_name="Smith", post_nominals="OBE")
    ActionFactory(meeting=board.meeting, description="Write to the council", owner_person=person)
    content = staff.get(reverse("record:action_log", kwargs={"slug": board.partnership.slug})).content.decode()
    assert "Cllr Jane Smith OBE" in content


def test_record_links_partial(board):
    from django.template.loader import render_to_string

    html = render_to_string("meetings/staff/_record_links.html", {"meeting": board.meeting})
    for name in ("meeting", "attendance", "declarations", "minutes", "decisions", "actions"):
        assert url(name, board.meeting) in html
