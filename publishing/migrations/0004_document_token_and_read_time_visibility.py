import uuid

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    PublishedDocument = apps.get_model("publishing", "PublishedDocument")
    for document in PublishedDocument.objects.filter(token__isnull=True).only("pk").iterator():
        PublishedDocument.objects.filter(pk=document.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("publishing", "0003_strategy_documents"), ("meetings", "0004_paper_version_token")]

    operations = [
        migrations.AddField(
            model_name="publisheddocument", name="token", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="publisheddocument",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        # Who may read a document is decided when it is read, from its source (see
        # publishing.visibility); a stored flag could disagree with the source.
        migrations.RemoveField(model_name="publisheddocument", name="is_public"),
    ]
