import uuid

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    PaperVersion = apps.get_model("meetings", "PaperVersion")
    for version in PaperVersion.objects.filter(token__isnull=True).only("pk").iterator():
        PaperVersion.objects.filter(pk=version.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_search_indexes")]

    operations = [
        migrations.AddField(model_name="paperversion", name="token", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paperversion",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
