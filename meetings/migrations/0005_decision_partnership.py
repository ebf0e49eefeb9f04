import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Filled in 0006 and made required in 0007: PostgreSQL will not build this column's index,
    # nor alter the table, in a transaction that has updated its rows.
    dependencies = [("meetings", "0004_paper_version_token")]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="partnership",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="partnerships.partnership",
            ),
        ),
    ]
