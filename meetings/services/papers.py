"""Papers: a PDF attached to an agenda item, the versions that replace it, its title and whether it
is withheld from the public, and the text of each version, for search."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import pdf_text
from core.tasks import send_on_commit

from .. import exemptions
from ..models import AgendaChange, AgendaItem, Consideration, Paper, PaperText, PaperVersion
from ..validators import PdfFacts, display_filename, inspect_pdf, safe_pdf_filename
from ._common import _actor, _change_reason, _locked, _record_change, _refuse_if_cancelled, _refuse_if_withdrawn

logger = logging.getLogger(__name__)


def _facts(file) -> PdfFacts:
    try:
        return inspect_pdf(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


def _store_version(*, paper: Paper, file, facts: PdfFacts, actor, number: int, reason: str = "") -> PaperVersion:
    """Write the file (the cleaned copy when the check removed active content) and its
    version row. If anything after the file write fails, the file is removed again so that
    no orphan is left in storage. The returned version's `removed_content` says what the
    check removed, for the uploader's message; the audit log keeps it too."""
    original = display_filename(
        getattr(file, "name", "") or "paper.pdf", PaperVersion._meta.get_field("original_filename").max_length
    )
    version = PaperVersion(
        paper=paper,
        number=number,
        original_filename=original,
        size=facts.size,
        sha256=facts.sha256,
        page_count=facts.page_count,
        replacement_reason=reason,
        uploaded_by=_actor(actor),
    )
    if facts.content is not None:
        file = ContentFile(facts.content)
    file.seek(0)
    version.file.save(safe_pdf_filename(original), file, save=False)
    try:
        version.save()
        paper.current_version = version
        paper.save(update_fields=["current_version"])
    except Exception:
        version.file.storage.delete(version.file.name)
        raise
    version.removed_content = facts.removed
    _extract_text_later(version)
    return version


def _extract_text_later(version: PaperVersion) -> None:
    """Once the upload commits, extract the version's text for search in a task: reading a long
    PDF should not hold up the upload."""
    from ..tasks import paper_text_extract  # the tasks module imports these services

    send_on_commit(paper_text_extract, version.pk, then="`manage.py extract_paper_text` extracts it")


def paper_versions_never_extracted():
    """Versions whose text was never extracted (no `PaperText`), oldest first, with only what
    extracting reads: for the hourly sweep and `manage.py extract_paper_text`."""
    return PaperVersion.objects.filter(extracted__isnull=True).only("pk", "file").order_by("pk")


def paper_version_extract_text(*, version: PaperVersion, again: bool = False) -> PaperText | None:
    """Store the text layer of `version`'s file (its `PaperText`), for search; returns what was
    stored now, None when it had been extracted already. Idempotent: a version already extracted
    is left alone unless `again`. A file that cannot be read (not a PDF pypdf can read, or missing
    from storage) is logged and stored as extracted with no text, so the upload stands and the
    paper is simply not found by its text."""
    if not again and PaperText.objects.filter(version=version).exists():
        return None
    try:
        with version.file.open("rb") as handle:
            text = pdf_text.extract_text(handle.read())
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on a damaged file
        logger.exception("Could not extract the text of paper version %s", version.pk)
        text = ""
    stored, _ = PaperText.objects.update_or_create(
        version=version, defaults={"text": text, "extracted_at": timezone.now()}
    )
    return stored


@transaction.atomic
def paper_upload(
    *, item: AgendaItem, actor, title: str, file, restricted: bool = False, change_reason: str = ""
) -> Paper:
    """Attach a PDF paper to an agenda item (version 1). The file is checked from its
    content: a file that is not a complete, readable PDF within the size limit is refused.
    Once the agenda is published the paper goes on the supplementary agenda, with a reason."""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    _refuse_if_withdrawn(item)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the paper."})
    reason = _change_reason(meeting, change_reason)
    facts = _facts(file)
    position = (item.papers.aggregate(last=Max("position"))["last"] or 0) + 1
    paper = Paper(
        agenda_item=item,
        title=title,
        position=position,
        restricted=restricted,
        exemption_review_on=exemptions.default_review_on(meeting) if restricted else None,
    )
    paper.full_clean(exclude=["current_version"])
    paper.save()
    Consideration.first_at(paper)  # the first step of its path (meetings.consultations)
    version = _store_version(paper=paper, file=file, facts=facts, actor=actor, number=1)
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.PAPER_ADDED, reason=reason, paper=paper)
    audit_record(
        actor=actor,
        action="meetings.paper.uploaded",
        obj=paper,
        partnership=partnership,
        changes={
            "item": item.pk,
            "title": title,
            "restricted": restricted,
            "version": 1,
            "filename": version.original_filename,
            "size": facts.size,
            "pages": facts.page_count,
            "sha256": facts.sha256,
            "removed": list(facts.removed),
        },
    )
    return paper


@transaction.atomic
def paper_replace(*, paper: Paper, actor, file, reason: str) -> PaperVersion:
    """Replace a paper's file with a new version, saying why. Earlier versions are kept. Once
    the agenda is published the new version goes on the supplementary agenda, for that reason."""
    partnership = paper.agenda_item.meeting.partnership
    meeting = _locked(paper.agenda_item.meeting)
    _refuse_if_cancelled(meeting)
    _refuse_if_withdrawn(AgendaItem.objects.get(pk=paper.agenda_item_id))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the paper is being replaced; the reason is kept with its versions."})
    if len(reason) > PaperVersion._meta.get_field("replacement_reason").max_length:
        raise ValidationError({"reason": "Keep the reason to 300 characters or fewer."})
    facts = _facts(file)
    paper = Paper.objects.select_related("current_version").get(pk=paper.pk)
    if paper.current_version and paper.current_version.sha256 == facts.sha256:
        raise ValidationError({"file": "This file is identical to the current version. Choose the new file."})
    number = (paper.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = _store_version(paper=paper, file=file, facts=facts, actor=actor, number=number, reason=reason)
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.PAPER_REPLACED, reason=reason, paper=paper)
    audit_record(
        actor=actor,
        action="meetings.paper.replaced",
        obj=paper,
        partnership=partnership,
        changes={
            "version": number,
            "reason": reason,
            "filename": version.original_filename,
            "size": facts.size,
            "pages": facts.page_count,
            "sha256": facts.sha256,
            "removed": list(facts.removed),
        },
    )
    return version


@transaction.atomic
def paper_update(*, paper: Paper, actor, title: str, restricted: bool, change_reason: str = "") -> Paper:
    """Change a paper's title or whether it is withheld from the public. Once the agenda is
    published the change needs a reason and goes on the supplementary agenda."""
    partnership = paper.agenda_item.meeting.partnership
    meeting = _locked(paper.agenda_item.meeting)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the paper."})
    paper = Paper.objects.select_for_update().select_related("agenda_item").get(pk=paper.pk)
    changes = model_changes(paper, {"title": title, "restricted": restricted})
    if not changes:
        return paper
    exemptions.refuse_exemption_change(paper=paper, data={"restricted": restricted})
    reason = _change_reason(meeting, change_reason)
    withheld = restricted and not paper.restricted
    paper.title, paper.restricted = title, restricted
    if restricted and paper.exemption_review_on is None:
        paper.exemption_review_on = exemptions.default_review_on(meeting)
    elif not restricted:
        paper.exemption_review_on = None
    paper.save(update_fields=["title", "restricted", "exemption_review_on"])
    kind = AgendaChange.Kind.PAPER_WITHHELD if withheld else AgendaChange.Kind.PAPER_CHANGED
    _record_change(meeting=meeting, actor=actor, kind=kind, reason=reason, paper=paper)
    if reason:
        changes["change_reason"] = reason
    audit_record(actor=actor, action="meetings.paper.updated", obj=paper, partnership=partnership, changes=changes)
    return paper
