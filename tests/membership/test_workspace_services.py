"""The membership services: each one's happy path, its refusals, its audit entry and the
permissions it grants or removes."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
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
from membership.models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment
from membership.permissions import APPROVE_STRATEGY, MANAGE, VIEW_EXEMPT, permissions_sync, user_can
from partnerships.factories import LocalAuthorityFactory, OrganisationFactory, PartnershipFactory
from partnerships.models import Organisation

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
A_YEAR_AGO = TODAY - dt.timedelta(days=365)


def fresh(user):
    """The user as the next request would load them, with no cached permissions."""
    return get_user_model().objects.get(pk=user.pk)


def last_audit(action):
    return AuditEvent.objects.filter(action=action).latest("pk")


@pytest.fixture
def partnership(db):
    return PartnershipFactory()


@pytest.fixture
def actor(db):
    return UserFactory(username="clerk")


@pytest.fixture
def secretariat(partnership):
    """A member of `partnership`'s secretariat, with its permissions synced."""
    user = UserFactory(username="secretary")
    SecretariatAssignmentFactory(partnership=partnership, user=user)
    permissions_sync(partnership)
    return user


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_superuser=True, is_staff=True)


# People


def test_person_create_gives_a_unique_address_and_audits(partnership, actor):
    first = services.person_create(actor=actor, partnership=partnership, given_name=" Jo ", family_name="Bloggs")
    second = services.person_create(
        actor=actor, partnership=partnership, given_name="Jo", family_name="Bloggs", honorific="Cllr"
    )
    assert (first.slug, second.slug) == ("jo-bloggs", "jo-bloggs-2")
    assert first.given_name == "Jo"
    assert second.added_for == partnership
    event = last_audit("membership.person.created")
    assert (event.actor, event.partnership, event.object_id) == (actor, partnership, str(second.pk))
    assert event.changes == {"honorific": "Cllr", "given_name": "Jo", "family_name": "Bloggs"}


def test_person_create_refuses_an_account_that_belongs_to_someone_else(partnership, administrator):
    account = UserFactory()
    PersonFactory(user=account, given_name="Sam", family_name="Holder")
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            actor=administrator, partnership=partnership, given_name="A", family_name="B", user=account
        )
    assert caught.value.message_dict["user"] == ["That account already belongs to Sam Holder."]
    assert not Person.objects.filter(given_name="A").exists()


def test_person_create_refuses_a_missing_family_name(partnership, actor):
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=actor, partnership=partnership, given_name="Jo", family_name="  ")
    assert "family_name" in caught.value.message_dict
    assert not AuditEvent.objects.exists()


def test_person_update_records_old_and_new_and_keeps_the_address(partnership, secretariat):
    person = PersonFactory(
        given_name="Jo", family_name="Bloggs", slug="jo-bloggs", email="jo@example.org", added_for=partnership
    )
    services.person_update(
        actor=secretariat, partnership=partnership, person=person, given_name="Joanna", family_name="Bloggs", email=""
    )
    person.refresh_from_db()
    assert (person.given_name, person.slug, person.email) == ("Joanna", "jo-bloggs", "")
    assert last_audit("membership.person.updated").changes == {
        "given_name": ["Jo", "Joanna"],
        "email": ["jo@example.org", ""],
    }


def test_person_update_with_no_change_writes_no_audit(partnership, actor):
    person = PersonFactory(given_name="Jo", family_name="Bloggs", email="")
    services.person_update(actor=actor, partnership=partnership, person=person, given_name="Jo", family_name="Bloggs")
    assert not AuditEvent.objects.exists()


def test_linking_an_account_gives_a_current_member_access(partnership, administrator):
    membership = MembershipFactory(partnership=partnership)
    account = UserFactory()
    assert not user_can(fresh(account), VIEW_EXEMPT, partnership)
    person = membership.person
    services.person_update(
        actor=administrator,
        partnership=partnership,
        person=person,
        given_name=person.given_name,
        family_name=person.family_name,
        email=person.email,
        user=account,
    )
    assert user_can(fresh(account), VIEW_EXEMPT, partnership)
    assert last_audit("membership.person.updated").changes == {"user": ["", account.username]}


# Memberships


def test_membership_add_defaults_the_sector_and_grants_access(partnership, actor):
    council = LocalAuthorityFactory()
    account = UserFactory()
    person = PersonFactory(user=account)
    membership = services.membership_add(
        actor=actor,
        partnership=partnership,
        person=person,
        role=Membership.Role.MEMBER,
        organisation=council,
        seat="Leader of the council",
        start_date=A_YEAR_AGO,
    )
    assert membership.sector == Organisation.Sector.LOCAL_AUTHORITY
    assert user_can(fresh(account), VIEW_EXEMPT, partnership)
    event = last_audit("membership.membership.added")
    assert event.partnership == partnership
    assert event.changes["seat"] == "Leader of the council"
    assert event.changes["start_date"] == A_YEAR_AGO.isoformat()


def test_membership_add_refuses_an_overlapping_membership(partnership, actor):
    existing = MembershipFactory(partnership=partnership, start_date=A_YEAR_AGO)
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=actor, partnership=partnership, person=existing.person, role="member", sector="vcse", start_date=TODAY
        )
    assert caught.value.messages == [
        "This person already has a membership of this partnership for some of these dates."
    ]
    assert partnership.memberships.count() == 1


def test_membership_add_allows_a_second_term_after_the_first_ended(partnership, actor):
    first = MembershipFactory(partnership=partnership, start_date=A_YEAR_AGO, end_date=YESTERDAY, end_reason="Term")
    services.membership_add(
        actor=actor, partnership=partnership, person=first.person, role="member", sector="vcse", start_date=TODAY
    )
    assert partnership.memberships.filter(person=first.person).count() == 2


def test_membership_add_refuses_an_end_before_the_start(partnership, actor):
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=actor,
            partnership=partnership,
            person=PersonFactory(),
            role="member",
            sector="vcse",
            start_date=TODAY,
            end_date=YESTERDAY,
            end_reason="Mistake",
        )
    assert caught.value.message_dict["end_date"] == ["The end date must be on or after the start date."]


def test_membership_add_needs_a_sector_or_an_organisation(partnership, actor):
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=actor, partnership=partnership, person=PersonFactory(), role="member", start_date=TODAY
        )
    assert "sector" in caught.value.message_dict


def test_membership_add_refuses_a_body_that_had_ceased(partnership, actor):
    successor = OrganisationFactory(name="New Trust")
    old = OrganisationFactory(name="Old Trust", valid_to=A_YEAR_AGO, successor=successor)
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            actor=actor,
            partnership=partnership,
            person=PersonFactory(),
            role="member",
            organisation=old,
            start_date=TODAY,
        )
    [message] = caught.value.message_dict["organisation"]
    assert message.startswith("Old Trust ceased on")
    assert "Its successor is New Trust." in message


def test_ending_a_membership_removes_access_and_keeps_the_history(partnership, actor):
    account = UserFactory()
    membership = MembershipFactory(partnership=partnership, person=PersonFactory(user=account), start_date=A_YEAR_AGO)
    permissions_sync(partnership)
    assert user_can(fresh(account), VIEW_EXEMPT, partnership)

    services.membership_end(actor=actor, membership=membership, end_date=YESTERDAY, end_reason="Stood down")

    assert not user_can(fresh(account), VIEW_EXEMPT, partnership)
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason) == (YESTERDAY, "Stood down")
    assert list(partnership.memberships.past()) == [membership]
    event = last_audit("membership.membership.ended")
    assert event.changes == {"end_date": [None, YESTERDAY.isoformat()], "end_reason": ["", "Stood down"]}


def test_a_member_ending_today_reads_papers_until_the_end_of_the_day(partnership, actor):
    account = UserFactory()
    membership = MembershipFactory(partnership=partnership, person=PersonFactory(user=account))
    services.membership_end(actor=actor, membership=membership, end_date=TODAY, end_reason="Term ended")
    assert user_can(fresh(account), VIEW_EXEMPT, partnership)


@pytest.mark.parametrize(
    ("end_date", "reason", "field", "message"),
    [
        (A_YEAR_AGO - dt.timedelta(days=1), "Left", "end_date", "The end date must be on or after the start date"),
        (TODAY, " ", "end_reason", "Give the reason for leaving."),
    ],
)
def test_membership_end_refusals(partnership, actor, end_date, reason, field, message):
    membership = MembershipFactory(partnership=partnership, start_date=A_YEAR_AGO)
    with pytest.raises(ValidationError) as caught:
        services.membership_end(actor=actor, membership=membership, end_date=end_date, end_reason=reason)
    assert caught.value.message_dict[field][0].startswith(message)
    membership.refresh_from_db()
    assert membership.end_date is None


def test_a_membership_that_already_ended_cannot_be_ended_again(partnership, actor):
    membership = MembershipFactory(partnership=partnership, start_date=A_YEAR_AGO, end_date=YESTERDAY)
    with pytest.raises(ValidationError, match="already ended"):
        services.membership_end(actor=actor, membership=membership, end_date=TODAY, end_reason="Again")


# Chairs


def test_chair_appoint_grants_approval_and_audits(partnership, actor):
    account = UserFactory()
    appointment = services.chair_appoint(
        actor=actor,
        partnership=partnership,
        person=PersonFactory(user=account),
        role=ChairAppointment.Role.CO_CHAIR,
        start_date=TODAY,
        appointed_on=YESTERDAY,
        decision_reference="Minute 12/2025",
    )
    assert user_can(fresh(account), APPROVE_STRATEGY, partnership)
    event = last_audit("membership.chair.appointed")
    assert event.object_id == str(appointment.pk)
    assert event.changes["decision_reference"] == "Minute 12/2025"


def test_chair_appoint_refuses_an_overlapping_term_with_a_clear_message(partnership, actor):
    person = PersonFactory(given_name="Ann", family_name="Chair")
    ChairAppointmentFactory(partnership=partnership, person=person, role="chair", start_date=A_YEAR_AGO)
    with pytest.raises(ValidationError) as caught:
        services.chair_appoint(actor=actor, partnership=partnership, person=person, role="chair", start_date=TODAY)
    assert caught.value.messages == ["Ann Chair is already chair of this partnership for some of these dates."]
    assert partnership.chair_appointments.count() == 1


def test_a_chair_may_also_hold_another_role(partnership, actor):
    person = PersonFactory()
    ChairAppointmentFactory(partnership=partnership, person=person, role="chair", start_date=A_YEAR_AGO)
    services.chair_appoint(actor=actor, partnership=partnership, person=person, role="vice_chair", start_date=TODAY)
    assert partnership.chair_appointments.count() == 2


def test_chair_appoint_refuses_a_decision_in_the_future(partnership, actor):
    with pytest.raises(ValidationError) as caught:
        services.chair_appoint(
            actor=actor,
            partnership=partnership,
            person=PersonFactory(),
            role="chair",
            start_date=TODAY,
            appointed_on=TODAY + dt.timedelta(days=3),
        )
    assert "appointed_on" in caught.value.message_dict


def test_ending_a_chair_term_removes_approval(partnership, actor):
    account = UserFactory()
    appointment = ChairAppointmentFactory(partnership=partnership, person=PersonFactory(user=account))
    permissions_sync(partnership)
    services.chair_appointment_end(actor=actor, appointment=appointment, end_date=YESTERDAY, end_reason="Term ended")
    assert not user_can(fresh(account), APPROVE_STRATEGY, partnership)
    assert last_audit("membership.chair.ended").changes["end_reason"] == ["", "Term ended"]


# Register of interests


def test_interest_record_adds_to_the_register(partnership, actor):
    person = PersonFactory()
    interest = services.interest_record(
        actor=actor,
        partnership=partnership,
        person=person,
        category=Interest.Category.FINANCIAL,
        description="Shares in a care home group",
        organisation_name="Example Care plc",
    )
    assert interest.declared_on == TODAY
    assert last_audit("membership.interest.recorded").changes["description"] == "Shares in a care home group"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"declared_on": TODAY + dt.timedelta(days=1)}, "declared_on"),
        ({"start_date": TODAY, "end_date": YESTERDAY}, "end_date"),
        ({"description": "  "}, "description"),
    ],
)
def test_interest_record_refusals(partnership, actor, kwargs, field):
    arguments = {"category": "financial", "description": "Shares", **kwargs}
    with pytest.raises(ValidationError) as caught:
        services.interest_record(actor=actor, partnership=partnership, person=PersonFactory(), **arguments)
    assert field in caught.value.message_dict
    assert not Interest.objects.exists()


def test_nil_return_record_and_refuse_a_second_on_the_same_day(partnership, actor):
    person = PersonFactory()
    services.nil_return_record(actor=actor, partnership=partnership, person=person)
    assert NilReturn.objects.filter(person=person, declared_on=TODAY).exists()
    assert last_audit("membership.nil_return.recorded").changes["declared_on"] == TODAY.isoformat()
    with pytest.raises(ValidationError, match="already recorded"):
        services.nil_return_record(actor=actor, partnership=partnership, person=person, declared_on=TODAY)


# Secretariat


def test_secretariat_assign_grants_manage(partnership, actor):
    account = UserFactory()
    services.secretariat_assign(actor=actor, partnership=partnership, user=account, start_date=TODAY)
    assert user_can(fresh(account), MANAGE, partnership)
    assert last_audit("membership.secretariat.assigned").changes["user"] == account.username


def test_secretariat_assign_refuses_an_overlap_and_a_disabled_account(partnership, actor):
    account = UserFactory()
    SecretariatAssignmentFactory(partnership=partnership, user=account)
    with pytest.raises(ValidationError, match="already assigned"):
        services.secretariat_assign(actor=actor, partnership=partnership, user=account, start_date=TODAY)
    disabled = UserFactory(is_active=False)
    with pytest.raises(ValidationError, match="disabled"):
        services.secretariat_assign(actor=actor, partnership=partnership, user=disabled, start_date=TODAY)


def test_the_last_secretariat_cannot_be_ended(partnership, actor):
    only = SecretariatAssignmentFactory(partnership=partnership)
    with pytest.raises(ValidationError, match="without a secretariat"):
        services.secretariat_assignment_end(actor=actor, assignment=only, end_date=TODAY)


def test_ending_a_secretariat_assignment_removes_manage(partnership, actor):
    leaving = SecretariatAssignmentFactory(partnership=partnership)
    SecretariatAssignmentFactory(partnership=partnership)
    permissions_sync(partnership)
    services.secretariat_assignment_end(actor=actor, assignment=leaving, end_date=YESTERDAY)
    assert not user_can(fresh(leaving.user), MANAGE, partnership)
    assert SecretariatAssignment.objects.filter(pk=leaving.pk, end_date=YESTERDAY).exists()
    assert last_audit("membership.secretariat.ended").changes == {"end_date": [None, YESTERDAY.isoformat()]}


# Partnership details


def details(partnership, **changes):
    values = {
        "purpose": partnership.purpose,
        "quorum_rule": partnership.quorum_rule,
        "quorum_numerator": partnership.quorum_numerator,
        "quorum_denominator": partnership.quorum_denominator,
        "quorum_minimum": partnership.quorum_minimum,
        "quorum_requires_icb": partnership.quorum_requires_icb,
        "quorum_requires_council": partnership.quorum_requires_council,
        "quorum_substitutes_count": partnership.quorum_substitutes_count,
        "access_rule": partnership.access_rule,
        "contact_email": partnership.contact_email,
        "website": partnership.website,
        "terms_of_reference_adopted_on": partnership.terms_of_reference_adopted_on,
    }
    return {**values, **changes}


def test_partnership_update_records_each_change(partnership, actor):
    services.partnership_update(
        actor=actor,
        partnership=partnership,
        **details(
            partnership,
            quorum_numerator=None,
            quorum_denominator=None,
            quorum_minimum=5,
            quorum_requires_icb=True,
            contact_email="clerk@example.org",
        ),
    )
    partnership.refresh_from_db()
    assert (partnership.quorum_minimum, partnership.quorum_requires_icb) == (5, True)
    assert last_audit("membership.partnership.updated").changes == {
        "quorum_numerator": [1, None],
        "quorum_denominator": [3, None],
        "quorum_minimum": [None, 5],
        "quorum_requires_icb": [False, True],
        "contact_email": ["icp@example.org", "clerk@example.org"],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quorum_minimum": 5}, "quorum_minimum"),  # a fraction (the factory's third) and a number
        ({"quorum_denominator": None}, "quorum_denominator"),
        ({"quorum_numerator": 4, "quorum_denominator": 3}, "quorum_numerator"),
    ],
)
def test_a_quorum_is_a_whole_fraction_or_a_number(partnership, actor, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.partnership_update(actor=actor, partnership=partnership, **details(partnership, **changes))
    assert field in caught.value.message_dict


def test_partnership_update_with_no_change_writes_nothing(partnership, actor):
    services.partnership_update(actor=actor, partnership=partnership, **details(partnership))
    assert not AuditEvent.objects.exists()


def test_partnership_update_stores_terms_of_reference_with_their_adoption_date(partnership, actor):
    upload = SimpleUploadedFile("tor.pdf", b"%PDF-1.7 terms", content_type="application/pdf")
    services.partnership_update(
        actor=actor,
        partnership=partnership,
        terms_of_reference=upload,
        **details(partnership, terms_of_reference_adopted_on=YESTERDAY),
    )
    partnership.refresh_from_db()
    assert partnership.terms_of_reference.name == "terms-of-reference/tor.pdf"
    with partnership.terms_of_reference.open("rb") as stored:
        assert stored.read() == b"%PDF-1.7 terms"
    changes = last_audit("membership.partnership.updated").changes
    assert changes["terms_of_reference"] == ["", "terms-of-reference/tor.pdf"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"terms_of_reference_adopted_on": None}, "terms_of_reference_adopted_on"),
        ({"terms_of_reference_adopted_on": TODAY + dt.timedelta(days=1)}, "terms_of_reference_adopted_on"),
    ],
)
def test_terms_of_reference_need_a_past_adoption_date(partnership, actor, changes, field):
    upload = SimpleUploadedFile("tor.pdf", b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.partnership_update(
            actor=actor, partnership=partnership, terms_of_reference=upload, **details(partnership, **changes)
        )
    assert field in caught.value.message_dict
    partnership.refresh_from_db()
    assert not partnership.terms_of_reference


def test_a_quorum_must_be_able_to_include_the_members_it_requires(partnership, actor):
    with pytest.raises(ValidationError) as caught:
        services.partnership_update(
            actor=actor,
            partnership=partnership,
            **details(
                partnership,
                quorum_numerator=None,
                quorum_denominator=None,
                quorum_minimum=1,
                quorum_requires_icb=True,
                quorum_requires_council=True,
            ),
        )
    assert caught.value.message_dict["quorum_minimum"] == [
        "The quorum must be at least 2, to include the members it requires."
    ]


def test_partnership_update_validates_the_model(partnership, actor):
    with pytest.raises(ValidationError) as caught:
        services.partnership_update(actor=actor, partnership=partnership, **details(partnership, access_rule="bogus"))
    assert "access_rule" in caught.value.message_dict
