"""Priorities of a strategy version and their outcome measures."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from partnerships.models import LocalAuthority, Partnership, Place, SystemLocalAuthority

from ..models import Aim, OutcomeMeasure, Priority, StrategyVersion
from ._common import (
    _audit,
    _begin_edit,
    _check_evidence,
    _close_gap,
    _move_part,
    _next_position,
    _partnership,
    _remove_part,
    _save_details,
    _save_links,
)

# Priorities and their outcome measures.


def _check_focus(partnership: Partnership, places, councils) -> tuple[list[Place], list[LocalAuthority]]:
    places, councils = list(places or []), list(councils or [])
    if any(place.ics_id != partnership.ics_id for place in places):
        raise ValidationError({"places": f"Choose places in {partnership.ics}."})
    in_area = set(
        SystemLocalAuthority.objects.filter(ics_id=partnership.ics_id).values_list("local_authority_id", flat=True)
    )
    if any(council.pk not in in_area for council in councils):
        raise ValidationError({"local_authorities": f"Choose councils in {partnership.ics}'s area."})
    return places, councils


@dataclass
class PriorityDetails:
    """What the secretariat writes about a priority."""

    title: str
    summary: str
    aims: list[str]
    theme: str
    topic: str = ""
    places: list = field(default_factory=list)
    local_authorities: list = field(default_factory=list)
    evidence: list = field(default_factory=list)


def _apply_priority(priority: Priority, details: PriorityDetails, partnership: Partnership) -> dict:
    places, councils = _check_focus(partnership, details.places, details.local_authorities)
    evidence = _check_evidence(priority.version.strategy, details.evidence)
    data = {
        "title": details.title.strip(),
        "summary": details.summary.strip(),
        # The four aims in their usual order; anything unknown is kept for clean() to refuse.
        "aims": [aim for aim in Aim.values if aim in details.aims] + [a for a in details.aims if a not in Aim.values],
        "theme": details.theme,
        "topic": details.topic.strip() if details.theme == Priority.Theme.TOPIC else "",
    }
    changes = _save_details(priority, data)
    _save_links(priority, changes, places=places, local_authorities=councils, evidence=evidence)
    return changes


@transaction.atomic
def priority_add(*, version: StrategyVersion, actor, details: PriorityDetails) -> Priority:
    _begin_edit(version, actor)
    priority = Priority(version=version, position=_next_position(version.priorities))
    _apply_priority(priority, details, _partnership(version))
    _audit(actor, "strategy.priority.added", priority, version, {"title": priority.title, "version": version.number})
    return priority


@transaction.atomic
def priority_update(*, priority: Priority, actor, details: PriorityDetails) -> None:
    version = priority.version
    _begin_edit(version, actor)
    changes = _apply_priority(priority, details, _partnership(version))
    if changes:
        _audit(actor, "strategy.priority.updated", priority, version, changes)


@transaction.atomic
def priority_move(*, priority: Priority, actor, direction: str) -> None:
    _move_part(priority, actor=actor, direction=direction, action="strategy.priority.moved")


@transaction.atomic
def priority_remove(*, priority: Priority, actor) -> None:
    _begin_edit(priority.version, actor)
    if priority.delivery_links.exists():
        raise ValidationError(
            "Meetings' items, decisions or actions are linked to this priority in this version. "
            "Remove those links first."
        )
    _remove_part(priority, actor=actor, action="strategy.priority.removed")


@transaction.atomic
def measure_add(
    *,
    priority: Priority,
    actor,
    name: str,
    baseline: str,
    target: str,
    baseline_period: str = "",
    target_date: str = "",
) -> OutcomeMeasure:
    version = priority.version
    _begin_edit(version, actor)
    measure = OutcomeMeasure(
        priority=priority,
        position=_next_position(priority.measures),
        name=name.strip(),
        baseline=baseline.strip(),
        baseline_period=baseline_period.strip(),
        target=target.strip(),
        target_date=target_date.strip(),
    )
    measure.full_clean()
    measure.save()
    _audit(actor, "strategy.measure.added", measure, version, {"priority": priority.title, "measure": measure.name})
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: OutcomeMeasure,
    actor,
    name: str,
    baseline: str,
    target: str,
    baseline_period: str = "",
    target_date: str = "",
) -> None:
    version = measure.priority.version
    _begin_edit(version, actor)
    data = {
        "name": name.strip(),
        "baseline": baseline.strip(),
        "baseline_period": baseline_period.strip(),
        "target": target.strip(),
        "target_date": target_date.strip(),
    }
    changes = _save_details(measure, data)
    if changes:
        _audit(actor, "strategy.measure.updated", measure, version, changes)


@transaction.atomic
def measure_remove(*, measure: OutcomeMeasure, actor) -> None:
    version = measure.priority.version
    _begin_edit(version, actor)
    name, priority = measure.name, measure.priority
    measure.delete()
    _close_gap(priority.measures.all(), measure.position)
    _audit(actor, "strategy.measure.removed", priority, version, {"measure": name})
