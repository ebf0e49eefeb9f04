"""The secretariat's main journey in a real browser: sign in, add a person, give them a seat,
end it. Every workspace page type is checked with axe on the way."""

import re

import pytest
from django.utils import timezone

from membership.models import Membership
from partnerships.factories import LocalAuthorityFactory, SystemLocalAuthorityFactory
from tests.browser import assert_accessible

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
    page.wait_for_url("**/workspace/")
    assert page.get_by_role("heading", name="Your partnerships", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=partnership.name).click()
    assert page.get_by_role("heading", name="Required members missing").is_visible()
    assert_accessible(page)

    # Add a person: first with a mistake, which the error summary explains.
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Given name").fill("Amina")
    page.get_by_role("button", name="Add person").click()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert "Enter the family name." in summary.inner_text()
    assert page.get_by_label("Given name").input_value() == "Amina"
    assert_accessible(page)
    page.get_by_label("Honorific (optional)").fill("Cllr")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_role("button", name="Add person").click()

    # Their seat: the person is already chosen.
    page.wait_for_url(re.compile(r".*/memberships/add/\?person=amina-okafor$"))
    assert "Cllr Amina Okafor has been added" in page.locator("main").inner_text()
    assert page.get_by_label("Person").locator("option:checked").inner_text() == "Cllr Amina Okafor"
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
