"""Publication of an approved version, on the decision that adopted it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import events
from meetings.models import Decision

from ..models import Strategy, StrategyVersion
from ._common import Status, _audit, _lock, _user

# Publication.


@transaction.atomic
def version_publish(*, version: StrategyVersion, actor, decision: Decision) -> StrategyVersion:
    """Publish an approved version, adopted by `decision`. The version it replaces becomes
    superseded and stays readable; the strategy is no longer due for review.

    Refused, saying why, unless `decision` can have adopted this version: the partnership's own,
    agreed, on the public record, taken on or after the day the version was approved, and
    adopting no other version (`StrategyVersion.adoption_problem`; the database also refuses
    a decision used twice).

    The caller asks `publishing` for the PDF in the same transaction."""
    _lock(version)
    strategy = version.strategy
    if version.status != Status.APPROVED:
        raise ValidationError(
            f"Only an approved version can be published; {version.label} is {version.get_status_display().lower()}."
        )
    # Lock the decision, so that two versions published at once cannot both take it.
    decision = Decision.objects.select_for_update().select_related("meeting__partnership").get(pk=decision.pk)
    problem = version.adoption_problem(decision)
    if problem:
        raise ValidationError({"decision": problem})
    now = timezone.now()
    for previous in strategy.versions.select_for_update().filter(status=Status.PUBLISHED).exclude(pk=version.pk):
        previous.status, previous.superseded_at = Status.SUPERSEDED, now
        previous.save(update_fields=["status", "superseded_at"])
        _audit(actor, "strategy.version.superseded", previous, strategy, {"by": version.number})
    version.status = Status.PUBLISHED
    version.published_at, version.published_by = now, _user(actor)
    version.adopted_by_decision = decision
    version.save(update_fields=["status", "published_at", "published_by", "adopted_by_decision"])
    _audit(
        actor,
        "strategy.version.published",
        version,
        strategy,
        {
            "number": version.number,
            "decision": str(decision),
            "meeting": str(decision.meeting),
            "meeting_date": decision.meeting.date,
            "approved_on": version.approved_on,
        },
    )
    if strategy.review_due:
        Strategy.objects.filter(pk=strategy.pk).update(review_due=False, review_due_since=None, review_reason="")
        strategy.review_due, strategy.review_due_since, strategy.review_reason = False, None, ""
        _audit(actor, "strategy.strategy.reviewed", strategy, strategy, {"by_version": version.number})
    events.announce(events.strategy_published, version_id=version.pk, actor_id=events.actor_id(actor))
    return version
