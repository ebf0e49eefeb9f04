"""Follow a partnership in a real browser: the form (with an error first), the confirmation
link from the email, an alert for a published agenda, and unsubscribing from its link. Each
page type is checked with axe."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings import services as meetings
from meetings.factories import MeetingFactory
from tests.browser import assert_accessible

from .conftest import confirm_link, in_days, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_confirm_receive_and_unsubscribe(page, cast, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto(cast.partnership.get_absolute_url())
    page.get_by_role("link", name="Get email alerts").click()
    assert_accessible(page)  # the follow form
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Send the confirmation email").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)  # with errors
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("One email a day listing them (a daily digest)").check()
    page.get_by_label("An email for each publication").check()
    page.get_by_role("button", name="Send the confirmation email").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"

    page.goto(path_of(confirm_link(mail.outbox[-1])))
    assert_accessible(page)  # the confirm page
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"You are following {cast.partnership.name}"
    mail.outbox.clear()

    meeting = MeetingFactory(partnership=cast.partnership, title="Partnership board", starts_at=in_days(40))
    meetings.agenda_item_add(meeting=meeting, actor=None, title="Strategy refresh")
    meetings.agenda_publish(meeting=meeting, actor=None)
    alert = mail.outbox[-1]
    assert "Item 1: Strategy refresh" in alert.body

    page.goto(path_of(alert.extra_headers["List-Unsubscribe"].strip("<>")))
    assert_accessible(page)  # the unsubscribe page
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You have unsubscribed"

    page.goto("/calendars/")
    assert_accessible(page)  # the calendar help page
