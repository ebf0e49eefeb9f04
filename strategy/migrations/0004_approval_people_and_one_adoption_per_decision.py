"""Bring existing rows in line before the database enforces the rules (0005).

- Each approval names the person whose decision it was: the person its account belonged to.
  An approval whose account is linked to no one keeps only the account.
- A decision adopts one version. Until now publishing accepted any agreed decision, so a later
  version could be "adopted" by the decision that adopted an earlier one, and the public page
  said so. Where versions share a decision, the decision stays with the version it can have
  adopted (the earliest approved on or before the day of its meeting; failing that, the
  earliest), and is removed from the others, each with an audit entry saying why. Those versions
  then show their adoption as not recorded until the secretariat records the right decision.
  Nothing else changes: the versions stay published or superseded, with their text.
"""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone

REASON = (
    "Removed when each version came to need its own adopting decision: this decision adopted version {kept}, "
    "so it cannot also have adopted this one. Record the decision that adopted this version."
)


def approval_people(apps, schema_editor):
    Approval = apps.get_model("strategy", "Approval")
    Person = apps.get_model("membership", "Person")
    user_ids = set(Approval.objects.filter(person__isnull=True, user__isnull=False).values_list("user_id", flat=True))
    people = dict(Person.objects.filter(user_id__in=user_ids).values_list("user_id", "pk"))
    for user_id, person_id in people.items():
        Approval.objects.filter(person__isnull=True, user_id=user_id).update(person_id=person_id)


def one_adoption_per_decision(apps, schema_editor):
    StrategyVersion = apps.get_model("strategy", "StrategyVersion")
    try:
        AuditEvent = apps.get_model("icp_portal", "AuditEvent")
    except LookupError:  # run on today's models (tests): the log is now the audit app's
        AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    by_decision = defaultdict(list)
    rows = StrategyVersion.objects.filter(adopted_by_decision__isnull=False).select_related(
        "strategy", "adopted_by_decision__meeting"
    )
    for version in rows.order_by("number", "pk"):
        by_decision[version.adopted_by_decision_id].append(version)
    shared = [versions for versions in by_decision.values() if len(versions) > 1]
    if not shared:
        return
    version_type, _ = ContentType.objects.get_or_create(app_label="strategy", model="strategyversion")
    for versions in shared:
        decision = versions[0].adopted_by_decision
        held_on = timezone.localtime(decision.meeting.starts_at).date()
        possible = [v for v in versions if v.approved_at and timezone.localtime(v.approved_at).date() <= held_on]
        kept = (possible or versions)[0]
        for version in versions:
            if version.pk == kept.pk:
                continue
            StrategyVersion.objects.filter(pk=version.pk).update(adopted_by_decision=None)
            AuditEvent.objects.create(
                actor=None,
                action="strategy.version.adoption_cleared",
                content_type=version_type,
                object_id=str(version.pk),
                object_repr=f"{version.title} (version {version.number})"[:300],
                partnership_id=version.strategy.partnership_id,
                changes={
                    "adopted_by_decision": [decision.reference or decision.wording[:60], ""],
                    "meeting": held_on.isoformat(),
                    "kept_by_version": kept.number,
                    "reason": REASON.format(kept=kept.number),
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("icp_portal", "0001_audit_log"),
        ("membership", "0001_people_and_membership"),
        ("strategy", "0003_approval_person"),
    ]

    operations = [
        migrations.RunPython(approval_people, migrations.RunPython.noop),
        migrations.RunPython(one_adoption_per_decision, migrations.RunPython.noop),
    ]
