"""The audit log moves from icp_portal to its own app at the bottom (docs/architecture.md).

Only Django's idea of which app owns the model changes: the table keeps its name
(icp_portal_auditevent), its rows, its index and its append-only triggers
(icp_portal/0002_audit_append_only), so no data moves. The content type follows the model,
keeping its id, so the permissions that name it still do."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audit", model="auditevent").exists():
        ContentType.objects.filter(app_label="icp_portal", model="auditevent").update(app_label="audit")


def _content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="icp_portal", model="auditevent").exists():
        ContentType.objects.filter(app_label="audit", model="auditevent").update(app_label="icp_portal")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0002_partnerships_places_boards"),
        ("icp_portal", "0003_pdf_accessibility"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "action",
                            models.CharField(help_text="A dotted name, e.g. membership.membership.ended.", max_length=100),
                        ),
                        ("object_id", models.CharField(blank=True, max_length=64)),
                        ("object_repr", models.CharField(blank=True, max_length=300)),
                        ("changes", models.JSONField(blank=True, default=dict)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "partnership",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="audit_events",
                                to="partnerships.partnership",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "icp_portal_auditevent",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["partnership", "-created_at"], name="icp_portal__partner_7e8bfc_idx")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_type_follows, _content_type_goes_back),
    ]
