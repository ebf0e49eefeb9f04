"""The PDFs follow the record's events, whoever changed the record: here the services are called
directly, as a management command, the API or a task would, and no page asks for anything."""

from core.pdf_text import extract_text
from meetings import exemptions
from meetings import services as meeting_services
from publishing.models import PublishedDocument


def _text(document) -> str:
    with document.file.open("rb") as handle:
        return extract_text(handle.read())


def _current(meeting, kind="agenda_pack"):
    return PublishedDocument.objects.filter(meeting=meeting, kind=kind, superseded_by__isnull=True, status="done")


def test_a_meeting_cancelled_outside_any_page_gets_new_packs(
    cast, published_meeting, django_capture_on_commit_callbacks
):
    assert not PublishedDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(meeting=published_meeting, actor=cast.secretariat, notice="No quorum expected.")
    (pack,) = _current(published_meeting)
    assert "No quorum expected." in _text(pack)
    assert pack.requested_by == cast.secretariat  # the event carries who made the change
    assert _current(published_meeting, "members_pack").count() == 1


def test_an_exemption_released_outside_any_page_puts_it_in_a_new_public_pack(
    cast, published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(meeting=published_meeting, actor=cast.secretariat, notice="Moved online.")
    (before,) = _current(published_meeting)
    assert "Confidential tender evaluation" not in _text(before)
    exempt = published_meeting.agenda_items.get(is_exempt=True)
    with django_capture_on_commit_callbacks(execute=True):
        exemptions.exemption_release(
            item=exempt, actor=cast.secretariat, reason="The contract is signed.", determination="Director of finance"
        )
    (after,) = _current(published_meeting)
    assert after.pk != before.pk
    assert "Confidential tender evaluation" in _text(after)


def test_nothing_is_asked_for_while_the_change_is_not_committed(
    cast, published_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_services.meeting_cancel(meeting=published_meeting, actor=cast.secretariat, notice="Postponed.")
    assert callbacks and not PublishedDocument.objects.exists()
