"""The accessibility statement, privacy notice, cookies, contact and service status pages: linked
from every page's footer, readable by anyone, and the statement's list of untagged papers
computed from the record (icp_portal/service_pages.py)."""

import pytest
from django.urls import reverse, set_script_prefix

from icp_portal import health
from meetings import services as meeting_services
from meetings.factories import AgendaItemFactory, MeetingFactory, minimal_pdf
from meetings.models import PdfAccessibility
from tests.meetings.conftest import pdf_file
from tests.meetings.test_pdf_accessibility import accessible_pdf

PAGES = ["accessibility", "privacy", "cookies", "contact", "service_status"]


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_public_and_linked_from_every_footer(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    for page in (response, client.get(reverse("home")), client.get(reverse("login"))):
        assert f'href="{reverse(name)}"' in text(page)


def test_the_links_of_every_page_follow_the_sites_prefix(client, db):
    # A portal served under a path (SCRIPT_NAME) links under it: the header's and footer's
    # addresses are reversed once per process, so once for each prefix.
    assert 'href="/privacy/"' in text(client.get(reverse("home")))
    try:
        set_script_prefix("/governance/")
        page = text(client.get("/"))
    finally:
        set_script_prefix("/")
    assert 'href="/governance/privacy/"' in page and 'href="/privacy/"' not in page
    assert 'href="/privacy/"' in text(client.get(reverse("home")))


def test_every_page_has_the_phase_banner(client, db, settings):
    page = text(client.get(reverse("home")))
    assert "portal-phase-banner" in page and "Beta" in page and f"{reverse('contact')}#feedback" in page


def test_the_contact_address_is_a_setting(client, db, settings):
    settings.PORTAL_CONTACT_EMAIL = "icp-help@example.nhs.uk"
    for name in ("accessibility", "privacy", "contact"):
        assert "mailto:icp-help@example.nhs.uk" in text(client.get(reverse(name)))


def test_the_statement_follows_the_model_form(client, db):
    page = text(client.get(reverse("accessibility")))
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in page
    assert "Accessibility Regulations 2018" in page


@pytest.fixture
def published(cast):
    """A public meeting with a published agenda: an untagged paper, a tagged one, and an untagged
    paper on an exempt item."""
    meeting = MeetingFactory(partnership=cast.partnership, title="Spring board")
    public_item = AgendaItemFactory(meeting=meeting, position=1, title="Plan")
    exempt_item = AgendaItemFactory(
        meeting=meeting, position=2, title="Contract", is_exempt=True, exempt_paragraph=3, exempt_reason="Commercial."
    )
    upload = meeting_services.paper_upload
    untagged = upload(item=public_item, actor=None, title="Scanned plan", file=pdf_file("a.pdf", minimal_pdf("a")))
    tagged = upload(item=public_item, actor=None, title="Tagged plan", file=pdf_file("b.pdf", accessible_pdf()))
    secret = upload(item=exempt_item, actor=None, title="Secret bid", file=pdf_file("c.pdf", minimal_pdf("c")))
    meeting.agenda_published_at = meeting.starts_at.replace(year=meeting.starts_at.year - 1)
    meeting.save(update_fields=["agenda_published_at"])
    return meeting, untagged, tagged, secret


def test_the_statement_lists_untagged_public_papers_only(client, published):
    meeting, untagged, tagged, secret = published
    assert PdfAccessibility.objects.count() == 3
    page = text(client.get(reverse("accessibility")))
    assert "Public papers with no tags (1)" in page
    assert "Scanned plan" in page and meeting.get_absolute_url() in page
    assert "Tagged plan" not in page
    assert "Secret bid" not in page  # exempt material never reaches a public page


def test_the_list_follows_the_record_at_read_time(client, published):
    meeting, untagged, *_ = published
    meeting_services.paper_replace(
        paper=untagged, actor=None, file=pdf_file("a2.pdf", accessible_pdf(title="Plan")), reason="Tagged copy"
    )
    assert "Public papers with no tags (0)" in text(client.get(reverse("accessibility")))


def test_the_statement_page_queries_do_not_grow(client, published, django_assert_max_num_queries):
    meeting = published[0]
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("accessibility"))
    item = AgendaItemFactory(meeting=meeting, position=3, title="More")
    for n in range(6):
        meeting_services.paper_upload(
            item=item,
            actor=None,
            title=f"Scan {n}",
            file=pdf_file("s.pdf", minimal_pdf(f"{n}")),
            change_reason="A late paper.",
        )
    with django_assert_max_num_queries(len(few)):
        assert "Public papers with no tags (7)" in text(client.get(reverse("accessibility")))


def test_service_status_is_a_page_for_people(client, db, monkeypatch):
    # In full mode the background checks would look for a beat this test does not run.
    monkeypatch.setattr(health, "dependency_checks", list)
    response = client.get(reverse("service_status"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "is working normally" in text(response)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_service_status_says_when_something_is_down_without_details(client, db, monkeypatch):
    def broken():
        raise RuntimeError("password authentication failed for user postgres")

    monkeypatch.setattr(health, "_check_database", broken)
    response = client.get(reverse("service_status"))
    assert response.status_code == 200
    page = text(response)
    assert "Some of the service is not working" in page and "Not working" in page
    assert "postgres" not in page


def test_the_machine_endpoints_stay_json(client, db):
    assert client.get(reverse("healthz_ready"))["Content-Type"] == "application/json"
