"""The pages of England as it changes, in a real browser: accessible, today and on a date."""

import pytest

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/?on=2025-03-31",
    "/?on=not-a-date",
    "/changes/",
    "/regions/south-east/",
    "/regions/south-east/?on=2026-03-31",
    "/systems/frimley/",  # ended: what it became, its councils on its last day
    "/systems/surrey-and-sussex/",  # provisional, formed from three, a partnership carried over
    "/systems/hampshire-and-isle-of-wight/?on=2026-03-31",
    "/systems/thames-valley/?on=2025-03-31",  # before it started
]


@pytest.fixture
def geography(transactional_db):
    from partnerships.factories import PartnershipFactory
    from partnerships.models import IntegratedCareSystem
    from partnerships.reference import load_reference_data

    load_reference_data()
    PartnershipFactory(ics=IntegratedCareSystem.objects.get(slug="surrey-heartlands"), name="Surrey Heartlands ICP")


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(page, geography, path):
    page.goto(path)
    assert page.title()
    assert_accessible(page)
