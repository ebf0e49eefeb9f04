"""At upload the secretariat is told when a PDF lacks a title, a language or tags, so that
accessible papers become the habit; the facts are kept by checksum for the accessibility
statement (docs/accessibility.md)."""

import io

import pypdf
import pytest
from django.urls import reverse
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

from meetings.factories import AgendaItemFactory, minimal_pdf
from meetings.models import PdfAccessibility
from meetings.validators import accessibility_gaps, inspect_pdf

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def accessible_pdf(*, title="Winter plan", language="en-GB", tagged=True) -> bytes:
    """A one-page PDF with what a screen reader needs (each part can be left out)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf("Winter plan"))))
    if title:
        writer.add_metadata({"/Title": title})
    root = writer._root_object
    if language:
        root[NameObject("/Lang")] = TextStringObject(language)
    if tagged:
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        root[NameObject("/StructTreeRoot")] = writer._add_object(tree)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gaps_of(data: bytes):
    return accessibility_gaps(pypdf.PdfReader(io.BytesIO(data)))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ()),
        ({"title": ""}, ("no title",)),
        ({"language": ""}, ("no language",)),
        ({"tagged": False}, ("no tags",)),
        ({"title": "", "language": "", "tagged": False}, ("no title", "no language", "no tags")),
    ],
)
def test_each_missing_part_is_found(options, expected):
    assert gaps_of(accessible_pdf(**options)) == expected


def test_marked_false_is_not_tagged():
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(accessible_pdf())))
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(False)})
    out = io.BytesIO()
    writer.write(out)
    assert gaps_of(out.getvalue()) == ("no tags",)


def test_the_check_is_recorded_by_checksum(tmp_path):
    facts = inspect_pdf(pdf_file("plain.pdf", minimal_pdf("Plain")))
    check = PdfAccessibility.objects.get(sha256=facts.sha256)
    assert check.gaps == ["no title", "no language", "no tags"]
    assert "Screen readers will struggle with this file: it has no title, no language and no tags." in (
        facts.accessibility_notice
    )
    inspect_pdf(pdf_file("again.pdf", minimal_pdf("Plain")))
    assert PdfAccessibility.objects.filter(sha256=facts.sha256).count() == 1
    good = inspect_pdf(pdf_file("good.pdf", accessible_pdf()))
    assert good.accessibility_gaps == () and good.accessibility_notice == ""
    assert PdfAccessibility.objects.get(sha256=good.sha256).is_tagged


def test_the_uploader_is_told_when_screen_readers_will_struggle(client, cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1, title="Finance")
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_paper_upload", args=[cast.partnership.slug, meeting.pk, item.pk])
    page = client.post(url, {"title": "Scan", "file": pdf_file("scan.pdf", accessible_pdf(tagged=False))}, follow=True)
    assert "Paper uploaded: Scan" in page.content.decode()
    assert "Screen readers will struggle with this file: it has no tags." in page.content.decode()
    item2 = AgendaItemFactory(meeting=meeting, position=2, title="Plan")
    url = reverse("meetings:staff_paper_upload", args=[cast.partnership.slug, meeting.pk, item2.pk])
    page = client.post(url, {"title": "Plan", "file": pdf_file("plan.pdf", accessible_pdf())}, follow=True)
    assert "Paper uploaded: Plan" in page.content.decode()
    assert "Screen readers will struggle" not in page.content.decode()


def test_a_replacement_is_checked_too(client, cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1, title="Finance")
    client.force_login(cast.secretariat)
    upload = reverse("meetings:staff_paper_upload", args=[cast.partnership.slug, meeting.pk, item.pk])
    client.post(upload, {"title": "Plan", "file": pdf_file("plan.pdf", accessible_pdf())})
    paper = item.papers.get()
    replace = reverse("meetings:staff_paper_replace", args=[cast.partnership.slug, meeting.pk, paper.pk])
    page = client.post(
        replace, {"file": pdf_file("plan2.pdf", accessible_pdf(title="")), "reason": "Corrected figures"}, follow=True
    )
    assert "it has no title." in page.content.decode()


def test_files_stored_before_the_check_are_checked_by_a_command(cast, meeting):
    from io import StringIO

    from django.core.management import call_command

    from meetings import services

    item = AgendaItemFactory(meeting=meeting, position=1, title="Finance")
    old = services.paper_upload(item=item, actor=None, title="Old", file=pdf_file("old.pdf", minimal_pdf("Old")))
    PdfAccessibility.objects.all().delete()  # as before the check existed
    out = StringIO()
    call_command("check_pdf_accessibility", stdout=out)
    assert "Checked 1 file(s): 1 without tags." in out.getvalue()
    check = PdfAccessibility.objects.get(sha256=old.current_version.sha256)
    assert check.gaps == ["no title", "no language", "no tags"]
    out = StringIO()
    call_command("check_pdf_accessibility", stdout=out)
    assert "Checked 0 file(s)" in out.getvalue()
