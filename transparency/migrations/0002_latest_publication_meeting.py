import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_meeting_cycle"),
        ("transparency", "0001_scorecard"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorecardrow",
            name="latest_publication_meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="meetings.meeting",
            ),
        ),
    ]
