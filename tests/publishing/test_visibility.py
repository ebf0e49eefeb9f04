"""Who may read a published document is decided when it is read, from its source.

Each test here reproduces a finding of the security review: private sessions' documents
were public, superseded packs kept withdrawn material public, and the public pack said
more about an exempt item than the public agenda does."""

import io
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import services as meeting_services
from meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MinuteEntryFactory,
    MinutesFactory,
    PaperFactory,
    minimal_pdf,
)
from meetings.models import AgendaItem, Meeting
from publishing import renderers, services, visibility
from publishing.models import PublishedDocument


def _text(response) -> str:
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _publish_packs(meeting, capture):
    with capture(execute=True):
        documents = services.agenda_pack_request(meeting=meeting)
    for document in documents:
        document.refresh_from_db()
    return documents


def _search(client, words) -> str:
    """What the public search page lists for `words` (the query itself aside)."""
    response = client.get(reverse("publishing:search"), {"q": words})
    assert response.status_code == 200
    listed = " ".join(f"{r.title} {r.snippet} {r.url}" for r in response.context["page"].object_list)
    return re.sub(r"</?mark>", "", listed)  # PostgreSQL marks each matching word


def _status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        # Read through the test client's wrapper, which closes the file (and leaves the
        # database connection alone, unlike calling response.close() here).
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def private_session(cast):
    meeting = MeetingFactory(
        partnership=cast.partnership, title="Closed development session", venue="Room CANARY-VENUE", is_public=False
    )
    item = AgendaItemFactory(meeting=meeting, position=1, title="Provider CANARY-ITEM options", presenter="CANARY-WHO")
    PaperFactory(agenda_item=item, title="Options appraisal CANARY-PAPER")
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting


# Finding 1: a private session's documents are public -------------------------------------------


def test_a_private_session_never_gets_a_public_pack(client, cast, private_session, django_capture_on_commit_callbacks):
    documents = _publish_packs(private_session, django_capture_on_commit_callbacks)
    assert [d.kind for d in documents] == [PublishedDocument.Kind.MEMBERS_PACK]
    members_pack = documents[0]
    assert _status(client, members_pack.get_absolute_url()) == 404
    assert "CANARY" not in _search(client, "CANARY-PAPER")
    client.force_login(cast.member)
    assert _status(client, members_pack.get_absolute_url()) == 200


def test_a_private_sessions_minutes_are_never_a_public_document(cast, private_session):
    minutes = MinutesFactory(meeting=private_session, published_at=timezone.now())
    assert services.minutes_document_request(minutes=minutes) is None
    assert not PublishedDocument.objects.filter(kind=PublishedDocument.Kind.MINUTES).exists()


def test_a_public_pack_stops_being_public_when_its_meeting_becomes_private(
    client, cast, published_meeting, django_capture_on_commit_callbacks
):
    public, _members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    assert _status(client, public.get_absolute_url()) == 200
    Meeting.objects.filter(pk=published_meeting.pk).update(is_public=False)
    assert _status(client, public.get_absolute_url()) == 404
    assert "Population health annual summary" not in _search(client, "Population health annual summary")
    client.force_login(cast.member)
    assert _status(client, public.get_absolute_url()) == 200


# Finding 2: superseded packs keep withdrawn material public -------------------------------------


@pytest.mark.parametrize("change", ["restrict", "replace", "exempt"])
def test_withdrawn_material_stops_being_public_the_moment_the_change_is_saved(
    client, cast, published_meeting, change, django_capture_on_commit_callbacks
):
    item = AgendaItemFactory(meeting=published_meeting, position=3, title="Workforce plan")
    original = SimpleUploadedFile("v1.pdf", minimal_pdf("Workforce CANARY-WITHDRAWN figures"), "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # its text extracted, for search
        paper = meeting_services.paper_upload(
            item=item, actor=None, title="Workforce figures", file=original, change_reason="Figures now available"
        )
    old_public, _members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    response = client.get(old_public.get_absolute_url())
    assert "CANARY-WITHDRAWN" in _text(response)
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "CANARY-WITHDRAWN" in _search(client, "CANARY-WITHDRAWN")

    # The change is saved without asking for new packs: visibility must not depend on it.
    if change == "restrict":
        meeting_services.paper_update(
            paper=paper, actor=None, title=paper.title, restricted=True, change_reason="Names individuals"
        )
    elif change == "replace":
        new_file = SimpleUploadedFile("v2.pdf", minimal_pdf("Workforce figures, corrected"), "application/pdf")
        meeting_services.paper_replace(paper=paper, actor=None, file=new_file, reason="Corrected figures")
    else:
        AgendaItem.objects.filter(pk=item.pk).update(is_exempt=True, exempt_paragraph=3, exempt_reason="Pay talks")

    assert "CANARY-WITHDRAWN" not in _search(client, "CANARY-WITHDRAWN")
    with django_capture_on_commit_callbacks(execute=True):
        # Never the old pack: not found while the pack of the agenda as it is now is built...
        assert _status(client, old_public.get_absolute_url()) == 404
    new_public = visibility.current_public_document(kind=PublishedDocument.Kind.AGENDA_PACK, meeting=published_meeting)
    assert new_public is not None and new_public.pk != old_public.pk
    # ...then sent to that one.
    response = client.get(old_public.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == new_public.get_absolute_url()
    assert "CANARY-WITHDRAWN" not in _text(client.get(new_public.get_absolute_url()))
    page = client.get(published_meeting.get_absolute_url()).content.decode()
    assert old_public.get_absolute_url() not in page and new_public.get_absolute_url() in page


def test_an_edit_after_publication_takes_the_old_pack_from_the_public_even_if_nobody_asks_for_a_new_one(
    client, published_meeting, django_capture_on_commit_callbacks
):
    old_public, _members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    AgendaItem.objects.filter(meeting=published_meeting, position=1).update(presenter="Dr New Presenter")
    assert not visibility.is_public_now(PublishedDocument.objects.get(pk=old_public.pk))
    # The meeting page offers no stale pack, and asks for the current one to be built.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(published_meeting.get_absolute_url()).content.decode()
    assert old_public.get_absolute_url() not in page
    current = visibility.current_public_document(kind=PublishedDocument.Kind.AGENDA_PACK, meeting=published_meeting)
    assert current is not None and current.pk != old_public.pk
    assert "Dr New Presenter" in _text(client.get(current.get_absolute_url()))


def test_a_stale_pack_with_the_broker_down_still_serves_the_meeting_page_without_it(
    client, published_meeting, django_capture_on_commit_callbacks, caplog
):
    from publishing.tasks import refresh_meeting_documents

    old_public, _members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    AgendaItem.objects.filter(meeting=published_meeting, position=1).update(presenter="Dr New Presenter")
    broker_down = mock.patch.object(refresh_meeting_documents, "apply_async", side_effect=ConnectionError("down"))
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        response = client.get(published_meeting.get_absolute_url())
    assert response.status_code == 200
    assert old_public.get_absolute_url() not in response.content.decode()
    assert "the next read of the meeting asks again" in caplog.text


def test_document_urls_cannot_be_enumerated(client, published_meeting, django_capture_on_commit_callbacks):
    public, _members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    assert str(public.token) in public.get_absolute_url()
    with pytest.raises(NoReverseMatch):
        reverse("publishing:download", args=[public.pk])
    assert _status(client, f"/documents/{public.pk}/") == 404
    version = PaperFactory(agenda_item__meeting=published_meeting).current_version
    assert _status(client, f"/papers/{version.pk}/") == 404


def test_signed_in_readers_never_get_a_publicly_cacheable_document(
    client, cast, published_meeting, django_capture_on_commit_callbacks
):
    public, members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    client.force_login(cast.member)
    for document in (public, members):
        response = client.get(document.get_absolute_url())
        assert response.status_code == 200
        b"".join(response.streaming_content)
        assert response["Cache-Control"] == "private, no-store"


# Finding 5: the public pack says no more than the public agenda ---------------------------------


def test_the_public_pack_says_of_an_exempt_item_only_what_the_public_agenda_says(
    client, cast, published_meeting, django_capture_on_commit_callbacks
):
    AgendaItem.objects.filter(meeting=published_meeting, is_exempt=True).update(
        presenter="CANARY-PRESENTER", minutes_allotted=47, purpose=AgendaItem.Purpose.DECISION
    )
    public, members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    public_text = _text(client.get(public.get_absolute_url()))
    page = client.get(published_meeting.get_absolute_url()).content.decode()
    for said_only_to_members in ("CANARY-PRESENTER", "47 minutes", "For decision", "commercially confidential"):
        assert said_only_to_members not in public_text
        assert said_only_to_members not in page
    assert "Community contract award" in public_text and "paragraph 3" in public_text
    client.force_login(cast.member)
    assert "CANARY-PRESENTER" in _text(client.get(members.get_absolute_url()))


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        ("item", "presenter", "Someone else"),
        ("item", "purpose", AgendaItem.Purpose.ASSURANCE),
        ("item", "minutes_allotted", 25),
        ("item", "urgency_reason", "A new reason"),
        ("meeting", "venue", "Another hall"),
        ("meeting", "notice", "Moved"),
        ("meeting", "starts_at", None),
    ],
)
def test_the_pack_fingerprint_follows_everything_the_pack_prints(published_meeting, model, field, value):
    before = renderers.agenda_fingerprint(published_meeting, include_exempt=False)
    if model == "item":
        AgendaItem.objects.filter(meeting=published_meeting, position=1).update(**{field: value})
    else:
        value = published_meeting.starts_at + timezone.timedelta(hours=1) if value is None else value
        Meeting.objects.filter(pk=published_meeting.pk).update(**{field: value})
    meeting = Meeting.objects.select_related("partnership").get(pk=published_meeting.pk)
    assert renderers.agenda_fingerprint(meeting, include_exempt=False) != before


def test_the_members_pack_fingerprint_follows_the_exempt_reason(published_meeting):
    before = renderers.agenda_fingerprint(published_meeting, include_exempt=True)
    AgendaItem.objects.filter(meeting=published_meeting, is_exempt=True).update(exempt_reason="Another reason")
    assert renderers.agenda_fingerprint(published_meeting, include_exempt=True) != before


@pytest.mark.parametrize("include_exempt", [False, True])
def test_packs_built_before_keep_their_fingerprint(published_meeting, include_exempt):
    """A fingerprint is the digest of the pack's rows as `dataclasses.asdict` gives them: a pack
    stored with one stays current however the digest is computed now."""
    import hashlib
    import json
    from dataclasses import asdict

    item = AgendaItem.objects.filter(meeting=published_meeting).first()
    meeting_services.paper_update(
        paper=PaperFactory(agenda_item=item), actor=None, title="Added late", restricted=False, change_reason="Late"
    )
    meeting = Meeting.objects.select_related("partnership").get(pk=published_meeting.pk)
    agendas, supplements, front = renderers._pack_sources([meeting], include_exempt=include_exempt)
    assert agendas[meeting.pk] and agendas[meeting.pk][0].papers and supplements[meeting.pk]
    material = [
        include_exempt,
        asdict(renderers.PackMeeting.of(meeting)),
        [asdict(row) for row in agendas[meeting.pk]],
        [asdict(notice) for notice in supplements[meeting.pk]],
        asdict(front[meeting.pk]),
    ]
    digest = hashlib.sha256(json.dumps(material, default=renderers._stable, sort_keys=True).encode()).hexdigest()
    assert renderers.agenda_fingerprint(meeting, include_exempt=include_exempt) == digest[:32]


def test_names_with_ampersands_and_apostrophes_print_as_typed_in_the_pack_footer(
    client, cast, published_meeting, django_capture_on_commit_callbacks
):
    cast.partnership.name = "Tom & Jerry's <Care> Partnership"
    cast.partnership.save()
    public, _members = _publish_packs(published_meeting, django_capture_on_commit_callbacks)
    text = _text(client.get(public.get_absolute_url()))
    footer = f"Tom & Jerry's <Care> Partnership, {published_meeting.date:%-d %B %Y} – Page 1 of"
    assert footer in text
    assert "&amp;" not in text and "&#x27;" not in text


def test_minutes_documents_follow_their_source(client, cast, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(
        partnership=cast.partnership, starts_at=timezone.now() - timezone.timedelta(days=3), status="held"
    )
    meeting.ends_at = meeting.starts_at + timezone.timedelta(hours=2)
    meeting.agenda_published_at = meeting.starts_at - timezone.timedelta(days=10)
    meeting.save()
    item = AgendaItemFactory(meeting=meeting, position=1, title="Budget")
    minutes = MinutesFactory(meeting=meeting, published_at=timezone.now())
    MinuteEntryFactory(minutes=minutes, agenda_item=item, discussion="The CANARY-MINUTE figures were discussed.")
    with django_capture_on_commit_callbacks(execute=True):
        document = services.minutes_document_request(minutes=minutes)
    document.refresh_from_db()
    assert "CANARY-MINUTE" in _text(client.get(document.get_absolute_url()))
    # The item is made exempt afterwards: its minute must leave the public document at once.
    AgendaItem.objects.filter(pk=item.pk).update(is_exempt=True, exempt_paragraph=1, exempt_reason="Personal")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(document.get_absolute_url())
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "CANARY-MINUTE" not in _text(client.get(response["Location"]))


def test_search_never_finds_what_only_an_exempt_item_holds(client, published_meeting):
    AgendaItem.objects.filter(meeting=published_meeting, is_exempt=True).update(presenter="CANARY-EXEMPT-PRESENTER")
    AgendaItem.objects.filter(meeting=published_meeting, is_exempt=False).update(presenter="Open presenter")
    assert "Population health report" in _search(client, "Open presenter")
    assert _search(client, "CANARY-EXEMPT-PRESENTER") == ""


# Builds that crash, retry or finish out of order -------------------------------------------------


def test_a_retry_after_a_lost_database_connection_rebuilds(
    published_meeting, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    with django_capture_on_commit_callbacks(execute=False):
        public = services.agenda_pack_request(meeting=published_meeting)[0]
    real_render = services._render

    def lost_connection(document):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_render", lost_connection)
    with pytest.raises(OperationalError):
        services.document_build(document_pk=public.pk, task_id="task-1")
    monkeypatch.setattr(services, "_render", real_render)
    # Another task (a duplicate message) may not take over a build that is under way...
    assert services.document_build(document_pk=public.pk, task_id="task-2", reclaim=True) is None
    # ...but the retry of the same task rebuilds at once, without waiting for the sweeper.
    built = services.document_build(document_pk=public.pk, task_id="task-1", reclaim=True)
    assert built.status == "done" and built.attempts == 2
    assert built.file.name == f"published/{public.token}.pdf"


@pytest.mark.parametrize("error", ["operational", "interface", "soft time limit"])
def test_lost_connections_and_soft_time_limits_are_retried(published_meeting, monkeypatch, error):
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import InterfaceError, OperationalError

    from publishing import tasks

    exception = {
        "operational": OperationalError("gone"),
        "interface": InterfaceError("closed"),
        "soft time limit": SoftTimeLimitExceeded(),
    }[error]

    def failing_build(**kwargs):
        raise exception

    retried = []

    def retry(**kwargs):
        retried.append(kwargs)
        return RuntimeError("retrying")

    monkeypatch.setattr(services, "document_build", failing_build)
    monkeypatch.setattr(tasks.build_document, "retry", retry)
    with pytest.raises(RuntimeError):
        tasks.build_document.run(1)
    assert retried and retried[0]["exc"] is exception


def test_only_the_newest_pack_is_current_whatever_order_the_builds_finish_in(
    published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        older = services.agenda_pack_request(meeting=published_meeting)[0]
    AgendaItem.objects.filter(meeting=published_meeting, position=1).update(title="Population health, revised")
    with django_capture_on_commit_callbacks(execute=False):
        newer = services.agenda_pack_request(meeting=published_meeting)[0]
    assert services.document_build(document_pk=newer.pk).status == "done"
    # The older build finishes last (its source changed meanwhile, so it is dropped)...
    assert services.document_build(document_pk=older.pk) is None
    current = PublishedDocument.objects.filter(
        meeting=published_meeting, kind=PublishedDocument.Kind.AGENDA_PACK, status="done", superseded_by__isnull=True
    )
    assert list(current) == [newer]


def test_a_slower_build_of_older_content_ends_superseded(published_meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        older = services.agenda_pack_request(meeting=published_meeting)[0]
    # A newer document of the same meeting is built first (its content equal to the older's
    # source by then, as when a change is undone).
    newer = PublishedDocument.objects.create(
        partnership=older.partnership,
        kind=older.kind,
        meeting=older.meeting,
        source_version="another",
        title=older.title,
    )
    PublishedDocument.objects.filter(pk=newer.pk).update(status="done")
    built = services.document_build(document_pk=older.pk)
    assert built.status == "done" and built.superseded_by_id == newer.pk
    assert not visibility.is_public_now(built) or built.superseded_by_id is not None


def test_the_database_refuses_two_current_documents_of_one_kind_for_a_meeting(published_meeting):
    from django.db import IntegrityError, transaction

    fields = {
        "partnership": published_meeting.partnership,
        "kind": PublishedDocument.Kind.AGENDA_PACK,
        "meeting": published_meeting,
        "title": "Pack",
        "status": "done",
    }
    PublishedDocument.objects.create(source_version="a", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedDocument.objects.create(source_version="b", **fields)
