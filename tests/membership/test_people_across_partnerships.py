"""People shared by several partnerships: who may link a sign-in account to a person, who may
change a shared person's details, and who may see their contact details.

The cast: a system with a strategic ICP and an area ICP (its sub-partnership), each with its
own secretariat. The area's chair also sits on the strategic ICP; each partnership has a member
it added itself, with private contact details."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from membership import services
from membership.factories import (
    ChairAppointmentFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatAssignmentFactory,
    UserFactory,
)
from membership.permissions import APPROVE_STRATEGY, MANAGE, VIEW_EXEMPT, permissions_sync, user_can
from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory
from partnerships.models import Partnership

TODAY = timezone.localdate()
A_YEAR_AGO = TODAY - dt.timedelta(days=365)


def fresh(user):
    """The user as the next request would load them, with no cached permissions."""
    return get_user_model().objects.get(pk=user.pk)


def sync(world):
    permissions_sync(world.strategic)
    permissions_sync(world.area)


@pytest.fixture
def world(db):
    ics = IntegratedCareSystemFactory()
    strategic = PartnershipFactory(ics=ics, name="Northland Strategic ICP")
    area = PartnershipFactory(ics=ics, parent=strategic, kind=Partnership.Kind.AREA, name="Tyneside Area ICP")
    strategic_clerk = UserFactory(username="strategic-clerk")
    SecretariatAssignmentFactory(partnership=strategic, user=strategic_clerk)
    area_clerk = UserFactory(username="area-clerk")
    SecretariatAssignmentFactory(partnership=area, user=area_clerk)
    # The area's chair, added by the area, who also sits on the strategic ICP.
    area_chair = PersonFactory(
        honorific="Cllr",
        given_name="Ada",
        family_name="Fellside",
        email="ada.private@example.gov.uk",
        phone="07700 900111",
        added_for=area,
    )
    ChairAppointmentFactory(partnership=area, person=area_chair, role="chair")
    MembershipFactory(partnership=strategic, person=area_chair, role="member")
    # A member of the area only, with private contact details.
    area_member = PersonFactory(
        given_name="Bea", family_name="Tynemouth", email="bea.private@example.org", phone="07700 900222", added_for=area
    )
    MembershipFactory(partnership=area, person=area_member)
    # A member of the strategic ICP only.
    strategic_member = PersonFactory(
        given_name="Cal", family_name="Wearside", email="cal.private@example.org", phone="07700 900333"
    )
    strategic_member.added_for = strategic
    strategic_member.save()
    MembershipFactory(partnership=strategic, person=strategic_member)
    world = SimpleNamespace(
        strategic=strategic,
        area=area,
        strategic_clerk=strategic_clerk,
        area_clerk=area_clerk,
        area_chair=area_chair,
        area_member=area_member,
        strategic_member=strategic_member,
    )
    sync(world)
    return world


def workspace(name, partnership, *args):
    return reverse(f"workspace:{name}", args=[partnership.slug, *args])


def person_data(person, **changes):
    """What the person form posts when nothing but `changes` is changed (the contact details are
    ignored by a form that does not show them)."""
    return {
        "honorific": person.honorific,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "post_nominals": person.post_nominals,
        "pronouns": person.pronouns,
        "email": person.email,
        "phone": person.phone,
        **changes,
    }


def observer_data(person):
    return {
        "person": person.pk,
        "role": "observer",
        "seat": "",
        "organisation": "",
        "sector": "other",
        "is_voting": "no",
        "start_date": TODAY.isoformat(),
        "end_date": "",
    }


def assert_holds_nothing_on(user, partnership):
    user = fresh(user)
    for codename in (VIEW_EXEMPT, APPROVE_STRATEGY, MANAGE):
        assert not user_can(user, codename, partnership), codename


# Finding 3: a secretariat cannot link a person to a sign-in account


def test_a_secretariat_cannot_take_over_a_sub_partnerships_chair_by_linking_its_own_account(client, world):
    client.force_login(world.strategic_clerk)
    data = person_data(world.area_chair, user=world.strategic_clerk.username)
    client.post(workspace("person_edit", world.strategic, world.area_chair.slug), data)
    sync(world)

    world.area_chair.refresh_from_db()
    assert world.area_chair.user is None
    assert_holds_nothing_on(world.strategic_clerk, world.area)


def test_a_sub_partnerships_secretariat_cannot_take_over_a_parent_member_either(client, world):
    client.force_login(world.area_clerk)
    data = person_data(world.area_chair, user=world.area_clerk.username)
    client.post(workspace("person_edit", world.area, world.area_chair.slug), data)
    sync(world)

    world.area_chair.refresh_from_db()
    assert world.area_chair.user is None
    assert not user_can(fresh(world.area_clerk), VIEW_EXEMPT, world.strategic)


def test_adding_someone_as_an_observer_then_linking_them_gains_nothing(client, world):
    client.force_login(world.strategic_clerk)
    response = client.post(workspace("membership_add", world.strategic), observer_data(world.area_member))
    assert response.status_code == 302
    data = person_data(world.area_member, user=world.strategic_clerk.username)
    client.post(workspace("person_edit", world.strategic, world.area_member.slug), data)
    sync(world)

    world.area_member.refresh_from_db()
    assert world.area_member.user is None
    assert_holds_nothing_on(world.strategic_clerk, world.area)


def test_an_account_linked_to_a_secretariats_own_person_gains_nothing_when_another_partnership_appoints_them(
    client, world
):
    # Linking first, then being chosen elsewhere, would hand the other partnership's rights over too.
    client.force_login(world.strategic_clerk)
    data = person_data(world.strategic_member, user=world.strategic_clerk.username)
    client.post(workspace("person_edit", world.strategic, world.strategic_member.slug), data)
    services.chair_appoint(
        actor=world.area_clerk, partnership=world.area, person=world.strategic_member, role="co_chair", start_date=TODAY
    )

    world.strategic_member.refresh_from_db()
    assert world.strategic_member.user is None
    assert_holds_nothing_on(world.strategic_clerk, world.area)


def test_a_secretariat_sees_no_account_field(client, world):
    client.force_login(world.strategic_clerk)
    edit = client.get(workspace("person_edit", world.strategic, world.strategic_member.slug))
    add = client.get(workspace("person_add", world.strategic))
    assert "user" not in edit.context["form"].fields
    assert "user" not in add.context["form"].fields
    assert 'name="user"' not in edit.content.decode() + add.content.decode()


def test_a_hand_made_account_on_add_person_is_ignored(client, world):
    client.force_login(world.strategic_clerk)
    data = {"given_name": "Dee", "family_name": "Newcomer", "user": world.strategic_clerk.username}
    client.post(workspace("person_add", world.strategic), data)
    person = world.strategic.people_added.get(given_name="Dee")
    assert person.user is None


def test_the_services_refuse_an_account_from_a_secretariat(world):
    person = world.strategic_member
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.strategic_clerk,
            partnership=world.strategic,
            person=person,
            given_name=person.given_name,
            family_name=person.family_name,
            user=world.strategic_clerk,
        )
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.strategic_clerk,
            partnership=world.strategic,
            given_name="Dee",
            family_name="Newcomer",
            user=world.strategic_clerk,
        )
    person.refresh_from_db()
    assert person.user is None
    assert not world.strategic.people_added.filter(given_name="Dee").exists()


def test_an_administrator_sees_the_account_field_and_links_in_the_workspace(client, world):
    administrator = UserFactory(username="administrator", is_superuser=True, is_staff=True)
    account = UserFactory(username="ada", email="ada@example.gov.uk")
    client.force_login(administrator)
    url = workspace("person_edit", world.strategic, world.area_chair.slug)
    assert "user" in client.get(url).context["form"].fields
    response = client.post(url, person_data(world.area_chair, user="ada@example.gov.uk"))
    assert response.status_code == 302

    world.area_chair.refresh_from_db()
    assert world.area_chair.user == account
    assert user_can(fresh(account), APPROVE_STRATEGY, world.area)
    assert user_can(fresh(account), VIEW_EXEMPT, world.strategic)


def test_one_account_cannot_be_two_people(db):
    account = UserFactory()
    PersonFactory(user=account)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(user=account)


def test_administrators_link_accounts_in_django_admin(client, world):
    administrator = UserFactory(username="administrator", is_superuser=True, is_staff=True)
    account = UserFactory(username="bea")
    client.force_login(administrator)
    for model in ("person", "membership", "chairappointment", "secretariatassignment", "interest"):
        assert client.get(reverse(f"admin:membership_{model}_changelist")).status_code == 200, model
    url = reverse("admin:membership_person_change", args=[world.area_member.pk])
    data = {"user": account.pk, "added_for": world.area.pk, "contact_details_shared_on": ""}
    assert client.post(url, data).status_code == 302

    world.area_member.refresh_from_db()
    assert world.area_member.user == account
    assert user_can(fresh(account), VIEW_EXEMPT, world.area)
    event = AuditEvent.objects.filter(action="membership.person.updated").latest("pk")
    assert (event.actor, event.partnership, event.changes) == (administrator, world.area, {"user": ["", "bea"]})
    # The same account for a second person is refused with a clear message.
    url = reverse("admin:membership_person_change", args=[world.area_chair.pk])
    page = client.post(url, {**data, "user": account.pk}).content.decode()
    assert "That sign-in account already belongs to another person." in page
    world.area_chair.refresh_from_db()
    assert world.area_chair.user is None


def test_a_secretariat_cannot_use_django_admin_even_as_staff(client, world):
    world.strategic_clerk.is_staff = True
    world.strategic_clerk.save()
    client.force_login(world.strategic_clerk)
    assert client.get(reverse("admin:membership_person_changelist")).status_code == 403
    url = reverse("admin:membership_person_change", args=[world.area_chair.pk])
    client.post(url, {"user": world.strategic_clerk.pk, "added_for": world.area.pk})
    world.area_chair.refresh_from_db()
    assert world.area_chair.user is None
    with pytest.raises(PermissionDenied):
        services.person_administer(
            actor=world.strategic_clerk,
            person=world.area_chair,
            user=world.strategic_clerk,
            added_for=world.strategic,
            contact_details_shared_on=None,
        )


# Finding 3: a secretariat may change a shared person only if it runs every partnership relying on them


def test_a_secretariat_cannot_rename_someone_another_partnership_relies_on(client, world):
    client.force_login(world.strategic_clerk)
    url = workspace("person_edit", world.strategic, world.area_chair.slug)
    page = client.get(url).content.decode()
    message = (
        "Cllr Ada Fellside is also on the record of Tyneside Area ICP, which you do not run: "
        "ask a portal administrator to change their details."
    )
    assert message in page
    assert 'name="given_name"' not in page

    response = client.post(url, person_data(world.area_chair, given_name="Mallory"))
    assert response.status_code == 200
    assert message in response.content.decode()
    world.area_chair.refresh_from_db()
    assert world.area_chair.given_name == "Ada"


def test_the_service_refuses_to_rename_a_shared_person(world):
    with pytest.raises(ValidationError) as caught:
        services.person_update(
            actor=world.area_clerk,
            partnership=world.area,
            person=world.area_chair,
            given_name="Mallory",
            family_name="Fellside",
        )
    assert "also on the record of Northland Strategic ICP" in caught.value.messages[0]
    world.area_chair.refresh_from_db()
    assert world.area_chair.given_name == "Ada"


def test_a_secretariat_running_every_partnership_concerned_may_rename(world):
    SecretariatAssignmentFactory(partnership=world.area, user=world.strategic_clerk)
    sync(world)
    services.person_update(
        actor=world.strategic_clerk,
        partnership=world.strategic,
        person=world.area_chair,
        honorific="Cllr",
        given_name="Adah",
        family_name="Fellside",
    )
    world.area_chair.refresh_from_db()
    assert world.area_chair.given_name == "Adah"


def test_a_secretariat_may_rename_its_own_people(client, world):
    client.force_login(world.strategic_clerk)
    data = person_data(world.strategic_member, given_name="Callum", email="callum@example.org", phone="")
    response = client.post(workspace("person_edit", world.strategic, world.strategic_member.slug), data)
    assert response.status_code == 302
    world.strategic_member.refresh_from_db()
    assert (world.strategic_member.given_name, world.strategic_member.email) == ("Callum", "callum@example.org")


# Finding 4: contact details stay with the partnership that added the person


def test_adding_another_partnerships_member_as_an_observer_does_not_reveal_their_contact_details(client, world):
    person = world.area_member
    client.force_login(world.strategic_clerk)
    response = client.post(workspace("membership_add", world.strategic), observer_data(person))
    assert response.status_code == 302
    pages = [
        workspace("person", world.strategic, person.slug),
        workspace("person_edit", world.strategic, person.slug),
        workspace("dashboard", world.strategic),
        workspace("membership_add", world.strategic) + f"?person={person.slug}",
        workspace("chair_appoint", world.strategic),
        workspace("audit", world.strategic),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert person.email not in page, url
        assert person.phone not in page, url
    assert "Their email and phone are private" in client.get(pages[0]).content.decode()


def test_a_secretariat_sees_the_contact_details_of_people_it_added(client, world):
    client.force_login(world.area_clerk)
    for person in (world.area_member, world.area_chair):
        page = client.get(workspace("person", world.area, person.slug)).content.decode()
        assert person.email in page
        assert person.phone in page
        edit = client.get(workspace("person_edit", world.area, person.slug)).context["form"]
        assert {"email", "phone"} <= set(edit.fields)


def test_contact_details_are_never_public_nor_for_members(client, world):
    person = world.area_chair
    member = UserFactory()
    world.area_member.user = member
    world.area_member.save()
    sync(world)
    for who in (None, member):
        client.logout()
        if who:
            client.force_login(who)
        public = client.get(reverse("membership:person", args=[person.slug]))
        assert public.status_code == 200
        assert person.email not in public.content.decode()
        assert client.get(workspace("person", world.area, person.slug)).status_code in (302, 403)


def test_contact_details_shared_by_consent_show_to_every_partnership_they_sit_on(client, world):
    url = workspace("person", world.strategic, world.area_chair.slug)
    client.force_login(world.strategic_clerk)
    assert world.area_chair.email not in client.get(url).content.decode()
    world.area_chair.contact_details_shared_on = TODAY
    world.area_chair.save()
    assert world.area_chair.email in client.get(url).content.decode()


def test_a_secretariat_cannot_record_consent_or_change_contact_details_it_may_not_see(client, world):
    client.force_login(world.strategic_clerk)
    data = person_data(world.strategic_member, contact_details_shared_on=TODAY.isoformat())
    client.post(workspace("person_edit", world.strategic, world.strategic_member.slug), data)
    world.strategic_member.refresh_from_db()
    assert world.strategic_member.contact_details_shared_on is None
    # A person nobody is recorded as having added: their contact details are for administrators only.
    orphan = PersonFactory(email="orphan@example.org")
    MembershipFactory(partnership=world.strategic, person=orphan)
    edit = client.get(workspace("person_edit", world.strategic, orphan.slug))
    assert "given_name" in edit.context["form"].fields
    assert not {"email", "phone"} & set(edit.context["form"].fields)
    assert orphan.email not in edit.content.decode()
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.strategic_clerk,
            partnership=world.strategic,
            person=orphan,
            given_name=orphan.given_name,
            family_name=orphan.family_name,
            email="",
        )
    orphan.refresh_from_db()
    assert orphan.email == "orphan@example.org"


def test_the_audit_trail_withholds_contact_details_from_those_who_may_not_see_them(client, world):
    administrator = UserFactory(username="administrator", is_superuser=True, is_staff=True)
    services.person_update(
        actor=administrator,
        partnership=world.strategic,
        person=world.area_chair,
        honorific="Cllr",
        given_name="Ada",
        family_name="Fellside",
        email="ada.new@example.gov.uk",
        phone="07700 900999",
    )
    url = workspace("audit", world.strategic)
    client.force_login(world.strategic_clerk)
    page = client.get(url).content.decode()
    assert "Person changed" in page
    assert "ada.private@example.gov.uk" not in page
    assert "ada.new@example.gov.uk" not in page
    assert "900999" not in page
    assert "changed (private)" in page
    client.force_login(administrator)
    assert "ada.new@example.gov.uk" in client.get(url).content.decode()


def test_an_import_never_matches_or_confirms_another_partnerships_email_address(world):
    from membership.imports import import_rows_check

    def check(email):
        row = {"given_name": "Bea", "family_name": "Tynemouth", "email": email, "sector": "vcse"}
        [checked] = import_rows_check(
            partnership=world.strategic, rows=[{"line": 2, "values": {**row, "start_date": "2025-04-01"}}]
        )
        return checked

    right, wrong = check(world.area_member.email), check("someone.else@example.org")
    assert right.person is None
    # The same answer whatever the address: nothing to learn from trying one.
    assert right.errors == wrong.errors
    assert "contact details private to another partnership" in right.errors["email"][0]
    # People the strategic ICP added are matched by their address as before.
    own = import_rows_check(
        partnership=world.strategic,
        rows=[
            {
                "line": 2,
                "values": {
                    "given_name": "Cal",
                    "family_name": "Wearside",
                    "email": world.strategic_member.email,
                    "sector": "vcse",
                    "start_date": "2025-04-01",
                },
            }
        ],
    )
    assert own[0].person == world.strategic_member
