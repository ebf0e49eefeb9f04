"""What has reached the public record, one entry per publication: agendas, supplementary
agendas (and papers added to them), draft and approved minutes, decisions, and (from the
apps above, through `register_source`) strategies.

Feeds (`meetings.feeds`) and email alerts (`alerts`) read the same entries, so what a feed
reader and an alert's reader learn is decided here, once, through the `public()` querysets
at the moment of reading. An exempt item is only its number and paragraph
(`meetings.record.exempt_label`) until its exemption is released; a paper the public may not
read is never named; private
sessions and their minutes and decisions are never read at all.

Each source takes a queryset of the partnerships in scope (already limited to those the
public may see) and returns at most `limit` entries, newest first, in a constant number of
queries. `source_id` narrows a source to one object, for an alert about it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Coalesce

from core.dates import long_date
from partnerships.models import Partnership

from .models import AgendaChange, AgendaItem, Decision, Meeting, MinuteEntry, Minutes, Paper
from .presenters import change_description
from .record import exempt_label
from .templatetags.meetings_format import time_range

# Kinds of publication; alerts use the same names for their events.
AGENDA_PUBLISHED = "agenda_published"
AGENDA_CHANGED = "agenda_changed"
PAPERS_ADDED = "papers_added"
MINUTES_PUBLISHED = "minutes_published"
MINUTES_APPROVED = "minutes_approved"
DECISION_RECORDED = "decision_recorded"
STRATEGY_PUBLISHED = "strategy_published"


@dataclass(frozen=True)
class Publication:
    """One entry of the public record, as plain text (templates and feeds escape it)."""

    kind: str
    source_id: int
    partnership: Partnership
    title: str
    when: dt.datetime
    path: str
    lines: tuple[str, ...]

    @property
    def guid(self) -> str:
        return f"tag:icp-portal,2026:{self.kind}/{self.source_id}"

    @property
    def text(self) -> str:
        """Everything the entry says, for matching a saved search."""
        return " ".join((self.partnership.name, self.title, *self.lines))


@dataclass(frozen=True)
class Found:
    """A publication a source found, ranked but not yet written: the row it will be written from."""

    kind: str
    source_id: int
    when: dt.datetime
    row: Any


@dataclass(frozen=True)
class Source:
    """`find(partnerships, *, limit, source_id=None)` returns the source's newest `limit`
    publications, newest first, in one query; `write(found)` writes the entry of each (some of
    what `find` returned, in its order) in a constant number of queries. A feed ranks every
    source's publications and writes only those it shows: reading an agenda's items or the
    text of minutes that would be thrown away was most of a feed's work."""

    kinds: tuple[str, ...]
    find: Callable[..., list[Found]]
    write: Callable[[list[Found]], list[Publication]]


_sources: list[Source] = []


def register_source(*kinds: str, find: Callable[..., list[Found]], write: Callable[[list[Found]], list[Publication]]):
    """Add a source of the publications of `kinds` (apps above meetings use it, e.g. strategy)."""
    _sources.append(Source(kinds=kinds, find=find, write=write))


def _meeting_when(meeting: Meeting) -> str:
    text = f"{long_date(meeting.starts_at, weekday=True)}, {time_range(meeting)}"
    return f"{text}, at {meeting.venue}" if meeting.venue else text


def _about_meeting(kind: str, source_id: int, meeting: Meeting, heading: str, when, lines) -> Publication:
    """An entry about one meeting, titled with the meeting and its day, linking to its page."""
    return Publication(
        kind=kind,
        source_id=source_id,
        partnership=meeting.partnership,
        title=f"{heading}: {meeting.title}, {long_date(meeting.starts_at)}",
        when=when,
        path=meeting.get_absolute_url(),
        lines=tuple(lines),
    )


def _public_meetings(partnerships):
    return Meeting.objects.public().filter(partnership__in=partnerships, agenda_published_at__isnull=False)


def _item_line(item: AgendaItem) -> str:
    if item.is_withheld:
        return exempt_label(item)
    line = f"Item {item.position}: {item.title}"
    return f"{line} (withdrawn)" if item.is_withdrawn else line


def find_agendas(partnerships, *, limit: int, source_id: int | None = None) -> list[Found]:
    meetings = _public_meetings(partnerships)
    if source_id is not None:
        meetings = meetings.filter(pk=source_id)
    meetings = meetings.select_related("partnership").order_by("-agenda_published_at", "-pk")[:limit]
    return [Found(AGENDA_PUBLISHED, meeting.pk, meeting.agenda_published_at, meeting) for meeting in meetings]


def write_agendas(found: list[Found]) -> list[Publication]:
    items = AgendaItem.objects.select_related("exemption_release").order_by("position")
    prefetch_related_objects([each.row for each in found], Prefetch("agenda_items", queryset=items))
    entries = []
    for each in found:
        meeting = each.row
        lines = [f"The agenda for the meeting on {_meeting_when(meeting)}."]
        if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED} and meeting.notice:
            lines.append(f"{meeting.get_status_display()}: {meeting.notice}")
        if meeting.late_publication_reason:
            lines.append(f"Published late. The chair's reason for urgency: {meeting.late_publication_reason}")
        lines.extend(_item_line(item) for item in meeting.agenda_items.all())
        entries.append(_about_meeting(each.kind, each.source_id, meeting, "Agenda published", each.when, lines))
    return entries


register_source(AGENDA_PUBLISHED, find=find_agendas, write=write_agendas)


def _public_change_line(change: AgendaChange) -> str:
    item = change.paper.agenda_item if change.paper is not None else change.agenda_item
    if item is not None and item.is_withheld:
        # The public learn only that an exempt item changed, never its title or papers.
        return f"{exempt_label(item)}: changed"
    return change_description(change, reader=False)


def find_agenda_changes(partnerships, *, limit: int, source_id: int | None = None) -> list[Found]:
    changes = AgendaChange.objects.filter(meeting__in=_public_meetings(partnerships))
    if source_id is not None:
        changes = changes.filter(pk=source_id)
    changes = (
        changes.select_related(
            "meeting__partnership",
            "agenda_item__exemption_release",
            "paper__exemption_release",
            "paper__agenda_item__exemption_release",
        )
        # Whether the public may read the paper now, in the same query.
        .annotate(paper_is_public=Exists(Paper.objects.public().filter(pk=OuterRef("paper_id"))))
        .order_by("-made_at", "-pk")[:limit]
    )
    return [
        Found(
            PAPERS_ADDED if change.kind == AgendaChange.Kind.PAPER_ADDED else AGENDA_CHANGED,
            change.pk,
            change.made_at,
            change,
        )
        for change in changes
    ]


def write_agenda_changes(found: list[Found]) -> list[Publication]:
    entries = []
    for each in found:
        change = each.row
        meeting = change.meeting
        paper_added = change.kind == AgendaChange.Kind.PAPER_ADDED and change.paper_is_public
        heading = "Paper added" if paper_added else "Supplementary agenda"
        entries.append(
            _about_meeting(
                each.kind,
                each.source_id,
                meeting,
                heading,
                when=each.when,
                lines=(
                    f"The agenda for the meeting on {_meeting_when(meeting)} changed.",
                    _public_change_line(change),
                    f"Reason: {change.reason}",
                ),
            )
        )
    return entries


register_source(AGENDA_CHANGED, PAPERS_ADDED, find=find_agenda_changes, write=write_agenda_changes)


def _public_minutes(partnerships):
    return (
        Minutes.objects.filter(meeting__is_public=True, meeting__partnership__in=partnerships)
        .filter(Q(published_at__isnull=False) | Q(status=Minutes.Status.APPROVED))
        .exclude(status=Minutes.Status.SUPERSEDED)
    )


def _minutes_lines(minutes: Minutes) -> list[str]:
    lines = []
    for entry in minutes.entries.all():
        item = entry.agenda_item
        if item.is_withheld:
            lines.append(exempt_label(item))
            continue
        lines.append(f"Item {item.position}: {item.title}")
        lines.extend(text for text in (entry.discussion, entry.resolutions) if text)
    return lines


def find_minutes(partnerships, *, limit: int, source_id: int | None = None) -> list[Found]:
    versions = _public_minutes(partnerships)
    if source_id is not None:
        versions = versions.filter(pk=source_id)
    drafts = (
        versions.filter(published_at__isnull=False)
        .select_related("meeting__partnership")
        .order_by("-published_at", "-pk")[:limit]
    )
    # Approved at a meeting: the record has no other moment for it; without one, when saved. Ranked
    # by the same moment the entry shows, so the newest are the ones kept on every database.
    approved = (
        versions.filter(status=Minutes.Status.APPROVED)
        .select_related("meeting__partnership", "approved_at_meeting")
        .annotate(approved_when=Coalesce("approved_at_meeting__ends_at", "created_at"))
        .order_by("-approved_when", "-pk")[:limit]
    )
    found = [Found(MINUTES_PUBLISHED, version.pk, version.published_at, version) for version in drafts] + [
        Found(MINUTES_APPROVED, version.pk, version.approved_when, version) for version in approved
    ]
    found.sort(key=lambda each: (each.when, each.source_id), reverse=True)
    return found[:limit]


def write_minutes(found: list[Found]) -> list[Publication]:
    entries_query = MinuteEntry.objects.select_related("agenda_item__exemption_release").order_by(
        "agenda_item__position"
    )
    prefetch_related_objects([each.row for each in found], Prefetch("entries", queryset=entries_query))
    entries = []
    for each in found:
        version = each.row
        meeting = version.meeting
        if each.kind == MINUTES_PUBLISHED:
            heading = "Draft minutes published"
            first = f"Draft minutes of the meeting on {_meeting_when(meeting)}, not yet approved."
        else:
            approving = version.approved_at_meeting
            heading = "Minutes approved"
            first = f"The minutes of the meeting on {_meeting_when(meeting)}, approved as a correct record" + (
                f" at the meeting on {long_date(approving.starts_at)}." if approving else "."
            )
        entries.append(
            _about_meeting(
                each.kind, each.source_id, meeting, heading, when=each.when, lines=(first, *_minutes_lines(version))
            )
        )
    return entries


register_source(MINUTES_PUBLISHED, MINUTES_APPROVED, find=find_minutes, write=write_minutes)


def find_decisions(partnerships, *, limit: int, source_id: int | None = None) -> list[Found]:
    found = Decision.objects.public().filter(meeting__partnership__in=partnerships)
    if source_id is not None:
        found = found.filter(pk=source_id)
    # Dated by the end of the meeting, and so ranked: a long meeting may end after a later one.
    found = found.select_related("meeting__partnership", "agenda_item").order_by("-meeting__ends_at", "-pk")[:limit]
    return [Found(DECISION_RECORDED, decision.pk, decision.meeting.ends_at, decision) for decision in found]


def write_decisions(found: list[Found]) -> list[Publication]:
    entries = []
    for each in found:
        decision = each.row
        meeting = decision.meeting
        label = decision.reference or (f"item {decision.agenda_item.position}" if decision.agenda_item else "")
        lines = [
            f"Decided at the meeting on {_meeting_when(meeting)}.",
            f"{decision.get_status_display()}: {decision.wording}",
        ]
        if decision.inquorate:
            lines.append("Recorded without a quorum.")
        entries.append(
            _about_meeting(
                each.kind, each.source_id, meeting, f"Decision{f' {label}' if label else ''}", each.when, lines
            )
        )
    return entries


register_source(DECISION_RECORDED, find=find_decisions, write=write_decisions)


def _write(found: list[tuple[Source, Found]]) -> list[Publication]:
    """The entries of `found`, in its order: each source writes its own in one batch."""
    entries: list[Publication | None] = [None] * len(found)
    for source in _sources:
        places = [place for place, (by, _each) in enumerate(found) if by is source]
        if places:
            written = source.write([found[place][1] for place in places])
            for place, entry in zip(places, written, strict=True):
                entries[place] = entry
    return entries


def publications(partnerships=None, *, limit: int = 50) -> list[Publication]:
    """The newest `limit` publications of `partnerships` (default: all), newest first."""
    scope = Partnership.objects.public()
    if partnerships is not None:
        scope = scope.filter(pk__in=partnerships.values("pk"))
    found = [(source, each) for source in _sources for each in source.find(scope, limit=limit)]
    # Stable: publications at the same moment with the same id keep the order of the sources.
    found.sort(key=lambda pair: (pair[1].when, pair[1].source_id), reverse=True)
    return _write(found[:limit])


def publication(kind: str, source_id: int) -> Publication | None:
    """The entry for one publication, as the public may read it now; None if they may not."""
    scope = Partnership.objects.public()
    for source in _sources:
        if kind in source.kinds:
            for each in source.find(scope, limit=2, source_id=source_id):
                if each.kind == kind:
                    return _write([(source, each)])[0]
    return None
