import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The database refuses a second version adopted by the same decision, and a second current
    decision by the same chair on a version. A separate migration from the data it relies on
    (0004), so PostgreSQL alters tables with no updates pending in the same transaction."""

    dependencies = [
        ("meetings", "0002_meeting_series_date"),
        ("strategy", "0004_approval_people_and_one_adoption_per_decision"),
    ]

    operations = [
        migrations.AlterField(
            model_name="strategyversion",
            name="adopted_by_decision",
            field=models.OneToOneField(
                blank=True,
                error_messages={"unique": "That decision has already adopted another version of the strategy."},
                help_text="The partnership's decision that adopted this version.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="adopted_strategy_version",
                to="meetings.decision",
            ),
        ),
        migrations.AddConstraint(
            model_name="approval",
            constraint=models.UniqueConstraint(
                condition=models.Q(("voided_at__isnull", True)),
                fields=("version", "person"),
                name="one_current_approval_per_person",
            ),
        ),
        migrations.AddConstraint(
            model_name="approval",
            constraint=models.CheckConstraint(
                condition=models.Q(("person__isnull", False), ("user__isnull", False), _connector="OR"),
                name="approval_has_an_approver",
            ),
        ),
    ]
