"""What the public may read of a meeting's record, and what they never may: exempt items'
minutes, decisions and actions, unpublished drafts. Members see exempt material, marked."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import record_services as services
from meetings.factories import ActionFactory, AgendaItemFactory, AttendanceFactory, DecisionFactory, MinuteEntryFactory
from meetings.models import Declaration, Meeting
from meetings.record import public_record
from membership.factories import InterestFactory, PersonFactory

from .conftest import meeting_on, quorate

SECRETS = [
    "Secret contract with Acme Widgets",  # the exempt item's title
    "SECRET-MINUTE-TEXT",
    "SECRET-RESOLUTION",
    "SECRET-DECISION-WORDING",
    "SECRET-ACTION-TEXT",
    "SECRET-CARRIED-ACTION",
    "SECRET-INTEREST",
]
PUBLIC = ["PUBLIC-MINUTE-TEXT", "PUBLIC-DECISION-WORDING", "PUBLIC-ACTION-TEXT", "PUBLIC-CARRIED-ACTION"]


@pytest.fixture
def recorded(board):
    """A meeting with everything recorded, on a public item and on the exempt item 2."""
    meeting, items, seats = board.meeting, board.items, board.seats
    for name in ("icb", "council", "healthwatch"):
        AttendanceFactory(meeting=meeting, person=getattr(seats, name).person)
    minutes = services.minutes_start_draft(meeting=meeting, actor=None)
    services.minutes_update_entry(
        minutes=minutes,
        agenda_item=items.exempt,
        discussion="SECRET-MINUTE-TEXT",
        resolutions="SECRET-RESOLUTION",
        actor=None,
    )
    services.minutes_update_entry(
        minutes=minutes, agenda_item=items.strategy, discussion="PUBLIC-MINUTE-TEXT", resolutions="Agreed.", actor=None
    )
    services.minutes_publish_draft(minutes=minutes, actor=None)
    # Item 2 was not quorate (the ICB member left the room): its decisions say so.
    DecisionFactory(meeting=meeting, agenda_item=items.exempt, wording="SECRET-DECISION-WORDING", inquorate=True)
    DecisionFactory(meeting=meeting, agenda_item=items.exempt, wording="SECRET-DECISION-WORDING again", inquorate=True)
    DecisionFactory(meeting=meeting, agenda_item=items.strategy, wording="PUBLIC-DECISION-WORDING", reference="ICP/7")
    ActionFactory(meeting=meeting, agenda_item=items.exempt, description="SECRET-ACTION-TEXT")
    ActionFactory(meeting=meeting, agenda_item=items.strategy, description="PUBLIC-ACTION-TEXT")
    ActionFactory(meeting=meeting, agenda_item=items.exempt, description="SECRET-CARRIED-ACTION")
    ActionFactory(meeting=meeting, agenda_item=items.strategy, description="PUBLIC-CARRIED-ACTION")
    Declaration.objects.create(
        meeting=meeting,
        agenda_item=items.exempt,
        person=seats.icb.person,
        interest=InterestFactory(person=seats.icb.person),
        description="SECRET-INTEREST in the contractor",
        action_taken=Declaration.ActionTaken.LEFT_THE_ROOM,
    )
    return board


def render_record(meeting, **kwargs) -> str:
    return render_to_string(
        "meetings/public/_record.html", {"meeting": meeting, "record": public_record(meeting, **kwargs)}
    )


def test_exempt_material_never_reaches_the_public_record(recorded):
    html = render_record(recorded.meeting)
    for secret in SECRETS:
        assert secret not in html
    assert "Item 2: exempt under paragraph 3" in html
    for text in PUBLIC:
        assert text in html
    assert "DRAFT – not yet approved as a correct record" in html
    assert "Quorate: 3 of 6 voting members present, 3 needed, including an ICB member and a council member" in html
    assert f"{recorded.seats.icb.person} declared an interest in Item 2: exempt under paragraph 3." in html
    # The ICB member left the room for the exempt item: its quorum is shown by number only.
    assert (
        "Item 2: exempt under paragraph 3. Not quorate: 2 of 6 voting members present, 3 needed; "
        "no ICB member present" in html
    )
    # The exempt item's decisions collapse into one line with no text.
    assert html.count("Item 2: exempt under paragraph 3") == 5  # declaration, quorum, minute, decisions, actions


def test_carried_forward_actions_on_the_next_meetings_action_log(recorded):
    html = render_record(recorded.later)
    assert "PUBLIC-CARRIED-ACTION" in html and "PUBLIC-ACTION-TEXT" in html
    for secret in SECRETS:
        assert secret not in html
    assert "Item 2: Action log" in html


def test_members_see_exempt_material_marked(recorded):
    html = render_record(recorded.meeting, include_exempt=True)
    for secret in SECRETS:
        assert secret in html
    assert "Exempt: not published" in html
    assert "SECRET-CARRIED-ACTION" in render_record(recorded.later, include_exempt=True)


def test_nothing_before_the_meeting_and_nothing_of_a_private_one(recorded):
    upcoming = meeting_on(recorded.partnership, 5)
    record = public_record(upcoming)
    assert not record and record.is_upcoming
    assert "appears here after the meeting" in render_record(upcoming)
    recorded.meeting.is_public = False
    recorded.meeting.save()
    assert not public_record(recorded.meeting)
    assert "PUBLIC-MINUTE-TEXT" not in render_record(recorded.meeting)
    assert public_record(recorded.meeting, include_exempt=True)


def test_approved_minutes_say_where_they_were_approved(recorded):
    quorate(recorded, recorded.later)
    minutes = recorded.meeting.minutes_versions.get()
    services.minutes_approve(minutes=minutes, approving_meeting=recorded.later, actor=None)
    html = render_record(recorded.meeting)
    assert "Approved as a correct record at the meeting held on" in html
    assert f"{recorded.later.starts_at:%-d %B %Y}" in html
    assert "DRAFT" not in html
    for secret in SECRETS:
        assert secret not in html


def test_logged_out_public_pages_never_show_exempt_material(client, recorded):
    slug = recorded.partnership.slug
    pages = [
        reverse("record:public_decisions", kwargs={"slug": slug}),
        reverse("record:public_actions", kwargs={"slug": slug}) + "?status=all",
        reverse("meetings:meeting", kwargs={"slug": slug, "pk": recorded.meeting.pk}),
        reverse("meetings:meeting", kwargs={"slug": slug, "pk": recorded.later.pk}),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        for secret in SECRETS:
            assert secret not in content, (page, secret)
    decisions = client.get(pages[0]).content.decode()
    assert "PUBLIC-DECISION-WORDING" in decisions and "ICP/7" in decisions
    actions = client.get(pages[1]).content.decode()
    assert "PUBLIC-ACTION-TEXT" in actions and "PUBLIC-CARRIED-ACTION" in actions


def test_a_member_sees_exempt_entries_in_the_registers(client, cast, recorded):
    client.force_login(cast.member)
    slug = recorded.partnership.slug
    decisions = client.get(reverse("record:public_decisions", kwargs={"slug": slug})).content.decode()
    assert "SECRET-DECISION-WORDING" in decisions and "Exempt: not published" in decisions
    actions = client.get(reverse("record:public_actions", kwargs={"slug": slug})).content.decode()
    assert "SECRET-ACTION-TEXT" in actions and "Exempt: not published" in actions
    # Someone from another partnership is the public here.
    client.force_login(cast.other_member)
    decisions = client.get(reverse("record:public_decisions", kwargs={"slug": slug})).content.decode()
    assert "SECRET-DECISION-WORDING" not in decisions


def test_registers_leave_out_private_sessions_and_future_meetings(client, board):
    private = meeting_on(board.partnership, -10, is_public=False)
    DecisionFactory(meeting=private, wording="PRIVATE-SESSION-DECISION")
    ActionFactory(meeting=private, description="PRIVATE-SESSION-ACTION")
    future = meeting_on(board.partnership, 10)
    DecisionFactory(meeting=future, wording="FUTURE-DECISION")
    slug = board.partnership.slug
    decisions = client.get(reverse("record:public_decisions", kwargs={"slug": slug})).content.decode()
    actions = client.get(reverse("record:public_actions", kwargs={"slug": slug})).content.decode()
    assert "PRIVATE-SESSION-DECISION" not in decisions and "FUTURE-DECISION" not in decisions
    assert "PRIVATE-SESSION-ACTION" not in actions
    assert "No decisions have been published yet." in decisions


def test_registers_paginate(client, board):
    for number in range(30):
        DecisionFactory(meeting=board.meeting, wording=f"Decision number {number:02d}")
    url = reverse("record:public_decisions", kwargs={"slug": board.partnership.slug})
    first = client.get(url)
    assert first.context["page"].paginator.num_pages == 2
    assert "Page 2 of 2" in first.content.decode()
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 5
    assert client.get(url, {"page": "x"}).status_code == 200


def test_the_action_log_pages_each_filter_by_its_own_count(client, board):
    for number in range(27):
        ActionFactory(meeting=board.meeting, description=f"Open action {number:02d}")
    for number in range(3):
        ActionFactory(meeting=board.meeting, description=f"Closed action {number:02d}", status="done")
    url = reverse("record:public_actions", kwargs={"slug": board.partnership.slug})
    pages = {status: client.get(url, {"status": status}).context["page"] for status in ("open", "closed", "all")}
    assert {status: page.paginator.count for status, page in pages.items()} == {"open": 27, "closed": 3, "all": 30}
    assert {status: page.paginator.num_pages for status, page in pages.items()} == {"open": 2, "closed": 1, "all": 2}
    last_open = client.get(url, {"status": "open", "page": 2}).context["page"]
    assert len(last_open.object_list) == 2 and not last_open.has_next()


def test_unknown_partnership_is_not_found(client, db):
    assert client.get(reverse("record:public_decisions", kwargs={"slug": "atlantis"})).status_code == 404


def grow(board, size: int):
    """`size` of everything on the meeting (half of it on exempt items), all carried forward
    to the next meeting's action log."""
    meeting = board.meeting
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(), status="substitute", substitute_for=board.seats.vcse.person
    )
    minutes = services.minutes_start_draft(meeting=meeting, actor=None)
    for number in range(size):
        item = AgendaItemFactory(meeting=meeting, position=10 + number, exempt=number % 2 == 0)
        MinuteEntryFactory(minutes=minutes, agenda_item=item, discussion=f"Minute {number}")
        person = PersonFactory()
        AttendanceFactory(meeting=meeting, person=person, status="in_attendance", capacity="Officer")
        Declaration.objects.create(meeting=meeting, agenda_item=item, person=person, description="An interest")
        DecisionFactory(meeting=meeting, agenda_item=item)
        ActionFactory(meeting=meeting, agenda_item=item, owner_person=person)
    services.minutes_publish_draft(minutes=minutes, actor=None)


@pytest.mark.parametrize("size", [1, 12])
def test_public_record_queries_do_not_grow(board, size):
    grow(board, size)
    counts = []
    for pk in (board.meeting.pk, board.later.pk):
        meeting = Meeting.objects.select_related("partnership").get(pk=pk)
        with CaptureQueriesContext(connection) as queries:
            render_record(meeting)
        counts.append(len(queries))
    # The meeting: agenda items, minutes versions, their entries, attendance, memberships,
    # declarations, decisions, actions. The next meeting has no minutes yet, and adds the
    # actions carried forward to its action log.
    assert counts == [8, 8]


@pytest.mark.parametrize("size", [1, 30])
def test_public_register_queries_do_not_grow(client, board, django_assert_max_num_queries, size):
    grow(board, size)
    slug = board.partnership.slug
    with django_assert_max_num_queries(5):
        assert client.get(reverse("record:public_decisions", kwargs={"slug": slug})).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("record:public_actions", kwargs={"slug": slug}), {"status": "all"}).status_code == 200


def test_registers_are_cached_publicly_only_for_anonymous_visitors(client, cast, board):
    url = reverse("record:public_decisions", kwargs={"slug": board.partnership.slug})
    response = client.get(url)
    assert "public" in response["Cache-Control"] and response.has_header("ETag")
    client.force_login(cast.member)  # may read exempt material: never in a shared cache
    assert "private" in client.get(url)["Cache-Control"]
