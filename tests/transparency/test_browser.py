"""The scorecard in a real browser: accessible (axe) at a phone's width and a desktop's, with
nothing wider than the screen, and a figure followed to the meetings behind it."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible
from transparency.services import scorecard_compute

from .conftest import ON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [375, 1280])
def test_scorecard_figure_and_methodology(page, record, width):
    scorecard_compute(on=ON)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/transparency/")
    assert page.get_by_role("heading", level=1).inner_text() == "Transparency scorecard"
    assert _page_width(page) <= width
    assert_accessible(page)

    page.get_by_role("link", name="agendas published on time by Alpha ICP").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Agendas published on time"
    expect(page.get_by_role("link", name=record.m2.title)).to_be_visible()
    assert _page_width(page) <= width
    assert_accessible(page)

    page.goto("/transparency/methodology/")
    assert _page_width(page) <= width
    assert_accessible(page)
