import datetime as dt
import io

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from pypdf import PdfReader

from meetings.factories import AgendaItemFactory, MinuteEntryFactory, MinutesFactory, PaperFactory
from publishing import services, status
from publishing.models import PublishedDocument

EXEMPT_TEXT = ["Confidential tender evaluation", "Restricted staffing appendix", "commercially confidential"]


def _pdf(document) -> PdfReader:
    with document.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_agenda_packs_are_built_with_contents_outline_and_metadata(
    published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public, members = services.agenda_pack_request(meeting=published_meeting)
    public.refresh_from_db()
    members.refresh_from_db()
    assert public.status == members.status == "done"
    reader = _pdf(public)
    text = _text(reader)
    assert "Agenda pack" in text and "Population health annual summary" in text
    assert "Exempt under paragraph 3" in text
    assert "Page 1 of" in text
    assert [item.title for item in reader.outline][:2] == [
        "Cover, contents and agenda",
        "1. Population health report: Population health annual summary",
    ]
    assert reader.metadata.title.startswith("Agenda pack: Integrated Care Partnership")
    assert reader.metadata.author == published_meeting.partnership.name
    assert public.page_count == len(reader.pages) and public.sha256 and public.size > 0
    assert public.text == ""  # a pack is not searched by its text: its papers are


def test_public_pack_holds_nothing_exempt_but_the_members_pack_does(
    published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public, members = services.agenda_pack_request(meeting=published_meeting)
    public.refresh_from_db()
    members.refresh_from_db()
    public_text = _text(_pdf(public))
    members_text = _text(_pdf(members))
    for secret in EXEMPT_TEXT:
        assert secret not in public_text
        assert secret not in public.text
        assert secret in members_text or secret in members_text.replace("\n", " ")
    assert public.text == members.text == ""  # packs are not searched by their text: their papers are
    assert not members.is_for_the_public


def test_requesting_twice_yields_one_document_and_building_twice_builds_once(
    published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.agenda_pack_request(meeting=published_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.agenda_pack_request(meeting=published_meeting)
    assert [d.pk for d in first] == [d.pk for d in second]
    assert PublishedDocument.objects.count() == 2
    assert services.document_build(document_pk=first[0].pk) is None  # already done: nothing to do
    first[0].refresh_from_db()
    assert first[0].attempts == 1


def test_a_changed_agenda_makes_a_new_version_that_supersedes_the_old(
    published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old, _ = services.agenda_pack_request(meeting=published_meeting)
    item = AgendaItemFactory(meeting=published_meeting, position=3, title="Late item", is_late=True, urgency_reason="x")
    PaperFactory(agenda_item=item, title="Winter plan")
    with django_capture_on_commit_callbacks(execute=True):
        new, _ = services.agenda_pack_request(meeting=published_meeting)
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.pk != old.pk
    assert old.superseded_by == new
    assert "Winter plan" in _text(_pdf(new))


def test_unpublished_agenda_is_refused(cast):
    from meetings.factories import MeetingFactory

    with pytest.raises(services.PermanentPublishingError, match="not published"):
        services.agenda_pack_request(meeting=MeetingFactory(partnership=cast.partnership))


def test_draft_minutes_pdf_is_marked_draft_and_hides_exempt_minutes(
    published_meeting, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    # Minutes are drafted after the meeting.
    published_meeting.starts_at = timezone.now() - dt.timedelta(days=7)
    published_meeting.ends_at = published_meeting.starts_at + dt.timedelta(hours=2)
    published_meeting.save()
    minutes = MinutesFactory(meeting=published_meeting, published_at=timezone.now())
    items = list(published_meeting.agenda_items.order_by("position"))
    MinuteEntryFactory(minutes=minutes, agenda_item=items[0], discussion="Members welcomed the falls prevention work.")
    MinuteEntryFactory(minutes=minutes, agenda_item=items[1], discussion="Members compared the secret bids in detail.")
    with django_capture_on_commit_callbacks(execute=True):
        document = services.minutes_document_request(minutes=minutes)
    document.refresh_from_db()
    reader = _pdf(document)
    text = _text(reader)
    assert "DRAFT" in text
    assert "falls prevention" in text
    assert "secret bids" not in text and "Community contract award" not in text
    assert "Item 2: exempt under paragraph 3" in text
    assert reader.metadata.title.startswith("Draft minutes:")
    assert reader.trailer["/Root"].get("/StructTreeRoot") is not None  # tagged PDF
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_a_render_failure_is_recorded_and_can_be_retried(
    published_meeting, monkeypatch, django_capture_on_commit_callbacks
):
    from publishing import renderers

    real = renderers.render_agenda_pack

    def broken(*args, **kwargs):
        raise ValueError("the paper's file is missing")

    monkeypatch.setattr(renderers, "render_agenda_pack", broken)
    with django_capture_on_commit_callbacks(execute=True):
        public, _ = services.agenda_pack_request(meeting=published_meeting)
    public.refresh_from_db()
    assert public.status == "failed"
    assert "the paper's file is missing" in public.error
    monkeypatch.setattr(renderers, "render_agenda_pack", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_retry(document=public, user=None)
    public.refresh_from_db()
    assert public.status == "done"


def test_a_dead_broker_keeps_the_request_and_the_sweeper_delivers_it(
    published_meeting, django_capture_on_commit_callbacks, settings
):
    from icp_portal.celery import app

    app.conf.task_always_eager = False
    before = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app.conf.broker_connection_retry_on_startup = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            public, members = services.agenda_pack_request(meeting=published_meeting)
    finally:
        app.conf.broker_url = before
        app.conf.task_always_eager = True
    public.refresh_from_db()
    assert public.status == "pending"  # nothing lost, nothing half-done
    settings.PUBLISHING_PENDING_GRACE_SECONDS = 0
    assert services.documents_sweep() == 2
    public.refresh_from_db()
    assert public.status == "done"


def test_download_headers_and_access(client, cast, published_meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        public, members = services.agenda_pack_request(meeting=published_meeting)
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" not in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    etag = response["ETag"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(public.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(members.get_absolute_url()).status_code == 404
    client.force_login(cast.other_member)
    assert client.get(members.get_absolute_url()).status_code == 404
    client.force_login(cast.member)
    response = client.get(members.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretariat", 200), ("chair", 403), ("member", 403), ("other_member", 403), ("stranger", 403), (None, 302)],
)
def test_jobs_page_is_for_the_secretariat(client, cast, who, status):
    if who:
        client.force_login(getattr(cast, who))
    response = client.get(reverse("publishing:jobs", args=[cast.partnership.slug]))
    assert response.status_code == status


def test_jobs_page_marks_only_the_members_pack_as_members_only(
    client, cast, published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_pack_request(meeting=published_meeting)
    client.force_login(cast.secretariat)
    response = client.get(reverse("publishing:jobs", args=[cast.partnership.slug]))
    assert response.content.decode().count("Members only") == 1


def test_jobs_page_rows_say_what_each_build_did(cast, published_meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        public, members = services.agenda_pack_request(meeting=published_meeting)
    # 11:30pm on 29 March 2026 by UTC is half past midnight on 30 March in London (summer time).
    requested = dt.datetime(2026, 3, 29, 23, 30, 15, tzinfo=dt.UTC)
    PublishedDocument.objects.filter(pk=public.pk).update(
        created_at=requested, started_at=requested, finished_at=requested + dt.timedelta(seconds=2.25)
    )
    PublishedDocument.objects.filter(pk=members.pk).update(status="pending", started_at=None, finished_at=None)
    rows = {job.pk: job for job in status.jobs(cast.partnership.published_documents.values(*status.JOB_FIELDS))}

    public.refresh_from_db()
    built, waiting = rows[public.pk], rows[members.pk]
    assert (built.label, built.colour, built.url) == ("Published", "green", public.get_absolute_url())
    assert built.requested == "30 Mar 2026, 00:30"
    assert built.took == "2.3 s"  # rounded half up, as the floatformat filter rounds
    assert built.pages == f"{public.page_count} pages, {filesizeformat(public.size)}"
    assert (waiting.label, waiting.colour, waiting.url, waiting.took, waiting.pages) == (
        "Waiting to be built",
        "blue",
        "",
        "–",
        "",
    )


def test_a_document_another_worker_is_building_is_not_built_twice(published_meeting, settings):
    """Two workers handed one document (a redelivered message, the sweep racing a worker): the
    second finds it claimed and leaves it, until the first has been silent too long to be alive."""
    settings.PUBLISHING_STALE_AFTER_SECONDS = 600
    document, _ = services.agenda_pack_request(meeting=published_meeting)  # not built: never committed
    now = dt.datetime.now(dt.UTC)
    PublishedDocument.objects.filter(pk=document.pk).update(
        status="running", started_at=now - dt.timedelta(seconds=60), task_id="first-worker", attempts=1
    )

    assert services.document_build(document_pk=document.pk, task_id="second-worker") is None
    document.refresh_from_db()
    assert (document.status, document.task_id, document.attempts, document.file.name) == (
        "running",
        "first-worker",
        1,
        "",
    )

    # The first worker went quiet for longer than a build can take: it is taken to be lost.
    PublishedDocument.objects.filter(pk=document.pk).update(started_at=now - dt.timedelta(seconds=601))
    built = services.document_build(document_pk=document.pk, task_id="second-worker")
    assert (built.status, built.task_id, built.attempts) == ("done", "second-worker", 2)
    assert built.file.name
