"""The secretariat's meeting pages: who may use them, and what they do."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from meetings.models import AgendaItem, Meeting, MeetingSeries

from .conftest import body, in_days, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1)
    paper = PaperFactory(agenda_item=item)
    series = MeetingSeries.objects.create(
        partnership=cast.partnership, title="Quarterly", first_date=dt.date(2026, 1, 15), start_time=dt.time(14)
    )
    return {"meeting": meeting, "item": item, "paper": paper, "series": series}


def _get_urls(cast, objects):
    slug, pk = cast.partnership.slug, objects["meeting"].pk
    item, paper = objects["item"].pk, objects["paper"].pk
    return [
        reverse("meetings:staff_list", args=[slug]),
        reverse("meetings:staff_schedule", args=[slug]),
        reverse("meetings:staff_day_create", args=[slug]),
        reverse("meetings:staff_series_create", args=[slug]),
        reverse("meetings:staff_series", args=[slug, objects["series"].pk]),
        reverse("meetings:staff_meeting", args=[slug, pk]),
        reverse("meetings:staff_meeting_edit", args=[slug, pk]),
        reverse("meetings:staff_meeting_cancel", args=[slug, pk]),
        reverse("meetings:staff_publish", args=[slug, pk]),
        reverse("meetings:staff_item_add", args=[slug, pk]),
        reverse("meetings:staff_item_edit", args=[slug, pk, item]),
        reverse("meetings:staff_item_remove", args=[slug, pk, item]),
        reverse("meetings:staff_paper_upload", args=[slug, pk, item]),
        reverse("meetings:staff_paper_replace", args=[slug, pk, paper]),
        reverse("meetings:staff_paper_edit", args=[slug, pk, paper]),
    ]


def _post_urls(cast, objects):
    slug, pk, item = cast.partnership.slug, objects["meeting"].pk, objects["item"].pk
    return [
        (reverse("meetings:staff_item_move", args=[slug, pk, item]), {"direction": "down"}),
        (reverse("meetings:staff_standard_items", args=[slug, pk]), {}),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("secretariat", 200),
        ("chair", 403),
        ("co_chair", 403),
        ("member", 403),
        ("other_member", 403),
        ("stranger", 403),
        (None, 302),
    ],
)
def test_permission_matrix(client, cast, objects, who, expected):
    if who:
        client.force_login(getattr(cast, who))
    for url in _get_urls(cast, objects):
        response = client.get(url)
        assert response.status_code == expected, url
        if who is None:
            assert response["Location"].startswith(reverse("login") + "?next=")
    for url, data in _post_urls(cast, objects):
        response = client.post(url, data)
        assert response.status_code == (302 if expected == 200 else expected), url
        if who is None:
            assert response["Location"].startswith(reverse("login") + "?next=")


def test_another_partnerships_meeting_is_not_found(client, cast):
    client.force_login(cast.secretariat)
    elsewhere = MeetingFactory(partnership=cast.other_partnership)
    item = AgendaItemFactory(meeting=elsewhere, position=1)
    mine = MeetingFactory(partnership=cast.partnership)
    slug = cast.partnership.slug
    assert client.get(reverse("meetings:staff_meeting", args=[slug, elsewhere.pk])).status_code == 404
    assert client.get(reverse("meetings:staff_item_edit", args=[slug, mine.pk, item.pk])).status_code == 404
    assert client.get(reverse("meetings:staff_list", args=[cast.other_partnership.slug])).status_code == 403
    assert client.get(reverse("meetings:staff_list", args=["no-such-partnership"])).status_code == 404


def test_list_shows_deadlines_status_and_due_soon(client, cast):
    client.force_login(cast.secretariat)
    due = MeetingFactory(partnership=cast.partnership, title="Soon meeting", starts_at=in_days(9))
    MeetingFactory(partnership=cast.partnership, title="Far meeting", starts_at=in_days(120))
    published = MeetingFactory(partnership=cast.partnership, title="Published meeting", starts_at=in_days(40))
    AgendaItemFactory(meeting=published, position=1)
    services.agenda_publish(meeting=published, actor=cast.secretariat)
    late = MeetingFactory(partnership=cast.partnership, title="Late meeting", starts_at=in_days(-20))
    late.agenda_published_at = in_days(-21)
    late.save()
    MeetingFactory(partnership=cast.partnership, title="Forgotten meeting", starts_at=in_days(-40))
    response = client.get(reverse("meetings:staff_list", args=[cast.partnership.slug]))
    content = response.content.decode()
    assert "Agendas due soon" in content
    due_panel = content.split("Agendas due soon")[1].split("Upcoming meetings")[0]
    assert "Soon meeting" in due_panel and "Far meeting" not in due_panel
    for status in ("Due", "Published on time", "Published late", "Not published"):
        assert f">{status}</strong>" in content
    assert f"{due.publication_deadline:%a %-d %b %Y}" in content


def test_schedule_a_meeting_through_the_form(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_schedule", args=[cast.partnership.slug])
    day = timezone.localdate() + dt.timedelta(days=45)
    data = {"title": "Partnership board", "date": day.isoformat(), "start_time": "14:00", "end_time": "13:00"}
    response = client.post(url, {**data, "venue": "County Hall", "is_public": "on"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "The end time must be after the start time." in content
    assert 'value="County Hall"' in content and 'value="Partnership board"' in content  # nothing typed is lost
    assert not Meeting.objects.exists()

    response = client.post(url, {**data, "end_time": "16:00", "venue": "County Hall", "is_public": "on"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:staff_meeting", args=[cast.partnership.slug, meeting.pk])
    assert meeting.date == day and meeting.is_public
    assert timezone.localtime(meeting.starts_at).time() == dt.time(14)


def test_schedule_refuses_a_past_date_unless_recorded_after_the_event(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_schedule", args=[cast.partnership.slug])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = {"title": "Board", "date": yesterday.isoformat(), "start_time": "14:00", "end_time": "16:00"}
    response = client.post(url, data)
    assert "The date is in the past. If the meeting has already been held" in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(url, {**data, "recorded_after_event": "on"}, follow=True)
    assert "recorded after the event, so its agenda has no publication deadline" in response.content.decode()
    assert Meeting.objects.get().recorded_after_event


def test_meetings_day_form(client, cast):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_day_create", args=[cast.partnership.slug])
    day = timezone.localdate() + dt.timedelta(days=50)
    data = {
        "day-date": day.isoformat(),
        "day-title": "ICP meetings day",
        "day-venue": "Civic Centre",
        "sessions-TOTAL_FORMS": "6",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "12",
    }
    for n in range(6):
        data[f"sessions-{n}-access"] = "public"
    response = client.post(url, data)
    assert "Add at least one session." in response.content.decode()
    data.update({"sessions-2-title": "Formal ICP meeting", "sessions-2-start_time": "14:00"})
    response = client.post(url, data)
    content = response.content.decode()
    assert "Enter the end time." in content and 'href="#id_sessions-2-end_time"' in content
    assert 'value="Formal ICP meeting"' in content
    data.update(
        {
            "sessions-1-title": "Chief executives",
            "sessions-1-start_time": "09:00",
            "sessions-1-end_time": "10:30",
            "sessions-1-access": "private",
            "sessions-2-end_time": "16:00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert [(m.title, m.is_public) for m in meetings] == [("Chief executives", False), ("Formal ICP meeting", True)]


def test_series_form_creates_and_generates(client, cast):
    client.force_login(cast.secretariat)
    first = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("meetings:staff_series_create", args=[cast.partnership.slug]),
        {
            "title": "ICP",
            "frequency": "quarterly",
            "first_date": first.isoformat(),
            "start_time": "10:00",
            "duration_minutes": "120",
            "is_public": "on",
            "months_ahead": "15",
        },
    )
    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert series.meetings.count() == 5  # the first date, then every three months for 15 months
    url = reverse("meetings:staff_series", args=[cast.partnership.slug, series.pk])
    response = client.post(url, {"months_ahead": "15"}, follow=True)
    assert "No meetings added" in response.content.decode()
    assert series.meetings.count() == 5


def test_build_an_agenda_through_the_pages(client, cast, meeting):
    client.force_login(cast.secretariat)
    slug, pk = cast.partnership.slug, meeting.pk
    response = client.post(reverse("meetings:staff_standard_items", args=[slug, pk]), follow=True)
    assert "Added: Welcome and apologies for absence" in response.content.decode()

    add = reverse("meetings:staff_item_add", args=[slug, pk])
    response = client.post(add, {"title": "Contract award", "purpose": "decision", "is_exempt": "on"})
    content = response.content.decode()
    assert "Choose the Schedule 12A paragraph" in content and "Give the public interest reason" in content
    response = client.post(
        add,
        {
            "title": "Contract award",
            "purpose": "decision",
            "is_exempt": "on",
            "exempt_paragraph": "3",
            "exempt_reason": "Tender prices.",
        },
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get(title="Contract award")
    # A new item lands before "Any other business", which stays last.
    assert item.number == 5 and item.exempt_paragraph == 3
    assert meeting.agenda_items.get(standard=AgendaItem.Standard.AOB).number == 6

    # Moved below it on purpose, then back up.
    client.post(reverse("meetings:staff_item_move", args=[slug, pk, item.pk]), {"direction": "down"})
    item.refresh_from_db()
    assert item.number == 6
    client.post(reverse("meetings:staff_item_move", args=[slug, pk, item.pk]), {"direction": "up"})
    item.refresh_from_db()
    assert item.number == 5

    upload = reverse("meetings:staff_paper_upload", args=[slug, pk, item.pk])
    response = client.post(upload, {"title": "Tender evaluation", "file": pdf_file("notes.pdf", b"plain text")})
    content = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in content
    assert "This file is not a PDF" in content and 'value="Tender evaluation"' in content
    response = client.post(upload, {"title": "Tender evaluation", "file": pdf_file("tender.pdf")})
    assert response.status_code == 302
    paper = item.papers.get()

    replace = reverse("meetings:staff_paper_replace", args=[slug, pk, paper.pk])
    response = client.post(replace, {"file": pdf_file("tender-v2.pdf", minimal_pdf("v2"))})
    assert "Say why the paper is being replaced." in response.content.decode()
    client.post(replace, {"file": pdf_file("tender-v2.pdf", minimal_pdf("v2")), "reason": "Added scores"})
    page = client.get(reverse("meetings:staff_meeting", args=[slug, pk])).content.decode()
    assert "Versions of Tender evaluation" in page and "Added scores" in page
    assert '{% include "meetings/staff/_record_links.html" %}' not in page

    publish = reverse("meetings:staff_publish", args=[slug, pk])
    assert "Publish the agenda" in client.get(publish).content.decode()
    response = client.post(publish, follow=True)
    assert "Agenda published." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_is_published and meeting.agenda_published_by == cast.secretariat

    # After publication the add form asks for the chair's reason.
    response = client.post(add, {"title": "Winter plan", "purpose": "decision"})
    assert "reason for considering this late item" in response.content.decode()
    response = client.post(add, {"title": "Winter plan", "purpose": "decision", "urgency_reason": "Deadline 1 Dec."})
    assert meeting.agenda_items.get(title="Winter plan").is_late


def test_cancel_form_needs_a_notice(client, cast, meeting):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_meeting_cancel", args=[cast.partnership.slug, meeting.pk])
    response = client.post(url, {"outcome": "cancel"})
    assert "Say publicly why" in response.content.decode()
    response = client.post(url, {"outcome": "cancel", "notice": "Not quorate."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_edit_form_requires_a_notice_when_the_date_moves(client, cast, meeting):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_meeting_edit", args=[cast.partnership.slug, meeting.pk])
    new_day = meeting.date + dt.timedelta(days=7)
    data = {"title": meeting.title, "date": new_day.isoformat(), "start_time": "14:00", "end_time": "16:00"}
    response = client.post(url, data)
    assert "say publicly that the meeting has moved" in response.content.decode()
    response = client.post(url, {**data, "notice": "Moved by a week."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == new_day and meeting.notice == "Moved by a week."


def test_staff_can_download_any_version(client, cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1, exempt=True)
    paper = PaperFactory(agenda_item=item)
    client.force_login(cast.secretariat)
    response = client.get(reverse("meetings:paper", args=[paper.current_version.token]))
    assert response.status_code == 200 and body(response).startswith(b"%PDF-")


def test_the_agenda_links_each_item_and_paper_to_its_own_pages(client, cast, meeting):
    # An item without papers first, so that no paper shares its id with its item.
    AgendaItemFactory(meeting=meeting, position=3, title="Any other business")
    first = AgendaItemFactory(meeting=meeting, position=1, title="Winter plan")
    second = AgendaItemFactory(meeting=meeting, position=2, title="Estates")
    replaced = PaperFactory(agenda_item=first, title="Winter plan 2026")
    services.paper_replace(paper=replaced, actor=cast.secretariat, file=pdf_file(), reason="Corrected figures")
    single = PaperFactory(agenda_item=second, title="Estates review")
    client.force_login(cast.secretariat)
    page = client.get(reverse("meetings:staff_meeting", args=[cast.partnership.slug, meeting.pk])).content.decode()

    slug, pk = cast.partnership.slug, meeting.pk
    for item in (first, second):
        for name in ("staff_paper_upload", "staff_paper_reuse", "staff_item_edit", "staff_item_remove"):
            assert f'href="{reverse(f"meetings:{name}", args=[slug, pk, item.pk])}"' in page
    # Unpublished: items move by buttons, each form posting to its own item.
    assert f'action="{reverse("meetings:staff_item_move", args=[slug, pk, first.pk])}"' in page
    assert f'action="{reverse("meetings:staff_item_move", args=[slug, pk, second.pk])}"' in page
    for paper in (replaced, single):
        paper.refresh_from_db()
        assert f'href="{reverse("meetings:paper", args=[paper.current_version.token])}">{paper.title}</a>' in page
        for name in ("staff_paper_replace", "staff_paper_edit", "staff_paper_path"):
            assert f'href="{reverse(f"meetings:{name}", args=[slug, pk, paper.pk])}"' in page
    # Every version of the paper replaced, each by its own link; none listed for the other.
    assert "Versions of Winter plan 2026" in page and "Versions of Estates review" not in page
    for version in replaced.versions.all():
        assert f'href="{reverse("meetings:paper", args=[version.token])}">Version {version.number}</a>' in page
