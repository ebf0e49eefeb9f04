"""Starting a partnership from the workspace (docs/workspace.md, "Your first month"): a portal
administrator creates it and invites its first secretariat; the secretariat adds partner
organisations, chooses people by searching, and ends interests. Every actor is tried."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from membership.factories import InterestFactory, MembershipFactory, PersonFactory, UserFactory
from membership.models import Invitation, Membership, SecretariatAssignment
from membership.permissions import MANAGE, two_factor_required, user_can
from partnerships.factories import IntegratedCareSystemFactory, OrganisationFactory, PartnershipFactory
from partnerships.models import Organisation, Partnership

TODAY = timezone.localdate()
PASSWORD = "a long and unusual passphrase"
SIGNED_IN_OTHERS = ["secretariat", "chair", "co_chair", "member", "other_member", "stranger"]

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.secretariat)
    return client


def workspace(name, cast, *args):
    return reverse(f"workspace:{name}", args=[cast.partnership.slug, *args])


def text(response) -> str:
    return response.content.decode()


def creation_data(ics, **changes):
    data = {
        "ics": ics.pk,
        "kind": "statutory_icp",
        "name": f"{ics.name} Integrated Care Partnership",
        "purpose": "To improve health and care for everyone in the area.",
        "quorum_rule": "One third of voting members, including one ICB and one council member",
        "quorum_numerator": "1",
        "quorum_denominator": "3",
        "quorum_requires_icb": "on",
        "quorum_requires_council": "on",
        "quorum_substitutes_count": "on",
        "access_rule": Partnership.AccessRule.LGA_1972,
        "minutes_due_working_days": "10",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Creating a partnership ---------------------------------------------------------------------


def test_an_administrator_creates_a_partnership_with_its_rules(admin_client, administrator):
    ics = IntegratedCareSystemFactory()
    response = admin_client.post(reverse("workspace:partnership_create"), creation_data(ics))
    partnership = Partnership.objects.get(ics=ics)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:secretariat_invite", args=[partnership.slug])
    assert partnership.kind == "statutory_icp" and partnership.parent is None
    assert (partnership.quorum_numerator, partnership.quorum_denominator) == (1, 3)
    assert partnership.quorum_requires_icb and partnership.quorum_requires_council
    assert partnership.access_rule == Partnership.AccessRule.LGA_1972
    actions = list(AuditEvent.objects.filter(partnership=partnership).values_list("action", "actor_id"))
    assert ("membership.partnership.created", administrator.pk) in actions
    assert ("membership.partnership.updated", administrator.pk) in actions


def test_the_administrators_home_lists_systems_without_a_partnership(admin_client, cast):
    empty = IntegratedCareSystemFactory(name="Quiet Valley")
    page = text(admin_client.get(reverse("workspace:home")))
    assert "Create a partnership" in page
    assert f"?system={empty.slug}" in page
    assert f"?system={cast.partnership.ics.slug}" not in page
    form = text(admin_client.get(reverse("workspace:partnership_create"), {"system": empty.slug}))
    assert f'<option value="{empty.pk}" selected>' in form


@pytest.mark.parametrize("actor", SIGNED_IN_OTHERS)
def test_only_a_portal_administrator_creates_a_partnership(client, cast, actor):
    ics = IntegratedCareSystemFactory()
    client.force_login(getattr(cast, actor))
    assert client.get(reverse("workspace:partnership_create")).status_code == 403
    assert client.post(reverse("workspace:partnership_create"), creation_data(ics)).status_code == 403
    assert not Partnership.objects.filter(ics=ics).exists()
    assert "Create a partnership" not in text(client.get(reverse("workspace:home")))


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    ics = IntegratedCareSystemFactory()
    response = client.post(reverse("workspace:partnership_create"), creation_data(ics))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Partnership.objects.exists()


@pytest.mark.password_only
def test_an_administrator_without_the_second_factor_cannot_create(client, administrator):
    client.force_login(administrator)
    ics = IntegratedCareSystemFactory()
    response = client.post(reverse("workspace:partnership_create"), creation_data(ics))
    assert response.status_code == 302 and "/two-factor/" in response["Location"]
    assert not Partnership.objects.exists()


def test_a_system_has_one_statutory_icp(admin_client, cast):
    ics = cast.partnership.ics
    cast.partnership.kind = "statutory_icp"
    cast.partnership.save()
    response = admin_client.post(reverse("workspace:partnership_create"), creation_data(ics))
    assert response.status_code == 200
    assert "This system already has a statutory integrated care partnership." in text(response)
    assert Partnership.objects.filter(ics=ics).count() == 1


def test_a_sub_partnership_belongs_to_its_parents_system(admin_client, cast):
    other_system = IntegratedCareSystemFactory()
    data = creation_data(other_system, kind="area", name="North Area Partnership", parent=cast.partnership.pk)
    page = text(admin_client.post(reverse("workspace:partnership_create"), data))
    assert "A sub-partnership must belong to the same system as its parent." in page
    data = creation_data(cast.partnership.ics, kind="area", name="North Area Partnership", parent=cast.partnership.pk)
    admin_client.post(reverse("workspace:partnership_create"), data)
    area = Partnership.objects.get(name="North Area Partnership")
    assert area.parent == cast.partnership and area.kind == "area"


def test_creation_reuses_the_details_checks_and_keeps_what_was_typed(admin_client):
    ics = IntegratedCareSystemFactory()
    data = creation_data(ics, quorum_numerator="3", quorum_denominator="2", name="Typed Name Partnership")
    page = text(admin_client.post(reverse("workspace:partnership_create"), data))
    assert "There is a problem" in page
    assert "The fraction cannot be more than the whole" in page
    assert 'value="Typed Name Partnership"' in page
    assert not Partnership.objects.exists()


def test_names_make_distinct_addresses(admin_client, cast):
    ics = IntegratedCareSystemFactory()
    admin_client.post(reverse("workspace:partnership_create"), creation_data(ics, name=cast.partnership.name))
    created = Partnership.objects.get(ics=ics)
    assert created.slug != cast.partnership.slug and created.slug.startswith(cast.partnership.slug)


# Inviting the first secretariat -------------------------------------------------------------


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def test_the_first_secretariat_accepts_and_runs_the_partnership(
    admin_client, client, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("workspace:secretariat_invite", args=[partnership.slug]),
            {"given_name": "Sam", "family_name": "Clerk", "email": "Sam.Clerk@example.gov.uk"},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert partnership.name in message.body and "Secretariat" in message.body
    invitation = Invitation.objects.get()
    assert invitation.secretariat and invitation.role == "Secretariat"
    admin_client.logout()
    accepted = client.post(link_in(message), {"password1": PASSWORD, "password2": PASSWORD})
    assert accepted.status_code == 302
    assignment = SecretariatAssignment.objects.get(partnership=partnership)
    account = assignment.user
    assert account.username == "sam.clerk@example.gov.uk" and assignment.start_date == TODAY
    assert account.person.added_for == partnership
    assert user_can(account, MANAGE, partnership)
    assert two_factor_required(account)  # the secretariat must give a second factor
    assigned = AuditEvent.objects.get(action="membership.secretariat.assigned", partnership=partnership)
    assert assigned.changes["source"] == "invitation accepted"


def test_resending_a_secretariat_invitation_keeps_it_to_the_secretariat(
    admin_client, administrator, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory()
    admin_client.post(
        reverse("workspace:secretariat_invite", args=[partnership.slug]),
        {"given_name": "Sam", "family_name": "Clerk", "email": "sam@example.gov.uk"},
    )
    first = Invitation.objects.get()
    admin_client.post(reverse("workspace:invitation_resend", args=[partnership.slug, first.pk]))
    latest = Invitation.objects.latest("pk")
    assert latest.pk != first.pk and latest.secretariat and latest.role == "Secretariat"


def test_someone_with_an_account_is_assigned_not_invited(admin_client, cast):
    page = text(
        admin_client.post(
            workspace("secretariat_invite", cast),
            {"given_name": "Already", "family_name": "Here", "email": cast.member.email.upper()},
        )
    )
    assert "Someone already signs in with this email address" in page
    assert not Invitation.objects.filter(secretariat=True).exists()


def test_a_secretariat_invites_a_colleague(signed_in, cast):
    signed_in.post(
        workspace("secretariat_invite", cast), {"given_name": "Kim", "family_name": "Colleague", "email": "k@e.org"}
    )
    assert Invitation.objects.get(partnership=cast.partnership, secretariat=True).person.family_name == "Colleague"


@pytest.mark.parametrize("actor", ["chair", "co_chair", "member", "other_member", "stranger"])
def test_others_cannot_invite_to_the_secretariat(client, cast, actor):
    client.force_login(getattr(cast, actor))
    data = {"given_name": "Eve", "family_name": "Intruder", "email": "eve@example.org"}
    assert client.post(workspace("secretariat_invite", cast), data).status_code == 403
    assert not Invitation.objects.filter(secretariat=True).exists()


# Partner organisations ----------------------------------------------------------------------


def test_the_secretariat_adds_an_organisation_that_seats_can_represent(signed_in, cast):
    response = signed_in.post(
        workspace("organisation_add", cast),
        {"name": "Healthwatch  Testshire", "sector": "healthwatch", "website": "healthwatch.example.org"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Healthwatch Testshire")
    assert organisation.added_for == cast.partnership and organisation.website == "https://healthwatch.example.org"
    assert AuditEvent.objects.filter(action="membership.organisation.added", object_id=str(organisation.pk)).exists()
    assert "Healthwatch Testshire" in text(signed_in.get(workspace("organisations", cast)))
    assert f'value="{organisation.pk}"' in text(signed_in.get(workspace("membership_add", cast)))


def test_an_organisation_form_refuses_councils_duplicates_and_blanks(signed_in, cast):
    page = text(signed_in.post(workspace("organisation_add", cast), {"name": "", "sector": "local_authority"}))
    assert "Enter the name." in page and "Choose a sector from the list." in page
    OrganisationFactory(name="Testshire Mind", sector="vcse", added_for=cast.partnership)
    page = text(signed_in.post(workspace("organisation_add", cast), {"name": "testshire mind", "sector": "vcse"}))
    assert "is already one of this partnership" in page


def test_the_secretariat_changes_and_ends_its_organisation(signed_in, cast):
    organisation = OrganisationFactory(name="Old Name", sector="vcse", added_for=cast.partnership)
    signed_in.post(workspace("organisation_edit", cast, organisation.pk), {"name": "New Name", "sector": "vcse"})
    organisation.refresh_from_db()
    assert organisation.name == "New Name"
    updated = AuditEvent.objects.get(action="membership.organisation.updated")
    assert updated.changes["name"] == ["Old Name", "New Name"]
    page = text(signed_in.post(workspace("organisation_end", cast, organisation.pk), {"end_date": str(TODAY)}))
    assert "Enter the reason." in page
    signed_in.post(
        workspace("organisation_end", cast, organisation.pk), {"end_date": str(TODAY), "end_reason": "Merged"}
    )
    organisation.refresh_from_db()
    assert (organisation.valid_to, organisation.end_reason) == (TODAY, "Merged")
    assert Organisation.objects.filter(pk=organisation.pk).exists()  # nothing is deleted
    assert "Ended" not in text(signed_in.get(workspace("organisations", cast)))  # last day is today
    person = PersonFactory(added_for=cast.partnership)
    later = {"person": person.pk, "role": "member", "organisation": organisation.pk, "is_voting": "yes"}
    later["start_date"] = str(TODAY + dt.timedelta(days=3))
    page = text(signed_in.post(workspace("membership_add", cast), later))
    assert not Membership.objects.filter(person=person).exists()
    assert "ceased" in page or "Choose an organisation from the list." in page


def test_an_organisation_with_a_later_seat_cannot_end_before_it(signed_in, cast):
    organisation = OrganisationFactory(sector="vcse", added_for=cast.partnership)
    MembershipFactory(partnership=cast.partnership, organisation=organisation, start_date=TODAY + dt.timedelta(9))
    page = text(
        signed_in.post(
            workspace("organisation_end", cast, organisation.pk), {"end_date": str(TODAY), "end_reason": "x"}
        )
    )
    assert "starts after this date" in page
    organisation.refresh_from_db()
    assert organisation.valid_to is None


def test_organisations_another_partnership_added_are_read_only(signed_in, cast):
    theirs = OrganisationFactory(name="Their Trust", sector="nhs_trust", added_for=cast.other_partnership)
    MembershipFactory(partnership=cast.partnership, organisation=theirs)
    icb = cast.partnership.ics.icb
    MembershipFactory(partnership=cast.partnership, organisation=icb, sector="icb")
    listing = text(signed_in.get(workspace("organisations", cast)))
    assert "Their Trust" in listing and icb.name in listing
    assert workspace("organisation_edit", cast, theirs.pk) not in listing
    for organisation in (theirs, icb):
        response = signed_in.post(
            workspace("organisation_edit", cast, organisation.pk), {"name": "Renamed", "sector": "vcse"}
        )
        assert response.status_code == 403
        response = signed_in.post(
            workspace("organisation_end", cast, organisation.pk), {"end_date": str(TODAY), "end_reason": "x"}
        )
        assert response.status_code == 403
        organisation.refresh_from_db()
        assert organisation.name != "Renamed" and organisation.valid_to is None


def test_an_administrator_may_change_any_partner_organisation(admin_client, cast):
    theirs = OrganisationFactory(name="Their Trust", sector="nhs_trust", added_for=cast.other_partnership)
    MembershipFactory(partnership=cast.partnership, organisation=theirs)
    admin_client.post(
        workspace("organisation_edit", cast, theirs.pk), {"name": "Their Trust NHS FT", "sector": "nhs_trust"}
    )
    theirs.refresh_from_db()
    assert theirs.name == "Their Trust NHS FT"


def test_an_organisation_of_no_concern_to_the_partnership_is_404(signed_in, cast):
    elsewhere = OrganisationFactory(added_for=cast.other_partnership)
    assert signed_in.get(workspace("organisation_edit", cast, elsewhere.pk)).status_code == 404
    assert signed_in.get(workspace("organisation_end", cast, elsewhere.pk)).status_code == 404


@pytest.mark.parametrize("actor", ["chair", "co_chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_manages_organisations(client, cast, actor):
    organisation = OrganisationFactory(name="Kept", added_for=cast.partnership)
    client.force_login(getattr(cast, actor))
    assert client.get(workspace("organisations", cast)).status_code == 403
    assert client.post(workspace("organisation_add", cast), {"name": "New", "sector": "vcse"}).status_code == 403
    assert client.post(workspace("organisation_edit", cast, organisation.pk), {"name": "X"}).status_code == 403
    assert not Organisation.objects.filter(name__in=["New", "X"]).exists()


def test_the_organisations_page_queries_do_not_grow(signed_in, cast, django_assert_max_num_queries):
    OrganisationFactory.create_batch(3, added_for=cast.partnership)
    with django_assert_max_num_queries(14) as few:
        signed_in.get(workspace("organisations", cast))
    OrganisationFactory.create_batch(30, added_for=cast.partnership)
    with django_assert_max_num_queries(len(few)):
        assert signed_in.get(workspace("organisations", cast)).status_code == 200


# Choosing a person by searching -------------------------------------------------------------


def test_the_person_chooser_searches_the_system_by_name(signed_in, cast):
    wanted = PersonFactory(given_name="Priya", family_name="Shahid", added_for=cast.partnership)
    PersonFactory(given_name="Priya", family_name="Other", added_for=cast.partnership)
    outsider = MembershipFactory(partnership=cast.other_partnership).person
    page = text(signed_in.get(workspace("membership_add", cast)))
    assert '<form method="get" role="search"' in page and "<select" not in page.split('name="role"')[0]
    results = text(signed_in.get(workspace("membership_add", cast), {"q": "priya sha"}))
    assert "1 person matches" in results and f"?person={wanted.slug}" in results
    assert outsider.slug not in text(signed_in.get(workspace("membership_add", cast), {"q": outsider.family_name}))
    chosen = text(signed_in.get(workspace("membership_add", cast), {"person": wanted.slug}))
    assert f'type="hidden" name="person" value="{wanted.pk}"' in chosen and "Choose someone else" in chosen


def test_a_search_with_no_match_says_what_to_do(signed_in, cast):
    page = text(signed_in.get(workspace("chair_appoint", cast), {"q": "Nobody"}))
    assert "matches ‘Nobody’" in page and workspace("person_add", cast) in page


def test_a_chair_is_appointed_after_choosing_by_search(signed_in, cast):
    person = PersonFactory(given_name="Ada", family_name="Fellside", added_for=cast.partnership)
    chosen = text(signed_in.get(workspace("chair_appoint", cast), {"person": person.slug}))
    assert f'value="{person.pk}"' in chosen
    data = {"person": person.pk, "role": "co_chair", "start_date": str(TODAY), "appointed_by": "jointly"}
    assert signed_in.post(workspace("chair_appoint", cast), data).status_code == 302
    assert cast.partnership.chair_appointments.filter(person=person, role="co_chair").exists()
    page = text(signed_in.post(workspace("chair_appoint", cast), {**data, "person": ""}))
    assert '<a href="#id_person">Search for the person by name and choose them.</a>' in page
    assert 'id="id_person" name="q"' in page


def test_the_search_costs_the_same_for_hundreds_of_people(signed_in, cast, django_assert_max_num_queries):
    for n in range(5):
        PersonFactory(given_name=f"Jo{n}", family_name="Smith", added_for=cast.partnership)
    with django_assert_max_num_queries(30) as few:
        signed_in.get(workspace("membership_add", cast), {"q": "smith"})
    PersonFactory.create_batch(60, family_name="Smith", added_for=cast.partnership)
    with django_assert_max_num_queries(len(few)):
        page = text(signed_in.get(workspace("membership_add", cast), {"q": "smith"}))
    assert "65 people match" in page and "Page 1 of 4" not in page and "Page 2 of 4" in page


# Ending an interest -------------------------------------------------------------------------


@pytest.fixture
def declared(cast):
    member = Membership.objects.get(partnership=cast.partnership, person__user=cast.member).person
    interest = InterestFactory(person=member, description="Director of Care Homes Ltd", start_date=dt.date(2024, 1, 1))
    return member, interest


def test_the_secretariat_ends_an_interest_which_stays_on_the_register(signed_in, cast, declared):
    person, interest = declared
    url = workspace("interest_end", cast, person.slug, interest.pk)
    assert "Director of Care Homes Ltd" in text(signed_in.get(url))
    assert "Enter the reason." in text(signed_in.post(url, {"end_date": str(TODAY)}))
    page = text(signed_in.post(url, {"end_date": "2023-12-31", "end_reason": "Resigned"}))
    assert "The end date must be on or after the start date." in page
    yesterday = TODAY - dt.timedelta(days=1)
    assert signed_in.post(url, {"end_date": str(yesterday), "end_reason": "Resigned"}).status_code == 302
    interest.refresh_from_db()
    assert (interest.end_date, interest.end_reason) == (yesterday, "Resigned")
    event = AuditEvent.objects.get(action="membership.interest.ended")
    assert event.changes["end_reason"] == ["", "Resigned"] and event.actor == cast.secretariat
    person_page = text(signed_in.get(workspace("person", cast, person.slug)))
    assert "Director of Care Homes Ltd" in person_page and "Ended" in person_page and url not in person_page
    again = signed_in.post(url, {"end_date": str(TODAY), "end_reason": "Again"})
    assert again.status_code == 302
    interest.refresh_from_db()
    assert interest.end_reason == "Resigned"


@pytest.mark.parametrize("actor", ["chair", "co_chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_ends_an_interest(client, cast, declared, actor):
    person, interest = declared
    client.force_login(getattr(cast, actor))
    url = workspace("interest_end", cast, person.slug, interest.pk)
    assert client.post(url, {"end_date": str(TODAY), "end_reason": "x"}).status_code == 403
    interest.refresh_from_db()
    assert interest.end_date is None


def test_another_partnerships_person_or_interest_is_404(client, cast, declared):
    person, interest = declared
    outsider = MembershipFactory(partnership=cast.other_partnership).person
    theirs = InterestFactory(person=outsider)
    client.force_login(cast.secretariat)
    assert client.get(workspace("interest_end", cast, outsider.slug, theirs.pk)).status_code == 404
    assert client.get(workspace("interest_end", cast, person.slug, theirs.pk)).status_code == 404
