"""Who may do what on a partnership: the one place that speaks to django-guardian.

Permissions are granted to one group per partnership and role, and the groups' members
are kept in step with memberships, chair appointments and secretariat assignments by
`permissions_sync` (called by the services that change them, and daily by Celery beat
for terms that start or end). Views load objects through `partnership_for_user`.

Nobody holds anything while signed out, deactivated, or signed in with a password but still to
give the second factor their account needs (`second_factor_pending`).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm

from partnerships.access import partnership_or_404
from partnerships.models import Partnership

# Permission codenames on Partnership (declared in its Meta).
MANAGE = "manage_partnership"
APPROVE_STRATEGY = "approve_strategy"
VIEW_EXEMPT = "view_exempt"
ALL = (MANAGE, APPROVE_STRATEGY, VIEW_EXEMPT)

SECRETARIAT, CHAIRS, MEMBERS = "secretariat", "chairs", "members"
ROLE_PERMISSIONS = {
    SECRETARIAT: (MANAGE, VIEW_EXEMPT),
    CHAIRS: (APPROVE_STRATEGY, VIEW_EXEMPT),
    MEMBERS: (VIEW_EXEMPT,),
}
# Chairs' permission to approve covers chairs and co-chairs, not vice-chairs.
APPROVING_CHAIR_ROLES = ("chair", "co_chair")
# Members and participants read every paper; observers and advisers see what the public sees.
READING_MEMBER_ROLES = ("member", "participant")


def _full(codename: str) -> str:
    return f"partnerships.{codename}"


def role_group(partnership: Partnership, role: str) -> Group:
    group, created = Group.objects.get_or_create(name=f"partnership-{partnership.pk}-{role}")
    if created:
        for codename in ROLE_PERMISSIONS[role]:
            assign_perm(_full(codename), group, partnership)
    return group


def users_holding(partnership: Partnership, role: str, on=None) -> set[int]:
    """Ids of the users who hold `role` on `partnership` on the date `on` (default today)."""
    from .models import ChairAppointment, Membership, SecretariatAssignment

    on = on or timezone.localdate()
    if role == SECRETARIAT:
        rows = SecretariatAssignment.objects.current(on).filter(partnership=partnership)
        return set(rows.values_list("user_id", flat=True))
    if role == CHAIRS:
        rows = ChairAppointment.objects.current(on).filter(partnership=partnership, role__in=APPROVING_CHAIR_ROLES)
    else:
        rows = Membership.objects.current(on).filter(partnership=partnership, role__in=READING_MEMBER_ROLES)
    return set(rows.filter(person__user__isnull=False).values_list("person__user_id", flat=True))


@transaction.atomic
def permissions_sync(partnership: Partnership, on=None) -> dict[str, int]:
    """Make each role group of `partnership` hold exactly the users who hold the role today.

    Returns how many users each group has. Safe to run any number of times."""
    counts = {}
    User = get_user_model()
    for role in ROLE_PERMISSIONS:
        group = role_group(partnership, role)
        wanted = users_holding(partnership, role, on)
        group.user_set.set(User.objects.filter(pk__in=wanted))
        counts[role] = len(wanted)
    return counts


def permissions_sync_all(on=None) -> int:
    count = 0
    for partnership in Partnership.objects.order_by("pk"):
        permissions_sync(partnership, on)
        count += 1
    return count


def _role_grants(user, codenames):
    """What the role groups `user` is in are granted on partnerships. Rights come only from the
    roles a partnership grants (`role_group`): a grant to an account alone, which nothing here
    makes, gives nothing. One plain query on guardian's table of group grants, where guardian's
    own helpers would build one for the account's grants and one for its groups'."""
    return GroupObjectPermission.objects.filter(
        group__user=user,
        content_type=ContentType.objects.get_for_model(Partnership),
        permission__codename__in=codenames,
    )


def two_factor_required(user) -> bool:
    """Whether `user` must sign in with a second factor: portal administrators, and anyone who
    may manage a partnership (its secretariat) or approve its strategy (chairs and co-chairs).
    Members may choose to (docs/accounts.md)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _role_grants(user, [MANAGE, APPROVE_STRATEGY]).exists()


def second_factor_needed(user) -> bool:
    """Whether signing in as `user` takes a second factor: it must (`two_factor_required`), or
    its owner has set one up."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.is_authenticated:
        return False
    return two_factor_required(user) or TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def second_factor_pending(user) -> bool:
    """Whether `user`, the user of a request, has signed in with a password but not yet with the
    second factor their account needs. Until they do, they hold no rights at all: they read what
    the public reads, and the workspace sends them to give their code (icp_portal.two_factor).

    Only users that came through django-otp's middleware carry `otp_device` (None until
    verified); a user loaded any other way (a service called from a task or a test) is taken as
    it is. The answer is kept on the user object for the rest of the request."""
    device = getattr(user, "otp_device", False)
    if device is False or device is not None or not user.is_authenticated:
        return False
    pending = getattr(user, "_second_factor_pending", None)
    if pending is None:
        pending = second_factor_needed(user)
        user._second_factor_pending = pending
    return pending


def _powerless(user) -> bool:
    """An anonymous visitor, an inactive account, or one still to give its second factor."""
    return not user.is_authenticated or not user.is_active or second_factor_pending(user)


def _held(user, partnership: Partnership) -> frozenset[str]:
    """The codenames `user` holds on `partnership`, read once per user object: a page asking
    about several rights on a partnership asks the database once.

    The user object is loaded afresh for each request (by the authentication middleware), so
    nothing read here outlives the request: a right removed is gone from the next one, as with
    the model permissions Django itself keeps on the user."""
    held = getattr(user, "_partnership_permissions", None)
    if held is None:
        held = user._partnership_permissions = {}
    if partnership.pk not in held:
        grants = _role_grants(user, ALL).filter(object_pk=str(partnership.pk))
        held[partnership.pk] = frozenset(grants.values_list("permission__codename", flat=True))
    return held[partnership.pk]


def user_can(user, codename: str, partnership: Partnership) -> bool:
    if _powerless(user):
        return False
    return user.is_superuser or codename in _held(user, partnership)


def partnership_for_user(request, slug: str, codename: str) -> Partnership:
    """Load a partnership through permission: 404 if there is none, 403 without `codename`. The
    partnership's row may be kept between requests (`partnerships.access.partnership_or_404`);
    the permission is asked on every request."""
    partnership = partnership_or_404(slug, "ics", "parent")
    if not user_can(request.user, codename, partnership):
        raise PermissionDenied
    return partnership


def partnerships_for_user(user, codename: str):
    """The partnerships on which `user` has `codename`."""
    # As in user_can: an inactive account holds nothing (guardian's queryset does not check).
    if _powerless(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    granted = _role_grants(user, [codename]).values(partnership=Cast("object_pk", models.BigIntegerField()))
    return Partnership.objects.filter(pk__in=granted)


# People are shared by every partnership they sit on. Two rules keep one partnership's
# secretariat from reaching into another through a shared person (docs/security.md):


def is_portal_administrator(user) -> bool:
    """A portal administrator (a superuser, signed in with their second factor): the national
    role that creates partnerships and invites their first secretariat (docs/workspace.md)."""
    return bool(not _powerless(user) and user.is_superuser)


def may_link_accounts(user) -> bool:
    """Only a portal administrator may say which sign-in account is a person's: the account
    receives every role the person holds, on every partnership."""
    return bool(not _powerless(user) and user.is_superuser)


def person_partnerships(person):
    """The partnerships that rely on `person`'s record: those they sit or sat on, chair or
    chaired, and the one whose secretariat added them."""
    return Partnership.objects.filter(
        Q(memberships__person=person) | Q(chair_appointments__person=person) | Q(people_added=person)
    ).distinct()


def partnerships_not_run_by(user, person) -> list[Partnership]:
    """The partnerships relying on `person` that `user` does not run (none for an administrator).

    While there are any, `user` may not change the person's details: the other partnerships'
    records and pages show them too."""
    if may_link_accounts(user):
        return []
    managed = set(partnerships_for_user(user, MANAGE).values_list("pk", flat=True))
    return [p for p in person_partnerships(person).order_by("name") if p.pk not in managed]


def people_whose_contact_details_show(user, person_ids) -> set[int]:
    """Which of `person_ids` `user` may see the email address and phone number of: all of them
    for an administrator; for a secretariat, the people its partnerships added and, once a
    person has agreed to share them, the people who sit or sat on one of its partnerships.
    Adding someone to a partnership (say, as an observer) never reveals them. One query."""
    person_ids = set(person_ids)
    if _powerless(user) or not person_ids:
        return set()
    if user.is_superuser:
        return person_ids
    from .selectors import people_with_contact_details_shown_to

    shown = people_with_contact_details_shown_to(partnerships_for_user(user, MANAGE)).filter(pk__in=person_ids)
    return set(shown.values_list("pk", flat=True))


def may_see_contact_details(user, person) -> bool:
    """Whether `user` may see `person`'s contact details (see `people_whose_contact_details_show`)."""
    return person.pk in people_whose_contact_details_show(user, {person.pk})
