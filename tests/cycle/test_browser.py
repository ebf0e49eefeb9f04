"""The meeting cycle's pages in a real browser: nothing wider than the page at 375 px (a phone)
or 1280 px (a laptop), no serious or critical axe violation, and the meeting page updating
itself when its PDFs are built, under the strict Content Security Policy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audit.services import audit_record
from meetings import record_services
from meetings.factories import AgendaItemFactory, MeetingFactory
from membership.factories import MembershipFactory
from publishing.models import PublishedDocument
from tests.browser import assert_accessible, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (375, 1280)
# The innermost elements that stick out of the window, to say what to fix.
WIDEST = """[...document.querySelectorAll("main *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5)
  .map((e) => e.tagName.toLowerCase() + "." + e.className + ": " + (e.textContent || "").trim().slice(0, 40))"""


def sign_in(page, username="secretariat"):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, username)


def assert_fits(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(WIDEST) if overflow > 0 else []
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window: {wide}"


def test_the_cycle_pages_fit_a_phone_and_a_laptop_and_pass_axe(page, board):
    slug, meeting = board.partnership.slug, board.meeting
    upcoming = MeetingFactory(
        partnership=board.partnership,
        title="Partnership board with a long title about integrated community services",
        # Late in the evening: "10:56pm to 12:56am" is the widest time a meeting can show.
        starts_at=(timezone.localtime() + dt.timedelta(days=10)).replace(hour=22, minute=56),
    )
    AgendaItemFactory(meeting=upcoming, position=1, title="Finance report")
    clerk = board.secretariat
    clerk.first_name, clerk.last_name = "Jo", "Smith"
    clerk.save()
    audit_record(
        actor=clerk,
        action="meetings.agenda.item_updated",
        obj=board.items.exempt,
        partnership=board.partnership,
        changes={"is_exempt": [False, True], "exempt_paragraph": [None, 3], "exempt_reason": ["", "A" * 300]},
    )
    MembershipFactory(
        partnership=board.partnership,
        start_date=timezone.localdate() - dt.timedelta(days=800),
        end_date=timezone.localdate() - dt.timedelta(days=30),
        end_reason="Stood down at the end of the council's municipal year",
    )
    draft = record_services.minutes_start_draft(meeting=meeting, actor=clerk)
    PublishedDocument.objects.create(
        partnership=board.partnership, meeting=meeting, kind="agenda_pack", source_version="v1", title="Agenda pack"
    )
    pages = {
        "dashboard": reverse("workspace:dashboard", args=[slug]),
        "home": reverse("workspace:home"),
        "attendance": reverse("record:attendance", kwargs={"slug": slug, "pk": meeting.pk}),
        "audit": reverse("workspace:audit", args=[slug]),
        "minutes": reverse("record:minutes_version", kwargs={"slug": slug, "pk": meeting.pk, "version": draft.version}),
        "meeting": reverse("meetings:staff_meeting", args=[slug, meeting.pk]),
        "documents": reverse("publishing:meeting_documents", args=[slug, meeting.pk]),
        "meetings": reverse("meetings:staff_list", args=[slug]),
        "publications": reverse("publishing:jobs", args=[slug]),
        "past members": reverse("workspace:past_members", args=[slug]),
        "person": reverse("workspace:person", args=[slug, board.seats.icb.person.slug]),
    }
    sign_in(page)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            assert_fits(page, width)
            if width == 375 or name in {"attendance", "minutes"}:
                assert_accessible(page)
    page.goto(pages["dashboard"])
    expect(page.get_by_role("link", name="Publish the agenda of Partnership board with a long title")).to_be_visible()
    page.goto(pages["audit"])
    expect(page.get_by_text("Jo Smith made item 2 exempt under paragraph 3.")).to_be_visible()


def test_the_meeting_page_shows_the_pdfs_ready_without_a_reload(strict_page, board):
    page = strict_page
    meeting = board.meeting
    document = PublishedDocument.objects.create(
        partnership=board.partnership,
        meeting=meeting,
        kind="agenda_pack",
        source_version="v1",
        title="Agenda pack",
        status="running",
        started_at=timezone.now(),
    )
    sign_in(page)
    page.goto(reverse("meetings:staff_meeting", args=[board.partnership.slug, meeting.pk]))
    documents = page.locator("#meeting-documents")
    expect(documents.get_by_text("Building", exact=True)).to_be_visible()
    PublishedDocument.objects.filter(pk=document.pk).update(
        status="done", page_count=4, size=2048, finished_at=timezone.now()
    )
    documents.get_by_text("Ready", exact=True).wait_for(timeout=15_000)
    expect(documents.get_by_role("link", name="Agenda pack")).to_be_visible()
    # The script runs under the strict policy: no error but the NHS.UK font's, which the
    # statutory pages' work deals with (docs/adr/001).
    assert [error for error in page.console_errors if "font" not in error.lower()] == []


def test_the_import_preview_and_the_strategy_tables_fit_a_phone(page, board):
    """The NHS.UK responsive table on the import preview and the strategy's staff pages: at
    375 px each row is a block with its headings, so long names, errors and titles wrap."""
    from strategy.factories import (
        ApprovalFactory,
        EngagementActivityFactory,
        EvidenceFactory,
        OutcomeMeasureFactory,
        PriorityFactory,
        StrategyVersionFactory,
    )

    slug = board.partnership.slug
    version = StrategyVersionFactory(strategy__partnership=board.partnership, status="submitted")
    long_title = "Joint strategic needs assessment of children and young people's emotional wellbeing 2025"
    EvidenceFactory(strategy=version.strategy, title=long_title)
    EngagementActivityFactory(version=version, title="Conversations with carers' organisations across the system")
    OutcomeMeasureFactory(priority=PriorityFactory(version=version), name="Gap in healthy life expectancy " * 3)
    ApprovalFactory(version=version, decision="changes", comment="Please say more about neighbourhoods " * 4)
    sign_in(page)
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(reverse("workspace:import_upload", args=[slug]))
    assert_fits(page, 375)
    rows = [
        "given_name,family_name,email,role,seat,organisation,start_date",
        "Amina,Okafor,amina.okafor.long.address@example.gov.uk,member,Leader of the council,,2025-04-01",
        "Tom,Reyes,,chair,Director of Public Health,Nowhere Borough Council,31/02/2025",
    ]
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}],
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Problem").first).to_be_visible()
    for url in (
        page.url,  # the preview
        reverse("strategy:workspace", args=[slug]),
        reverse("strategy:evidence", args=[slug]),
        reverse("strategy:version", args=[slug, version.number]),
    ):
        page.goto(url)
        assert page.locator("table.nhsuk-table-responsive").count(), url
        assert_fits(page, 375)
        assert_accessible(page)
