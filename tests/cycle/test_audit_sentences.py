"""The audit trail reads as sentences with names and dates (membership.audit_sentences)."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from meetings import services as meeting_services
from meetings.factories import AgendaItemFactory, MeetingFactory
from membership.audit_sentences import audit_sentence, audit_when
from membership.factories import UserFactory


def event(action, changes=None, object_repr="", actor=None):
    return AuditEvent(action=action, changes=changes or {}, object_repr=object_repr, actor=actor)


@pytest.fixture
def jo(db):
    return UserFactory(first_name="Jo", last_name="Smith", username="jo")


def test_an_item_made_exempt_says_so_with_its_number_and_paragraph(jo):
    made = event(
        "meetings.agenda.item_updated",
        {"is_exempt": [False, True], "exempt_paragraph": [None, 3], "exempt_reason": ["", "Contract"]},
        "7. Community services contract",
        jo,
    )
    assert audit_sentence(made) == "Jo Smith made item 7 exempt under paragraph 3."


def test_an_item_made_public_again(jo):
    lifted = event("meetings.agenda.item_updated", {"is_exempt": [True, False]}, "4. Estates", jo)
    assert audit_sentence(lifted) == "Jo Smith made item 4 public: it is no longer exempt."


def test_other_changes_to_an_item_name_the_fields(jo):
    changed = event("meetings.agenda.item_updated", {"title": ["A", "B"], "change_reason": "Typo"}, "2. B", jo)
    assert audit_sentence(changed) == "Jo Smith changed item 2 (title)."


def test_an_exempt_item_added(jo):
    added = event(
        "meetings.agenda.item_added",
        {"position": 5, "title": "Land sale", "is_exempt": True, "exempt_paragraph": 3},
        "5. Land sale",
        jo,
    )
    assert audit_sentence(added) == "Jo Smith added item 5 (Land sale) to the agenda, exempt under paragraph 3."


def test_a_paper_withheld(jo):
    withheld = event("meetings.paper.updated", {"restricted": [False, True]}, "Bid appendix", jo)
    assert audit_sentence(withheld) == "Jo Smith withheld the paper Bid appendix from the public."


def test_membership_and_declarations(jo):
    assert (
        audit_sentence(event("membership.membership.ended", {}, "Ann Member on Board ICP", jo))
        == "Jo Smith ended the membership of Ann Member on Board ICP."
    )
    declared = event("meetings.declaration.recorded", {"person": "Ann Member", "item": 3}, "Declaration", jo)
    assert audit_sentence(declared) == "Jo Smith recorded Ann Member's declaration of an interest in item 3."


def test_an_action_without_a_sentence_is_read_from_its_name(jo):
    section = event("strategy.section.added", {}, "Start well", jo)
    assert audit_sentence(section) == "Jo Smith added the section Start well."
    assert "strategy." not in audit_sentence(event("strategy.version.published", {}, "Our plan (version 2)", jo))


def test_what_the_portal_did_itself(db):
    assert audit_sentence(event("meetings.agenda.reordered", {}, "Board, 1 May 2026")).startswith("The portal ")


def test_an_account_without_a_full_name_is_named_by_its_username(db):
    clerk = UserFactory(first_name="", last_name="", username="clerk")
    assert audit_sentence(event("meetings.meeting.scheduled", {}, "Board", clerk)) == "clerk scheduled Board."


def test_the_date_is_in_words_in_local_time(db):
    moment = dt.datetime(2026, 11, 30, 14, 5, tzinfo=dt.UTC)  # GMT in winter: the same wall clock
    assert audit_when(AuditEvent(created_at=moment)) == "Monday 30 November 2026 at 14:05"


def test_the_audit_trail_page_shows_a_real_change_as_a_sentence(client, cast):
    clerk = cast.secretariat
    clerk.first_name, clerk.last_name = "Jo", "Smith"
    clerk.save()
    meeting = MeetingFactory(partnership=cast.partnership)
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    item = AgendaItemFactory(meeting=meeting, position=2, title="Contract")
    meeting_services.agenda_item_update(
        item=item,
        actor=clerk,
        title="Contract",
        purpose=item.purpose,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive.",
    )
    client.force_login(clerk)
    html = client.get(reverse("workspace:audit", args=[cast.partnership.slug])).content.decode()
    assert "Jo Smith made item 2 exempt under paragraph 3." in html
    assert 'class="nhsuk-table-responsive"' in html
    assert "meetings.agenda.item_updated" not in html


def test_another_partnerships_events_stay_out(client, cast):
    audit_record(actor=None, action="meetings.meeting.scheduled", partnership=cast.other_partnership)
    client.force_login(cast.secretariat)
    html = client.get(reverse("workspace:audit", args=[cast.partnership.slug])).content.decode()
    assert "The portal scheduled" not in html


@pytest.mark.parametrize("who", ["chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_reads_the_audit_trail(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("workspace:audit", args=[cast.partnership.slug])).status_code == 403


def test_the_audit_trail_costs_the_same_queries_for_a_full_page(client, cast, django_assert_max_num_queries):
    client.force_login(cast.secretariat)
    url = reverse("workspace:audit", args=[cast.partnership.slug])
    audit_record(actor=cast.secretariat, action="meetings.meeting.scheduled", partnership=cast.partnership)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(60):
        actor = UserFactory() if n % 2 else cast.secretariat
        audit_record(actor=actor, action="strategy.section.added", partnership=cast.partnership)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
