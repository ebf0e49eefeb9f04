"""A new integrated care partnership starts on the portal in a real browser, from a database with
only the national reference data: no shell, no Django admin (docs/workspace.md, "Your first
month"). axe checks every new page; the service pages satisfy the Content Security Policy with
no error at all, fonts included."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from membership.factories import UserFactory
from membership.models import ChairAppointment, SecretariatAssignment
from partnerships.models import IntegratedCareSystem, Partnership
from strategy.models import StrategyVersion
from tests.browser import assert_accessible, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    give_second_factor(page, username)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def last_invitation_link() -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mail.outbox[-1].body).group(1)


def accept(page, link, username):
    page.goto(link)
    expect(page.get_by_role("heading", name="Create your account", level=1)).to_be_visible()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Secretariats and chairs must set up a second factor before anything else.
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    give_second_factor(page, username)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_a_new_partnership_starts_without_a_developer(page, reference_data):
    today = timezone.localdate().isoformat()
    system = IntegratedCareSystem.objects.filter(partnerships__isnull=True).order_by("name").first()
    UserFactory(username="administrator", is_superuser=True, is_staff=True, password=PASSWORD)

    # The portal administrator creates the partnership and invites its secretariat.
    sign_in(page, "administrator", PASSWORD)
    page.wait_for_url("**/workspace/")
    assert_accessible(page)
    page.get_by_role("link", name="Create a partnership").click()
    expect(page.get_by_role("heading", name="Create a partnership", level=1)).to_be_visible()
    page.get_by_role("button", name="Create partnership").click()
    assert "Choose the system." in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Integrated care system").select_option(label=system.name)
    page.get_by_label("Name").fill(f"{system.name} Integrated Care Partnership")
    page.get_by_label("The quorum in the terms of reference").fill("One third of voting members")
    page.get_by_label("Top number").fill("1")
    page.get_by_label("Bottom number").fill("3")
    page.get_by_role("button", name="Create partnership").click()
    page.wait_for_url("**/secretariat/invite/")
    partnership = Partnership.objects.get(ics=system)
    assert partnership.kind == "statutory_icp" and partnership.quorum_needed(9) == 3
    assert_accessible(page)
    page.get_by_label("Given name").fill("Sam")
    page.get_by_label("Family name").fill("Clerk")
    page.get_by_label("Email address").fill("sam.clerk@example.gov.uk")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(f"**/workspace/{partnership.slug}/")
    assert "Sam Clerk has been invited to join the secretariat" in main_text(page)
    sign_out(page)

    # The secretariat accepts, and sets up two-factor sign-in.
    accept(page, last_invitation_link(), "sam.clerk@example.gov.uk")
    assert SecretariatAssignment.objects.filter(partnership=partnership, user__username="sam.clerk@example.gov.uk")
    page.goto("/workspace/")
    page.get_by_role("link", name=partnership.name).click()
    page.wait_for_url(f"**/workspace/{partnership.slug}/")

    # A partner organisation.
    page.get_by_role("link", name="Organisations", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("Name").fill("Healthwatch Example")
    page.get_by_label("Sector").select_option(label="Healthwatch")
    page.get_by_role("button", name="Add organisation").click()
    assert "Healthwatch Example has been added" in main_text(page)
    assert_accessible(page)

    # People: a member representing the organisation, and the chair.
    page.goto(f"/workspace/{partnership.slug}/people/add/")
    page.get_by_label("Given name").fill("Priya")
    page.get_by_label("Family name").fill("Shah")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_url(re.compile(r".*/memberships/add/\?person=priya-shah$"))
    assert "Priya Shah" in page.locator(".portal-chosen-person").inner_text()
    page.get_by_label("Seat (optional)").fill("Healthwatch representative")
    page.get_by_label("Representing organisation (optional)").select_option(label="Healthwatch Example")
    page.get_by_label("Start date").fill(today)
    page.get_by_role("button", name="Add membership").click()
    assert "Priya Shah is a member from" in main_text(page)

    page.goto(f"/workspace/{partnership.slug}/people/add/")
    page.get_by_label("Honorific (optional)").fill("Cllr")
    page.get_by_label("Given name").fill("Ada")
    page.get_by_label("Family name").fill("Fellside")
    page.get_by_label("Email address (optional)").fill("ada.fellside@example.gov.uk")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_url(re.compile(r".*/memberships/add/.*"))
    page.goto(f"/workspace/{partnership.slug}/chairs/appoint/")
    # The person chooser: search, then choose.
    page.get_by_label("Person: search by name").fill("fells")
    page.get_by_role("button", name="Search").click()
    assert "1 person matches" in main_text(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Cllr Ada Fellside\s*: choose$")).click()
    assert "Cllr Ada Fellside" in page.locator(".portal-chosen-person").inner_text()
    page.get_by_label("Chair", exact=True).check()
    page.get_by_label("Start of term").fill(today)
    page.get_by_role("button", name="Appoint").click()
    assert "Cllr Ada Fellside is chair from" in main_text(page)
    assert ChairAppointment.objects.filter(partnership=partnership, role="chair").exists()

    # A strategy draft, put to the chair, who has no account yet: the page says how to invite her.
    page.goto(f"/workspace/{partnership.slug}/strategy/")
    page.get_by_role("button", name="Start the strategy").click()
    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Title").fill("Our area")
    page.get_by_label("Text").fill("Who lives here and what they need.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Add a priority").click()
    page.get_by_label("Title").fill("Start well")
    page.get_by_label("Summary").fill("Every child has the best start in life.")
    page.get_by_label("Tackle inequalities in outcomes, experience and access").check()
    page.get_by_label("Start Well").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Submit for approval").click()
    assert "has no sign-in account: invite them to sign in" in main_text(page)
    page.get_by_role("button", name="Submit for approval").click()
    version = StrategyVersion.objects.get(strategy__partnership=partnership)
    assert version.status == StrategyVersion.Status.SUBMITTED

    # The secretariat invites the chair from her page.
    page.goto(f"/workspace/{partnership.slug}/people/ada-fellside/")
    page.get_by_role("link", name=re.compile("^Invite to sign in")).click()
    page.get_by_role("button", name="Send invitation").click()
    sign_out(page)

    # The chair accepts, sets up two-factor sign-in and approves the draft.
    accept(page, last_invitation_link(), "ada.fellside@example.gov.uk")
    page.goto("/workspace/")
    page.get_by_role("link", name=re.compile("^Strategy drafts to review")).click()
    page.goto(f"/workspace/{partnership.slug}/strategy/versions/{version.number}/review/")
    page.get_by_label("Approve this version").check()
    page.get_by_role("button", name="Record my decision").click()
    assert "Every approval needed is in: it is approved." in page.content()
    version.refresh_from_db()
    assert version.status == StrategyVersion.Status.APPROVED


@pytest.mark.parametrize("name", ["accessibility", "privacy", "cookies", "contact", "status"])
def test_service_pages_are_accessible_and_within_the_policy(page, strict_page, db, name):
    strict_page.goto(f"/{name}/")
    strict_page.wait_for_load_state("networkidle")
    expect(strict_page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    # No Content Security Policy error at all: not even the NHS.UK font (static/css/portal.css).
    assert [e for e in strict_page.console_errors if "Content Security Policy" in e] == []
    page.goto(f"/{name}/")
    assert_accessible(page)
