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
public may see) and ranks its publications through the `public()` querysets, as querysets
that say only the kind, id and moment of each; `publications` sorts every source's together
in one query. Each source then reads, by id, the rows of those ranked among the newest (a row
deleted since has no entry) and writes their entries, in a constant number of queries.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
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
    """A publication a source ranked but has not yet written: its kind, object and moment."""

    kind: str
    source_id: int
    when: dt.datetime


@dataclass(frozen=True)
class Source:
    """`rank(partnerships)` returns querysets of the source's publications the public may see,
    each annotated by `ranked` with the kind and moment of its rows; `write(found)` reads the
    rows of `found` (some of those, just ranked) and writes their entries, in a constant number
    of queries. A feed ranks every source's publications together, in one query, and reads
    only the rows it shows: reading the rows, items and minutes of publications that would be
    thrown away was most of a feed's work."""

    kinds: tuple[str, ...]
    rank: Callable[[QuerySet], list[QuerySet]]
    write: Callable[[list[Found]], list[Publication]]


_sources: list[Source] = []


def register_source(
    *kinds: str,
    rank: Callable[[QuerySet], list[QuerySet]],
    write: Callable[[list[Found]], list[Publication]],
):
    """Add a source of the publications of `kinds` (apps above meetings use it, e.g. strategy)."""
    _sources.append(Source(kinds=kinds, rank=rank, write=write))


def ranked(queryset: QuerySet, kind, when) -> QuerySet:
    """`queryset` as publications of `kind` (a kind, or an expression that chooses one for each
    row) at the moment `when` (a field or an expression), for a source's `rank`."""
    kind = kind if hasattr(kind, "resolve_expression") else Value(kind)
    when = F(when) if isinstance(when, str) else when
    return queryset.annotate(publication_kind=kind, publication_when=when)


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


def rank_agendas(partnerships) -> list[QuerySet]:
    return [ranked(_public_meetings(partnerships), AGENDA_PUBLISHED, "agenda_published_at")]


def write_agendas(found: list[Found]) -> list[Publication]:
    items = AgendaItem.objects.select_related("exemption_release").order_by("position")
    meetings = (
        Meeting.objects.select_related("partnership")
        .prefetch_related(Prefetch("agenda_items", queryset=items))
        .in_bulk([each.source_id for each in found])
    )
    entries = []
    for each in found:
        if (meeting := meetings.get(each.source_id)) is None:
            continue
        lines = [f"The agenda for the meeting on {_meeting_when(meeting)}."]
        if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED} and meeting.notice:
            lines.append(f"{meeting.get_status_display()}: {meeting.notice}")
        if meeting.late_publication_reason:
            lines.append(f"Published late. The chair's reason for urgency: {meeting.late_publication_reason}")
        lines.extend(_item_line(item) for item in meeting.agenda_items.all())
        entries.append(_about_meeting(each.kind, each.source_id, meeting, "Agenda published", each.when, lines))
    return entries


register_source(AGENDA_PUBLISHED, rank=rank_agendas, write=write_agendas)


def _public_change_line(change: AgendaChange) -> str:
    item = change.paper.agenda_item if change.paper is not None else change.agenda_item
    if item is not None and item.is_withheld:
        # The public learn only that an exempt item changed, never its title or papers.
        return f"{exempt_label(item)}: changed"
    return change_description(change, reader=False)


def rank_agenda_changes(partnerships) -> list[QuerySet]:
    kind = Case(When(kind=AgendaChange.Kind.PAPER_ADDED, then=Value(PAPERS_ADDED)), default=Value(AGENDA_CHANGED))
    return [ranked(AgendaChange.objects.filter(meeting__in=_public_meetings(partnerships)), kind, "made_at")]


def write_agenda_changes(found: list[Found]) -> list[Publication]:
    changes = (
        AgendaChange.objects.select_related(
            "meeting__partnership",
            "agenda_item__exemption_release",
            "paper__exemption_release",
            "paper__agenda_item__exemption_release",
        )
        # Whether the public may read the paper now, in the same query.
        .annotate(paper_is_public=Exists(Paper.objects.public().filter(pk=OuterRef("paper_id"))))
        .in_bulk([each.source_id for each in found])
    )
    entries = []
    for each in found:
        if (change := changes.get(each.source_id)) is None:
            continue
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


register_source(AGENDA_CHANGED, PAPERS_ADDED, rank=rank_agenda_changes, write=write_agenda_changes)


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


def rank_minutes(partnerships) -> list[QuerySet]:
    versions = _public_minutes(partnerships)
    drafts = ranked(versions.filter(published_at__isnull=False), MINUTES_PUBLISHED, "published_at")
    # Approved at a meeting: the record has no other moment for it; without one, when saved. Ranked
    # by the same moment the entry shows, so the newest are the ones kept on every database.
    approved = ranked(
        versions.filter(status=Minutes.Status.APPROVED),
        MINUTES_APPROVED,
        Coalesce("approved_at_meeting__ends_at", "created_at"),
    )
    return [drafts, approved]


def write_minutes(found: list[Found]) -> list[Publication]:
    entries_query = MinuteEntry.objects.select_related("agenda_item__exemption_release").order_by(
        "agenda_item__position"
    )
    versions = (
        Minutes.objects.select_related("meeting__partnership", "approved_at_meeting")
        .prefetch_related(Prefetch("entries", queryset=entries_query))
        .in_bulk([each.source_id for each in found])
    )
    entries = []
    for each in found:
        if (version := versions.get(each.source_id)) is None:
            continue
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


register_source(MINUTES_PUBLISHED, MINUTES_APPROVED, rank=rank_minutes, write=write_minutes)


def rank_decisions(partnerships) -> list[QuerySet]:
    # Dated by the end of the meeting, and so ranked: a long meeting may end after a later one.
    decisions = Decision.objects.public().filter(meeting__partnership__in=partnerships)
    return [ranked(decisions, DECISION_RECORDED, "meeting__ends_at")]


def write_decisions(found: list[Found]) -> list[Publication]:
    decisions = Decision.objects.select_related("meeting__partnership", "agenda_item").in_bulk(
        [each.source_id for each in found]
    )
    entries = []
    for each in found:
        if (decision := decisions.get(each.source_id)) is None:
            continue
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


register_source(DECISION_RECORDED, rank=rank_decisions, write=write_decisions)


def _ranked(scope, sources: list[Source], *, limit: int, source_id: int | None = None) -> list[tuple[Source, Found]]:
    """The newest `limit` publications of `sources`, newest first, in one query."""
    parts, owners = [], []  # each source's querysets, and the source of each
    for source in sources:
        for queryset in source.rank(scope):
            if source_id is not None:
                queryset = queryset.filter(pk=source_id)
            parts.append(
                # The part's place breaks ties: publications at the same moment with the same id
                # keep the order of the sources.
                queryset.annotate(publication_id=F("pk"), publication_part=Value(len(owners)))
                .order_by("-publication_when", "-publication_id", "publication_part")
                .values_list("publication_kind", "publication_id", "publication_when", "publication_part")
            )
            owners.append(source)
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Each part sorts and keeps only its own newest (PostgreSQL); SQLite sorts them all at once.
        parts = [part[:limit] for part in parts]
    elif len(parts) > 1:
        parts = [part.order_by() for part in parts]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = rows.order_by("-publication_when", "-publication_id", "publication_part")[:limit]
    return [(owners[part], Found(kind, pk, when)) for kind, pk, when, part in rows]


def _write(found: list[tuple[Source, Found]]) -> list[Publication]:
    """The entries of `found`, in its order: each source writes its own in one batch."""
    written = {}
    for source in _sources:
        if mine := [each for by, each in found if by is source]:
            written.update(((entry.kind, entry.source_id), entry) for entry in source.write(mine))
    return [written[key] for _by, each in found if (key := (each.kind, each.source_id)) in written]


def publications(partnerships=None, *, limit: int = 50) -> list[Publication]:
    """The newest `limit` publications of `partnerships` (default: all), newest first."""
    scope = Partnership.objects.public()
    if partnerships is not None:
        scope = scope.filter(pk__in=partnerships.values("pk"))
    return _write(_ranked(scope, _sources, limit=limit))


def publication(kind: str, source_id: int) -> Publication | None:
    """The entry for one publication, as the public may read it now; None if they may not."""
    scope = Partnership.objects.public()
    for source in _sources:
        if kind in source.kinds:
            found = [
                (by, each) for by, each in _ranked(scope, [source], limit=2, source_id=source_id) if each.kind == kind
            ]
            entries = _write(found[:1])
            return entries[0] if entries else None
    return None
