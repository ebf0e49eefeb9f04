import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0006, which wrote the rows: PostgreSQL will not alter a table with pending
    # foreign-key checks from updates made in the same transaction.
    dependencies = [("meetings", "0006_decision_partnership_fill")]

    operations = [
        migrations.AlterField(
            model_name="decision",
            name="partnership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="decisions", to="partnerships.partnership"
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.UniqueConstraint(
                models.F("partnership"),
                django.db.models.functions.text.Lower("reference"),
                condition=models.Q(("reference", ""), _negated=True),
                name="unique_decision_reference",
                violation_error_message="This reference is already used by another decision of the partnership.",
            ),
        ),
    ]
