"""Public full-text search over what has been published: meetings, agenda items,
minutes and the text of public PDFs.

Each source is read through its public filter, so nothing exempt, private or
unpublished can match. PostgreSQL uses its full-text search (GIN-indexed in full mode);
SQLite, the embedded default, falls back to case-insensitive substring matching.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import AgendaItem, Meeting, MinuteEntry, Minutes
from partnerships.models import Partnership

from . import visibility
from .models import PublishedDocument

PER_SOURCE = 50
SNIPPET_CHARS = 220


@dataclass
class Result:
    kind: str
    title: str
    url: str
    partnership: str
    meeting: str
    when: datetime
    snippet: str
    rank: float = 0.0


def _public_items():
    # Exempt items are left out altogether while withheld: the public agenda shows their title
    # only, and search results are about what an item is and who presents it. A released item
    # is public like any other (its minutes stay exempt: see docs/meetings.md).
    return AgendaItem.objects.public().not_withheld().select_related("meeting__partnership")


def _public_minute_entries():
    # The public record: published drafts and approved versions, never superseded ones or exempt items.
    return (
        MinuteEntry.objects.filter(
            Q(minutes__published_at__isnull=False) | Q(minutes__status=Minutes.Status.APPROVED),
            agenda_item__is_exempt=False,
            minutes__meeting__is_public=True,
            minutes__meeting__partnership__in=Partnership.objects.public(),
        )
        .exclude(minutes__status=Minutes.Status.SUPERSEDED)
        .select_related("agenda_item", "minutes__meeting__partnership")
    )


def _public_documents():
    # Minutes are searched through their entries above; documents add the papers in agenda
    # packs and the strategy. Which are public *now* is checked on the matches
    # (`visibility.current_only`), since that depends on the current state of each source.
    return visibility.public_candidates(
        PublishedDocument.objects.filter(kind__in=[PublishedDocument.Kind.AGENDA_PACK, PublishedDocument.Kind.STRATEGY])
    ).select_related("partnership", "meeting__partnership")


def _public_meetings():
    return Meeting.objects.public().filter(partnership__in=Partnership.objects.public()).select_related("partnership")


def _plain_snippet(text: str, query: str) -> str:
    """An escaped excerpt around the first match, with the match marked."""
    lower, needle = text.lower(), query.lower()
    at = lower.find(needle)
    if at < 0:
        return escape(text[:SNIPPET_CHARS])
    start = max(0, at - SNIPPET_CHARS // 2)
    end = min(len(text), at + len(query) + SNIPPET_CHARS // 2)
    before, match, after = text[start:at], text[at : at + len(query)], text[at + len(query) : end]
    prefix, suffix = ("…" if start else ""), ("…" if end < len(text) else "")
    return mark_safe(f"{prefix}{escape(before)}<mark>{escape(match)}</mark>{escape(after)}{suffix}")  # noqa: S308


def _results(query: str) -> list[Result]:
    if connection.vendor == "postgresql":
        return _postgres_results(query)
    return _fallback_results(query)


def _fallback_results(query: str) -> list[Result]:
    results = []
    for meeting in _public_meetings().filter(Q(title__icontains=query) | Q(venue__icontains=query))[:PER_SOURCE]:
        results.append(_meeting_result(meeting, _plain_snippet(meeting.title, query)))
    for item in _public_items().filter(Q(title__icontains=query) | Q(presenter__icontains=query))[:PER_SOURCE]:
        results.append(_item_result(item, _plain_snippet(item.title, query)))
    entries = _public_minute_entries().filter(Q(discussion__icontains=query) | Q(resolutions__icontains=query))
    for entry in entries[:PER_SOURCE]:
        text = entry.discussion if query.lower() in entry.discussion.lower() else entry.resolutions
        results.append(_minute_result(entry, _plain_snippet(text, query)))
    documents = _public_documents().filter(Q(text__icontains=query) | Q(title__icontains=query))[:PER_SOURCE]
    for document in visibility.current_only(documents):
        results.append(_document_result(document, _plain_snippet(document.text or document.title, query)))
    return results


def _postgres_results(query: str) -> list[Result]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    search = SearchQuery(query, config="english", search_type="websearch")
    headline = {"config": "english", "start_sel": "<mark>", "stop_sel": "</mark>", "max_words": 35, "min_words": 15}

    def ranked(queryset, vector, snippet_field):
        # Match on the vector itself (@@), so that PostgreSQL answers from the GIN index on the same
        # expression (meetings' and publishing's search-index migrations) and ranks only the matches.
        return (
            queryset.alias(search_vector=vector)
            .filter(search_vector=search)
            .annotate(rank=SearchRank(vector, search), snippet=SearchHeadline(snippet_field, search, **headline))
            .filter(rank__gt=0)
            .order_by("-rank")[:PER_SOURCE]
        )

    results = []
    vector = SearchVector("title", config="english")
    for meeting in ranked(_public_meetings(), vector, "title"):
        results.append(_meeting_result(meeting, _headline(meeting.snippet), meeting.rank))
    vector = SearchVector("title", "presenter", config="english")
    for item in ranked(_public_items(), vector, "title"):
        results.append(_item_result(item, _headline(item.snippet), item.rank))
    vector = SearchVector("discussion", "resolutions", config="english")
    entries = _public_minute_entries().annotate(body=Coalesce(F("discussion"), Value(""), output_field=TextField()))
    for entry in ranked(entries, vector, "body"):
        results.append(_minute_result(entry, _headline(entry.snippet), entry.rank))
    # Matches the GIN index created in publishing's migrations.
    vector = SearchVector("text", config="english")
    for document in visibility.current_only(ranked(_public_documents(), vector, "text")):
        results.append(_document_result(document, _headline(document.snippet), document.rank))
    return results


def _headline(fragment: str) -> str:
    """PostgreSQL's headline with everything escaped except the <mark> it adds."""
    escaped = escape(fragment or "").replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    return mark_safe(escaped)  # noqa: S308


def _meeting_result(meeting, snippet, rank=0.0) -> Result:
    return Result(
        "Meeting",
        meeting.title,
        meeting.get_absolute_url(),
        meeting.partnership.name,
        meeting.title,
        meeting.starts_at,
        snippet,
        rank,
    )


def _item_result(item, snippet, rank=0.0) -> Result:
    meeting = item.meeting
    return Result(
        "Agenda item",
        f"{item.position}. {item.title}",
        meeting.get_absolute_url(),
        meeting.partnership.name,
        meeting.title,
        meeting.starts_at,
        snippet,
        rank,
    )


def _minute_result(entry, snippet, rank=0.0) -> Result:
    meeting = entry.minutes.meeting
    label = "Minutes" if entry.minutes.status == Minutes.Status.APPROVED else "Draft minutes"
    return Result(
        label,
        f"{entry.agenda_item.position}. {entry.agenda_item.title}",
        meeting.get_absolute_url(),
        meeting.partnership.name,
        meeting.title,
        meeting.starts_at,
        snippet,
        rank,
    )


def _document_result(document, snippet, rank=0.0) -> Result:
    meeting = document.meeting
    return Result(
        document.get_kind_display(),
        document.title,
        document.get_absolute_url(),
        document.partnership.name,
        "" if meeting is None else meeting.title,
        document.finished_at or document.created_at,
        snippet,
        rank,
    )


def search_published(query: str) -> list[Result]:
    """Everything public that matches `query`, best matches first, then newest."""
    query = query.strip()
    if not query:
        return []
    return sorted(_results(query), key=lambda r: (-r.rank, -r.when.timestamp()))
