"""Engagement: "you said, we did"."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from ..models import EngagementActivity, StrategyVersion
from ._common import _audit, _begin_edit, _save_details

# Engagement: "you said, we did".


@dataclass
class EngagementDetails:
    title: str
    audiences: list[str]
    started_on: dt.date
    method: str
    heard: str
    response: str
    audience_detail: str = ""
    ended_on: dt.date | None = None
    participants: int | None = None


def _apply_engagement(activity: EngagementActivity, details: EngagementDetails) -> dict:
    data = {
        "title": details.title.strip(),
        "audiences": list(details.audiences),
        "audience_detail": details.audience_detail.strip(),
        "started_on": details.started_on,
        "ended_on": details.ended_on,
        "method": details.method.strip(),
        "participants": details.participants,
        "heard": details.heard.strip(),
        "response": details.response.strip(),
    }
    return _save_details(activity, data)


@transaction.atomic
def engagement_add(*, version: StrategyVersion, actor, details: EngagementDetails) -> EngagementActivity:
    _begin_edit(version, actor)
    activity = EngagementActivity(version=version)
    _apply_engagement(activity, details)
    _audit(actor, "strategy.engagement.added", activity, version, {"title": activity.title})
    return activity


@transaction.atomic
def engagement_update(*, activity: EngagementActivity, actor, details: EngagementDetails) -> None:
    version = activity.version
    _begin_edit(version, actor)
    changes = _apply_engagement(activity, details)
    if changes:
        _audit(actor, "strategy.engagement.updated", activity, version, changes)


@transaction.atomic
def engagement_remove(*, activity: EngagementActivity, actor) -> None:
    version = activity.version
    _begin_edit(version, actor)
    title = activity.title
    activity.delete()
    _audit(actor, "strategy.engagement.removed", version, version, {"title": title})
