"""The API's Swagger UI in a real browser, under the portal's own Content Security Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_work_within_the_csp(strict_page):
    strict_page.goto("/api/v1/docs/")
    strict_page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "ICP Portal open data API" in strict_page.inner_text(".swagger-ui .info .title")
    # The endpoints are listed from the schema the page fetched.
    assert strict_page.locator(".opblock-summary-path", has_text="/api/v1/meetings/").count() >= 1
    blocked = [error for error in strict_page.console_errors if "Content Security Policy" in error]
    assert blocked == []
