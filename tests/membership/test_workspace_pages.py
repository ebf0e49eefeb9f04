"""The workspace's pages: what they show, their forms (errors shown, nothing lost, post then
redirect with a message) and the dashboard's constant number of queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from membership import services
from membership.factories import (
    ChairAppointmentFactory,
    InterestFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatAssignmentFactory,
    UserFactory,
)
from membership.models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment
from membership.permissions import permissions_sync
from membership.workspace_presenters import ChangeLine, action_label, audit_change_lines
from partnerships.factories import LocalAuthorityFactory, PartnershipFactory, SystemLocalAuthorityFactory
from tests.two_factor import authenticator_for, code_for

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.secretariat)
    return client


def url(name, cast, *args):
    return reverse(f"workspace:{name}", args=[cast.partnership.slug, *args])


def text(response) -> str:
    return response.content.decode()


def member_of(cast):
    return cast.partnership.memberships.get(person__user=cast.member)


# Signing in and the home page


def test_signing_in_lands_on_your_partnerships(client, cast):
    """The password, then the code from the authenticator app (docs/accounts.md), then home."""
    device = authenticator_for(cast.secretariat)
    response = client.post(reverse("login"), {"username": "secretariat", "password": "a-test-password"})
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(response["Location"], {"code": code_for(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workspace:home")
    page = text(response)
    assert 'href="/workspace/">Your partnerships</a>' in page
    assert cast.partnership.name in page
    assert cast.other_partnership.name not in page


def test_home_counts_the_partnerships_you_run(signed_in, cast):
    MembershipFactory(partnership=cast.partnership)
    response = signed_in.get(reverse("workspace:home"))
    [row] = response.context["yours"].managed
    assert (row.current_member_count, row.current_chair_count, row.current_secretariat_count) == (2, 2, 1)


def test_home_counts_only_current_terms_and_none_as_zero(signed_in, cast):
    extra = PartnershipFactory(name="Zeta partnership")
    SecretariatAssignmentFactory(partnership=extra, user=cast.secretariat)
    permissions_sync(extra)
    MembershipFactory(partnership=extra, start_date=TODAY - dt.timedelta(days=400), end_date=YESTERDAY)
    MembershipFactory(partnership=extra, start_date=TODAY + dt.timedelta(days=3))
    response = signed_in.get(reverse("workspace:home"))
    row = next(row for row in response.context["yours"].managed if row.pk == extra.pk)
    assert (row.current_member_count, row.current_chair_count, row.current_secretariat_count) == (0, 0, 1)


def test_home_lists_the_partnerships_you_sit_on(client, cast):
    client.force_login(cast.chair)
    page = text(client.get(reverse("workspace:home")))
    assert "Partnerships you sit on" in page
    assert f"{cast.partnership.name}</a>: Chair since" in page
    assert "Partnerships you run" not in page


def test_home_explains_what_to_do_with_no_partnership(client, cast):
    client.force_login(cast.stranger)
    page = text(client.get(reverse("workspace:home")))
    assert "Your account is not linked to any partnership yet." in page


# The dashboard


def test_dashboard_warns_of_each_missing_required_body(signed_in, cast):
    ics = cast.partnership.ics
    aville = SystemLocalAuthorityFactory(ics=ics, local_authority=LocalAuthorityFactory(name="Aville Council"))
    SystemLocalAuthorityFactory(ics=ics, local_authority=LocalAuthorityFactory(name="Beeton Council"))
    MembershipFactory(partnership=cast.partnership, organisation=aville.local_authority)
    page = text(signed_in.get(url("dashboard", cast)))
    assert "Required members missing" in page
    assert f"<li>{ics.icb.name} (the integrated care board)</li>" in page
    assert "<li>Beeton Council</li>" in page
    assert "<li>Aville Council</li>" not in page


def test_dashboard_lists_members_due_to_declare(signed_in, cast):
    member = member_of(cast)
    InterestFactory(person=member.person, declared_on=TODAY - dt.timedelta(days=500))
    response = signed_in.get(url("dashboard", cast))
    assert [r.person for r in response.context["glance"].reminders] == [member.person]
    assert "Declarations of interests due (1)" in text(response)


def test_dashboard_paginates_more_than_fifty_members(signed_in, cast):
    for n in range(55):
        MembershipFactory(partnership=cast.partnership, person=PersonFactory(family_name=f"Zed{n:02d}"))
    first = signed_in.get(url("dashboard", cast))
    assert len(first.context["glance"].members) == 50
    assert "Current members (56)" in text(first)
    assert 'rel="next"' in text(first)
    second = signed_in.get(url("dashboard", cast) + "?page=2")
    assert len(second.context["glance"].members) == 6


def test_dashboard_rows_say_each_members_seat_body_term_and_declaration(signed_in, cast):
    person = PersonFactory(honorific="Cllr", given_name="Ada", family_name="Aardvark", post_nominals="OBE")
    MembershipFactory(
        partnership=cast.partnership,
        person=person,
        role=Membership.Role.OBSERVER,
        seat="Healthwatch",
        organisation=None,
        sector="vcse",
        is_voting=False,
        start_date=dt.date(2026, 1, 5),
        end_date=dt.date(2099, 3, 1),
    )
    InterestFactory(person=person, declared_on=dt.date(2024, 6, 2))
    page = text(signed_in.get(url("dashboard", cast)))
    person_url = url("person", cast, person.slug)
    membership = Membership.objects.get(person=person)
    assert f'Name </span><a href="{person_url}">Cllr Ada Aardvark OBE</a></td>' in page
    assert 'Seat </span>Observer: Healthwatch<br><span class="nhsuk-body-s portal-meta">Non-voting</span></td>' in page
    assert "Representing </span>Voluntary, community and social enterprise</td>" in page
    assert "Term </span>From 5 Jan 2026<br>to 1 Mar 2099</td>" in page
    assert f'<a href="{url("membership_end", cast, membership.pk)}">End<span' in page
    assert "Last declared </span>2 June 2024</td>" in page
    assert f'<a href="{url("interest_add", cast, person.slug)}">Interest<span' in page
    assert f'<a href="{url("nil_return_add", cast, person.slug)}">nil return<span' in page
    member = member_of(cast)
    assert f"Seat </span>Member: {member.seat}</td>" in page
    assert f"Representing </span>{member.organisation.name}</td>" in page


def dashboard_queries(client, cast) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("dashboard", cast)).status_code == 200
    return len(queries)


def grow(cast, count):
    for _ in range(count):
        membership = MembershipFactory(partnership=cast.partnership)
        InterestFactory(person=membership.person, declared_on=TODAY - dt.timedelta(days=400))
        ChairAppointmentFactory(partnership=cast.partnership, person=membership.person, role="vice_chair")
        PersonFactory(added_for=cast.partnership)


def test_dashboard_queries_do_not_grow_with_the_partnership(signed_in, cast, django_assert_max_num_queries):
    grow(cast, 3)
    small = dashboard_queries(signed_in, cast)
    grow(cast, 60)
    with django_assert_max_num_queries(small):
        signed_in.get(url("dashboard", cast))
    assert small <= 18


def test_past_members_keep_their_history(signed_in, cast):
    services.membership_end(
        actor=cast.secretariat, membership=member_of(cast), end_date=YESTERDAY, end_reason="Stood down"
    )
    page = text(signed_in.get(url("past_members", cast)))
    assert "Stood down" in page
    assert str(member_of(cast).person) in page


# People


def test_adding_a_person_leads_to_giving_them_a_seat(signed_in, cast):
    response = signed_in.post(
        url("person_add", cast), {"given_name": "Amina", "family_name": "Okafor", "honorific": "Cllr"}, follow=True
    )
    person = Person.objects.get(given_name="Amina")
    assert response.redirect_chain[-1][0] == url("membership_add", cast) + f"?person={person.slug}"
    assert "Cllr Amina Okafor has been added. Now give them a seat" in text(response)
    assert response.context["form"]["person"].value() == person.pk


def test_a_bad_person_form_shows_an_error_summary_and_keeps_what_was_typed(signed_in, cast):
    response = signed_in.post(url("person_add", cast), {"given_name": "Amina", "email": "not-an-email"})
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: Add a person" in page
    assert '<a href="#id_family_name">Enter the family name.</a>' in page
    assert '<a href="#id_email">Enter an email address in the correct format' in page
    assert 'value="Amina"' in page
    assert not Person.objects.filter(given_name="Amina").exists()


def test_an_empty_post_shows_errors_rather_than_a_blank_form(signed_in, cast):
    response = signed_in.post(url("person_add", cast), {})
    assert "Enter the given name." in text(response)


@pytest.fixture
def administrator(client, db):
    client.force_login(UserFactory(username="administrator", is_superuser=True, is_staff=True))
    return client


def test_an_administrator_links_a_persons_account_by_email(administrator, cast):
    account = UserFactory(username="amina", email="Amina.Okafor@example.gov.uk")
    member = member_of(cast).person
    person = PersonFactory(added_for=cast.partnership)
    data = {"given_name": person.given_name, "family_name": person.family_name, "user": "amina.okafor@example.gov.uk"}
    signed_in = administrator
    response = signed_in.post(url("person_edit", cast, person.slug), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == account
    # The member's own account is theirs already: linking it to someone else is refused.
    data["user"] = "member"
    page = text(signed_in.post(url("person_edit", cast, person.slug), data))
    assert f"That account already belongs to {member}." in page


def test_an_unknown_account_is_a_field_error(administrator, cast):
    person = PersonFactory(added_for=cast.partnership)
    data = {"given_name": "A", "family_name": "B", "user": "nobody-here"}
    page = text(administrator.post(url("person_edit", cast, person.slug), data))
    assert '<a href="#id_user">No active account has that username or email address.</a>' in page


def test_a_person_page_shows_private_details_seats_and_register(signed_in, cast):
    member = member_of(cast)
    member.person.added_for = cast.partnership  # its secretariat added them, so sees their contact details
    member.person.save()
    InterestFactory(person=member.person, description="Trustee of a carers' charity")
    page = text(signed_in.get(url("person", cast, member.person.slug)))
    assert member.person.email in page
    assert "Trustee of a carers&#x27; charity" in page
    assert url("membership_end", cast, member.pk) in page


# Memberships


def membership_data(person, **changes):
    return {
        "person": person.pk,
        "role": "member",
        "seat": "Leader of the council",
        "organisation": "",
        "sector": "vcse",
        "is_voting": "yes",
        "start_date": TODAY.isoformat(),
        "end_date": "",
        **changes,
    }


def test_adding_a_membership_with_the_councils_sector(signed_in, cast):
    council = LocalAuthorityFactory(name="Aville Council")
    SystemLocalAuthorityFactory(ics=cast.partnership.ics, local_authority=council)
    person = PersonFactory(added_for=cast.partnership)
    form_page = text(signed_in.get(url("membership_add", cast)))
    assert f'<optgroup label="Councils in {cast.partnership.ics.name}">' in form_page
    data = membership_data(person, organisation=council.pk, sector="", start_date=TODAY.strftime("%d/%m/%Y"))
    response = signed_in.post(url("membership_add", cast), data, follow=True)
    assert response.redirect_chain[-1][0] == url("dashboard", cast)
    assert f"{person} is a member from" in text(response)
    assert Membership.objects.get(person=person).sector == "local_authority"


def test_a_seat_is_offered_only_the_councils_with_a_place_in_the_system_today(signed_in, cast):
    ics = cast.partnership.ics
    staying = LocalAuthorityFactory(name="Aville Council")
    SystemLocalAuthorityFactory(ics=ics, local_authority=staying)
    # Beeton moved to another system yesterday (a boundary change); Ceeford joins next week.
    moved = LocalAuthorityFactory(name="Beeton Council")
    SystemLocalAuthorityFactory(ics=ics, local_authority=moved, valid_to=YESTERDAY)
    joining = LocalAuthorityFactory(name="Ceeford Council")
    SystemLocalAuthorityFactory(ics=ics, local_authority=joining, valid_from=TODAY + dt.timedelta(days=7))
    form_page = text(signed_in.get(url("membership_add", cast)))
    councils = form_page.split(f'<optgroup label="Councils in {ics.name}">')[1].split("</optgroup>")[0]
    assert "Aville Council" in councils
    assert "Beeton Council" not in form_page and "Ceeford Council" not in form_page
    person = PersonFactory(added_for=cast.partnership)
    data = membership_data(person, organisation=moved.pk, sector="", start_date=TODAY.strftime("%d/%m/%Y"))
    page = text(signed_in.post(url("membership_add", cast), data))
    assert "Choose an organisation from the list." in page
    assert not Membership.objects.filter(person=person).exists()


def test_an_overlapping_membership_is_refused_on_the_form(signed_in, cast):
    member = member_of(cast)
    response = signed_in.post(url("membership_add", cast), membership_data(member.person))
    assert response.status_code == 200
    assert "This person already has a membership of this partnership for some of these dates." in text(response)
    assert cast.partnership.memberships.filter(person=member.person).count() == 1


def test_membership_form_checks_dates_and_sector(signed_in, cast):
    person = PersonFactory(added_for=cast.partnership)
    data = membership_data(person, sector="", end_date=YESTERDAY.isoformat(), start_date="31/02/2025")
    page = text(signed_in.post(url("membership_add", cast), data))
    assert '<a href="#id_start_date">Enter a real date.</a>' in page
    assert "Choose the sector this seat represents, or the organisation." in page
    data = membership_data(person, role="", end_date=YESTERDAY.isoformat())
    page = text(signed_in.post(url("membership_add", cast), data))
    # Radios: the summary links to the first option, which exists.
    assert '<a href="#id_role_0">Choose the role.</a>' in page
    assert 'id="id_role_0"' in page
    assert "The end date must be on or after the start date." in page


def test_people_of_other_systems_cannot_be_chosen(signed_in, cast):
    outsider = Membership.objects.get(partnership=cast.other_partnership).person
    page = text(signed_in.post(url("membership_add", cast), membership_data(outsider)))
    assert "Search for the person by name and choose them." in page
    assert not cast.partnership.memberships.filter(person=outsider).exists()


def test_ending_a_membership_through_the_form(signed_in, cast):
    member = member_of(cast)
    response = signed_in.post(
        url("membership_end", cast, member.pk),
        {"end_date": YESTERDAY.isoformat(), "end_reason": "Stood down"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("dashboard", cast)
    assert "membership ends on" in text(response)
    member.refresh_from_db()
    assert member.end_reason == "Stood down"
    # It is now history: the form is not offered again.
    again = signed_in.get(url("membership_end", cast, member.pk), follow=True)
    assert "already ended" in text(again)


def test_ending_before_the_start_is_a_field_error(signed_in, cast):
    member = member_of(cast)
    early = (member.start_date - dt.timedelta(days=1)).isoformat()
    page = text(signed_in.post(url("membership_end", cast, member.pk), {"end_date": early, "end_reason": "x"}))
    assert '<a href="#id_end_date">The end date must be on or after the start date' in page


# Chairs, interests, secretariat, details


def test_appointing_an_overlapping_chair_shows_the_models_message(signed_in, cast):
    chair = cast.partnership.chair_appointments.get(person__user=cast.chair)
    data = {"role": "chair", "person": chair.person.pk, "start_date": TODAY.isoformat(), "appointed_by": "jointly"}
    page = text(signed_in.post(url("chair_appoint", cast), data))
    assert f"{chair.person} is already chair of this partnership for some of these dates." in page
    data["role"] = "vice_chair"
    assert signed_in.post(url("chair_appoint", cast), data).status_code == 302
    assert ChairAppointment.objects.filter(person=chair.person, role="vice_chair").exists()


def test_ending_a_chair_term(signed_in, cast):
    chair = cast.partnership.chair_appointments.get(person__user=cast.chair)
    response = signed_in.post(url("chair_end", cast, chair.pk), {"end_date": TODAY.isoformat(), "end_reason": "Term"})
    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.end_date == TODAY


def test_recording_an_interest_and_a_nil_return(signed_in, cast):
    person = member_of(cast).person
    data = {"category": "financial", "description": "Shares", "declared_on": TODAY.isoformat()}
    response = signed_in.post(url("interest_add", cast, person.slug), data, follow=True)
    assert response.redirect_chain[-1][0] == url("person", cast, person.slug)
    assert Interest.objects.filter(person=person, description="Shares").exists()
    nil_page = text(signed_in.get(url("nil_return_add", cast, person.slug)))
    assert "1 interest on the register that has not ended" in nil_page
    signed_in.post(url("nil_return_add", cast, person.slug), {"declared_on": YESTERDAY.isoformat()})
    assert NilReturn.objects.filter(person=person, declared_on=YESTERDAY).exists()


def test_assigning_and_ending_secretariat(signed_in, cast):
    newcomer = UserFactory(username="newcomer", email="newcomer@example.org")
    response = signed_in.post(
        url("secretariat_assign", cast), {"user": "newcomer@example.org", "start_date": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert SecretariatAssignment.objects.filter(partnership=cast.partnership, user=newcomer).exists()
    mine = cast.partnership.secretariat_assignments.get(user=cast.secretariat)
    response = signed_in.post(url("secretariat_end", cast, mine.pk), {"end_date": TODAY.isoformat()})
    assert response.status_code == 302


def test_the_last_secretariat_is_told_to_assign_someone_first(signed_in, cast):
    mine = cast.partnership.secretariat_assignments.get(user=cast.secretariat)
    page = text(signed_in.post(url("secretariat_end", cast, mine.pk), {"end_date": TODAY.isoformat()}))
    assert "There is a problem" in page
    assert "Assign someone else first." in page


def test_editing_partnership_details_with_terms_of_reference(signed_in, cast):
    partnership = cast.partnership
    data = {
        "purpose": "To prepare the strategy.",
        "quorum_rule": "Five members",
        "quorum_minimum": "5",
        "quorum_requires_icb": "on",
        "quorum_substitutes_count": "on",
        "access_rule": "lga_1972_part_va",
        "contact_email": "icp@example.org",
        "website": "www.example.org/icp",
        "terms_of_reference": SimpleUploadedFile("tor.pdf", b"%PDF-1.7", content_type="application/pdf"),
        "terms_of_reference_adopted_on": YESTERDAY.isoformat(),
    }
    response = signed_in.post(url("partnership_edit", cast), data, follow=True)
    assert f"The details of {partnership} have been saved." in text(response)
    partnership.refresh_from_db()
    assert (partnership.quorum_minimum, partnership.website) == (5, "https://www.example.org/icp")
    assert (partnership.quorum_numerator, partnership.quorum_substitutes_count) == (None, True)
    assert partnership.terms_of_reference.name == "terms-of-reference/tor.pdf"


def test_terms_of_reference_must_be_a_real_document(signed_in, cast):
    data = {
        "access_rule": "lga_1972_part_va",
        "terms_of_reference": SimpleUploadedFile("tor.pdf", b"<html>not a pdf</html>"),
        "terms_of_reference_adopted_on": YESTERDAY.isoformat(),
    }
    page = text(signed_in.post(url("partnership_edit", cast), data))
    assert "The file is not a real PDF file" in page


# The audit trail


def test_audit_trail_shows_who_changed_what(signed_in, cast):
    member = member_of(cast)
    services.membership_end(actor=cast.secretariat, membership=member, end_date=TODAY, end_reason="Stood down")
    AuditEvent.objects.create(action="meetings.minutes.approved", partnership=cast.other_partnership)
    page = text(signed_in.get(url("audit", cast)))
    assert "Membership ended" in page
    assert "secretariat" in page
    assert 'End reason: (none) <span aria-hidden="true">→</span>' in page
    assert "meetings.minutes.approved" not in page


def test_audit_change_lines():
    assert audit_change_lines({"end_date": [None, "2025-03-31"], "is_voting": True, "seat": ""}) == [
        ChangeLine(field="End date", old="(none)", new="2025-03-31"),
        ChangeLine(field="Is voting", old=None, new="yes"),
        ChangeLine(field="Seat", old=None, new="(none)"),
    ]
    assert action_label("membership.chair.appointed") == "Chair appointed"
    assert action_label("meetings.minutes.approved") == "meetings.minutes.approved"


def test_a_new_secretariat_sees_the_partnership_at_once(client, cast):
    newcomer = UserFactory()
    SecretariatAssignmentFactory(partnership=cast.partnership, user=newcomer, start_date=TODAY)
    permissions_sync(cast.partnership)
    client.force_login(newcomer)
    assert client.get(url("dashboard", cast)).status_code == 200
