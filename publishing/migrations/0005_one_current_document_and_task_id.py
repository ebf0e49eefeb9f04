from django.db import migrations, models

import publishing.models


def settle_current_documents(apps, schema_editor):
    """Before the constraint: of the finished documents of one kind for one meeting that are
    not superseded, keep the newest current and mark the others superseded by it."""
    PublishedDocument = apps.get_model("publishing", "PublishedDocument")
    current = PublishedDocument.objects.filter(status="done", superseded_by__isnull=True, meeting__isnull=False)
    newest = {}
    for document in current.order_by("-created_at", "-pk").only("pk", "kind", "meeting_id"):
        key = (document.kind, document.meeting_id)
        if key in newest:
            PublishedDocument.objects.filter(pk=document.pk).update(superseded_by_id=newest[key])
        else:
            newest[key] = document.pk


class Migration(migrations.Migration):
    dependencies = [("publishing", "0004_document_token_and_read_time_visibility")]

    operations = [
        migrations.AddField(
            model_name="publisheddocument",
            name="task_id",
            field=models.CharField(blank=True, help_text="The Celery task building it now, or last.", max_length=64),
        ),
        migrations.AlterField(
            model_name="publisheddocument",
            name="file",
            field=models.FileField(blank=True, max_length=300, upload_to=publishing.models.document_upload_to),
        ),
        migrations.RunPython(settle_current_documents, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="publisheddocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(("meeting__isnull", False), ("status", "done"), ("superseded_by__isnull", True)),
                fields=("kind", "meeting"),
                name="one_current_document_per_meeting",
            ),
        ),
    ]
