"""The person chooser in a real browser: matches appear as you type (static/js/person-chooser.mjs,
under the strict Content Security Policy), the keyboard chooses one (ARIA combobox), and axe
finds nothing serious with the matches open, at 375 px and 1280 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from membership.factories import PersonFactory
from tests.cycle.test_browser import assert_fits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(meeting, name):
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk})


def test_a_substitute_is_chosen_as_you_type_with_the_keyboard(strict_page, board):
    page = strict_page
    PersonFactory(given_name="Priya", family_name="Shahid", added_for=board.partnership)
    PersonFactory(given_name="Priya", family_name="Shandy", added_for=board.partnership)
    wanted = PersonFactory(given_name="Priyanka", family_name="Sharma", added_for=board.partnership)
    sign_in(page)
    page.goto(url(board.meeting, "attendance"))
    page.get_by_text("Add a substitute or someone in attendance").click()
    search = page.get_by_role("combobox", name="Who attended? Search by name")
    search.press_sequentially("pri sh", delay=30)
    listbox = page.get_by_role("listbox", name="Matching people")
    listbox.get_by_role("option").nth(2).wait_for()
    assert listbox.get_by_role("option").count() == 3
    assert search.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("status").inner_text().startswith("3 people match")
    search.press("ArrowDown")
    search.press("ArrowDown")
    search.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant").endswith("-2")
    assert listbox.get_by_role("option", selected=True).inner_text() == str(wanted)
    search.press("Enter")
    page.wait_for_url(f"**?person={wanted.pk}#add")
    assert page.locator(".portal-chosen-person").inner_text().startswith(str(wanted))
    page.get_by_label("In attendance (an officer, presenter or guest; not a member)").check()
    page.get_by_role("button", name="Add to the attendance").click()
    page.get_by_text(f"{wanted} added to the attendance").wait_for(timeout=10_000)
    # Escape closes the matches; the script ran under the strict policy without an error.
    page.goto(url(board.meeting, "declarations"))
    search = page.get_by_role("combobox", name="Who declared an interest? Search by name")
    search.press_sequentially(board.seats.icb.person.family_name[:4], delay=30)
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    search.press("Escape")
    assert search.get_attribute("aria-expanded") == "false"
    assert [error for error in page.console_errors if "font" not in error.lower()] == []


def test_the_chooser_with_its_matches_open_passes_axe_and_fits_a_phone(page, board):
    from tests.browser import assert_accessible

    PersonFactory.create_batch(25, family_name="Fellside-Whitworth-Montgomery", added_for=board.partnership)
    sign_in(page)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url(board.meeting, "attendance"))
        page.get_by_text("Add a substitute or someone in attendance").click()
        search = page.get_by_role("combobox", name="Who attended? Search by name")
        search.press_sequentially("fells", delay=30)
        page.get_by_role("listbox").get_by_role("option").nth(19).wait_for()
        search.press("ArrowDown")
        assert page.get_by_role("status").inner_text().startswith("25 people match, the first 20 shown")
        assert_fits(page, width)
        assert_accessible(page)
    # Without the script's help (Search pressed), the same matches as a page of links.
    search.press("Escape")
    search.press("Enter")
    page.wait_for_url("**q=fells*")
    expect(page.get_by_text("25 people match ‘fells’")).to_be_visible()
    assert_accessible(page)
