"""Undo sign-in account links that a secretariat made for a person other partnerships rely on.

Until 0003 any secretariat could link a person it reached to any account, its own included, and
the account then held every role the person holds elsewhere. Now only a portal administrator
links accounts. For each linked person, the audit log says who made the current link: if it was
not a superuser, and the person sits or sat on, chairs or chaired, or was added by a partnership
that account has never run as secretariat, the link is removed, audited (with the reason, so an
administrator can re-link it after checking) and the account leaves every chairs' and members'
permission group at once (it holds no person now, so no such role anywhere). Links made outside
the workspace (Django admin, demo data) have no such audit entry and stay."""

from django.conf import settings
from django.db import migrations
from django.db.models import Q

REASON = (
    "Unlinked when secretariats stopped linking accounts: the link was made by {actor}, who does not run "
    "every partnership this person is on the record of. A portal administrator may link it again after "
    "checking the account is theirs."
)


def _display_name(person) -> str:
    name = " ".join(p for p in (person.honorific, person.given_name, person.family_name) if p)
    return f"{name} {person.post_nominals}" if person.post_nominals else name


def unlink_accounts_linked_across_partnerships(apps, schema_editor):
    Person = apps.get_model("membership", "Person")
    Membership = apps.get_model("membership", "Membership")
    ChairAppointment = apps.get_model("membership", "ChairAppointment")
    SecretariatAssignment = apps.get_model("membership", "SecretariatAssignment")
    try:
        AuditEvent = apps.get_model("icp_portal", "AuditEvent")
    except LookupError:  # run on today's models (tests): the log is now the audit app's
        AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    person_type = ContentType.objects.filter(app_label="membership", model="person").first()
    if person_type is None:
        return
    username_field = getattr(User, "USERNAME_FIELD", "username")
    for person in Person.objects.filter(user__isnull=False).select_related("user"):
        link = (
            AuditEvent.objects.filter(
                content_type=person_type,
                object_id=str(person.pk),
                action__in=["membership.person.created", "membership.person.updated"],
                changes__has_key="user",
            )
            .select_related("actor")
            .order_by("-pk")
            .first()
        )
        if link is None or (link.actor is not None and link.actor.is_superuser):
            continue
        username = getattr(person.user, username_field)
        linked = link.changes["user"]
        if (linked[1] if isinstance(linked, list) else linked) != username:
            continue  # the account changed since, outside the workspace: not this link
        relying = set(Membership.objects.filter(person_id=person.pk).values_list("partnership_id", flat=True))
        relying |= set(ChairAppointment.objects.filter(person_id=person.pk).values_list("partnership_id", flat=True))
        relying |= {person.added_for_id} - {None}
        ran = set()
        if link.actor_id is not None:
            ran = set(
                SecretariatAssignment.objects.filter(user_id=link.actor_id).values_list("partnership_id", flat=True)
            )
        if relying <= ran:
            continue
        user_id = person.user_id
        Person.objects.filter(pk=person.pk).update(user=None)
        actor = getattr(link.actor, username_field) if link.actor is not None else "an account since removed"
        AuditEvent.objects.create(
            actor=None,
            action="membership.person.updated",
            content_type=person_type,
            object_id=str(person.pk),
            object_repr=_display_name(person)[:300],
            partnership_id=person.added_for_id,
            changes={"user": [username, ""], "reason": REASON.format(actor=actor)},
        )
        # Group membership is derived state (permissions_sync); the account holds no person now,
        # so it leaves every chairs' and members' group rather than waiting for the nightly sync.
        User.groups.through.objects.filter(user_id=user_id, group__name__startswith="partnership-").filter(
            Q(group__name__endswith="-chairs") | Q(group__name__endswith="-members")
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0004_person_added_for_from_audit_log"),
        ("icp_portal", "0001_audit_log"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(unlink_accounts_linked_across_partnerships, migrations.RunPython.noop)]
