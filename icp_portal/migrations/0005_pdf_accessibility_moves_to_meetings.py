"""The PDF accessibility checks now belong to meetings (meetings/migrations/0017): icp_portal
forgets the model, and the table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("icp_portal", "0004_audit_log_moves_to_audit"),
        ("meetings", "0017_pdf_accessibility_from_icp_portal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="PdfAccessibility")]),
    ]
