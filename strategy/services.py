"""Writes to the integrated care strategy.

Every service runs in one transaction, locks the version it changes (so a chair's approval
and a secretariat edit cannot interleave), validates, writes one audit entry per step and
enqueues any email on commit. Refusals are `ValidationError`s with a message the person can
act on; views show them on the form or as a message.

The rules, in one place:

- Approved, published and superseded versions are never changed. "Edit" means starting a
  new draft, copied from the latest version (sections, priorities with their measures,
  places, councils and evidence citations; engagement belongs to the version it shaped and
  is not copied).
- A change to a submitted version (or one with changes requested) returns it to **draft**:
  the chairs' decisions so far are voided (kept, with the date) and the secretariat submits
  it again, which tells the chairs again. Whoever makes such a change is recorded, and a
  chair who changed a version after it was first submitted may not approve it.
- A version is approved when every current chair and co-chair of the partnership (their
  `ChairAppointment` covers today), apart from those who changed it after submission, has
  approved it. One without a sign-in account is not skipped: they block approval, and every
  page and message says who and what to do. One request for changes sends it back.
- Publishing needs the approved version and the partnership's own decision that adopted it:
  agreed, on the public record, taken on or after the day of approval, and adopting no other
  version (`StrategyVersion.adoption_problem`). The version it replaces becomes superseded, and
  the strategy is no longer due for review.
- Recording a JSNA for a council in the area, dated after every JSNA already recorded for
  that council, marks a published strategy as due for review and tells the secretariat.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import events
from meetings.models import Action, AgendaItem, Decision
from meetings.validators import PdfFacts, inspect_pdf, safe_pdf_filename
from membership.permissions import APPROVE_STRATEGY, user_can
from partnerships.models import LocalAuthority, Partnership, Place, SystemLocalAuthority

from .models import (
    Aim,
    Approval,
    EngagementActivity,
    Evidence,
    OutcomeMeasure,
    Priority,
    PriorityLink,
    Section,
    Strategy,
    StrategyVersion,
)
from .selectors import ApprovalState, Approver, approval_state, submission_problems
from .tasks import notify_chairs_of_submission, notify_secretariat_of_decision, notify_secretariat_of_review_due

Status = StrategyVersion.Status
User = get_user_model()


def _enqueue(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


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


# Evidence: the partnership's library of JSNAs, health and wellbeing strategies and data.


def _check_evidence(strategy: Strategy, evidence) -> list[Evidence]:
    evidence = list(evidence or [])
    if any(item.strategy_id != strategy.pk for item in evidence):
        raise ValidationError({"evidence": "Cite only evidence recorded for this strategy."})
    return evidence


def _check_council_in_area(partnership: Partnership, council: LocalAuthority | None) -> None:
    if council is None:
        return
    if not SystemLocalAuthority.objects.filter(ics_id=partnership.ics_id, local_authority=council).exists():
        raise ValidationError({"local_authority": f"{council} is not a council in {partnership.ics}'s area."})


def _newer_jsna(evidence: Evidence) -> bool:
    """A JSNA dated after every other JSNA recorded for the same council, while a version is published."""
    if evidence.kind != Evidence.Kind.JSNA or evidence.local_authority_id is None:
        return False
    if not evidence.strategy.versions.filter(status=Status.PUBLISHED).exists():
        return False
    latest = (
        Evidence.objects.filter(
            strategy=evidence.strategy, kind=Evidence.Kind.JSNA, local_authority_id=evidence.local_authority_id
        )
        .exclude(pk=evidence.pk)
        .aggregate(latest=Max("published_on"))["latest"]
    )
    return latest is None or evidence.published_on > latest


def _store_file(evidence: Evidence, file) -> PdfFacts:
    """Check an uploaded evidence PDF from its content as a meeting paper is, and store it
    (cleaned, when active content was removed) under a storage-safe name."""
    try:
        facts = inspect_pdf(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = safe_pdf_filename(getattr(file, "name", "") or "evidence.pdf")
    if facts.content is not None:
        file = ContentFile(facts.content)
    file.seek(0)
    evidence.file.save(name, file, save=False)
    evidence.sha256 = facts.sha256
    evidence.removed_content = facts.removed
    return facts


@transaction.atomic
def evidence_record(
    *,
    strategy: Strategy,
    actor,
    kind: str,
    title: str,
    published_on,
    local_authority: LocalAuthority | None = None,
    url: str = "",
    file=None,
    summary: str = "",
) -> Evidence:
    """Record a JSNA, joint local health and wellbeing strategy or other evidence. A newer
    JSNA for a council in the area marks a published strategy as due for review. An uploaded
    PDF is checked and cleaned as a meeting paper is; the returned evidence's
    `removed_content` says what was removed from it, for the uploader's message."""
    partnership = strategy.partnership
    _check_council_in_area(partnership, local_authority)
    if not url and not file:
        raise ValidationError({"url": "Give a link to the document or upload it as a PDF."})
    evidence = Evidence(
        strategy=strategy,
        kind=kind,
        title=title.strip(),
        local_authority=local_authority,
        published_on=published_on,
        url=url,
        summary=summary.strip(),
        recorded_by=_user(actor),
    )
    evidence.removed_content = ()
    changes = {"kind": kind, "title": evidence.title, "council": str(local_authority or ""), "date": published_on}
    if file:
        facts = _store_file(evidence, file)
        changes.update(file=evidence.file.name, sha256=facts.sha256, removed=list(facts.removed))
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        if evidence.file:
            evidence.file.storage.delete(evidence.file.name)
        raise
    _audit(actor, "strategy.evidence.recorded", evidence, strategy, changes)
    if _newer_jsna(evidence):
        strategy_mark_review_due(
            strategy=strategy,
            actor=actor,
            reason=f"A newer joint strategic needs assessment was recorded for {local_authority}: "
            f"“{evidence.title}” ({evidence.published_on:%-d %B %Y}).",
            evidence=evidence,
        )
    return evidence


def _citing_locked_version(evidence: Evidence) -> StrategyVersion | None:
    return (
        StrategyVersion.objects.filter(status__in=[Status.APPROVED, Status.PUBLISHED, Status.SUPERSEDED])
        .filter(Q(sections__evidence=evidence) | Q(priorities__evidence=evidence))
        .distinct()
        .order_by("-number")
        .first()
    )


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    actor,
    kind: str,
    title: str,
    published_on,
    local_authority: LocalAuthority | None = None,
    url: str = "",
    file=None,
    summary: str = "",
) -> Evidence:
    """Correct evidence no approved or published version cites yet. Returns it, with
    `removed_content` saying what was removed from a newly uploaded PDF."""
    Evidence.objects.select_for_update().get(pk=evidence.pk)
    cited_by = _citing_locked_version(evidence)
    if cited_by is not None:
        raise ValidationError(
            f"{cited_by.label}, which is {cited_by.get_status_display().lower()}, cites this evidence, so it "
            "cannot be changed. Record a newer document as new evidence instead."
        )
    _check_council_in_area(evidence.strategy.partnership, local_authority)
    data = {
        "kind": kind,
        "title": title.strip(),
        "published_on": published_on,
        "local_authority": local_authority,
        "url": url,
        "summary": summary.strip(),
    }
    changes = model_changes(evidence, data)
    if "local_authority" in changes:
        changes["local_authority"] = [str(council or "") for council in changes["local_authority"]]
    for name, value in data.items():
        setattr(evidence, name, value)
    evidence.removed_content = ()
    if file:
        previous = evidence.file.name or None
        facts = _store_file(evidence, file)
        changes["file"] = [previous, evidence.file.name]
        changes["sha256"] = facts.sha256
        changes["removed"] = list(facts.removed)
    if not evidence.url and not evidence.file:
        raise ValidationError({"url": "Give a link to the document or upload it as a PDF."})
    evidence.full_clean()
    evidence.save()
    if changes:
        _audit(actor, "strategy.evidence.updated", evidence, evidence.strategy, changes)
    return evidence


@transaction.atomic
def strategy_mark_review_due(*, strategy: Strategy, actor, reason: str, evidence: Evidence | None = None) -> None:
    """Mark the strategy as due for review and tell the secretariat by email."""
    strategy = Strategy.objects.select_for_update().select_related("partnership").get(pk=strategy.pk)
    strategy.review_due = True
    strategy.review_due_since = strategy.review_due_since or timezone.now()
    strategy.review_reason = reason
    strategy.save(update_fields=["review_due", "review_due_since", "review_reason"])
    _audit(actor, "strategy.strategy.review_due", strategy, strategy, {"reason": reason})
    _enqueue(notify_secretariat_of_review_due, strategy.pk)


# Sections.


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


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
    changes = model_changes(priority, data) if priority.pk else {}
    for name, value in data.items():
        setattr(priority, name, value)
    priority.full_clean()
    priority.save()
    for name, wanted in (("places", places), ("local_authorities", councils), ("evidence", evidence)):
        manager = getattr(priority, name)
        before = set(manager.values_list("pk", flat=True))
        after = {row.pk for row in wanted}
        if before != after:
            changes[name] = [sorted(before), sorted(after)]
            manager.set(wanted)
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
    version = priority.version
    _begin_edit(version, actor)
    siblings = version.priorities.exclude(pk=priority.pk)
    if direction == "up":
        other = siblings.filter(position__lt=priority.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=priority.position).order_by("position").first()
    if other is None:
        return
    _swap(Priority, priority, other)
    _audit(actor, "strategy.priority.moved", priority, version, {"position": [other.position, priority.position]})


@transaction.atomic
def priority_remove(*, priority: Priority, actor) -> None:
    version = priority.version
    _begin_edit(version, actor)
    if priority.delivery_links.exists():
        raise ValidationError(
            "Meetings' items, decisions or actions are linked to this priority in this version. "
            "Remove those links first."
        )
    position, title = priority.position, priority.title
    priority.delete()
    _close_gap(version.priorities.all(), position)
    _audit(actor, "strategy.priority.removed", version, version, {"title": title})


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
    changes = model_changes(measure, data)
    for key, value in data.items():
        setattr(measure, key, value)
    measure.full_clean()
    measure.save()
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
    changes = model_changes(activity, data) if activity.pk else {}
    for name, value in data.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    return changes


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


# Submission and approval.


@transaction.atomic
def version_submit(*, version: StrategyVersion, actor) -> ApprovalState:
    """Put a draft to the chairs and co-chairs for approval, and email them. Each submission
    starts a new round: decisions from an earlier round are voided."""
    _lock(version)
    if version.status not in {Status.DRAFT, Status.CHANGES_REQUESTED}:
        raise ValidationError(f"{version.label} is {version.get_status_display().lower()}: it cannot be submitted.")
    problems = submission_problems(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    version.approvals.filter(voided_at__isnull=True).update(voided_at=now)
    version.status = Status.SUBMITTED
    version.submitted_at, version.submitted_by = now, _user(actor)
    version.first_submitted_at = version.first_submitted_at or now
    version.save(update_fields=["status", "submitted_at", "submitted_by", "first_submitted_at"])
    state = approval_state(version)
    _audit(
        actor,
        "strategy.version.submitted",
        version,
        version.strategy,
        {
            "number": version.number,
            "approvers": _labels(state.required),
            "cannot_approve_yet": state.blockers,
        },
    )
    _enqueue(notify_chairs_of_submission, version.pk)
    return state


@transaction.atomic
def approval_record(*, version: StrategyVersion, actor, decision: str, comment: str = "") -> Approval:
    """Record a chair's or co-chair's approval or request for changes. The version is
    approved once everyone whose approval is needed has given it; a request for changes
    sends it back to the secretariat at once."""
    _lock(version)
    partnership = _partnership(version)
    if version.status != Status.SUBMITTED:
        raise ValidationError(
            f"{version.label} is not waiting for approval: it is {version.get_status_display().lower()}."
        )
    approver = approval_state(version).approver_for(actor)
    if approver is None or not user_can(actor, APPROVE_STRATEGY, partnership):
        raise ValidationError(f"Only a current chair or co-chair of {partnership} can approve its strategy.")
    if version.edited_after_submission_by.filter(pk=actor.pk).exists():
        raise ValidationError(
            "You changed this version after it was submitted, so you cannot approve it: "
            "the other chairs and co-chairs decide on it."
        )
    comment = comment.strip()
    if decision not in Approval.Verdict.values:
        raise ValidationError({"decision": "Choose whether you approve the version or ask for changes."})
    if decision == Approval.Verdict.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": "Say what needs to change."})
    now = timezone.now()
    # A chair who changes their mind in the same round replaces their earlier decision.
    version.approvals.filter(Q(person=approver.person) | Q(user=actor), voided_at__isnull=True).update(voided_at=now)
    approval = Approval.objects.create(
        version=version, person=approver.person, user=actor, decision=decision, comment=comment, decided_at=now
    )
    _audit(
        actor,
        "strategy.approval.approved"
        if decision == Approval.Verdict.APPROVED
        else "strategy.approval.changes_requested",
        version,
        version.strategy,
        {"number": version.number, "approver": approver.listed, "comment": comment},
    )
    if decision == Approval.Verdict.CHANGES_REQUESTED:
        version.status = Status.CHANGES_REQUESTED
        version.save(update_fields=["status"])
        _audit(actor, "strategy.version.changes_requested", version, version.strategy, {"comment": comment})
        _enqueue(notify_secretariat_of_decision, version.pk)
    else:
        _settle(version, actor)
    return approval


def _labels(approvers: list[Approver]) -> list[str]:
    return [approver.listed for approver in approvers]


def _settle(version: StrategyVersion, actor) -> ApprovalState:
    """Approve `version` if every current chair and co-chair whose approval is needed has given
    it. Returns the state, which says who is still waiting and who cannot approve yet."""
    state = approval_state(version)
    if not state.complete:
        return state
    version.status, version.approved_at = Status.APPROVED, timezone.now()
    version.save(update_fields=["status", "approved_at"])
    _audit(
        actor,
        "strategy.version.approved",
        version,
        version.strategy,
        {"number": version.number, "approved_by": _labels(state.approved)},
    )
    _enqueue(notify_secretariat_of_decision, version.pk)
    return state


@transaction.atomic
def version_approval_settle(*, version: StrategyVersion, actor) -> bool:
    """Mark a submitted version approved if everyone whose approval is now needed has given
    it: for when a chair's term ends while the other chairs have already approved. Refused,
    naming them, while anyone is waiting, above all a chair or co-chair with no sign-in account."""
    _lock(version)
    if version.status != Status.SUBMITTED:
        raise ValidationError(f"{version.label} is not waiting for approval.")
    state = _settle(version, actor)
    if not state.complete:
        raise ValidationError(approval_waiting_message(state))
    return True


def approval_waiting_message(state: ApprovalState) -> str:
    """Why a submitted version is not approved yet: who cannot approve and what to do, then who
    has not decided."""
    if not state.required:
        return "No current chair or co-chair can approve this version: the partnership has none on record."
    parts = list(state.blockers)
    able = [approver for approver in state.waiting if approver.user is not None]
    if able:
        parts.append(f"Waiting for {and_list(_labels(able))} to approve it.")
    return " ".join(parts) or "It waits for the chairs' and co-chairs' decisions."


def and_list(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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


# Delivery: linking meetings' business to priorities.


@transaction.atomic
def delivery_link(
    *,
    priority: Priority,
    actor,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
    action: Action | None = None,
) -> PriorityLink:
    """Link one agenda item, decision or action of the partnership's meetings to a priority.
    Delivery is not part of the strategy's text, so any version's priorities can be linked."""
    targets = [target for target in (agenda_item, decision, action) if target is not None]
    if len(targets) != 1:
        raise ValidationError("Choose one agenda item, decision or action to link.")
    partnership = _partnership(priority.version)
    if agenda_item is not None:
        owner_id, lookup = agenda_item.meeting.partnership_id, {"agenda_item": agenda_item}
    elif decision is not None:
        owner_id, lookup = decision.meeting.partnership_id, {"decision": decision}
    else:
        owner_id, lookup = action.partnership_id, {"action": action}
    if owner_id != partnership.pk:
        raise ValidationError(f"Link only the business of {partnership}'s own meetings.")
    # The same priority in other versions shares its key, so the link would show twice.
    same_priority = PriorityLink.objects.filter(
        priority__key=priority.key, priority__version__strategy_id=priority.version.strategy_id, **lookup
    )
    if same_priority.exists():
        raise ValidationError(f"That is already linked to “{priority.title}”.")
    link = PriorityLink.objects.create(priority=priority, linked_by=_user(actor), **lookup)
    _audit(
        actor,
        "strategy.delivery.linked",
        link,
        priority.version,
        {"priority": priority.title, link.kind: str(link.target)},
    )
    return link


@transaction.atomic
def delivery_unlink(*, link: PriorityLink, actor) -> None:
    priority = link.priority
    snapshot = {"priority": priority.title, link.kind: str(link.target)}
    link.delete()
    _audit(actor, "strategy.delivery.unlinked", priority, priority.version, snapshot)
