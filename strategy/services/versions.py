"""Starting a strategy, new draft versions and editing a version's own text."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import model_changes
from partnerships.models import Partnership

from ..models import OutcomeMeasure, Priority, Section, Strategy, StrategyVersion
from ._common import Status, _audit, _begin_edit, _user

# Starting and editing versions.


@transaction.atomic
def strategy_start(*, partnership: Partnership, actor, title: str) -> StrategyVersion:
    """Start the partnership's strategy: its record and a first, empty draft."""
    strategy, _ = Strategy.objects.get_or_create(partnership=partnership)
    if strategy.versions.exists():
        raise ValidationError("This partnership's strategy has already been started.")
    version = StrategyVersion(strategy=strategy, number=1, title=title.strip(), created_by=_user(actor))
    version.full_clean()
    version.save()
    _audit(actor, "strategy.version.created", version, strategy, {"number": 1, "title": version.title})
    return version


@transaction.atomic
def version_new_draft(*, strategy: Strategy, actor) -> StrategyVersion:
    """Start a new draft, copied from the latest version. Refused while a version is still
    being written or approved. An approved version that was never published is set aside
    (superseded): the new draft replaces it before it reaches the public."""
    Strategy.objects.select_for_update().get(pk=strategy.pk)
    open_version = strategy.versions.open().order_by("-number").first()
    if open_version is not None:
        raise ValidationError(
            f"{open_version.label} is still {open_version.get_status_display().lower()}. "
            "Carry on with it rather than starting another draft."
        )
    latest = strategy.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError("Start the strategy first.")
    now = timezone.now()
    if latest.status == Status.APPROVED:
        latest.status, latest.superseded_at = Status.SUPERSEDED, now
        latest.save(update_fields=["status", "superseded_at"])
        _audit(actor, "strategy.version.superseded", latest, strategy, {"before_publication": True})
    version = StrategyVersion.objects.create(
        strategy=strategy,
        number=latest.number + 1,
        title=latest.title,
        summary=latest.summary,
        based_on=latest,
        created_by=_user(actor),
    )
    _copy_content(latest, version)
    _audit(actor, "strategy.version.created", version, strategy, {"number": version.number, "based_on": latest.number})
    return version


def _copy_content(source: StrategyVersion, target: StrategyVersion) -> None:
    for section in source.sections.prefetch_related("evidence"):
        copy = Section.objects.create(
            version=target, key=section.key, position=section.position, title=section.title, body=section.body
        )
        copy.evidence.set(section.evidence.all())
    priorities = source.priorities.prefetch_related("places", "local_authorities", "evidence", "measures")
    for priority in priorities:
        copy = Priority.objects.create(
            version=target,
            key=priority.key,
            position=priority.position,
            title=priority.title,
            summary=priority.summary,
            aims=list(priority.aims),
            theme=priority.theme,
            topic=priority.topic,
        )
        copy.places.set(priority.places.all())
        copy.local_authorities.set(priority.local_authorities.all())
        copy.evidence.set(priority.evidence.all())
        OutcomeMeasure.objects.bulk_create(
            OutcomeMeasure(
                priority=copy,
                position=measure.position,
                name=measure.name,
                baseline=measure.baseline,
                baseline_period=measure.baseline_period,
                target=measure.target,
                target_date=measure.target_date,
            )
            for measure in priority.measures.all()
        )


@transaction.atomic
def version_update(*, version: StrategyVersion, actor, title: str, summary: str, change_summary: str) -> None:
    """Change a version's title, introduction and summary of changes."""
    _begin_edit(version, actor)
    data = {"title": title.strip(), "summary": summary.strip(), "change_summary": change_summary.strip()}
    changes = model_changes(version, data)
    for name, value in data.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()
    if changes:
        _audit(actor, "strategy.version.updated", version, version.strategy, changes)
