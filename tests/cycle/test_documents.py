"""The staff meeting page shows how its PDFs are getting on (publishing.status): building,
ready, or failed with "Try again"; a fragment of it is polled while anything builds."""

import re
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.factories import MeetingFactory
from publishing import services
from publishing.models import PublishedDocument
from publishing.tasks import build_document

Kind, Status = PublishedDocument.Kind, PublishedDocument.Status


def document(meeting, kind=Kind.AGENDA_PACK, status=Status.PENDING, n=1, **kwargs):
    return PublishedDocument.objects.create(
        partnership=meeting.partnership,
        meeting=meeting,
        kind=kind,
        status=status,
        source_version=f"v{n}-{kind}",
        title=f"{kind} {n}",
        page_count=3 if status == Status.DONE else None,
        size=1000 if status == Status.DONE else None,
        **kwargs,
    )


@pytest.fixture
def meeting(cast):
    return MeetingFactory(partnership=cast.partnership, title="Board")


def staff_page(client, cast, meeting):
    client.force_login(cast.secretariat)
    return client.get(reverse("meetings:staff_meeting", args=[cast.partnership.slug, meeting.pk])).content.decode()


def fragment_url(meeting):
    return reverse("publishing:meeting_documents", args=[meeting.partnership.slug, meeting.pk]) + "?fragment=1"


def test_a_meeting_without_pdfs_says_so(client, cast, meeting):
    assert "No PDF has been built yet" in staff_page(client, cast, meeting)


def test_building_documents_are_shown_and_polled(client, cast, meeting):
    document(meeting, status=Status.RUNNING)
    html = staff_page(client, cast, meeting)
    assert "Building" in html
    assert 'data-building="true"' in html
    assert 'src="/static/js/document-status.mjs"' in html


def test_a_ready_document_links_to_its_pdf_and_stops_the_polling(client, cast, meeting):
    ready = document(meeting, status=Status.DONE)
    html = staff_page(client, cast, meeting)
    assert "Ready" in html and ready.get_absolute_url() in html
    assert "data-building" not in html


def test_a_newer_build_shows_building_with_the_version_readers_get_meanwhile(client, cast, meeting):
    ready = document(meeting, status=Status.DONE, n=1)
    document(meeting, status=Status.PENDING, n=2)
    html = staff_page(client, cast, meeting)
    assert "Building" in html
    assert "Until then readers get" in html and ready.get_absolute_url() in html


def test_a_failed_document_offers_to_try_again_and_returns_to_the_meeting(client, cast, meeting):
    failed = document(meeting, status=Status.FAILED, error="WeasyPrint ran out of memory")
    html = staff_page(client, cast, meeting)
    assert "Failed" in html and "WeasyPrint ran out of memory" in html and "Try again" in html
    back = reverse("meetings:staff_meeting", args=[cast.partnership.slug, meeting.pk]) + "#documents"
    response = client.post(reverse("publishing:retry", args=[cast.partnership.slug, failed.pk]), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    failed.refresh_from_db()
    assert failed.status == Status.PENDING  # queued to be built again


def test_try_again_never_sends_the_browser_elsewhere(client, cast, meeting):
    failed = document(meeting, status=Status.FAILED)
    client.force_login(cast.secretariat)
    url = reverse("publishing:retry", args=[cast.partnership.slug, failed.pk])
    response = client.post(url, {"next": "https://evil.example/phish"})
    assert response["Location"] == reverse("publishing:jobs", args=[cast.partnership.slug])


def test_the_fragment_is_the_status_alone(client, cast, meeting):
    document(meeting, status=Status.DONE)
    client.force_login(cast.secretariat)
    response = client.get(fragment_url(meeting))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<div") and "<html" not in html
    assert response["Cache-Control"] == "no-store"


def test_the_status_page_works_without_javascript(client, cast, meeting):
    document(meeting, status=Status.PENDING)
    client.force_login(cast.secretariat)
    response = client.get(reverse("publishing:meeting_documents", args=[cast.partnership.slug, meeting.pk]))
    html = response.content.decode()
    assert "<h1>PDFs of this meeting</h1>" in html and "check their progress" in html


@pytest.mark.parametrize("who", ["chair", "co_chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_sees_the_build_status(client, cast, meeting, who):
    client.force_login(getattr(cast, who))
    assert client.get(fragment_url(meeting)).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, meeting):
    response = client.get(fragment_url(meeting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_partnerships_meeting_is_not_found(client, cast):
    theirs = MeetingFactory(partnership=cast.other_partnership)
    client.force_login(cast.secretariat)
    url = reverse("publishing:meeting_documents", args=[cast.partnership.slug, theirs.pk])
    assert client.get(url).status_code == 404


def test_no_inline_script_on_the_meeting_page(client, cast, meeting):
    document(meeting, status=Status.RUNNING)
    html = staff_page(client, cast, meeting)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_status_costs_the_same_queries_however_many_builds(client, cast, meeting, django_assert_max_num_queries):
    client.force_login(cast.secretariat)
    document(meeting, status=Status.DONE, n=1)
    with django_assert_max_num_queries(10):
        client.get(fragment_url(meeting))
    for n in range(2, 12):
        document(meeting, status=Status.FAILED, n=n, kind=Kind.MEMBERS_PACK)
        document(meeting, status=Status.PENDING, n=n)
    with django_assert_max_num_queries(10):
        client.get(fragment_url(meeting))


def test_without_a_worker_in_debug_publishing_builds_after_the_response(
    settings, meeting, monkeypatch, django_capture_on_commit_callbacks
):
    """`PUBLISHING_BUILD_IN_THREAD`: the request asks for the document and returns; a thread builds."""
    settings.PUBLISHING_BUILD_IN_THREAD = True
    started = []

    class Recorder:
        def __init__(self, target, args, daemon):
            started.append((target, args, daemon))

        def start(self):
            pass

    monkeypatch.setattr(threading, "Thread", Recorder)
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        documents = services.agenda_pack_request(meeting=meeting)
    assert {d.status for d in PublishedDocument.objects.all()} == {Status.PENDING}
    assert sorted(args[1] for _target, args, _daemon in started) == sorted(d.pk for d in documents)
    assert all(daemon for _target, _args, daemon in started)
    assert all(args[0] is build_document for _target, args, _daemon in started)
