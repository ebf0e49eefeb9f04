import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Record whose decision an approval is (the chair or co-chair), not only the account used."""

    dependencies = [
        ("membership", "0001_people_and_membership"),
        ("strategy", "0002_evidence_token_and_sha256"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="approval",
            name="person",
            field=models.ForeignKey(
                blank=True,
                help_text="The chair or co-chair whose decision it is.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="strategy_approvals",
                to="membership.person",
            ),
        ),
        migrations.AlterField(
            model_name="approval",
            name="user",
            field=models.ForeignKey(
                blank=True,
                help_text="The sign-in account the decision was made with.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="strategy_approvals",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
