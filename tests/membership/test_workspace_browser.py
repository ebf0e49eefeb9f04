"""The secretariat's main journey in a real browser: sign in, add a person, give them a seat,
end it. Every workspace page type is checked with axe on the way."""

import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from membership.models import Membership
from partnerships.factories import LocalAuthorityFactory, SystemLocalAuthorityFactory
from tests.browser import assert_accessible
from tests.two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_adds_a_person_gives_them_a_seat_and_ends_it(page, cast):
    partnership = cast.partnership
    council = LocalAuthorityFactory(name="Aville Council")
    SystemLocalAuthorityFactory(ics=partnership.ics, local_authority=council)
    today = timezone.localdate().isoformat()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill("a-test-password")
    page.get_by_role("button", name="Sign in").click()
    # A first sign-in: the secretariat sets up two-factor sign-in (docs/accounts.md).
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in", level=1)).to_be_visible()
    expect(page.locator(".portal-qr svg")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Finish setting up").click()
    assert "Enter the 6 digits your app shows." in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=cast.secretariat, confirmed=False)
    page.get_by_label("Code from the app").fill(code_for(device))
    page.get_by_role("button", name="Finish setting up").click()
    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    assert page.locator(".portal-recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes").click()
    page.wait_for_url("**/workspace/")
    expect(page.get_by_role("heading", name="Your partnerships", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=partnership.name).click()
    expect(page.get_by_role("heading", name="Required members missing")).to_be_visible()
    assert_accessible(page)

    # Add a person: first with a mistake, which the error summary explains.
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Given name").fill("Amina")
    page.get_by_role("button", name="Add person").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter the family name." in summary.inner_text()
    assert page.get_by_label("Given name").input_value() == "Amina"
    assert_accessible(page)
    page.get_by_label("Honorific (optional)").fill("Cllr")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_role("button", name="Add person").click()

    # Their seat: the person is already chosen.
    page.wait_for_url(re.compile(r".*/memberships/add/\?person=amina-okafor$"))
    assert "Cllr Amina Okafor has been added" in page.locator("main").inner_text()
    assert "Cllr Amina Okafor" in page.locator(".portal-chosen-person").inner_text()
    assert_accessible(page)
    page.get_by_label("Seat (optional)").fill("Leader of the council")
    page.get_by_label("Representing organisation (optional)").select_option(label="Aville Council")
    page.get_by_label("Start date").fill(today)
    page.get_by_role("button", name="Add membership").click()
    page.wait_for_url(f"**/workspace/{partnership.slug}/")
    assert "Cllr Amina Okafor is a member from" in page.locator("main").inner_text()
    membership = Membership.objects.get(person__slug="amina-okafor")
    assert (membership.organisation_id, membership.sector) == (council.pk, "local_authority")

    # End it.
    page.get_by_role("link", name="End Cllr Amina Okafor's membership").click()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Stood down as leader")
    page.get_by_role("button", name="End membership").click()
    page.wait_for_url(f"**/workspace/{partnership.slug}/")
    assert "Cllr Amina Okafor's membership ends on" in page.locator("main").inner_text()
    membership.refresh_from_db()
    assert (membership.end_date.isoformat(), membership.end_reason) == (today, "Stood down as leader")

    # The other page types of the workspace.
    base = f"/workspace/{partnership.slug}"
    chair = partnership.chair_appointments.first()
    assignment = partnership.secretariat_assignments.first()
    for path in [
        f"{base}/people/amina-okafor/",
        f"{base}/people/amina-okafor/edit/",
        f"{base}/people/amina-okafor/interests/add/",
        f"{base}/people/amina-okafor/nil-return/",
        f"{base}/chairs/appoint/",
        f"{base}/chairs/{chair.pk}/end/",
        f"{base}/secretariat/assign/",
        f"{base}/secretariat/{assignment.pk}/end/",
        f"{base}/details/",
        f"{base}/past-members/",
        f"{base}/audit/",
        f"{base}/memberships/import/preview/",
        f"{base}/memberships/import/",
    ]:
        page.goto(path)
        assert page.title()
        assert_accessible(page)

    # The import preview, with a row that has problems.
    csv = (
        "given_name,family_name,organisation,start_date\n"
        "Tom,Reyes,Aville Council,2025-04-01\n"
        "Priya,Shah,Atlantis,2025-02-30\n"
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/memberships/import/preview/")
    assert "1 row of the file has problems" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)


def test_an_invited_member_creates_their_account(page, cast, django_capture_on_commit_callbacks):
    from django.core import mail

    from membership.accounts import invitation_send
    from membership.factories import MembershipFactory, PersonFactory

    person = PersonFactory(given_name="Nia", family_name="Newcomer", added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, person=person)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(actor=cast.secretariat, partnership=cast.partnership, person=person)
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mail.outbox[-1].body).group(1)

    page.goto(link)
    expect(page.get_by_role("heading", name="Create your account", level=1)).to_be_visible()
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Confirm your password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Create a password").fill("a long and unusual passphrase")
    page.get_by_label("Confirm your password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/workspace/")
    assert "Your account has been created" in page.locator("main").inner_text()
    assert cast.partnership.name in page.locator("main").inner_text()

    page.goto(link)
    expect(page.get_by_role("heading", name="This invitation has already been used", level=1)).to_be_visible()
    assert_accessible(page)
