"""The PDF accessibility checks move from icp_portal to meetings, which records them when it
checks an upload (meetings.validators), so meetings no longer imports the portal's top package.
Only Django's idea of the owner changes: the table keeps its name and rows; the content type
follows the model."""

from django.db import migrations, models


def _content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="meetings", model="pdfaccessibility").exists():
        ContentType.objects.filter(app_label="icp_portal", model="pdfaccessibility").update(app_label="meetings")


def _content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="icp_portal", model="pdfaccessibility").exists():
        ContentType.objects.filter(app_label="meetings", model="pdfaccessibility").update(app_label="icp_portal")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0016_paper_considerations"),
        ("icp_portal", "0004_audit_log_moves_to_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PdfAccessibility",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("sha256", models.CharField(max_length=64, unique=True)),
                        ("has_title", models.BooleanField()),
                        ("has_language", models.BooleanField()),
                        ("is_tagged", models.BooleanField()),
                        ("checked_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"db_table": "icp_portal_pdfaccessibility", "verbose_name": "PDF accessibility check"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_type_follows, _content_type_goes_back),
    ]
