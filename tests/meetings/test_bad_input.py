"""Bad input to the meeting pages: implausible dates are refused with a message, the same
meeting or record posted twice is written once, and what must be unique is unique in the
database, so that two requests racing get a form error, never a 500 or a duplicate."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import record_services, services
from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from meetings.models import Action, AgendaItem, Decision, Declaration, Meeting
from membership.factories import MembershipFactory, PersonFactory
from membership.models import Interest
from partnerships.factories import OrganisationFactory, PartnershipFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, cast):
    client.force_login(cast.secretariat)
    return client


def _schedule_data(date: str, title: str = "Partnership board") -> dict:
    return {"title": title, "date": date, "start_time": "14:00", "end_time": "16:00", "is_public": "on"}


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# Dates no partnership could mean


@pytest.mark.parametrize("date", ["3000-01-01", "2205-06-01"])
def test_scheduling_a_meeting_centuries_ahead_is_refused(staff, cast, date):
    response = staff.post(reverse("meetings:staff_schedule", args=[cast.partnership.slug]), _schedule_data(date))
    assert response.status_code == 200
    assert "Enter a date between 1 January 2020 and" in response.content.decode()
    assert not Meeting.objects.exists()


def test_moving_a_meeting_to_1900_is_refused(staff, cast, meeting):
    url = reverse("meetings:staff_meeting_edit", args=[cast.partnership.slug, meeting.pk])
    response = staff.post(url, {**_schedule_data("1900-01-01"), "notice": "Moved."})
    assert response.status_code == 200
    assert "Enter a date between 1 January 2020 and" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.date.year > 2000


def test_a_series_starting_in_3000_is_refused(staff, cast):
    data = {
        "title": "Board",
        "frequency": "quarterly",
        "first_date": "3000-01-01",
        "start_time": "14:00",
        "duration_minutes": "120",
        "is_public": "on",
        "months_ahead": "15",
    }
    response = staff.post(reverse("meetings:staff_series_create", args=[cast.partnership.slug]), data)
    assert response.status_code == 200
    assert "Enter a date between 1 January 2020 and" in response.content.decode()
    assert not cast.partnership.meeting_series.exists()


def _day_data(date: str, sessions: list[tuple[str, str, str]]) -> dict:
    data = {
        "day-date": date,
        "day-title": "ICP meetings day",
        "sessions-TOTAL_FORM_COUNT": "6",
        "sessions-INITIAL_FORM_COUNT": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "12",
    }
    for n, (title, start, end) in enumerate(sessions):
        data |= {
            f"sessions-{n}-title": title,
            f"sessions-{n}-start_time": start,
            f"sessions-{n}-end_time": end,
            f"sessions-{n}-access": "public",
        }
    return data


def test_a_meetings_day_in_3000_is_refused(staff, cast):
    data = _day_data("3000-03-01", [("Formal meeting", "14:00", "16:00")])
    response = staff.post(reverse("meetings:staff_day_create", args=[cast.partnership.slug]), data)
    assert response.status_code == 200
    assert "Enter a date between 1 January 2020 and" in response.content.decode()
    assert not cast.partnership.meetings_days.exists()


def test_an_action_due_in_3000_is_refused(staff, cast):
    held = MeetingFactory(partnership=cast.partnership, starts_at=in_days(-7), status=Meeting.Status.HELD)
    organisation = OrganisationFactory()
    cast.partnership.memberships.update(organisation=organisation)
    url = reverse("record:actions", args=[cast.partnership.slug, held.pk])
    data = {"description": "Report back.", "owner_organisation": organisation.pk, "due_date": "3000-01-01"}
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "Enter a date between 1 January 2020 and" in response.content.decode()
    assert not Action.objects.exists()


# The same meeting scheduled twice


def test_scheduling_the_same_meeting_twice_is_refused_with_a_form_error(staff, cast):
    url = reverse("meetings:staff_schedule", args=[cast.partnership.slug])
    data = _schedule_data(_in_days(40))
    assert staff.post(url, data).status_code == 302
    second = staff.post(url, data)
    assert second.status_code == 200
    assert "already has a meeting called" in second.content.decode()
    assert Meeting.objects.count() == 1


def test_two_sessions_may_start_together_with_different_titles(cast):
    sessions = [
        services.SessionSpec(title="Parallel session: children", start_time=dt.time(10), end_time=dt.time(11)),
        services.SessionSpec(title="Parallel session: adults", start_time=dt.time(10), end_time=dt.time(11)),
    ]
    day = services.meetings_day_create(
        partnership=cast.partnership,
        actor=cast.secretariat,
        date=timezone.localdate() + dt.timedelta(days=30),
        title="Meetings day",
        sessions=sessions,
    )
    assert day.meetings.count() == 2


def test_the_same_title_and_time_in_another_partnership_is_fine(cast):
    other = MeetingFactory(partnership=PartnershipFactory(), title="Partnership board", starts_at=in_days(40))
    mine = services.meeting_schedule(
        partnership=cast.partnership,
        actor=cast.secretariat,
        title="Partnership board",
        starts_at=other.starts_at,
        ends_at=other.ends_at,
    )
    assert mine.pk != other.pk


def test_the_database_refuses_a_second_meeting_with_the_same_title_and_start(cast):
    MeetingFactory(partnership=cast.partnership, title="Partnership board", starts_at=in_days(40))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(partnership=cast.partnership, title="PARTNERSHIP BOARD", starts_at=in_days(40))


def test_two_schedules_racing_give_the_second_a_form_error(cast):
    """The other request's meeting is committed after this one checked, before it inserts:
    the unique constraint stops the insert and the service turns that into the same message."""
    original = Meeting.full_clean

    def racing_full_clean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        MeetingFactory(partnership=self.partnership, title=self.title, starts_at=self.starts_at)

    arguments = {"title": "Partnership board", "starts_at": in_days(40), "ends_at": in_days(40, 16)}
    clash = "already has a meeting called ‘Partnership board’"
    with mock.patch.object(Meeting, "full_clean", racing_full_clean), pytest.raises(ValidationError, match=clash):
        services.meeting_schedule(partnership=cast.partnership, actor=cast.secretariat, **arguments)
    assert Meeting.objects.count() == 0  # the service's transaction, the other row with it, rolled back


# Decision references


def test_the_database_refuses_a_decision_reference_twice_in_a_partnership(cast):
    first = DecisionFactory(meeting=MeetingFactory(partnership=cast.partnership), reference="ICP/2026/14")
    assert first.partnership == cast.partnership
    later = MeetingFactory(partnership=cast.partnership, starts_at=in_days(90))
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(meeting=later, reference="icp/2026/14")


def test_empty_references_and_other_partnerships_references_are_fine(cast):
    meeting = MeetingFactory(partnership=cast.partnership)
    DecisionFactory(meeting=meeting, reference="")
    DecisionFactory(meeting=meeting, reference="")
    DecisionFactory(meeting=meeting, reference="ICP/2026/14")
    DecisionFactory(meeting=MeetingFactory(), reference="ICP/2026/14")
    assert Decision.objects.count() == 4


@pytest.fixture
def held(cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=in_days(-7), status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=meeting, position=1, title="Strategy refresh")
    return meeting


def test_two_decisions_racing_for_a_reference_give_the_second_a_form_error(cast, held):
    """The other request records ICP/2026/14 after this one checked the reference was free."""
    original = record_services.decisions._check_reference
    raced = []

    def racing_check(partnership_id, reference, **kwargs):
        original(partnership_id, reference, **kwargs)
        if not raced:
            raced.append(DecisionFactory(meeting=held, reference=reference))

    clash = "The reference ICP/2026/14 is already used"
    with (
        mock.patch.object(record_services.decisions, "_check_reference", racing_check),
        pytest.raises(record_services.RecordError, match=clash),
    ):
        record_services.decision_record(
            meeting=held, wording="Agreed.", status="agreed", actor=cast.secretariat, reference="ICP/2026/14"
        )
    assert not Decision.objects.exists()  # the service's transaction, the other row with it, rolled back


def test_a_decision_reference_used_before_is_a_form_error(staff, cast, held):
    DecisionFactory(meeting=held, reference="ICP/2026/14")
    url = reverse("record:decisions", args=[cast.partnership.slug, held.pk])
    response = staff.post(url, {"reference": "ICP/2026/14", "wording": "Agreed again.", "status": "agreed"})
    assert response.status_code == 200
    assert "The reference ICP/2026/14 is already used" in response.content.decode()
    assert Decision.objects.count() == 1


# Posting the same form twice (a double click, the browser resending)


def _token(response) -> str:
    page = response.content.decode()
    marker = 'name="form_token" value="'
    assert marker in page, "the form carries no one-time token"
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_adding_an_agenda_item_twice_with_one_form_adds_it_once(staff, cast, meeting):
    url = reverse("meetings:staff_item_add", args=[cast.partnership.slug, meeting.pk])
    data = {"title": "Winter pressures", "purpose": "discussion", "form_token": _token(staff.get(url))}
    assert staff.post(url, data).status_code == 302
    second = staff.post(url, data, follow=True)
    assert second.status_code == 200
    assert "This form was sent twice" in second.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting, title="Winter pressures").count() == 1


def test_recording_a_decision_twice_with_one_form_records_it_once(staff, cast, held):
    url = reverse("record:decisions", args=[cast.partnership.slug, held.pk])
    data = {"wording": "The partnership agreed the plan.", "status": "agreed", "form_token": _token(staff.get(url))}
    assert staff.post(url, data).status_code == 302
    second = staff.post(url, data, follow=True)
    assert "This form was sent twice" in second.content.decode()
    assert Decision.objects.filter(meeting=held).count() == 1


def test_recording_an_action_twice_with_one_form_records_it_once(staff, cast, held):
    organisation = OrganisationFactory()
    cast.partnership.memberships.update(organisation=organisation)
    url = reverse("record:actions", args=[cast.partnership.slug, held.pk])
    data = {"description": "Report back.", "owner_organisation": organisation.pk, "form_token": _token(staff.get(url))}
    assert staff.post(url, data).status_code == 302
    second = staff.post(url, data, follow=True)
    assert "This form was sent twice" in second.content.decode()
    assert Action.objects.filter(meeting=held).count() == 1


def test_recording_a_declaration_twice_with_one_form_records_it_once(staff, cast, held):
    person = PersonFactory()
    MembershipFactory(partnership=cast.partnership, person=person)
    url = reverse("record:declaration_add", args=[cast.partnership.slug, held.pk]) + f"?person={person.pk}"
    data = {
        "agenda_item": held.agenda_items.get().pk,
        "interest": "new",
        "new_category": "financial",
        "new_description": "Shares in a care provider",
        "action_taken": "did_not_vote",
        "form_token": _token(staff.get(url)),
    }
    assert staff.post(url, data).status_code == 302
    second = staff.post(url, data, follow=True)
    assert "This form was sent twice" in second.content.decode()
    assert Declaration.objects.filter(meeting=held).count() == 1
    assert Interest.objects.filter(person=person).count() == 1  # nor a second entry on their register


def test_a_refused_post_does_not_use_up_its_token(staff, cast, meeting):
    url = reverse("meetings:staff_item_add", args=[cast.partnership.slug, meeting.pk])
    token = _token(staff.get(url))
    refused = staff.post(url, {"title": "", "purpose": "discussion", "form_token": token})
    assert refused.status_code == 200
    assert _token(refused) == token  # the corrected form is the same form
    assert (
        staff.post(url, {"title": "Winter pressures", "purpose": "discussion", "form_token": token}).status_code == 302
    )
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_each_new_form_gets_its_own_token(staff, cast, meeting):
    url = reverse("meetings:staff_item_add", args=[cast.partnership.slug, meeting.pk])
    first, second = _token(staff.get(url)), _token(staff.get(url))
    assert first != second
    for token in (first, second):
        staff.post(url, {"title": "Winter pressures", "purpose": "discussion", "form_token": token})
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2
