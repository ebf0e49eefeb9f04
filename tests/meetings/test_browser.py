"""The secretariat's main journey in a real browser: sign in, schedule a meeting, build its
agenda, upload a paper, publish, then read the public page. Every page type visited is
checked with axe (no serious or critical violations)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.factories import minimal_pdf
from meetings.models import Meeting
from tests.browser import assert_accessible, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_schedule_build_publish_and_read(page, cast):
    slug = cast.partnership.slug
    page.goto(f"/accounts/login/?next=/workspace/{slug}/meetings/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, "secretariat")
    assert page.get_by_role("heading", level=1).inner_text() == "Meetings"
    assert "No agenda is due in the next two weeks." in page.content()
    assert_accessible(page)  # the staff meetings list

    page.get_by_role("link", name="Schedule a meeting").click()
    day = timezone.localdate() + dt.timedelta(days=45)
    page.get_by_label("Title").fill("Partnership board")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("13:00")
    page.get_by_label("Venue").fill("County Hall, Council Chamber")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert page.get_by_label("Venue").input_value() == "County Hall, Council Chamber"  # nothing typed is lost
    assert_accessible(page)  # a form with errors
    page.get_by_label("End time").fill("16:00")
    page.get_by_role("button", name="Schedule meeting").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Partnership board"
    meeting = Meeting.objects.get()

    page.get_by_role("button", name="Add standard items").click()
    assert "Added: Welcome and apologies for absence" in page.content()
    assert_accessible(page)  # the staff meeting page with an agenda

    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Title").fill("Integrated care strategy refresh")
    page.get_by_label("Purpose").select_option("decision")
    page.get_by_label("Presenter").fill("Director of Public Health")
    assert_accessible(page)  # the item form
    page.get_by_role("button", name="Add item").click()
    # It lands before "Any other business", which stays last; moved down and back up.
    page.get_by_role("button", name="Move down item 5").click()
    page.get_by_role("button", name="Move up item 6").click()
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Title").fill("Community services contract award")
    page.get_by_label("Exempt: the public are excluded for this item").check()
    page.get_by_label("Schedule 12A paragraph").select_option("3")
    page.get_by_label("Public interest reason").fill("Bidders' prices would prejudice the procurement.")
    page.get_by_role("button", name="Add item").click()
    assert meeting.agenda_items.get(title="Integrated care strategy refresh").number == 5

    page.get_by_role("link", name="Upload a paper for item 5").click()
    page.get_by_label("Title").fill("Draft integrated care strategy")
    page.get_by_label("PDF file").set_input_files(
        files=[{"name": "draft-strategy.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf("Draft strategy")}]
    )
    assert_accessible(page)  # the upload form
    page.get_by_role("button", name="Upload paper").click()
    assert (
        "Paper uploaded: Draft integrated care strategy (1 pages)." in page.content()
        or "Paper uploaded" in page.content()
    )

    page.get_by_role("link", name="Publish agenda").click()
    assert_accessible(page)  # the confirmation
    page.get_by_role("button", name="Publish agenda").click()
    assert "Agenda published." in page.content()
    meeting.refresh_from_db()
    assert meeting.agenda_is_published

    # The other staff page types.
    page.get_by_role("link", name="Replace Draft integrated care strategy").click()
    assert_accessible(page)  # replacing a paper, with its versions
    page.go_back()
    page.get_by_role("link", name="Add a late item").click()
    page.get_by_label("Title").fill("Winter plan")
    page.get_by_label("The chair's reason for urgency").fill("NHS England needs the plan before 1 December.")
    assert_accessible(page)  # the late item form
    page.get_by_role("button", name="Add item").click()
    assert "added as a late item" in page.content()
    page.get_by_role("link", name="Cancel or postpone").click()
    assert_accessible(page)  # cancelling, with radios
    for path in ("days/new/", "series/new/"):
        page.goto(f"/workspace/{slug}/meetings/{path}")
        assert_accessible(page)  # a meetings day; a series

    page.context.clear_cookies()
    page.goto(meeting.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Partnership board"
    expect(page.get_by_role("link", name="Draft integrated care strategy", exact=True)).to_be_visible()
    assert "5. Integrated care strategy refresh" in page.content()
    assert "Exempt under paragraph 3 of Schedule 12A" in page.content()
    assert "Bidders" not in page.content()
    assert "NHS England needs the plan before 1 December." in page.content()  # the late item's reason
    assert_accessible(page)  # the public meeting page

    page.get_by_role("link", name=f"All meetings of {cast.partnership.name}").click()
    expect(page.get_by_role("link", name="Partnership board")).to_be_visible()
    assert_accessible(page)  # the public meetings list
