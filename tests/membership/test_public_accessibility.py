"""The public partnership and person pages in a real browser, on the demonstration data:
accessible (axe: no serious or critical violations) and within their own CSP."""

import pytest

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/systems/north-east-and-north-cumbria/",  # partnerships nested under the Strategic ICP
    "/systems/surrey-heartlands/",  # with its places
    "/partnerships/north-east-and-north-cumbria-strategic-icp/",  # chairs, 46 members by sector
    "/partnerships/nenc-north-cumbria-area-icp/",  # a sub-partnership
    "/partnerships/no-such-partnership/",
    "/people/ada-fellside/",  # current roles and an interest
    "/people/nora-pennywort/",  # past roles with reasons for leaving
    "/people/samuel-brackenridge/",  # nil returns
]


@pytest.fixture
def demo(transactional_db):
    from membership.demo import demo_load
    from membership.factories import UserFactory
    from partnerships.reference import load_reference_data

    load_reference_data()
    demo_load(users={name: UserFactory(username=name) for name in ("secretariat", "chair", "member")})


@pytest.mark.parametrize("path", PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, demo, path):
    page.goto(path)
    assert page.title()
    assert_accessible(page)


def test_partnership_page_works_within_the_csp(strict_page, demo):
    strict_page.goto("/partnerships/north-east-and-north-cumbria-strategic-icp/")
    strict_page.wait_for_load_state("networkidle")
    assert "nhsuk-frontend-supported" in strict_page.eval_on_selector("body", "b => b.className")
    blocked = [e for e in strict_page.console_errors if "Content Security Policy" in e and "assets.nhs.uk" not in e]
    assert blocked == []
    strict_page.get_by_role("link", name="Prof Ada Fellside").first.click()
    assert strict_page.get_by_role("heading", level=1).inner_text() == "Prof Ada Fellside"
