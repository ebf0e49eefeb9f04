"""The audit log now belongs to the `audit` app (audit/migrations/0001_initial): icp_portal
forgets the model, and the table stays as it is. After the data migrations that read the log
under its old app (they ask for `icp_portal.AuditEvent`)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("icp_portal", "0003_pdf_accessibility"),
        ("audit", "0001_initial"),
        ("membership", "0005_unlink_accounts_linked_across_partnerships"),
        ("strategy", "0004_approval_people_and_one_adoption_per_decision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AuditEvent")]),
    ]
