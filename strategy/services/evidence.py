"""Evidence: the partnership's library of JSNAs, health and wellbeing strategies and data."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.services import model_changes
from meetings.validators import PdfFacts, inspect_pdf, safe_pdf_filename
from partnerships.models import LocalAuthority, Partnership, SystemLocalAuthority

from ..models import Evidence, Strategy, StrategyVersion
from ..tasks import notify_secretariat_of_review_due
from ._common import Status, _audit, _enqueue, _user

# Evidence: the partnership's library of JSNAs, health and wellbeing strategies and data.


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
