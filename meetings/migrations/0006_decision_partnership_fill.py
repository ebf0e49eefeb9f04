from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_partnership(apps, schema_editor):
    Decision = apps.get_model("meetings", "Decision")
    Meeting = apps.get_model("meetings", "Meeting")
    Decision.objects.filter(partnership__isnull=True).update(
        partnership_id=Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("partnership_id")[:1])
    )


def separate_repeated_references(apps, schema_editor):
    """Before references become unique per partnership (0007), give a repeated one a suffix:
    the earliest decision keeps ICP/2026/14, a later one becomes ICP/2026/14 (2). Nothing is
    deleted; the suffix shows staff which decision to correct."""
    Decision = apps.get_model("meetings", "Decision")
    seen: set[tuple[int, str]] = set()
    with_reference = Decision.objects.exclude(reference="")
    taken = {(p, r.lower()) for p, r in with_reference.values_list("partnership_id", "reference")}
    rows = with_reference.order_by("pk").values_list("pk", "partnership_id", "reference")
    for pk, partnership_id, reference in rows.iterator():
        key = (partnership_id, reference.lower())
        if key not in seen:
            seen.add(key)
            continue
        n = 2
        while True:
            suffix = f" ({n})"
            candidate = reference[: 30 - len(suffix)] + suffix
            if (partnership_id, candidate.lower()) not in taken:
                break
            n += 1
        taken.add((partnership_id, candidate.lower()))
        seen.add((partnership_id, candidate.lower()))
        Decision.objects.filter(pk=pk).update(reference=candidate)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_decision_partnership")]

    operations = [
        migrations.RunPython(fill_partnership, migrations.RunPython.noop),
        migrations.RunPython(separate_repeated_references, migrations.RunPython.noop),
    ]
