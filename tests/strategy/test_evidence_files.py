"""Evidence PDFs: checked and cleaned on upload like meeting papers, downloaded by an
unguessable token, as attachments with safe names, cached publicly only with revalidation."""

import datetime as dt
import hashlib
import io
import uuid

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import NoReverseMatch, reverse

from audit.models import AuditEvent
from meetings.factories import minimal_pdf
from strategy.models import Evidence
from strategy.services.evidence import evidence_record, evidence_update
from tests.hostile_pdfs import ACTIVE_NAMES, TEXT, bomb_pdf, hostile_pdf, many_pages_pdf

from .conftest import publish

pytestmark = pytest.mark.django_db


def _upload(name="Hartlepool JSNA.pdf", content=None):
    return SimpleUploadedFile(name, minimal_pdf("Hartlepool JSNA") if content is None else content, "application/pdf")


def _form(council, upload, title="Hartlepool JSNA 2024"):
    return {"kind": "jsna", "title": title, "local_authority": council.pk, "published_on": "2024-05-01", "file": upload}


def _record(strategy, cast, council, *, title="Hartlepool JSNA 2024", content=None):
    return evidence_record(
        strategy=strategy,
        actor=cast.secretariat,
        kind="jsna",
        title=title,
        local_authority=council,
        published_on=dt.date(2024, 5, 1),
        file=_upload(content=content),
    )


def _stored(evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return handle.read()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _cache_control(response) -> set[str]:
    return set(response["Cache-Control"].replace(" ", "").split(","))


@pytest.fixture
def cited(cast, draft, council, adopting_decision):
    """Evidence with a PDF, cited by the published version 1."""
    evidence = _record(draft.strategy, cast, council, title='Hartlepool "JSNA" 2024.html')
    draft.sections.get().evidence.add(evidence)
    publish(draft, cast, adopting_decision)
    return evidence


def _public_url(evidence):
    return reverse("strategy:evidence_file", args=[evidence.strategy.partnership.slug, evidence.token])


def _staff_url(evidence):
    return reverse("strategy:evidence_file_staff", args=[evidence.strategy.partnership.slug, evidence.token])


# Upload ------------------------------------------------------------------------------------


def test_active_content_is_removed_from_evidence_and_the_uploader_is_told(client, cast, draft, council):
    client.force_login(cast.secretariat)
    url = reverse("strategy:evidence_add", args=[cast.partnership.slug])
    response = client.post(url, _form(council, _upload(content=hostile_pdf())), follow=True)
    assert response.status_code == 200
    assert "We removed scripts, embedded files" in response.content.decode()
    evidence = draft.strategy.evidence.get()
    stored = _stored(evidence)
    assert [name for name in ACTIVE_NAMES if name in stored] == []
    assert TEXT in pypdf.PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    assert evidence.sha256 == hashlib.sha256(stored).hexdigest()
    assert "scripts" in AuditEvent.objects.get(action="strategy.evidence.recorded").changes["removed"]


def test_a_replacement_file_is_cleaned_too(client, cast, draft, council):
    evidence = _record(draft.strategy, cast, council)
    client.force_login(cast.secretariat)
    url = reverse("strategy:evidence_edit", args=[cast.partnership.slug, evidence.pk])
    response = client.post(url, _form(council, _upload("v2.pdf", hostile_pdf())), follow=True)
    assert "We removed scripts" in response.content.decode()
    evidence.refresh_from_db()
    assert [name for name in ACTIVE_NAMES if name in _stored(evidence)] == []
    assert "scripts" in AuditEvent.objects.get(action="strategy.evidence.updated").changes["removed"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bomb_pdf(streams=25, megabytes_each=10), "expands to more than 200 MB"),
        (many_pages_pdf(100_000), "more than 2,000 pages"),
        (b"<html><script>alert(1)</script></html>", "The file must be a PDF"),
    ],
    ids=["bomb", "pages", "html"],
)
def test_a_harmful_evidence_file_is_refused_with_a_message(client, cast, draft, council, content, message):
    client.force_login(cast.secretariat)
    url = reverse("strategy:evidence_add", args=[cast.partnership.slug])
    response = client.post(url, _form(council, _upload(content=content)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not draft.strategy.evidence.exists()


@pytest.mark.parametrize("name", ["é" * 300 + ".pdf", "報告書" * 100 + ".pdf"], ids=["accented", "cjk"])
def test_a_long_unicode_file_name_is_accepted(client, cast, draft, council, name):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("strategy:evidence_add", args=[cast.partnership.slug]), _form(council, _upload(name))
    )
    assert response.status_code == 302
    stored = draft.strategy.evidence.get().file.name
    assert stored.isascii() and stored.endswith(".pdf") and len(stored.rsplit("/", 1)[-1]) <= 104


# Download ----------------------------------------------------------------------------------


def test_the_public_download_is_an_attachment_with_a_safe_name_and_revalidated_caching(client, cited, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view sets it itself, whatever the settings
    response = client.get(_public_url(cited))
    assert response.status_code == 200
    assert _body(response) == _stored(cited)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Hartlepool JSNA 2024.pdf"'
    # Anyone may keep it, but must check the ETag with us before each use.
    assert {"public", "no-cache"} <= _cache_control(response) <= {"public", "no-cache", "max-age=0"}
    assert response["ETag"] == f'"{cited.sha256}"'
    assert client.get(_public_url(cited), headers={"if-none-match": response["ETag"]}).status_code == 304


def test_evidence_is_reached_by_token_not_by_number(client, cited):
    with pytest.raises(NoReverseMatch):
        reverse("strategy:evidence_file", args=[cited.strategy.partnership.slug, cited.pk])
    slug = cited.strategy.partnership.slug
    assert client.get(f"/partnerships/{slug}/strategy/evidence/{cited.pk}/").status_code == 404
    assert client.get(reverse("strategy:evidence_file", args=[slug, uuid.uuid4()])).status_code == 404
    response = client.get(_public_url(cited))
    assert response.status_code == 200 and _body(response).startswith(b"%PDF-")


def test_uncited_evidence_is_not_public_but_staff_get_it_never_stored(client, cast, draft, council):
    evidence = _record(draft.strategy, cast, council)
    assert client.get(_public_url(evidence)).status_code == 404
    client.force_login(cast.secretariat)
    assert client.get(_public_url(evidence)).status_code == 404
    response = client.get(_staff_url(evidence))
    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF-")
    assert _cache_control(response) == {"private", "no-store"}
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"


def test_staff_downloads_stay_within_the_partnership(client, cast, draft, council):
    evidence = _record(draft.strategy, cast, council)
    client.force_login(cast.member)
    assert client.get(_staff_url(evidence)).status_code == 403
    client.force_login(cast.other_member)
    other = reverse("strategy:evidence_file_staff", args=[cast.other_partnership.slug, evidence.token])
    assert client.get(other).status_code in (403, 404)
    client.logout()
    assert client.get(_staff_url(evidence)).status_code == 302  # to sign in


def test_replaced_evidence_gets_a_new_etag(client, cast, draft, council, adopting_decision):
    evidence = _record(draft.strategy, cast, council)
    evidence_update(
        evidence=evidence,
        actor=cast.secretariat,
        kind="jsna",
        title=evidence.title,
        local_authority=council,
        published_on=evidence.published_on,
        file=_upload("v2.pdf", minimal_pdf("Hartlepool JSNA, corrected")),
    )
    evidence.refresh_from_db()
    draft.sections.get().evidence.add(evidence)
    publish(draft, cast, adopting_decision)
    response = client.get(_public_url(evidence))
    content = _body(response)
    assert response["ETag"] == f'"{hashlib.sha256(_stored(evidence)).hexdigest()}"'
    assert "corrected" in pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_evidence_from_before_tokens_gets_one(transactional_db):
    """The migration gives every existing row its own token before making it unique."""
    executor = MigrationExecutor(connection)
    executor.migrate([("strategy", "0001_integrated_care_strategy")])
    old_apps = executor.loader.project_state([("strategy", "0001_integrated_care_strategy")]).apps
    from strategy.factories import StrategyFactory

    strategy = StrategyFactory()
    OldEvidence = old_apps.get_model("strategy", "Evidence")
    for n in range(3):
        OldEvidence.objects.create(
            strategy_id=strategy.pk, kind="other", title=f"Data {n}", published_on=dt.date(2024, 1, 1), url="https://x"
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    tokens = list(Evidence.objects.values_list("token", flat=True))
    assert len(tokens) == 3 and None not in tokens and len(set(tokens)) == 3
