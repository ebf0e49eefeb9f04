"""Evidence: JSNAs and health and wellbeing strategies of the area's boards; a newer JSNA
makes a published strategy due for review and tells the secretariat."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.factories import minimal_pdf
from partnerships.factories import LocalAuthorityFactory
from strategy.factories import EvidenceFactory
from strategy.services.evidence import evidence_record, evidence_update
from strategy.services.versions import version_new_draft

from .conftest import publish


def _record(strategy, actor, council, published_on, **extra):
    return evidence_record(
        strategy=strategy,
        actor=actor,
        kind="jsna",
        title=f"{council.name} JSNA {published_on.year}",
        local_authority=council,
        published_on=published_on,
        url="https://www.example.gov.uk/jsna",
        **extra,
    )


def test_a_newer_jsna_marks_the_published_strategy_due_for_review_and_emails_the_secretariat(
    cast, draft, council, adopting_decision, mailoutbox, django_capture_on_commit_callbacks
):
    _record(draft.strategy, cast.secretariat, council, dt.date(2022, 3, 1))
    publish(draft, cast, adopting_decision)
    with django_capture_on_commit_callbacks(execute=True):
        _record(draft.strategy, cast.secretariat, council, dt.date(2025, 3, 1))
    draft.strategy.refresh_from_db()
    assert draft.strategy.review_due
    assert "Hartlepool Borough Council" in draft.strategy.review_reason
    assert [message.to for message in mailoutbox] == [["secretariat@example.org"]]
    assert mailoutbox[0].subject == f"Integrated care strategy due for review: {cast.partnership}"
    assert "Hartlepool Borough Council JSNA 2025" in mailoutbox[0].body
    assert reverse("strategy:workspace", args=[cast.partnership.slug]) in mailoutbox[0].body


def test_an_older_jsna_or_one_before_publication_does_not(cast, draft, council, adopting_decision, mailoutbox):
    _record(draft.strategy, cast.secretariat, council, dt.date(2022, 3, 1))  # nothing published yet
    publish(draft, cast, adopting_decision)
    _record(draft.strategy, cast.secretariat, council, dt.date(2019, 3, 1))  # older than the one we have
    evidence_record(
        strategy=draft.strategy,
        actor=cast.secretariat,
        kind="hwb_strategy",
        title="Joint local health and wellbeing strategy",
        local_authority=council,
        published_on=dt.date(2026, 1, 1),
        url="https://www.example.gov.uk/jhws",
    )
    draft.strategy.refresh_from_db()
    assert not draft.strategy.review_due
    assert mailoutbox == []


def test_publishing_a_new_version_clears_review_due(cast, draft, council, adopting_decision):
    publish(draft, cast, adopting_decision)
    _record(draft.strategy, cast.secretariat, council, dt.date(2025, 3, 1))
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    publish(second, cast)
    draft.strategy.refresh_from_db()
    assert not draft.strategy.review_due and draft.strategy.review_reason == ""


def test_evidence_must_come_from_a_council_in_the_area_and_have_a_link_or_file(cast, draft):
    elsewhere = LocalAuthorityFactory(name="Cornwall Council")
    with pytest.raises(ValidationError, match="not a council in"):
        _record(draft.strategy, cast.secretariat, elsewhere, dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="Give a link"):
        evidence_record(
            strategy=draft.strategy,
            actor=cast.secretariat,
            kind="other",
            title="Data",
            published_on=dt.date(2024, 1, 1),
        )


def test_evidence_cited_by_a_published_version_cannot_be_changed(cast, draft, council, adopting_decision):
    evidence = EvidenceFactory(strategy=draft.strategy, local_authority=council)
    draft.sections.get().evidence.add(evidence)
    publish(draft, cast, adopting_decision)
    with pytest.raises(ValidationError, match="Version 1, which is published, cites this evidence"):
        evidence_update(
            evidence=evidence,
            actor=cast.secretariat,
            kind="jsna",
            title="Renamed",
            local_authority=council,
            published_on=evidence.published_on,
            url=evidence.url,
        )


def test_the_secretariat_records_evidence_with_a_pdf_through_the_form(client, cast, draft, council):
    client.force_login(cast.secretariat)
    url = reverse("strategy:evidence_add", args=[cast.partnership.slug])
    response = client.post(url, {"kind": "jsna", "title": "", "published_on": "2024-13-40"})
    page = response.content.decode()
    assert response.status_code == 200
    for message in ("Enter the document", "Enter a real date.", "Choose the council"):
        assert message in page
    upload = SimpleUploadedFile("Hartlepool JSNA.pdf", minimal_pdf("Hartlepool JSNA"), content_type="application/pdf")
    response = client.post(
        url,
        {
            "kind": "jsna",
            "title": "Hartlepool JSNA 2024",
            "local_authority": council.pk,
            "published_on": "2024-05-01",
            "file": upload,
        },
    )
    assert response.status_code == 302
    evidence = draft.strategy.evidence.get()
    assert evidence.file.name.endswith(".pdf")
    response = client.get(reverse("strategy:evidence_file_staff", args=[cast.partnership.slug, evidence.token]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # The public may download it only once a published version cites it.
    client.logout()
    public_url = reverse("strategy:evidence_file", args=[cast.partnership.slug, evidence.token])
    assert client.get(public_url).status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused(client, cast, draft, council):
    client.force_login(cast.secretariat)
    upload = SimpleUploadedFile("jsna.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(
        reverse("strategy:evidence_add", args=[cast.partnership.slug]),
        {"kind": "jsna", "title": "JSNA", "local_authority": council.pk, "published_on": "2024-05-01", "file": upload},
    )
    assert response.status_code == 200
    assert "The file must be a PDF" in response.content.decode()


def test_evidence_no_locked_version_cites_can_be_corrected(cast, draft, council):
    from audit.models import AuditEvent
    from partnerships.factories import SystemLocalAuthorityFactory

    other = LocalAuthorityFactory(name="Darlington Borough Council")
    SystemLocalAuthorityFactory(ics=cast.partnership.ics, local_authority=other)
    evidence = EvidenceFactory(strategy=draft.strategy, local_authority=council)
    draft.sections.get().evidence.add(evidence)  # cited by a draft only
    evidence_update(
        evidence=evidence,
        actor=cast.secretariat,
        kind="jsna",
        title="Darlington JSNA",
        local_authority=other,
        published_on=evidence.published_on,
        url=evidence.url,
    )
    evidence.refresh_from_db()
    assert evidence.local_authority == other
    event = AuditEvent.objects.get(action="strategy.evidence.updated")
    assert event.changes["local_authority"] == ["Hartlepool Borough Council", "Darlington Borough Council"]
