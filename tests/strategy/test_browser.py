"""The approval journey in a real browser: a co-chair signs in, reviews and approves a
submitted draft; the published strategy page is accessible."""

import pytest
from django.urls import reverse

from publishing.services import strategy_document_request
from strategy import services
from strategy.models import StrategyVersion
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_chair_approves_a_submitted_draft_and_the_public_page_is_accessible(page, cast, draft, adopting_decision):
    services.version_submit(version=draft, actor=cast.secretariat)
    services.approval_record(version=draft, actor=cast.chair, decision="approved")
    review = reverse("strategy:review", args=[cast.partnership.slug, draft.number])

    page.goto(f"/accounts/login/?next={review}")
    page.get_by_label("Username").fill("co_chair")
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{review}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Review version 1")
    assert_accessible(page)

    page.get_by_label("Approve this version").check()
    page.get_by_role("button", name="Record my decision").click()
    page.wait_for_url(f"**{review}")
    assert "Every approval needed is in: it is approved." in page.content()
    draft.refresh_from_db()
    assert draft.status == StrategyVersion.Status.APPROVED

    services.version_publish(version=draft, actor=cast.secretariat, decision=adopting_decision)
    strategy_document_request(version=draft, user=cast.secretariat)
    page.goto(reverse("strategy:public", args=[cast.partnership.slug]))
    assert page.get_by_role("heading", level=1).inner_text() == draft.title
    assert page.get_by_role("link", name="1. Start well").is_visible()
    assert_accessible(page)
