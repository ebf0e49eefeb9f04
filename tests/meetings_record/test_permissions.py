"""The permission contract of every staff page of the record: the secretariat may, the
chair, members, other partnerships' members and strangers may not (403), anonymous
visitors are sent to sign in, and another partnership's objects are not found (404)."""

import pytest
from django.urls import reverse

from meetings import record_services as services
from meetings.factories import ActionFactory, DecisionFactory, MeetingFactory
from membership.factories import InterestFactory

from .conftest import days_from_now, quorate


@pytest.fixture
def objects(board):
    """One of everything the staff URLs point at."""
    minutes = services.minutes_start_draft(meeting=board.meeting, actor=None)
    services.minutes_update_entry(
        minutes=minutes, agenda_item=board.items.strategy, discussion="Discussed.", resolutions="", actor=None
    )
    services.minutes_publish_draft(minutes=minutes, actor=None)
    # A second meeting whose minutes are approved, for the correction page.
    approved_meeting = board.later
    approved = services.minutes_start_draft(meeting=approved_meeting, actor=None)
    services.minutes_update_entry(
        minutes=approved,
        agenda_item=board.later_items.minutes,
        discussion="Agreed.",
        resolutions="",
        actor=None,
    )
    services.minutes_publish_draft(minutes=approved, actor=None)
    third = quorate(board, MeetingFactory(partnership=board.partnership, starts_at=days_from_now(0, hour=0)))
    services.minutes_approve(minutes=approved, approving_meeting=third, actor=None)
    interest = InterestFactory(person=board.seats.icb.person)
    declaration = services.declaration_record(
        meeting=board.meeting,
        agenda_item=board.items.strategy,
        person=board.seats.icb.person,
        interest=interest,
        action_taken="noted",
        actor=None,
    )
    slug, pk = board.partnership.slug, board.meeting.pk
    return {
        "slug": slug,
        "pk": pk,
        "declaration_pk": declaration.pk,
        "item_pk": board.items.strategy.pk,
        "decision_pk": DecisionFactory(meeting=board.meeting).pk,
        "action_pk": ActionFactory(meeting=board.meeting).pk,
        "approved_pk": approved_meeting.pk,
    }


def meeting_kwargs(o, **extra):
    return {"slug": o["slug"], "pk": o["pk"], **extra}


# (url name, kwargs, method)
STAFF_URLS = [
    ("record:meeting", lambda o: meeting_kwargs(o), "get"),
    ("record:attendance", lambda o: meeting_kwargs(o), "get"),
    ("record:attendance_add", lambda o: meeting_kwargs(o), "get"),
    ("record:declarations", lambda o: meeting_kwargs(o), "get"),
    ("record:declaration_add", lambda o: meeting_kwargs(o), "get"),
    ("record:declaration_remove", lambda o: meeting_kwargs(o, declaration_pk=o["declaration_pk"]), "get"),
    ("record:minutes", lambda o: meeting_kwargs(o), "get"),
    ("record:minutes_start", lambda o: meeting_kwargs(o), "post"),
    ("record:minutes_version", lambda o: meeting_kwargs(o, version=1), "get"),
    ("record:minutes_entry", lambda o: meeting_kwargs(o, version=1, item_pk=o["item_pk"]), "get"),
    ("record:minutes_publish", lambda o: meeting_kwargs(o, version=1), "post"),
    ("record:minutes_approve", lambda o: meeting_kwargs(o, version=1), "get"),
    ("record:minutes_correct", lambda o: {"slug": o["slug"], "pk": o["approved_pk"], "version": 1}, "get"),
    ("record:decisions", lambda o: meeting_kwargs(o), "get"),
    ("record:actions", lambda o: meeting_kwargs(o), "get"),
    ("record:decision_register", lambda o: {"slug": o["slug"]}, "get"),
    ("record:decision_edit", lambda o: {"slug": o["slug"], "decision_pk": o["decision_pk"]}, "get"),
    ("record:action_log", lambda o: {"slug": o["slug"]}, "get"),
    ("record:action", lambda o: {"slug": o["slug"], "action_pk": o["action_pk"]}, "get"),
    ("record:action_update", lambda o: {"slug": o["slug"], "action_pk": o["action_pk"]}, "post"),
]
IDS = [name for name, _, _ in STAFF_URLS]


def request(client, method, url):
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "kwargs", "method"), STAFF_URLS, ids=IDS)
def test_secretariat_may(client, cast, objects, name, kwargs, method):
    client.force_login(cast.secretariat)
    response = request(client, method, reverse(name, kwargs=kwargs(objects)))
    if method == "get":
        assert response.status_code == 200
    else:  # POST-redirect-GET (refusals come back as a message)
        assert response.status_code in (200, 302)


@pytest.mark.parametrize("who", ["chair", "co_chair", "member", "other_member", "stranger"])
@pytest.mark.parametrize(("name", "kwargs", "method"), STAFF_URLS, ids=IDS)
def test_others_are_forbidden(client, cast, objects, name, kwargs, method, who):
    client.force_login(getattr(cast, who))
    assert request(client, method, reverse(name, kwargs=kwargs(objects))).status_code == 403


@pytest.mark.parametrize(("name", "kwargs", "method"), STAFF_URLS, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, objects, name, kwargs, method):
    url = reverse(name, kwargs=kwargs(objects))
    response = request(client, method, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_partnerships_meeting_is_not_found(client, cast, board):
    foreign = MeetingFactory(partnership=cast.other_partnership, starts_at=days_from_now(-5))
    client.force_login(cast.secretariat)
    url = reverse("record:attendance", kwargs={"slug": cast.partnership.slug, "pk": foreign.pk})
    assert client.get(url).status_code == 404
    url = reverse("record:attendance", kwargs={"slug": cast.other_partnership.slug, "pk": foreign.pk})
    assert client.get(url).status_code == 403
    foreign_action = ActionFactory(meeting=foreign)
    url = reverse("record:action", kwargs={"slug": cast.partnership.slug, "action_pk": foreign_action.pk})
    assert client.get(url).status_code == 404
