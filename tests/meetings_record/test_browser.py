"""The record's main journey in a real browser: the secretariat records attendance and
writes, then publishes, the draft minutes; the public read them. Every page is checked
with axe (no serious or critical violations)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings.factories import DecisionFactory
from tests.browser import assert_accessible, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, username)


def test_secretariat_records_the_meeting_and_the_public_reads_it(page, board):
    meeting, slug = board.meeting, board.partnership.slug
    DecisionFactory(meeting=meeting, agenda_item=board.items.strategy, wording="The partnership agreed the refresh.")
    sign_in(page, "secretariat")

    page.goto(reverse("record:meeting", kwargs={"slug": slug, "pk": meeting.pk}))
    assert_accessible(page)

    page.goto(reverse("record:attendance", kwargs={"slug": slug, "pk": meeting.pk}))
    # Everyone is offered as present: mark only the exceptions.
    page.get_by_label(f"Attendance of {board.seats.vcse.person.display_name}").select_option("apologies")
    page.get_by_role("button", name="Save attendance").click()
    expect(
        page.get_by_text(
            "Quorate: 5 of 6 voting members present, 3 needed, including an ICB member and a council member"
        )
    ).to_be_visible()
    assert_accessible(page)

    page.goto(reverse("record:minutes", kwargs={"slug": slug, "pk": meeting.pk}))
    page.get_by_role("button", name="Start the draft minutes").click()
    # Every item's minute on one page, beside the agenda; any Save saves every changed item.
    page.get_by_label("Discussion of item 3").fill("The partnership discussed the strategy refresh.")
    assert_accessible(page)
    page.get_by_role("button", name="returning to item 3").click()
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.get_by_text("Draft minutes published")).to_be_visible()
    assert_accessible(page)

    page.goto(reverse("record:decisions", kwargs={"slug": slug, "pk": meeting.pk}))
    page.get_by_role("button", name="Record the decision").click()  # empty: the error summary
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)

    for name in ("actions", "declarations"):
        page.goto(reverse(f"record:{name}", kwargs={"slug": slug, "pk": meeting.pk}))
        assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto(reverse("meetings:meeting", kwargs={"slug": slug, "pk": meeting.pk}))
    expect(page.get_by_text("DRAFT – not yet approved as a correct record")).to_be_visible()
    expect(page.get_by_text("The partnership discussed the strategy refresh.")).to_be_visible()
    expect(page.get_by_text("Item 2: exempt under paragraph 3").first).to_be_visible()
    assert_accessible(page)
    page.goto(reverse("record:public_decisions", kwargs={"slug": slug}))
    expect(page.get_by_text("The partnership agreed the refresh.")).to_be_visible()
    assert_accessible(page)
    page.goto(reverse("record:public_actions", kwargs={"slug": slug}))
    assert_accessible(page)
