"""The Strategic ICP's secretariat tables the Area ICP's report in a real browser, records the
outcome, and the public read the report's path. Every page type is checked with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Consideration
from tests.browser import assert_accessible, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_table_a_report_again_record_the_outcome_and_read_its_path(page, system):
    board = reverse("meetings:staff_meeting", args=[system.strategic.slug, system.board.pk])
    page.goto(f"/accounts/login/?next={board}")
    page.get_by_label("Username").fill("strategic_staff")
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, "strategic_staff")

    page.get_by_role("link", name=f"Table a paper already on the portal at item {system.public_item.number}").click()
    page.get_by_label("Words in the paper’s title").fill("winter")
    page.get_by_role("button", name="Find papers").click()
    assert_accessible(page)  # the list of papers to table
    page.get_by_role("button", name="Table this paper").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)  # with errors
    page.get_by_label("Winter plan 2026").check()
    page.get_by_label("For information").check()
    page.get_by_label("Why is the agenda changing?").fill("The Area ICP asked the board to note its plan.")
    page.get_by_role("button", name="Table this paper").click()
    assert "is now on item" in page.content()

    page.get_by_role("link", name="Record the outcome for Winter plan 2026").click()
    page.get_by_label("Noted").check()
    page.get_by_label("What was decided or said (optional)").fill("Noted; the system plan follows in March.")
    assert_accessible(page)  # recording an outcome
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Where this paper has been considered"
    assert_accessible(page)  # the path, for the secretariat
    assert Consideration.objects.get(agenda_item=system.public_item).outcome == "noted"

    page.context.clear_cookies()
    page.goto(reverse("meetings:paper_page", args=[system.area.slug, system.report.pk]))
    assert "Noted; the system plan follows in March." in page.content()
    assert_accessible(page)  # the paper's public page
    page.goto(system.board.get_absolute_url())
    assert "first tabled at North Area ICP" in page.content()
