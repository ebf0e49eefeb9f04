"""Uploaded papers are checked for what they would do to readers and to the server, not only
for being PDFs: active content is removed before a paper is stored (and again from every
part of a pack), decompression bombs and absurd page counts are refused, long or hostile
file names never break an upload or a download."""

import hashlib
import io
import time
import tracemalloc

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meetings import services
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from meetings.models import PaperVersion
from meetings.validators import download_filename, inspect_pdf, safe_pdf_filename
from publishing import pdf
from publishing import services as publishing
from tests.hostile_pdfs import (
    ACTIVE_NAMES,
    FILE_ATTACHMENT,
    RICH_MEDIA,
    SAFE_LINKS,
    TEXT,
    UNSAFE_LINKS,
    bomb_pdf,
    hostile_pdf,
    many_pages_pdf,
    one_page_pdf,
    stream,
    zeros_flate,
)

from .conftest import body, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, position=1, title="Finance")


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def _stored(version) -> bytes:
    with version.file.open("rb") as handle:
        return handle.read()


def _link_actions(reader, page: int = 0) -> list[str]:
    """What each link on `page` does: its web address, or its kind of action."""
    links = [annotation.get_object() for annotation in reader.pages[page].get("/Annots", [])]
    return [str(link["/A"].get("/URI") or link["/A"]["/S"]) for link in links if link["/Subtype"] == "/Link"]


# Active content --------------------------------------------------------------------------


def test_active_content_is_removed_before_a_paper_is_stored_and_the_uploader_is_told(client, cast, meeting, item):
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_paper_upload", args=[cast.partnership.slug, meeting.pk, item.pk])
    response = client.post(
        url, {"title": "Finance report", "file": pdf_file("finance.pdf", hostile_pdf())}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Paper uploaded: Finance report (1 page)" in page
    assert "We removed scripts, embedded files, embedded media" in page

    version = item.papers.get().current_version
    stored = _stored(version)
    assert [name for name in ACTIVE_NAMES if name in stored] == []
    # The facts are those of the stored, cleaned file.
    assert version.size == len(stored) and version.sha256 == hashlib.sha256(stored).hexdigest()
    reader = _reader(stored)
    assert version.page_count == len(reader.pages) == 1
    assert TEXT in reader.pages[0].extract_text()
    root = reader.root_object
    assert "/OpenAction" not in root and "/AA" not in root and "/Names" not in root or not root["/Names"]
    assert "/XFA" not in root["/AcroForm"]
    assert "/AA" not in reader.pages[0]
    # What is safe stays: web and email links, a link to a page, a page turn, the form
    # field (without its actions), the outline entry (without its script), the tagging.
    assert _link_actions(reader) == [
        "https://www.gov.uk/government/publications",
        "mailto:secretariat@example.org",
        "/GoTo",
        "/Named",
    ]
    widget = root["/AcroForm"]["/Fields"][0].get_object()
    assert widget["/T"] == "send" and "/A" not in widget and "/AA" not in widget
    assert [entry.title for entry in reader.outline] == ["Start here"]
    paragraph = root["/StructTreeRoot"]["/K"]["/K"]
    assert paragraph["/A"] == {"/O": "/Layout", "/TextAlign": "/Justify"}

    event = AuditEvent.objects.get(action="meetings.paper.uploaded")
    assert "scripts" in event.changes["removed"] and "embedded files" in event.changes["removed"]


def test_a_replacement_is_cleaned_too(cast, item):
    paper = services.paper_upload(item=item, actor=cast.secretariat, title="Finance report", file=pdf_file())
    version = services.paper_replace(
        paper=paper, actor=cast.secretariat, file=pdf_file("v2.pdf", hostile_pdf()), reason="New figures"
    )
    assert [name for name in ACTIVE_NAMES if name in _stored(version)] == []
    assert "scripts" in version.removed_content
    assert "scripts" in AuditEvent.objects.get(action="meetings.paper.replaced").changes["removed"]


def test_a_clean_pdf_is_stored_byte_for_byte(item):
    content = one_page_pdf(annots=tuple(SAFE_LINKS.values()))
    paper = services.paper_upload(item=item, actor=None, title="Finance report", file=pdf_file("f.pdf", content))
    assert _stored(paper.current_version) == content
    assert paper.current_version.removed_content == ()


@pytest.mark.parametrize("kind", sorted(UNSAFE_LINKS))
def test_each_unsafe_link_action_is_removed(kind):
    facts = inspect_pdf(pdf_file("f.pdf", one_page_pdf(annots=(UNSAFE_LINKS[kind], SAFE_LINKS["web"]))))
    reader = _reader(facts.content)
    assert _link_actions(reader) == ["https://www.gov.uk/government/publications"]
    assert facts.removed


@pytest.mark.parametrize(
    ("catalog", "page", "annots", "extra", "removed"),
    [
        (b"/OpenAction 6 0 R", b"", (), (b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",), "scripts"),
        (b"/OpenAction << /S /Launch /F (calc.exe) >>", b"", (), (), "actions that open"),
        (b"/AA << /WC << /S /JavaScript /JS (x) >> >>", b"", (), (), "scripts"),
        (b"/Names << /JavaScript << /Names [ (a) << /S /JavaScript /JS (x) >> ] >> >>", b"", (), (), "scripts"),
        (
            b"/Names << /EmbeddedFiles << /Names [ (a.exe) << /Type /Filespec /EF << /F 6 0 R >> >> ] >> >>",
            b"",
            (),
            (stream(b"MZ", b"/Type /EmbeddedFile"),),
            "embedded files",
        ),
        (b"/AcroForm << /Fields [] /XFA 6 0 R >>", b"", (), (stream(b"<xdp/>"),), "XFA"),
        (
            b"/AcroForm << /Fields [ 6 0 R ] >>",
            b"",
            (b"6 0 R",),
            (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (a) /AA << /K << /S /JavaScript /JS (x) >> >> >>",),
            "scripts",
        ),
        (b"", b"/AA << /O << /S /Launch /F (cmd.exe) >> >>", (), (), "actions that open"),
        (b"", b"", (FILE_ATTACHMENT,), (stream(b"MZ", b"/Type /EmbeddedFile"),), "embedded files"),
        (b"", b"", (RICH_MEDIA,), (), "embedded media"),
        (
            b"/AF [ << /Type /Filespec /F (data.xlsm) /AFRelationship /Data /EF << /F 6 0 R >> >> ]",
            b"",
            (),
            (stream(b"PK macros", b"/Type /EmbeddedFile"),),
            "embedded files",
        ),
    ],
    ids=[
        "open-action-script",
        "open-action-launch",
        "document-will-close-script",
        "document-javascript",
        "embedded-files",
        "xfa",
        "field-keystroke-script",
        "page-open-launch",
        "file-attachment",
        "rich-media",
        "associated-file",
    ],
)
def test_each_kind_of_active_content_is_removed(catalog, page, annots, extra, removed):
    facts = inspect_pdf(pdf_file("f.pdf", one_page_pdf(catalog=catalog, page=page, annots=annots, extra=extra)))
    assert facts.content is not None and removed in facts.removed_notice
    assert [name for name in ACTIVE_NAMES if name in facts.content] == []
    assert TEXT in _reader(facts.content).pages[0].extract_text()


def test_packs_drop_active_content_from_papers_stored_before_the_check(
    cast, django_capture_on_commit_callbacks, settings
):
    """A paper stored before uploads were cleaned still reaches every new pack clean."""
    meeting = MeetingFactory(partnership=cast.partnership, title="Integrated Care Partnership")
    item = AgendaItemFactory(meeting=meeting, position=1, title="Finance")
    paper = PaperFactory(agenda_item=item, title="Finance report", with_file=False)
    content = hostile_pdf()
    version = PaperVersion(
        paper=paper, number=1, original_filename="finance.pdf", size=len(content), page_count=1, sha256="0" * 64
    )
    version.file.save("finance.pdf", ContentFile(content), save=False)
    version.save()
    paper.current_version = version
    paper.save()
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        packs = publishing.agenda_pack_request(meeting=meeting)
    for document in packs:
        document.refresh_from_db()
        assert document.status == "done"
        with document.file.open("rb") as handle:
            data = handle.read()
        assert [name for name in ACTIVE_NAMES if name in data] == []
        assert TEXT in "\n".join(page.extract_text() for page in _reader(data).pages)


def test_assemble_drops_active_content_from_every_part():
    parts = [pdf.PackPart(title="Cover", data=minimal_pdf("Cover")), pdf.PackPart(title="Paper", data=hostile_pdf())]
    data = pdf.assemble(parts, title="Pack", author="ICP", subject="Agenda", numbers=None)
    assert [name for name in ACTIVE_NAMES if name in data] == []
    reader = _reader(data)
    assert len(reader.pages) == 2 and TEXT in reader.pages[1].extract_text()
    assert _link_actions(reader, page=1) == [
        "https://www.gov.uk/government/publications",
        "mailto:secretariat@example.org",
        "/GoTo",
        "/Named",
    ]


# Limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(("streams", "megabytes_each"), [(30, 10), (1, 300)], ids=["many-streams", "one-stream"])
def test_a_decompression_bomb_is_refused_quickly_without_inflating_it_in_memory(item, streams, megabytes_each):
    bomb = bomb_pdf(streams=streams, megabytes_each=megabytes_each)  # 300 KB that inflate to 300 MB
    assert len(bomb) < 400_000
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as error:
            services.paper_upload(item=item, actor=None, title="Report", file=pdf_file("report.pdf", bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "expands to more than 200 MB" in error.value.message_dict["file"][0]
    assert peak < 50 * 1024 * 1024
    assert time.monotonic() - started < 10
    assert not item.papers.exists()


def test_the_inflated_size_limit_is_a_setting_and_counts_chained_filters(settings):
    hex_then_flate = zeros_flate(3).hex().encode() + b">"
    bomb = bomb_pdf(streams=1, megabytes_each=3, filters=b"[ /ASCIIHexDecode /FlateDecode ]", data=hex_then_flate)
    inspect_pdf(pdf_file("report.pdf", bomb))  # 3 MB is well within the default
    settings.PAPER_MAX_INFLATED_MB = 2
    with pytest.raises(ValidationError, match="expands to more than 2 MB"):
        inspect_pdf(pdf_file("report.pdf", bomb))


@pytest.mark.parametrize("declared", [None, 1], ids=["honest-count", "lying-count"])
def test_a_100000_page_pdf_is_refused_quickly(declared):
    huge = many_pages_pdf(100_000, declared=declared)
    started = time.monotonic()
    with pytest.raises(ValidationError, match="more than 2,000 pages"):
        inspect_pdf(pdf_file("huge.pdf", huge))
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("declared", [None, 1], ids=["honest-count", "lying-count"])
def test_the_page_limit_is_a_setting(settings, declared):
    settings.PAPER_MAX_PAGES = 3
    assert inspect_pdf(pdf_file("ok.pdf", many_pages_pdf(3, declared=declared, per_node=2))).page_count == 3
    with pytest.raises(ValidationError, match="more than 3 pages"):
        inspect_pdf(pdf_file("long.pdf", many_pages_pdf(4, declared=declared, per_node=2)))


# File names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["é" * 300 + ".pdf", "報告書" * 100 + ".pdf", "a" * 300 + ".pdf", "Board paper; <final> & 'agreed'.pdf"],
    ids=["accented", "cjk", "ascii", "punctuation"],
)
def test_a_long_or_odd_file_name_is_accepted_through_the_form(client, cast, meeting, item, name):
    client.force_login(cast.secretariat)
    upload = reverse("meetings:staff_paper_upload", args=[cast.partnership.slug, meeting.pk, item.pk])
    response = client.post(upload, {"title": "Finance report", "file": pdf_file(name)})
    assert response.status_code == 302
    paper = item.papers.get()
    replace = reverse("meetings:staff_paper_replace", args=[cast.partnership.slug, meeting.pk, paper.pk])
    response = client.post(replace, {"file": pdf_file(name, minimal_pdf("v2")), "reason": "New figures"})
    assert response.status_code == 302
    for version in paper.versions.all():
        stored = version.file.name.rsplit("/", 1)[-1]
        assert stored.isascii() and stored.endswith(".pdf") and len(stored.encode()) < 255
        assert len(version.original_filename) <= 255 and version.original_filename.endswith(".pdf")


def test_a_name_longer_than_the_field_is_shortened_keeping_its_extension(item):
    upload = ContentFile(minimal_pdf(), name="Integrated care strategy " * 20 + ".pdf")
    version = services.paper_upload(item=item, actor=None, title="Strategy", file=upload).current_version
    assert 250 <= len(version.original_filename) <= 255
    assert version.original_filename.startswith("Integrated care strategy")
    assert version.original_filename.endswith("….pdf")


def test_control_characters_never_reach_the_displayed_name(item):
    upload = ContentFile(minimal_pdf(), name="Board\r\npaper\x00 (final).pdf")
    version = services.paper_upload(item=item, actor=None, title="Board paper", file=upload).current_version
    assert version.original_filename == "Board paper (final).pdf"


def test_safe_pdf_filename_is_short_ascii():
    assert safe_pdf_filename("é" * 300 + ".pdf") == "e" * 100 + ".pdf"
    assert safe_pdf_filename("報告書.pdf") == "paper.pdf"
    assert safe_pdf_filename("Rapport d'activité 2024.pdf") == "Rapport_dactivite_2024.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("poly.html", "poly.pdf"),
        ("report.exe", "report.pdf"),
        ("Board paper v1.2", "Board paper v1.2.pdf"),
        ('Minutes "final".pdf', "Minutes final.pdf"),
        ("a\r\nContent-Type: text html\r\n\r\n<script>.pdf", "a Content-Type text html script.pdf"),
        ("..\\..\\secret.pdf", "secret.pdf"),
        ("invoice\u202efdp.exe", "invoice fdp.pdf"),
        ("Évaluation du Conseil.pdf", "Évaluation du Conseil.pdf"),
        ("", "document.pdf"),
        ("...pdf", "document.pdf"),
        ("x" * 300 + ".pdf", "x" * 100 + ".pdf"),
    ],
)
def test_download_filename(name, expected):
    assert download_filename(name) == expected


@pytest.mark.parametrize(
    ("original", "disposition"),
    [
        ("poly.html", 'filename="poly.pdf"'),
        ('evil"; filename="x.html', 'filename="evil filename= x.pdf"'),
        ("Board\r\npaper.pdf", 'filename="Board paper.pdf"'),
        ("Évaluation 2024.pdf", "filename*=utf-8''%C3%89valuation%202024.pdf"),
    ],
)
def test_paper_downloads_carry_a_safe_pdf_name(client, item, original, disposition):
    paper = services.paper_upload(item=item, actor=None, title="Finance", file=pdf_file())
    item.meeting.agenda_published_at = timezone.now()
    item.meeting.save()
    PaperVersion.objects.filter(pk=paper.current_version.pk).update(original_filename=original)
    response = client.get(reverse("meetings:paper", args=[paper.current_version.token]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("; " + disposition)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware, SECURE_CONTENT_TYPE_NOSNIFF
    assert body(response).startswith(b"%PDF-")
