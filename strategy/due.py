"""The strategy's tasks for the secretariat's workspace (see `membership.due`): drafts put to the
chairs and waiting for their approval, and approved versions waiting to be published. One
query for any number of partnerships."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

from core.urls import row_url
from membership.due import DUE, WAITING, DueTask

from .models import StrategyVersion


def strategy_tasks(sender, *, partnerships, today: dt.date, **kwargs) -> list[DueTask]:
    """The receiver of `membership.due.tasks_due` for the strategy (connected in StrategyConfig.ready)."""
    Status = StrategyVersion.Status
    versions = (
        StrategyVersion.objects.filter(
            strategy__partnership__in=partnerships, status__in=[Status.SUBMITTED, Status.APPROVED]
        )
        # No order: due_tasks sorts the tasks, and each names its version.
        .order_by()
        # Only what a task says: a version's texts and its strategy's columns are not shown.
        .values("number", "status", "submitted_at", "approved_at", "strategy__partnership_id")
    )
    # The caller has the partnerships loaded already.
    by_pk = {partnership.pk: partnership for partnership in partnerships}
    tasks = []
    for version in versions:
        partnership = by_pk[version["strategy__partnership_id"]]
        number = version["number"]
        url = row_url("strategy:version", partnership.slug, number)
        if version["status"] == Status.SUBMITTED:
            submitted_at = version["submitted_at"]
            since = timezone.localtime(submitted_at).date() if submitted_at else today
            tasks.append(
                DueTask(
                    partnership.pk,
                    f"Chairs' approval of version {number} of the strategy",
                    url,
                    f"Put to the chairs on {date_format(since, 'j F Y')}: waiting for their decision.",
                    WAITING,
                    since,
                )
            )
        else:
            approved_at = version["approved_at"]
            since = timezone.localtime(approved_at).date() if approved_at else today
            tasks.append(
                DueTask(
                    partnership.pk,
                    f"Publish version {number} of the strategy",
                    url,
                    f"Approved on {date_format(since, 'j F Y')}: publish it once the partnership has adopted it.",
                    DUE,
                    since,
                )
            )
    return tasks
