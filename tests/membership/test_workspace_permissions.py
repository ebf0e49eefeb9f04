"""The secretariat workspace's permission contract: every URL, every member of the cast."""

import pytest
from django.urls import reverse

from membership.accounts import invitation_send
from membership.factories import InterestFactory, MembershipFactory, PersonFactory, SecretariatAssignmentFactory
from membership.models import Membership
from membership.permissions import permissions_sync
from partnerships.factories import OrganisationFactory, PartnershipFactory
from partnerships.models import Partnership

# Making the cast's invitation counts towards the sending limits, kept in the cache.
pytestmark = pytest.mark.usefixtures("fresh_cache")

SIGNED_IN_DENIED = ["chair", "co_chair", "member", "other_member", "stranger"]


def workspace_urls(cast) -> dict[str, str]:
    """Every workspace page of the cast's partnership, by URL name."""
    partnership = cast.partnership
    slug = partnership.slug
    membership = partnership.memberships.get(person__user=cast.member)
    person_slug = membership.person.slug
    chair = partnership.chair_appointments.get(person__user=cast.chair)
    assignment = partnership.secretariat_assignments.get(user=cast.secretariat)
    invited = PersonFactory(added_for=partnership)
    MembershipFactory(partnership=partnership, person=invited)
    invitation = invitation_send(actor=cast.secretariat, partnership=partnership, person=invited)
    organisation = OrganisationFactory(added_for=partnership)
    interest = InterestFactory(person=membership.person)
    return {
        "dashboard": reverse("workspace:dashboard", args=[slug]),
        "past_members": reverse("workspace:past_members", args=[slug]),
        "partnership_edit": reverse("workspace:partnership_edit", args=[slug]),
        "audit": reverse("workspace:audit", args=[slug]),
        "person_add": reverse("workspace:person_add", args=[slug]),
        "person": reverse("workspace:person", args=[slug, person_slug]),
        "person_edit": reverse("workspace:person_edit", args=[slug, person_slug]),
        "interest_add": reverse("workspace:interest_add", args=[slug, person_slug]),
        "nil_return_add": reverse("workspace:nil_return_add", args=[slug, person_slug]),
        "membership_add": reverse("workspace:membership_add", args=[slug]),
        "membership_end": reverse("workspace:membership_end", args=[slug, membership.pk]),
        "import_upload": reverse("workspace:import_upload", args=[slug]),
        "import_preview": reverse("workspace:import_preview", args=[slug]),
        "chair_appoint": reverse("workspace:chair_appoint", args=[slug]),
        "chair_end": reverse("workspace:chair_end", args=[slug, chair.pk]),
        "secretariat_assign": reverse("workspace:secretariat_assign", args=[slug]),
        "secretariat_end": reverse("workspace:secretariat_end", args=[slug, assignment.pk]),
        "invitation_send": reverse("workspace:invitation_send", args=[slug, invited.slug]),
        "invitation_resend": reverse("workspace:invitation_resend", args=[slug, invitation.pk]),
        "invitation_revoke": reverse("workspace:invitation_revoke", args=[slug, invitation.pk]),
        "account_deactivate": reverse("workspace:account_deactivate", args=[slug, person_slug]),
        "account_reactivate": reverse("workspace:account_reactivate", args=[slug, person_slug]),
        "secretariat_invite": reverse("workspace:secretariat_invite", args=[slug]),
        "organisations": reverse("workspace:organisations", args=[slug]),
        "organisation_add": reverse("workspace:organisation_add", args=[slug]),
        "organisation_edit": reverse("workspace:organisation_edit", args=[slug, organisation.pk]),
        "organisation_end": reverse("workspace:organisation_end", args=[slug, organisation.pk]),
        "interest_end": reverse("workspace:interest_end", args=[slug, person_slug, interest.pk]),
    }


URL_NAMES = [
    "dashboard",
    "past_members",
    "partnership_edit",
    "audit",
    "person_add",
    "person",
    "person_edit",
    "interest_add",
    "nil_return_add",
    "membership_add",
    "membership_end",
    "import_upload",
    "import_preview",
    "chair_appoint",
    "chair_end",
    "secretariat_assign",
    "secretariat_end",
    "invitation_send",
    "invitation_resend",
    "invitation_revoke",
    "account_deactivate",
    "account_reactivate",
    "secretariat_invite",
    "organisations",
    "organisation_add",
    "organisation_edit",
    "organisation_end",
    "interest_end",
]
MATRIX = [(name, "secretariat", 200) for name in URL_NAMES]
MATRIX += [(name, who, 403) for name in URL_NAMES for who in SIGNED_IN_DENIED]
MATRIX += [(name, "anonymous", 302) for name in URL_NAMES]


def test_the_matrix_covers_every_workspace_url():
    from membership.workspace_urls import urlpatterns

    # Creating a partnership is for portal administrators only (tests/membership/test_onboarding.py).
    assert {p.name for p in urlpatterns} == set(URL_NAMES) | {"home", "partnership_create"}


@pytest.mark.parametrize(("url_name", "who", "status"), MATRIX)
def test_permission_matrix(client, cast, url_name, who, status):
    url = workspace_urls(cast)[url_name]
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = client.get(url)
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("who", ["secretariat", "member", "stranger"])
def test_home_is_for_every_signed_in_user(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("workspace:home")).status_code == 200


def test_home_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_partnership_is_404(client, cast):
    client.force_login(cast.secretariat)
    assert client.get(reverse("workspace:dashboard", args=["no-such-partnership"])).status_code == 404


@pytest.mark.parametrize("who", SIGNED_IN_DENIED)
def test_posts_without_permission_change_nothing(client, cast, who):
    membership = cast.partnership.memberships.get(person__user=cast.member)
    client.force_login(getattr(cast, who))
    response = client.post(
        reverse("workspace:membership_end", args=[cast.partnership.slug, membership.pk]),
        {"end_date": "2020-01-01", "end_reason": "Removed by someone without the right"},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None


def test_another_partnerships_records_are_404_through_this_partnership(client, cast):
    other_membership = Membership.objects.get(partnership=cast.other_partnership)
    client.force_login(cast.secretariat)
    slug = cast.partnership.slug
    assert client.get(reverse("workspace:membership_end", args=[slug, other_membership.pk])).status_code == 404
    assert client.get(reverse("workspace:person", args=[slug, other_membership.person.slug])).status_code == 404
    assert client.get(reverse("workspace:person_edit", args=[slug, other_membership.person.slug])).status_code == 404


def test_secretariat_of_a_parent_is_refused_on_its_sub_partnership_unless_assigned_there(client, cast):
    sub = PartnershipFactory(
        ics=cast.partnership.ics, parent=cast.partnership, kind=Partnership.Kind.AREA, name="North Area ICP"
    )
    permissions_sync(sub)
    client.force_login(cast.secretariat)
    url = reverse("workspace:dashboard", args=[sub.slug])
    assert client.get(url).status_code == 403

    SecretariatAssignmentFactory(partnership=sub, user=cast.secretariat)
    permissions_sync(sub)
    assert client.get(url).status_code == 200
