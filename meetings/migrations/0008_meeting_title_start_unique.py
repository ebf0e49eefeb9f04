import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower


def separate_repeated_meetings(apps, schema_editor):
    """Before the constraint: a meeting entered twice (same partnership, start and title) keeps
    its title on the earliest row; a later one becomes "Partnership board (2)". Nothing is
    deleted; the suffix shows staff which one to cancel."""
    Meeting = apps.get_model("meetings", "Meeting")
    rows = Meeting.objects.annotate(lower_title=Lower("title")).order_by("pk")
    taken = {(p, s, t) for p, s, t in rows.values_list("partnership_id", "starts_at", "lower_title")}
    seen = set()
    for pk, partnership_id, starts_at, title, lower_title in rows.values_list(
        "pk", "partnership_id", "starts_at", "title", "lower_title"
    ).iterator():
        key = (partnership_id, starts_at, lower_title)
        if key not in seen:
            seen.add(key)
            continue
        n = 2
        while (partnership_id, starts_at, f"{title[:190]} ({n})".lower()) in taken:
            n += 1
        new_title = f"{title[:190]} ({n})"
        taken.add((partnership_id, starts_at, new_title.lower()))
        seen.add((partnership_id, starts_at, new_title.lower()))
        Meeting.objects.filter(pk=pk).update(title=new_title)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_decision_reference_unique")]

    operations = [
        migrations.RunPython(separate_repeated_meetings, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                models.F("partnership"),
                models.F("starts_at"),
                django.db.models.functions.text.Lower("title"),
                name="unique_meeting_title_start",
                violation_error_code="meeting_clash",
                violation_error_message="The partnership already has a meeting with this title at this time.",
            ),
        ),
    ]
