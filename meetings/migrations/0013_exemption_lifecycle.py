import datetime as dt
from zoneinfo import ZoneInfo

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

REVIEW_AFTER_MONTHS = 12  # as meetings.exemptions.REVIEW_AFTER_MONTHS, copied: migrations stay as written


def _months_after(day: dt.date, months: int) -> dt.date:
    year, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month_index + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def review_dates_fill(apps, schema_editor):
    """Every exemption already on the record gets a review date: its meeting's date plus 12 months."""
    zone = ZoneInfo(settings.TIME_ZONE)
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Paper = apps.get_model("meetings", "Paper")
    items = AgendaItem.objects.filter(is_exempt=True, exemption_review_on__isnull=True).select_related("meeting")
    for item in items.iterator():
        item.exemption_review_on = _months_after(item.meeting.starts_at.astimezone(zone).date(), REVIEW_AFTER_MONTHS)
        item.save(update_fields=["exemption_review_on"])
    papers = Paper.objects.filter(restricted=True, exemption_review_on__isnull=True).select_related(
        "agenda_item__meeting"
    )
    for paper in papers.iterator():
        day = paper.agenda_item.meeting.starts_at.astimezone(zone).date()
        paper.exemption_review_on = _months_after(day, REVIEW_AFTER_MONTHS)
        paper.save(update_fields=["exemption_review_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0012_series_weekday_rule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="exemption_reminded_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="exemption_review_on",
            field=models.DateField(blank=True, null=True, verbose_name="exemption review date"),
        ),
        migrations.AddField(
            model_name="paper",
            name="exemption_reminded_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="paper",
            name="exemption_review_on",
            field=models.DateField(blank=True, null=True, verbose_name="exemption review date"),
        ),
        migrations.CreateModel(
            name="ExemptionExtension",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("previous_review_on", models.DateField(blank=True, null=True)),
                ("review_on", models.DateField(verbose_name="new review date")),
                ("reason", models.TextField(verbose_name="why the exemption continues")),
                ("extended_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "agenda_item",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exemption_extensions",
                        to="meetings.agendaitem",
                    ),
                ),
                (
                    "extended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "paper",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exemption_extensions",
                        to="meetings.paper",
                    ),
                ),
            ],
            options={
                "ordering": ["-extended_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("agenda_item__isnull", False), ("paper__isnull", True)),
                            models.Q(("agenda_item__isnull", True), ("paper__isnull", False)),
                            _connector="OR",
                        ),
                        name="extension_of_item_or_paper",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ExemptionRelease",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("released_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "reason",
                    models.TextField(
                        help_text="For the record; not shown publicly.", verbose_name="why it is released"
                    ),
                ),
                (
                    "determination",
                    models.TextField(
                        blank=True,
                        help_text="Who determined that the information is no longer exempt, and what they determined.",
                        verbose_name="officer's determination",
                    ),
                ),
                (
                    "agenda_item",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exemption_release",
                        to="meetings.agendaitem",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        help_text="The partnership's decision that allowed the release.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exemption_releases",
                        to="meetings.decision",
                    ),
                ),
                (
                    "paper",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exemption_release",
                        to="meetings.paper",
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-released_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("agenda_item__isnull", False), ("paper__isnull", True)),
                            models.Q(("agenda_item__isnull", True), ("paper__isnull", False)),
                            _connector="OR",
                        ),
                        name="release_of_item_or_paper",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("decision__isnull", False), models.Q(("determination", ""), _negated=True), _connector="OR"
                        ),
                        name="release_has_authority",
                    ),
                ],
            },
        ),
        migrations.RunPython(review_dates_fill, migrations.RunPython.noop),
    ]
