"""Papers: checked from their content, stored with their facts, replaced with versions kept."""

import hashlib
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from audit.models import AuditEvent
from meetings import services
from meetings.factories import AgendaItemFactory, minimal_pdf
from meetings.validators import inspect_pdf, safe_pdf_filename

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, position=1, title="Strategy refresh")


def _three_page_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_real_pdf_is_accepted_with_its_facts(item, cast):
    content = _three_page_pdf()
    paper = services.paper_upload(
        item=item, actor=cast.secretariat, title="Draft strategy", file=pdf_file("Draft strategy (v3).pdf", content)
    )
    version = paper.current_version
    assert version.number == 1
    assert version.page_count == 3
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.original_filename == "Draft strategy (v3).pdf"
    assert version.uploaded_by == cast.secretariat
    with version.file.open("rb") as stored:
        assert stored.read() == content
    assert version.file.name.endswith(".pdf")
    event = AuditEvent.objects.get(action="meetings.paper.uploaded")
    assert event.changes["pages"] == 3 and event.changes["sha256"] == version.sha256


def test_a_text_file_named_pdf_is_refused(item):
    with pytest.raises(ValidationError) as error:
        services.paper_upload(
            item=item, actor=None, title="Report", file=pdf_file("report.pdf", b"Minutes of the meeting")
        )
    assert "not a PDF, whatever its name says" in error.value.message_dict["file"][0]
    assert not item.papers.exists()


def test_a_truncated_pdf_is_refused(item):
    content = minimal_pdf("Cut short")
    with pytest.raises(ValidationError) as error:
        services.paper_upload(
            item=item, actor=None, title="Report", file=pdf_file("report.pdf", content[: len(content) // 2])
        )
    assert "damaged or incomplete" in error.value.message_dict["file"][0]


def test_a_corrupt_pdf_is_refused(item):
    with pytest.raises(ValidationError) as error:
        services.paper_upload(
            item=item, actor=None, title="Report", file=pdf_file("report.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 200)
        )
    assert "damaged or incomplete" in error.value.message_dict["file"][0]


def test_a_file_over_the_limit_is_refused(item, settings):
    settings.PAPER_MAX_UPLOAD_MB = 1
    big = minimal_pdf("Big") + b"%" + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        services.paper_upload(item=item, actor=None, title="Report", file=pdf_file("report.pdf", big))
    assert "smaller than 1 MB" in error.value.message_dict["file"][0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        inspect_pdf(pdf_file("report.pdf", b""))


def test_a_password_protected_pdf_is_refused():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError, match="password"):
        inspect_pdf(pdf_file("locked.pdf", out.getvalue()))


def test_a_title_is_required(item):
    with pytest.raises(ValidationError) as error:
        services.paper_upload(item=item, actor=None, title="  ", file=pdf_file())
    assert "title" in error.value.message_dict


def test_replacing_keeps_every_version(item, cast):
    paper = services.paper_upload(item=item, actor=None, title="Finance report", file=pdf_file("finance.pdf"))
    first = paper.current_version
    with pytest.raises(ValidationError) as error:
        services.paper_replace(
            paper=paper, actor=cast.secretariat, file=pdf_file("finance.pdf", minimal_pdf("v2")), reason=" "
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError, match="identical"):
        services.paper_replace(paper=paper, actor=cast.secretariat, file=pdf_file("finance.pdf"), reason="Typo")

    second = services.paper_replace(
        paper=paper,
        actor=cast.secretariat,
        file=pdf_file("finance-v2.pdf", minimal_pdf("v2")),
        reason="Corrected table 2",
    )
    paper.refresh_from_db()
    assert paper.current_version == second
    assert second.number == 2 and second.replacement_reason == "Corrected table 2"
    assert list(paper.versions.values_list("number", flat=True)) == [2, 1]
    assert default_storage.exists(first.file.name) and default_storage.exists(second.file.name)
    assert first.file.name != second.file.name
    assert AuditEvent.objects.get(action="meetings.paper.replaced").changes["reason"] == "Corrected table 2"


def test_a_refused_replacement_changes_nothing(item):
    paper = services.paper_upload(item=item, actor=None, title="Finance report", file=pdf_file())
    with pytest.raises(ValidationError):
        services.paper_replace(paper=paper, actor=None, file=pdf_file("x.pdf", b"not a pdf"), reason="New figures")
    paper.refresh_from_db()
    assert paper.versions.count() == 1 and paper.current_version.number == 1


def test_paper_update_can_withhold_a_paper(item):
    paper = services.paper_upload(item=item, actor=None, title="Appendix", file=pdf_file())
    services.paper_update(paper=paper, actor=None, title="Appendix B", restricted=True)
    paper.refresh_from_db()
    assert paper.title == "Appendix B" and paper.restricted and paper.is_exempt


def test_safe_pdf_filename():
    assert safe_pdf_filename("Board paper (final).PDF") == "Board_paper_final.pdf"
    assert safe_pdf_filename("../../etc/passwd") == "passwd.pdf"
    assert safe_pdf_filename("") == "paper.pdf"


def test_each_version_downloads_from_its_own_address_under_the_sites_prefix(item, cast, client):
    from django.urls import set_script_prefix

    first = services.paper_upload(item=item, actor=cast.secretariat, title="Draft strategy", file=pdf_file())
    second = services.paper_upload(item=item, actor=cast.secretariat, title="Finance report", file=pdf_file())
    one, two = first.current_version, second.current_version
    assert one.get_absolute_url() == f"/papers/{one.token}/"
    assert two.get_absolute_url() == f"/papers/{two.token}/"
    # A portal served under a path (SCRIPT_NAME) links under it, however often it was linked before.
    try:
        set_script_prefix("/governance/")
        assert one.get_absolute_url() == f"/governance/papers/{one.token}/"
    finally:
        set_script_prefix("/")
    assert one.get_absolute_url() == f"/papers/{one.token}/"
