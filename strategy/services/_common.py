"""Private helpers shared by the strategy services: locking, audit, the edit rule, saving a
part's details and the order of a version's parts."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from audit.services import audit_record, model_changes
from core.tasks import send_on_commit
from partnerships.models import Partnership

from ..models import Evidence, Strategy, StrategyVersion

Status = StrategyVersion.Status
User = get_user_model()


def _enqueue(task, *args) -> None:
    # A notification: with the broker down the step stands and the email is not sent, but
    # the work still shows where its readers look for it (chairs' approvals, the dashboard).
    send_on_commit(task, *args, then="the notification is not sent; the workspace lists the work all the same")


def _lock(version: StrategyVersion) -> StrategyVersion:
    """Reload `version` under a row lock and copy the fresh state onto the caller's instance."""
    fresh = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    for name in ("status", "first_submitted_at", "submitted_at", "approved_at", "published_at", "superseded_at"):
        setattr(version, name, getattr(fresh, name))
    return version


def _partnership(version: StrategyVersion) -> Partnership:
    return version.strategy.partnership


def _audit(actor, action: str, obj, version_or_strategy, changes: dict | None = None) -> None:
    strategy = getattr(version_or_strategy, "strategy", version_or_strategy)
    audit_record(actor=actor, action=action, obj=obj, partnership=strategy.partnership, changes=changes)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _begin_edit(version: StrategyVersion, actor) -> None:
    """Check `version` may change, and apply the rule for changes after submission: the
    version returns to draft, this round's decisions are voided, and the editor is recorded."""
    _lock(version)
    if not version.is_editable:
        raise ValidationError(
            f"{version.label} is {version.get_status_display().lower()} and can no longer be changed. "
            "Start a new draft to make changes."
        )
    now = timezone.now()
    if version.status in {Status.SUBMITTED, Status.CHANGES_REQUESTED}:
        voided = version.approvals.filter(voided_at__isnull=True).update(voided_at=now)
        before = version.status
        version.status = Status.DRAFT
        version.save(update_fields=["status"])
        _audit(
            actor,
            "strategy.version.returned_to_draft",
            version,
            version.strategy,
            {"status": [before, Status.DRAFT], "decisions_voided": voided},
        )
    if version.first_submitted_at and _user(actor):
        version.edited_after_submission_by.add(actor)
    version.edited_at, version.edited_by = now, _user(actor)
    version.save(update_fields=["edited_at", "edited_by"])


def _check_evidence(strategy: Strategy, evidence) -> list[Evidence]:
    evidence = list(evidence or [])
    if any(item.strategy_id != strategy.pk for item in evidence):
        raise ValidationError({"evidence": "Cite only evidence recorded for this strategy."})
    return evidence


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _swap(model, first, second) -> None:
    """Exchange two rows' positions through a free temporary one (positions are unique)."""
    a, b = first.position, second.position
    model.objects.filter(pk=first.pk).update(position=0)
    model.objects.filter(pk=second.pk).update(position=a)
    model.objects.filter(pk=first.pk).update(position=b)
    first.position, second.position = b, a


def _close_gap(queryset, removed_position: int) -> None:
    # One by one, lowest first, so the unique position constraint holds at every step.
    for row in queryset.filter(position__gt=removed_position).order_by("position"):
        type(row).objects.filter(pk=row.pk).update(position=row.position - 1)


def _save_details(obj, data: dict) -> dict:
    """Set `data` on `obj`, check and save it; return what changed (nothing for a new row)."""
    changes = model_changes(obj, data) if obj.pk else {}
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return changes


def _save_links(obj, changes: dict, **wanted) -> None:
    """Replace `obj`'s many-to-many links (by field name) with `wanted`, noting each change in `changes`."""
    for name, rows in wanted.items():
        manager = getattr(obj, name)
        before = set(manager.values_list("pk", flat=True))
        after = {row.pk for row in rows}
        if before != after:
            changes[name] = [sorted(before), sorted(after)]
            manager.set(rows)


def _move_part(part, *, actor, direction: str, action: str) -> None:
    """Move a section or priority one place up or down its version's list (no further at either end)."""
    version = part.version
    _begin_edit(version, actor)
    siblings = type(part).objects.filter(version=version).exclude(pk=part.pk)
    if direction == "up":
        other = siblings.filter(position__lt=part.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=part.position).order_by("position").first()
    if other is None:
        return
    _swap(type(part), part, other)
    _audit(actor, action, part, version, {"position": [other.position, part.position]})


def _remove_part(part, *, actor, action: str) -> None:
    """Delete a section or priority (its version already open to edit) and close the gap it leaves."""
    version = part.version
    position, title = part.position, part.title
    part.delete()
    _close_gap(type(part).objects.filter(version=version), position)
    _audit(actor, action, version, version, {"title": title})
