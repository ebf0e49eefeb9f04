"""The approval journey in a real browser: a co-chair signs in, reviews and approves a
submitted draft; the published strategy page is accessible."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from publishing.services import strategy_document_request
from strategy.models import StrategyVersion
from strategy.services.approval import approval_record, version_submit
from strategy.services.publication import version_publish
from tests.browser import assert_accessible, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_chair_approves_a_submitted_draft_and_the_public_page_is_accessible(page, cast, draft, adopting_decision):
    version_submit(version=draft, actor=cast.secretariat)
    approval_record(version=draft, actor=cast.chair, decision="approved")
    review = reverse("strategy:review", args=[cast.partnership.slug, draft.number])

    page.goto(f"/accounts/login/?next={review}")
    page.get_by_label("Username").fill("co_chair")
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, "co_chair")
    page.wait_for_url(f"**{review}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Review version 1")
    assert_accessible(page)

    page.get_by_label("Approve this version").check()
    page.get_by_role("button", name="Record my decision").click()
    page.wait_for_url(f"**{review}")
    assert "Every approval needed is in: it is approved." in page.content()
    draft.refresh_from_db()
    assert draft.status == StrategyVersion.Status.APPROVED

    # Dated back, as if approved before the partnership's meeting a week ago that adopted it.
    StrategyVersion.objects.filter(pk=draft.pk).update(approved_at=draft.approved_at - dt.timedelta(days=30))
    draft.refresh_from_db()
    version_publish(version=draft, actor=cast.secretariat, decision=adopting_decision)
    strategy_document_request(version=draft, user=cast.secretariat)
    page.goto(reverse("strategy:public", args=[cast.partnership.slug]))
    assert page.get_by_role("heading", level=1).inner_text() == draft.title
    expect(page.get_by_role("link", name="1. Start well")).to_be_visible()
    assert_accessible(page)


def test_the_secretariat_sees_who_cannot_approve_and_the_page_is_accessible(page, cast, draft):
    from membership.factories import ChairAppointmentFactory, PersonFactory
    from membership.permissions import permissions_sync

    councillor = PersonFactory(honorific="Cllr", given_name="Edwin", family_name="Saltmarsh")
    ChairAppointmentFactory(partnership=cast.partnership, person=councillor, role="co_chair")
    permissions_sync(cast.partnership)
    version_submit(version=draft, actor=cast.secretariat)
    approval_record(version=draft, actor=cast.chair, decision="approved")
    approval_record(version=draft, actor=cast.co_chair, decision="approved")
    version = reverse("strategy:version", args=[cast.partnership.slug, draft.number])

    page.goto(f"/accounts/login/?next={version}")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, "secretariat")
    page.wait_for_url(f"**{version}")
    assert "Cllr Edwin Saltmarsh, co-chair, has no sign-in account: invite them to sign in" in page.content()
    assert page.get_by_role("button", name="Record that it is approved").count() == 0
    assert_accessible(page)
