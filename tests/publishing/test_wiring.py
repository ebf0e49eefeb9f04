"""Publish actions in the staff pages produce the PDFs, and the meeting page offers them."""

from django.urls import reverse

from core.pdf_text import extract_text
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory
from publishing.models import PublishedDocument


def test_publishing_an_agenda_builds_its_packs_and_the_meeting_page_links_them(
    client, cast, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(partnership=cast.partnership)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Better Care Fund plan", presenter="Director")
    PaperFactory(agenda_item=item, title="Better Care Fund narrative")
    exempt = AgendaItemFactory(meeting=meeting, position=2, exempt=True, title="Estates disposal")
    PaperFactory(agenda_item=exempt, title="Valuation report")
    client.force_login(cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:staff_publish", args=[cast.partnership.slug, meeting.pk]))
    assert response.status_code == 302
    documents = PublishedDocument.objects.filter(meeting=meeting)
    assert sorted(documents.values_list("kind", "status")) == [("agenda_pack", "done"), ("members_pack", "done")]

    client.logout()
    page = client.get(meeting.get_absolute_url()).content.decode()
    public = documents.get(kind="agenda_pack")
    members = documents.get(kind="members_pack")
    assert public.get_absolute_url() in page
    assert members.get_absolute_url() not in page
    client.force_login(cast.member)
    assert members.get_absolute_url() in client.get(meeting.get_absolute_url()).content.decode()


def test_changing_a_published_agenda_supersedes_its_packs(client, cast, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(partnership=cast.partnership)
    item = AgendaItemFactory(meeting=meeting, position=1)
    paper = PaperFactory(agenda_item=item, title="Draft winter plan")
    client.force_login(cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:staff_publish", args=[cast.partnership.slug, meeting.pk]))
    first = PublishedDocument.objects.get(meeting=meeting, kind="agenda_pack")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:staff_paper_edit", args=[cast.partnership.slug, meeting.pk, paper.pk]),
            {"title": "Final winter plan", "change_reason": "The plan was agreed by the ICB."},
        )
    assert response.status_code == 302
    packs = PublishedDocument.objects.filter(meeting=meeting, kind="agenda_pack").order_by("created_at")
    assert packs.count() == 2
    first.refresh_from_db()
    assert first.superseded_by == packs.last()
    with packs.last().file.open("rb") as handle:
        assert "Final winter plan" in extract_text(handle.read())
