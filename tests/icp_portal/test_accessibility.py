"""Public and account pages in a real browser: accessible, and within their own CSP."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/?q=Cumberland",
    "/?q=Atlantis",
    "/regions/north-east-and-yorkshire/",
    "/systems/north-east-and-north-cumbria/",
    "/systems/no-such-system/",
    "/accounts/login/",
    "/accounts/password_reset/",
]


@pytest.fixture
def geography(transactional_db):
    from partnerships.reference import load_reference_data

    load_reference_data()


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(page, geography, path):
    page.goto(path)
    assert page.title()
    assert_accessible(page)


def test_everything_on_a_page_is_in_a_landmark(page, geography):
    """axe's `region` rule (a minor one, so `assert_accessible` lets it pass): the phase banner
    between the header and the main content is a labelled region, so nothing is outside one."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/")
    violations = Axe().run(page, options={"runOnly": ["region"]}).response["violations"]
    assert violations == []
    expect(page.get_by_role("region", name="About this service")).to_be_visible()


def test_pages_load_styles_and_scripts_within_the_csp(strict_page, geography):
    strict_page.goto("/systems/north-east-and-north-cumbria/")
    strict_page.wait_for_load_state("networkidle")
    # The NHS.UK script marks the body once it has run: proof our module loaded under the policy.
    assert "nhsuk-frontend-supported" in strict_page.eval_on_selector("body", "b => b.className")
    header_colour = strict_page.eval_on_selector(".nhsuk-header", "h => getComputedStyle(h).backgroundColor")
    assert header_colour == "rgb(0, 94, 184)"  # NHS blue: the stylesheet applied
    blocked = [e for e in strict_page.console_errors if "Content Security Policy" in e and "assets.nhs.uk" not in e]
    assert blocked == []


def test_sign_in_form_shows_errors_accessibly(page, transactional_db):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
