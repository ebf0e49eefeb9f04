import uuid

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    Evidence = apps.get_model("strategy", "Evidence")
    for evidence in Evidence.objects.filter(token__isnull=True).only("pk").iterator():
        Evidence.objects.filter(pk=evidence.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_integrated_care_strategy")]

    operations = [
        migrations.AddField(model_name="evidence", name="token", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AddField(
            model_name="evidence",
            name="sha256",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
    ]
