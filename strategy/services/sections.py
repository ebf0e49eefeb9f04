"""Sections of a strategy version."""

from django.db import transaction

from audit.services import model_changes

from ..models import Section, StrategyVersion
from ._common import _audit, _begin_edit, _check_evidence, _close_gap, _next_position, _swap

# Sections.


@transaction.atomic
def section_add(*, version: StrategyVersion, actor, title: str, body: str, evidence=None) -> Section:
    _begin_edit(version, actor)
    evidence = _check_evidence(version.strategy, evidence)
    section = Section(version=version, position=_next_position(version.sections), title=title.strip(), body=body)
    section.full_clean()
    section.save()
    section.evidence.set(evidence)
    _audit(actor, "strategy.section.added", section, version, {"title": section.title, "version": version.number})
    return section


@transaction.atomic
def section_update(*, section: Section, actor, title: str, body: str, evidence=None) -> None:
    version = section.version
    _begin_edit(version, actor)
    evidence = _check_evidence(version.strategy, evidence)
    data = {"title": title.strip(), "body": body}
    changes = model_changes(section, data)
    for name, value in data.items():
        setattr(section, name, value)
    section.full_clean()
    section.save()
    before = set(section.evidence.values_list("pk", flat=True))
    if before != {item.pk for item in evidence}:
        changes["evidence"] = [sorted(before), sorted(item.pk for item in evidence)]
        section.evidence.set(evidence)
    if changes:
        _audit(actor, "strategy.section.updated", section, version, changes)


@transaction.atomic
def section_move(*, section: Section, actor, direction: str) -> None:
    """Move a section one place up or down."""
    version = section.version
    _begin_edit(version, actor)
    siblings = version.sections.exclude(pk=section.pk)
    if direction == "up":
        other = siblings.filter(position__lt=section.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=section.position).order_by("position").first()
    if other is None:
        return
    _swap(Section, section, other)
    _audit(actor, "strategy.section.moved", section, version, {"position": [other.position, section.position]})


@transaction.atomic
def section_remove(*, section: Section, actor) -> None:
    """Take a section out of a draft. Published versions keep theirs: they cannot change."""
    version = section.version
    _begin_edit(version, actor)
    position, title = section.position, section.title
    section.delete()
    _close_gap(version.sections.all(), position)
    _audit(actor, "strategy.section.removed", version, version, {"title": title})
