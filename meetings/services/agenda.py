"""Agendas: items added, changed, withdrawn, removed and reordered; the standard items; publication.
Once the agenda is published every change goes on its supplementary agenda (`_common._record_change`)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import events

from .. import exemptions
from ..models import AgendaChange, AgendaItem, Meeting
from ._common import _actor, _change_reason, _locked, _record_change, _refuse_if_cancelled, _refuse_if_withdrawn


@dataclass(frozen=True)
class StandardItem:
    standard: str
    purpose: str
    presenter: str
    closing: bool = False  # closing items go at the end of the agenda, the others at the top


STANDARD_ITEMS = (
    StandardItem(AgendaItem.Standard.WELCOME, AgendaItem.Purpose.INFORMATION, "Chair"),
    StandardItem(AgendaItem.Standard.DECLARATIONS, AgendaItem.Purpose.INFORMATION, "Chair"),
    StandardItem(AgendaItem.Standard.PREVIOUS_MINUTES, AgendaItem.Purpose.DECISION, "Chair"),
    StandardItem(AgendaItem.Standard.ACTION_LOG, AgendaItem.Purpose.ASSURANCE, "Secretariat"),
    StandardItem(AgendaItem.Standard.AOB, AgendaItem.Purpose.DISCUSSION, "Chair", closing=True),
)


@dataclass(frozen=True)
class PublishOutcome:
    meeting: Meeting
    deadline: dt.date
    late: bool


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def _renumber(meeting: Meeting, ordered_pks: Sequence[int]) -> None:
    """Give the items `ordered_pks` the positions 1..n.

    (meeting, position) is unique and not deferrable on every database, so the items first
    move to temporary positions above any in use, then to their final ones."""
    current_max = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    base = max(current_max, len(ordered_pks)) + 1
    for offset, pk in enumerate(ordered_pks):
        AgendaItem.objects.filter(pk=pk).update(position=base + offset)
    for offset, pk in enumerate(ordered_pks):
        AgendaItem.objects.filter(pk=pk).update(position=offset + 1)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    actor,
    title: str,
    purpose: str = AgendaItem.Purpose.DISCUSSION,
    presenter: str = "",
    minutes_allotted: int | None = None,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    urgency_reason: str = "",
) -> AgendaItem:
    """Add an item at the end of the agenda, or just before "Any other business" while that
    is the last item (moved elsewhere on purpose, it stays where it was put). Once the agenda
    is published, a new item is a late item: it needs the chair's reason for urgency, which
    is shown publicly and is the reason given on the supplementary agenda."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    existing = list(meeting.agenda_items.order_by("position"))
    closing = existing[-1] if existing and standard_kind(existing[-1]) == AgendaItem.Standard.AOB else None
    late = meeting.agenda_is_published
    urgency_reason = urgency_reason.strip() if late else ""
    if late and not urgency_reason:
        raise ValidationError(
            {
                "urgency_reason": "The agenda has been published, so this is a late item: give the chair's "
                "reason for considering it as a matter of urgency."
            }
        )
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        title=title.strip(),
        purpose=purpose,
        presenter=presenter.strip(),
        minutes_allotted=minutes_allotted,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph if is_exempt else None,
        exempt_reason=exempt_reason.strip() if is_exempt else "",
        exemption_review_on=exemptions.default_review_on(meeting) if is_exempt else None,
        is_late=late,
        urgency_reason=urgency_reason,
    )
    item.full_clean()
    item.save()
    if closing is not None:
        _renumber(meeting, [*(other.pk for other in existing[:-1]), item.pk, closing.pk])
        item.refresh_from_db(fields=["position"])
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.ITEM_ADDED, reason=urgency_reason, item=item)
    audit_record(
        actor=actor,
        action="meetings.agenda.late_item_added" if late else "meetings.agenda.item_added",
        obj=item,
        partnership=partnership,
        changes={
            "meeting": meeting.pk,
            "position": item.position,
            "title": item.title,
            "is_exempt": item.is_exempt,
            "exempt_paragraph": item.exempt_paragraph,
            "urgency_reason": item.urgency_reason,
        },
    )
    return item


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    actor,
    title: str,
    purpose: str,
    presenter: str = "",
    minutes_allotted: int | None = None,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    urgency_reason: str = "",
    change_reason: str = "",
) -> AgendaItem:
    """Change an item. Making it exempt withdraws its papers from public view at once. Once
    the agenda is published the change needs a reason and goes on the supplementary agenda."""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    _refuse_if_withdrawn(item)
    data = {
        "title": title.strip(),
        "purpose": purpose,
        "presenter": presenter.strip(),
        "minutes_allotted": minutes_allotted,
        "is_exempt": is_exempt,
        "exempt_paragraph": exempt_paragraph if is_exempt else None,
        "exempt_reason": exempt_reason.strip() if is_exempt else "",
        "urgency_reason": urgency_reason.strip() if item.is_late else "",
    }
    changes = model_changes(item, data)
    if not changes:
        return item
    exemptions.refuse_exemption_change(item=item, data=data)
    reason = _change_reason(meeting, change_reason)
    for name, value in data.items():
        setattr(item, name, value)
    # An exemption is kept under review from the moment it is made (meetings.exemptions).
    if item.is_exempt and item.exemption_review_on is None:
        item.exemption_review_on = exemptions.default_review_on(meeting)
    elif not item.is_exempt:
        item.exemption_review_on = None
    item.full_clean()
    item.save()
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.ITEM_CHANGED, reason=reason, item=item)
    if reason:
        changes["change_reason"] = reason
    audit_record(actor=actor, action="meetings.agenda.item_updated", obj=item, partnership=partnership, changes=changes)
    return item


@transaction.atomic
def agenda_item_withdraw(*, item: AgendaItem, actor, reason: str, now: dt.datetime | None = None) -> AgendaItem:
    """Withdraw an item from a published agenda. It is not deleted: it keeps its number and
    papers, is marked "Withdrawn" with the reason, and the withdrawal goes on the
    supplementary agenda. (Before publication an item is simply removed.)"""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    if not meeting.agenda_is_published:
        raise ValidationError("The agenda has not been published yet: remove the item instead.")
    _refuse_if_withdrawn(item)
    reason = _change_reason(meeting, reason, field="reason")
    item.withdrawn_at = now or timezone.now()
    item.withdrawal_reason = reason
    item.full_clean()
    item.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.ITEM_WITHDRAWN, reason=reason, item=item)
    audit_record(
        actor=actor,
        action="meetings.agenda.item_withdrawn",
        obj=item,
        partnership=partnership,
        changes={"position": item.position, "title": item.title, "reason": reason},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor) -> None:
    """Take an item off an agenda that has not been published; the rest are renumbered.
    Once published, items stay on the record."""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    if meeting.agenda_is_published:
        raise ValidationError(
            "The agenda has been published, so its items stay on the record. Withdraw the item instead: "
            "it stays on the agenda marked as withdrawn, with your reason."
        )
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    files = [version.file for paper in item.papers.all() for version in paper.versions.all()]
    snapshot = {"position": item.position, "title": item.title, "papers": item.papers.count()}
    try:
        item.delete()
    except ProtectedError:
        raise ValidationError("This item has minutes, decisions or actions recorded against it.") from None
    _renumber(meeting, list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)))
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [file.storage.delete(file.name) for file in files])
    audit_record(
        actor=actor, action="meetings.agenda.item_removed", obj=meeting, partnership=partnership, changes=snapshot
    )


@transaction.atomic
def agenda_items_reorder(
    *, meeting: Meeting, actor, order: Sequence[int], change_reason: str = "", moved: AgendaItem | None = None
) -> None:
    """Put the meeting's items in the order of the item ids `order`, numbered 1..n. Once the
    agenda is published, reordering renumbers what the public has read: it is refused without
    a reason, and goes on the supplementary agenda (naming `moved`, the item moved, if one was)."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    before = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    order = list(order)
    if sorted(order) != sorted(before):
        raise ValidationError("The agenda changed while you were reordering it. Check the order and try again.")
    if order == before:
        return
    reason = _change_reason(meeting, change_reason)
    _renumber(meeting, order)
    kind = AgendaChange.Kind.ITEM_MOVED if moved is not None else AgendaChange.Kind.ITEMS_REORDERED
    _record_change(meeting=meeting, actor=actor, kind=kind, reason=reason, item=moved)
    audit_record(
        actor=actor,
        action="meetings.agenda.reordered",
        obj=meeting,
        partnership=partnership,
        changes={"order": [before, order], **({"change_reason": reason} if reason else {})},
    )


def agenda_item_move(*, item: AgendaItem, actor, direction: Literal["up", "down"], change_reason: str = "") -> None:
    """Swap an item with the one above or below it. At either end this does nothing."""
    order = list(item.meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    agenda_items_reorder(meeting=item.meeting, actor=actor, order=order, change_reason=change_reason, moved=item)


def standard_kind(item: AgendaItem) -> str:
    """Which standard item `item` is ('' if none): marked as one, or typed with its usual title."""
    if item.standard:
        return item.standard
    title = item.title.strip().casefold()
    return next((value for value, label in AgendaItem.Standard.choices if label.casefold() == title), "")


def standard_item_present(standard: StandardItem, items: Sequence[AgendaItem]) -> bool:
    return any(standard_kind(item) == standard.standard for item in items)


@transaction.atomic
def agenda_add_standard_items(*, meeting: Meeting, actor) -> list[AgendaItem]:
    """Add the usual items in one go: welcome and apologies, declarations of interest,
    minutes of the last meeting and the action log at the top (in that order), any other
    business at the end. Items already on the agenda are skipped, and existing items keep
    their order."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    if meeting.agenda_is_published:
        raise ValidationError(
            "The agenda has been published. Add a late item on its own, with the chair's reason for urgency."
        )
    existing = list(meeting.agenda_items.order_by("position"))
    final: list[AgendaItem] = list(existing)
    created: list[AgendaItem] = []
    opening = [s.standard for s in STANDARD_ITEMS if not s.closing]
    for spec in STANDARD_ITEMS:
        if standard_item_present(spec, existing):
            continue
        item = AgendaItem(
            meeting=meeting,
            title=AgendaItem.Standard(spec.standard).label,
            purpose=spec.purpose,
            presenter=spec.presenter,
            standard=spec.standard,
        )
        if spec.closing:
            final.append(item)
        else:
            # Just after the last opening item that comes before it in the usual order.
            earlier = opening[: opening.index(spec.standard)]
            indexes = [n for n, other in enumerate(final) if standard_kind(other) in earlier]
            final.insert(indexes[-1] + 1 if indexes else 0, item)
        created.append(item)
    if not created:
        return []
    # New items go in above every position in use, then everything is renumbered in order.
    base = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
    for offset, item in enumerate(final):
        if not item.pk:
            item.position = base + offset
            item.full_clean()
            item.save()
    _renumber(meeting, [item.pk for item in final])
    for item in created:
        item.refresh_from_db(fields=["position"])
    audit_record(
        actor=actor,
        action="meetings.agenda.standard_items_added",
        obj=meeting,
        partnership=partnership,
        changes={"added": [item.title for item in created]},
    )
    return created


@transaction.atomic
def agenda_publish(*, meeting: Meeting, actor, now: dt.datetime | None = None, late_reason: str = "") -> PublishOutcome:
    """Publish the agenda and its public papers. Refuses an empty agenda or one with
    incomplete items. After the deadline it still publishes, with the chair's reason for
    considering the business as a matter of urgency (s.100B(4)(b) LGA 1972), which is
    required and published; the outcome (and every staff page) says it was published late.
    A private session or a meeting recorded after the event has no deadline."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    if meeting.agenda_is_published:
        published_on = timezone.localtime(meeting.agenda_published_at)
        raise ValidationError(f"The agenda was already published on {published_on:%-d %B %Y}.")
    items = list(meeting.agenda_items.order_by("position"))
    if not items:
        raise ValidationError("Add at least one item before publishing the agenda.")
    problems = []
    for item in items:
        try:
            item.full_clean()
        except ValidationError as error:
            problems.extend(f"Item {item.number} ({item.title}): {message}" for message in error.messages)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    deadline = meeting.publication_deadline
    late = meeting.has_publication_deadline and timezone.localtime(now).date() > deadline
    late_reason = late_reason.strip() if late else ""
    if late and not late_reason:
        raise ValidationError(
            {
                "late_reason": f"The deadline was {deadline:%-d %B %Y}, so the agenda is late: give the chair's "
                "reason for considering it as a matter of urgency. It is published with the agenda."
            }
        )
    meeting.agenda_published_at = now
    meeting.agenda_published_by = _actor(actor)
    meeting.late_publication_reason = late_reason
    meeting.save(update_fields=["agenda_published_at", "agenda_published_by", "late_publication_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="meetings.agenda.published",
        obj=meeting,
        partnership=partnership,
        changes={
            "published_at": now,
            "deadline": deadline if meeting.has_publication_deadline else None,
            "late": late,
            "late_reason": late_reason,
            "items": len(items),
        },
    )
    events.announce(events.agenda_published, meeting_id=meeting.pk, actor_id=events.actor_id(actor))
    return PublishOutcome(meeting=meeting, deadline=deadline, late=late)
