"""Publishing an approved version: the adopting decision, the PDF through the publishing
pipeline, and the public page."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from publishing import services as publishing
from publishing.models import PublishedDocument
from strategy.factories import EngagementActivityFactory, EvidenceFactory, OutcomeMeasureFactory
from strategy.models import StrategyVersion
from strategy.services.approval import version_submit
from strategy.services.publication import version_publish
from strategy.services.versions import version_new_draft

from .conftest import approve_by_all, publish


def _text(document) -> tuple[PdfReader, str]:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_publishing_builds_the_pdf_and_the_public_page_shows_it(
    client, cast, draft, council, adopting_decision, django_capture_on_commit_callbacks
):
    priority = draft.priorities.get()
    OutcomeMeasureFactory(priority=priority, name="Children ready for school")
    evidence = EvidenceFactory(strategy=draft.strategy, local_authority=council, title="Hartlepool JSNA 2024")
    priority.evidence.add(evidence)
    EngagementActivityFactory(version=draft, title="Healthwatch listening events")
    version_submit(version=draft, actor=cast.secretariat)
    approve_by_all(draft, cast)

    client.force_login(cast.secretariat)
    url = reverse("strategy:publish", args=[cast.partnership.slug, 1])
    assert "ICP/2026/7" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": adopting_decision.pk})
    assert response.status_code == 302
    document = PublishedDocument.objects.get(strategy_version=draft)
    assert document.kind == "strategy" and document.status == "done" and document.meeting is None
    reader, text = _text(document)
    for expected in ("Our population", "Start well", "Children ready for school", "Hartlepool JSNA 2024"):
        assert expected in text, expected
    assert "Improve outcomes in population health and health care" in text
    assert "Healthwatch listening events" in text and "You said" in text
    assert reader.metadata.title == f"Integrated care strategy: {cast.partnership.name}, version 1"
    assert reader.metadata.author == cast.partnership.name
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"].get("/StructTreeRoot") is not None  # tagged PDF
    assert "Our population" in document.text  # indexed for public search

    client.logout()
    page = client.get(reverse("strategy:public", args=[cast.partnership.slug])).content.decode()
    assert draft.title in page and "Our population" in page
    assert document.get_absolute_url() in page
    assert "Adopted" in page and "ICP/2026/7" in page
    assert "Healthwatch listening events" in page and "You said" in page


def test_public_search_finds_the_published_strategy_by_its_text(
    client, cast, draft, adopting_decision, django_capture_on_commit_callbacks
):
    """The strategy's PDF text is searched, once published; a newer draft's words are not."""
    EngagementActivityFactory(version=draft, title="Healthwatch listening events")
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, cast, adopting_decision)
    document = PublishedDocument.objects.get(strategy_version=draft, status="done")
    newer = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    EngagementActivityFactory(version=newer, title="Unpublished roadshow")

    page = client.get(reverse("publishing:search"), {"q": "Healthwatch", "kind": "strategy"}).content.decode()
    assert f'href="{document.get_absolute_url()}"' in page
    assert document.title in page and cast.partnership.name in page
    later = client.get(reverse("publishing:search"), {"q": "roadshow"}).content.decode()
    assert "Nothing published matches" in later and document.get_absolute_url() not in later


def test_a_new_version_supersedes_the_previous_pdf(cast, draft, adopting_decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, cast, adopting_decision)
        first = publishing.strategy_document_request(version=draft, user=cast.secretariat)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        publish(second, cast)
        latest = publishing.strategy_document_request(version=second, user=cast.secretariat)
    first.refresh_from_db()
    assert first.superseded_by == latest
    # One document per version: asking again returns the same one.
    assert publishing.strategy_document_request(version=second, user=None) == latest


def test_only_a_published_version_becomes_a_document(cast, draft):
    with pytest.raises(publishing.PermanentPublishingError, match="Only a published version"):
        publishing.strategy_document_request(version=draft, user=cast.secretariat)


def test_the_adopting_decision_must_be_an_agreed_public_decision_of_the_partnership(cast, draft):
    version_submit(version=draft, actor=cast.secretariat)
    approve_by_all(draft, cast)
    past = timezone.now() - dt.timedelta(days=3)
    exempt_meeting = MeetingFactory(partnership=cast.partnership, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    exempt_item = AgendaItemFactory(meeting=exempt_meeting, position=1, exempt=True)
    exempt = DecisionFactory(meeting=exempt_meeting, agenda_item=exempt_item)
    other = DecisionFactory(
        meeting=MeetingFactory(partnership=cast.other_partnership, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    )
    deferred = DecisionFactory(meeting=exempt_meeting, status="deferred")
    for decision, reason in (
        (exempt, "That decision is not on the public record"),
        (other, "only the partnership's own decision adopts its strategy"),
        (deferred, "not agreed"),
    ):
        with pytest.raises(ValidationError, match=reason):
            version_publish(version=draft, actor=cast.secretariat, decision=decision)
    draft.refresh_from_db()
    assert draft.status == StrategyVersion.Status.APPROVED


def test_only_an_approved_version_can_be_published(client, cast, draft, adopting_decision):
    with pytest.raises(ValidationError, match="Only an approved version can be published"):
        version_publish(version=draft, actor=cast.secretariat, decision=adopting_decision)
    client.force_login(cast.secretariat)
    response = client.get(reverse("strategy:publish", args=[cast.partnership.slug, 1]), follow=True)
    assert "Only an approved version can be published" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("secretariat", 200), ("chair", 403), ("member", 403), (None, 302)])
def test_publishing_is_for_the_secretariat(client, cast, draft, who, status):
    version_submit(version=draft, actor=cast.secretariat)
    approve_by_all(draft, cast)
    if who:
        client.force_login(getattr(cast, who))
    assert client.get(reverse("strategy:publish", args=[cast.partnership.slug, 1])).status_code == status
