"""Search finds a paper by its own text: the current version of a paper the public may read
(`Paper.objects.public()`, of a public partnership), and nothing else, not even in the count."""

import datetime as dt
import logging
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings import exemptions, services
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from meetings.models import PaperText
from meetings.tasks import paper_text_extract

WORD = "Quollshire"


def _search(client, word=WORD, **params) -> str:
    response = client.get(reverse("publishing:search"), {"q": word, **params})
    assert response.status_code == 200
    return response.content.decode()


def _found(client, word=WORD, **params) -> bool:
    content = _search(client, word, **params)
    if "0 results" in content:
        return False
    assert "1 result " in content, content  # the paper, and nothing else holds the word
    return True


@pytest.fixture
def meeting(cast):
    """A public meeting of the cast's partnership, its agenda published, with a public item."""
    meeting = MeetingFactory(partnership=cast.partnership, title="Spring board", agenda_published_at=timezone.now())
    AgendaItemFactory(meeting=meeting, position=1, title="Housing and health")
    return meeting


def _paper(meeting, **fields):
    item = meeting.agenda_items.get(position=1)
    return PaperFactory(agenda_item=item, title=f"{WORD} housing survey", **fields)


def test_a_public_papers_text_is_found_with_its_title_link_and_meeting(client, meeting):
    paper = _paper(meeting)
    content = _search(client)
    assert "1 result " in content
    assert f'<a href="{paper.current_version.get_absolute_url()}">{WORD} housing survey</a>' in content
    assert f"Paper · {meeting.partnership.name} · Spring board" in content


def test_a_paper_on_a_withheld_item_is_not_found_until_its_exemption_is_released(client, meeting):
    item = AgendaItemFactory(meeting=meeting, position=2, exempt=True, title="Contract award")
    PaperFactory(agenda_item=item, title=f"{WORD} tender prices")
    assert not _found(client)
    exemptions.exemption_release(actor=None, reason="Contract awarded.", determination="Officer's review.", item=item)
    assert _found(client)


def test_a_restricted_paper_is_not_found_until_released(client, meeting):
    paper = _paper(meeting, restricted=True)
    assert not _found(client)
    exemptions.exemption_release(actor=None, reason="No longer sensitive.", determination="Review.", paper=paper)
    assert _found(client)


def test_a_paper_withdrawn_from_publication_is_no_longer_found(client, meeting):
    paper = _paper(meeting)
    assert _found(client)
    services.paper_update(paper=paper, actor=None, title=paper.title, restricted=True, change_reason="Names a patient.")
    assert not _found(client)


def test_a_paper_of_an_unpublished_agenda_private_meeting_or_hidden_partnership_is_not_found(client, meeting):
    _paper(meeting)
    assert _found(client)
    meeting.agenda_published_at = None
    meeting.save()
    assert not _found(client)
    meeting.agenda_published_at, meeting.is_public = timezone.now(), False
    meeting.save()
    assert not _found(client)
    meeting.is_public = True
    meeting.save()
    assert _found(client)
    partnership = meeting.partnership
    partnership.ended_on = timezone.localdate() - dt.timedelta(days=1)  # wound up, with no successor
    partnership.save()
    assert not _found(client)


def test_a_paper_on_an_item_removed_from_the_agenda_is_not_found(client, cast):
    draft = MeetingFactory(partnership=cast.partnership)
    item = AgendaItemFactory(meeting=draft, position=1)
    PaperFactory(agenda_item=item, title=f"{WORD} draft")
    services.agenda_item_remove(item=item, actor=None)
    draft.agenda_published_at = timezone.now()
    draft.save()
    assert not _found(client)


def test_only_the_current_versions_text_is_found(client, meeting, django_capture_on_commit_callbacks):
    paper = _paper(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_replace(
            paper=paper, actor=None, file=SimpleUploadedFile("v2.pdf", minimal_pdf("Wallaby Lane figures")), reason="."
        )
    assert not _found(client)  # the word was only in version 1's text
    assert _found(client, "Wallaby")
    assert PaperText.objects.filter(version__paper=paper, version__number=1, text__contains=WORD).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking is PostgreSQL's (CI runs it); SQLite lists newest first"
)
def test_of_a_common_words_papers_only_the_most_recently_added_are_ranked(client, meeting, monkeypatch):
    from publishing import search

    monkeypatch.setattr(search, "RANKED_PAPERS", 2)
    item = meeting.agenda_items.get(position=1)
    oldest = PaperFactory(agenda_item=item, title="Oldest survey")
    PaperText.objects.filter(version=oldest.current_version).update(text=f"{WORD} " * 30)  # the best rank
    newer = [PaperFactory(agenda_item=item, title=f"Newer survey {n}") for n in (1, 2)]
    for paper in newer:
        PaperText.objects.filter(version=paper.current_version).update(text=f"{WORD} and much else besides.")
    content = _search(client)
    assert "Newer survey 1" in content and "Newer survey 2" in content
    assert "Oldest survey" not in content
    assert "only the 2 most recently added are ranked" in content
    # With room for all three, the oldest is ranked, and ranks first.
    monkeypatch.setattr(search, "RANKED_PAPERS", 4)
    content = _search(client)
    assert content.index("Oldest survey") < content.index("Newer survey 1")
    assert "most recently added are ranked" not in content


def test_filters_narrow_papers(client, meeting, cast):
    _paper(meeting)
    elsewhere = MeetingFactory(partnership=cast.other_partnership, agenda_published_at=timezone.now())
    PaperFactory(agenda_item=AgendaItemFactory(meeting=elsewhere, position=1), title=f"{WORD} clinics")
    assert "2 results" in _search(client)
    assert "2 results" in _search(client, kind="paper")
    assert "2 results" in _search(client, kind="pack")  # an old link to agenda packs finds papers
    assert "0 results" in _search(client, kind="item")
    assert "1 result " in _search(client, partnership=cast.partnership.slug)
    assert "1 result " in _search(client, system=cast.other_partnership.ics.slug)
    day = timezone.localdate(meeting.starts_at)
    assert "0 results" in _search(client, start=day + dt.timedelta(days=1), end=day + dt.timedelta(days=1))


# Extraction ----------------------------------------------------------------------------------


def test_an_upload_extracts_the_text_once_it_commits(client, meeting, django_capture_on_commit_callbacks):
    item = meeting.agenda_items.get(position=1)
    pdf = SimpleUploadedFile("survey.pdf", minimal_pdf(f"The {WORD} survey found damp homes."))
    with django_capture_on_commit_callbacks() as callbacks:
        paper = services.paper_upload(item=item, actor=None, title="Survey", file=pdf, change_reason="Late report.")
    version = paper.current_version
    assert not PaperText.objects.filter(version=version).exists() and not _found(client)
    for callback in callbacks:
        callback()
    assert f"The {WORD} survey found damp homes." in PaperText.objects.get(version=version).text
    assert _found(client)


def test_extraction_is_idempotent(meeting):
    version = _paper(meeting).current_version
    PaperText.objects.filter(version=version).update(
        text="As extracted before.", extracted_at=timezone.now() - dt.timedelta(days=1)
    )
    paper_text_extract(version.pk)
    paper_text_extract(version.pk)
    assert PaperText.objects.get(version=version).text == "As extracted before."
    paper_text_extract(version.pk + 1000)  # a version deleted since: nothing to do


def test_a_file_that_cannot_be_read_leaves_no_text_and_is_logged(meeting, caplog):
    version = _paper(meeting).current_version
    PaperText.objects.filter(version=version).delete()
    version.file.save("broken.pdf", SimpleUploadedFile("broken.pdf", b"%PDF-1.4 not really"), save=True)
    with caplog.at_level(logging.ERROR):
        assert services.paper_version_extract_text(version=version)
    assert PaperText.objects.get(version=version).text == ""
    assert f"Could not extract the text of paper version {version.pk}" in caplog.text


def test_the_backfill_extracts_versions_never_extracted_and_reports(meeting, capsys):
    done = _paper(meeting).current_version
    item = meeting.agenda_items.get(position=1)
    new = PaperFactory(agenda_item=item, title="Carers survey").current_version
    PaperText.objects.filter(version=new).delete()
    call_command("extract_paper_text")
    out = capsys.readouterr().out
    assert "Extracted the text of 1 paper version(s): 1 with text, 0 without" in out
    assert "1 already extracted, left alone" in out
    assert "Carers survey" in PaperText.objects.get(version=new).text
    call_command("extract_paper_text")
    assert "Extracted the text of 0 paper version(s)" in capsys.readouterr().out
    PaperText.objects.filter(version=done).update(text="stale")
    call_command("extract_paper_text", "--all")
    assert "Extracted the text of 2 paper version(s): 2 with text" in capsys.readouterr().out
    assert PaperText.objects.get(version=done).text.startswith(WORD)


def test_the_hourly_sweep_extracts_what_an_upload_never_did(meeting):
    from meetings import tasks

    item = meeting.agenda_items.get(position=1)
    missed = [PaperFactory(agenda_item=item, title=f"Carers survey {n}").current_version for n in (1, 2, 3)]
    PaperText.objects.filter(version__in=missed).delete()
    with mock.patch.object(tasks, "SWEEP_BATCH", 2):
        assert tasks.paper_texts_sweep() == 2
        assert tasks.paper_texts_sweep() == 1
        assert tasks.paper_texts_sweep() == 0
    for n, version in enumerate(missed, start=1):
        assert f"Carers survey {n}" in PaperText.objects.get(version=version).text
