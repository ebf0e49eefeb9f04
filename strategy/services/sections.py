"""Sections of a strategy version."""

from django.db import transaction

from ..models import Section, StrategyVersion
from ._common import (
    _audit,
    _begin_edit,
    _check_evidence,
    _move_part,
    _next_position,
    _remove_part,
    _save_details,
    _save_links,
)

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
    changes = _save_details(section, {"title": title.strip(), "body": body})
    _save_links(section, changes, evidence=evidence)
    if changes:
        _audit(actor, "strategy.section.updated", section, version, changes)


@transaction.atomic
def section_move(*, section: Section, actor, direction: str) -> None:
    """Move a section one place up or down."""
    _move_part(section, actor=actor, direction=direction, action="strategy.section.moved")


@transaction.atomic
def section_remove(*, section: Section, actor) -> None:
    """Take a section out of a draft. Published versions keep theirs: they cannot change."""
    _begin_edit(section.version, actor)
    _remove_part(section, actor=actor, action="strategy.section.removed")
