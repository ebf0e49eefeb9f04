"""Public search over what has been published: meetings, agenda items, minutes, the text of
public papers and of published strategies, with the system a place name points to first.

Each source is read through its public filter, so nothing exempt, private or unpublished can
match; filters (partnership, system, dates, kind) only narrow those public sources further.

PostgreSQL matches and ranks on stored `tsvector` columns that the database fills itself
whenever the text is saved or extracted (generated columns, GIN-indexed: publishing's
migration 0006), so a search never recomputes a vector. SQLite, the embedded default, falls
back to case-insensitive substring matching. Each source gives at most `PER_SOURCE` best
matches; the merged list is paginated by the view.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Q, Window
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import AgendaItem, Meeting, MinuteEntry, Minutes, Paper, PaperText
from partnerships import gazetteer
from partnerships.finder import SystemMatch, find_systems
from partnerships.models import Partnership

from . import visibility
from .models import PublishedDocument

PER_SOURCE = 50
# Of papers, only this many matches (the most recently added) are ranked: see _postgres_results.
RANKED_PAPERS = 1000
SNIPPET_CHARS = 220


class Kind:
    """What a result is; the `kind` filter's values."""

    MEETING = "meeting"
    ITEM = "item"
    MINUTES = "minutes"
    PAPER = "paper"
    STRATEGY = "strategy"

    CHOICES = [
        (MEETING, "Meetings"),
        (ITEM, "Agenda items"),
        (MINUTES, "Minutes"),
        (PAPER, "Papers"),
        (STRATEGY, "Integrated care strategies"),
    ]
    # Agenda packs were searched by their text until papers were: an old `?kind=pack` link
    # finds the papers (`publishing.forms.SearchForm`).
    ALIASES = {"pack": PAPER}


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the search to; empty values narrow nothing."""

    partnership: str = ""  # a partnership's slug
    system: str = ""  # a system's slug
    start: date | None = None
    end: date | None = None
    kinds: frozenset[str] = frozenset()

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    @property
    def any(self) -> bool:
        return bool(self.partnership or self.system or self.start or self.end or self.kinds)


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
    partnership_slug: str = ""
    system: str = ""
    system_slug: str = ""


@dataclass
class Found:
    """What a search found: the systems a place name points to, then the documents."""

    systems: list[SystemMatch] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    # True when a source had more matches than it returns: the reader should narrow the search.
    capped: bool = False
    # When at least RANKED_PAPERS papers matched, that number: only the most recent were ranked.
    papers_ranked: int = 0


def _narrow(queryset, filters: Filters, partnership: str, when: str):
    """`queryset` narrowed by `filters`; `partnership` and `when` are the paths to the row's
    partnership and date."""
    if filters.partnership:
        queryset = queryset.filter(**{f"{partnership}__slug": filters.partnership})
    if filters.system:
        queryset = queryset.filter(**{f"{partnership}__ics__slug": filters.system})
    if filters.start:
        queryset = queryset.filter(**{f"{when}__date__gte": filters.start})
    if filters.end:
        queryset = queryset.filter(**{f"{when}__date__lte": filters.end})
    return queryset


def _public_items(filters: Filters):
    # Exempt items are left out altogether while withheld: the public agenda shows their title
    # only, and search results are about what an item is and who presents it. A released item
    # is public like any other (its minutes stay exempt: see docs/meetings.md).
    items = AgendaItem.objects.public().not_withheld().select_related("meeting__partnership__ics")
    return _narrow(items, filters, "meeting__partnership", "meeting__starts_at")


def _public_minute_entries(filters: Filters):
    # The public record: published drafts and approved versions, never superseded ones or exempt items.
    entries = (
        MinuteEntry.objects.filter(
            Q(minutes__published_at__isnull=False) | Q(minutes__status=Minutes.Status.APPROVED),
            agenda_item__is_exempt=False,
            minutes__meeting__is_public=True,
            minutes__meeting__partnership__in=Partnership.objects.public(),
        )
        .exclude(minutes__status=Minutes.Status.SUPERSEDED)
        .select_related("agenda_item", "minutes__meeting__partnership__ics")
    )
    return _narrow(entries, filters, "minutes__meeting__partnership", "minutes__meeting__starts_at")


def _public_paper_texts(filters: Filters):
    # The text of the current version of each public paper: which papers are public is the
    # database's question (`Paper.objects.public()`, of a partnership the public may see), so no
    # match needs checking afterwards. A superseded version's text is never searched: it may
    # hold what the replacement took out.
    papers = Paper.objects.public().filter(agenda_item__meeting__partnership__in=Partnership.objects.public())
    texts = PaperText.objects.filter(pk__in=papers.values("current_version")).select_related(
        "version__paper__agenda_item__meeting__partnership__ics"
    )
    return _narrow(
        texts,
        filters,
        "version__paper__agenda_item__meeting__partnership",
        "version__paper__agenda_item__meeting__starts_at",
    )


def _public_strategies(filters: Filters):
    # Minutes are searched through their entries and papers through their versions above; the
    # strategy's PDF adds its text. Which are public *now* is checked on the matches
    # (`visibility.current_only`), since that depends on the current state of the strategy.
    kinds = [PublishedDocument.Kind.STRATEGY]
    # A strategy has no meeting: its date is when its PDF was built.
    documents = visibility.public_candidates(PublishedDocument.objects.all(), kinds=kinds).select_related(
        "partnership__ics"
    )
    return _narrow(documents, filters, "partnership", "created_at")


def _public_meetings(filters: Filters):
    meetings = (
        Meeting.objects.public().filter(partnership__in=Partnership.objects.public()).select_related("partnership__ics")
    )
    return _narrow(meetings, filters, "partnership", "starts_at")


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


class _Collector:
    """Gathers each source's matches, noting whether any source had more than it returns."""

    def __init__(self):
        self.results: list[Result] = []
        self.capped = False
        self.papers_ranked = 0

    def take(self, queryset) -> list:
        rows = list(queryset[: PER_SOURCE + 1])
        if len(rows) > PER_SOURCE:
            self.capped = True
        return rows[:PER_SOURCE]


def _fallback_results(query: str, filters: Filters, found: _Collector) -> None:
    if filters.wants(Kind.MEETING):
        meetings = _public_meetings(filters).filter(Q(title__icontains=query) | Q(venue__icontains=query))
        for meeting in found.take(meetings.order_by("-starts_at")):
            found.results.append(_meeting_result(meeting, _plain_snippet(meeting.title, query)))
    if filters.wants(Kind.ITEM):
        items = _public_items(filters).filter(Q(title__icontains=query) | Q(presenter__icontains=query))
        for item in found.take(items.order_by("-meeting__starts_at", "position")):
            found.results.append(_item_result(item, _plain_snippet(item.title, query)))
    if filters.wants(Kind.MINUTES):
        entries = _public_minute_entries(filters).filter(
            Q(discussion__icontains=query) | Q(resolutions__icontains=query)
        )
        for entry in found.take(entries.order_by("-minutes__meeting__starts_at", "agenda_item__position")):
            text = entry.discussion if query.lower() in entry.discussion.lower() else entry.resolutions
            found.results.append(_minute_result(entry, _plain_snippet(text, query)))
    if filters.wants(Kind.PAPER):
        texts = _public_paper_texts(filters).filter(text__icontains=query)
        for text in found.take(texts.order_by("-version__paper__agenda_item__meeting__starts_at", "-pk")):
            found.results.append(_paper_result(text, _plain_snippet(text.text, query)))
    if filters.wants(Kind.STRATEGY):
        documents = _public_strategies(filters).filter(Q(text__icontains=query) | Q(title__icontains=query))
        for document in visibility.current_only(found.take(documents.order_by("-created_at"))):
            found.results.append(_document_result(document, _plain_snippet(document.text or document.title, query)))


def _stored_vector():
    """The row's `search_vector` column, which PostgreSQL keeps up to date itself (a generated
    column: publishing's migration 0006, meetings' 0019 for papers' text), as an expression
    Django can match (@@) and rank."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models import Expression

    class StoredVector(Expression):
        output_field = SearchVectorField()

        def as_sql(self, compiler, connection):
            return f"{compiler.quote_name_unless_alias(compiler.query.get_initial_alias())}.search_vector", []

    return StoredVector()


def _read_for_result(path: str, *fields: str) -> list[str]:
    """The columns a result reads of a match (`fields`) and of the meeting it was found at
    (`path` to it; "" for a meeting): the meeting's title, start and address, its partnership's
    and system's names and slugs (`_at_meeting`). Every match of a common word, thousands, is
    carried through the ranking before the best are kept: whole rows of meetings and partnerships
    (their terms of reference among them) made ranking an agenda's items take a fifth longer."""
    prefix = f"{path}__" if path else ""
    meeting = (
        "title",
        "starts_at",
        "partnership__name",
        "partnership__slug",
        "partnership__ics__name",
        "partnership__ics__slug",
    )
    return [*fields, *(prefix + column for column in meeting)]


def _postgres_results(query: str, filters: Filters, found: _Collector) -> None:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    search = SearchQuery(query, config="english", search_type="websearch")
    headline = {"config": "english", "start_sel": "<mark>", "stop_sel": "</mark>", "max_words": 35, "min_words": 15}

    def matches(queryset):
        # Match on the stored vector: PostgreSQL finds the rows in its GIN index (or, for a
        # common word, reads them in order) without computing any vector.
        return queryset.alias(search_vector=_stored_vector()).filter(search_vector=search)

    def matching(queryset):
        return matches(queryset).annotate(rank=SearchRank(_stored_vector(), search)).order_by("-rank", "-pk")

    def ranked(queryset, snippet_field, columns=None):
        # Only the snippets of the rows returned are built; of each match only the `columns` its
        # result reads, if given.
        matched = matching(queryset) if columns is None else matching(queryset).only(*columns)
        return found.take(matched.annotate(snippet=SearchHeadline(snippet_field, search, **headline)))

    if filters.wants(Kind.MEETING):
        for meeting in ranked(_public_meetings(filters), "title", _read_for_result("")):
            found.results.append(_meeting_result(meeting, _headline(meeting.snippet), meeting.rank))
    if filters.wants(Kind.ITEM):
        for item in ranked(_public_items(filters), "title", _read_for_result("meeting", "position", "title")):
            found.results.append(_item_result(item, _headline(item.snippet), item.rank))
    if filters.wants(Kind.MINUTES):
        columns = _read_for_result(
            "minutes__meeting", "resolutions", "agenda_item__position", "agenda_item__title", "minutes__status"
        )
        for entry in ranked(_public_minute_entries(filters), "discussion", columns):
            snippet = entry.snippet if "<mark>" in (entry.snippet or "") else entry.resolutions[:SNIPPET_CHARS]
            found.results.append(_minute_result(entry, _headline(snippet), entry.rank))
    if filters.wants(Kind.PAPER):
        # A common word is in tens of thousands of papers, and ranking them all means reading
        # every one's vector: only the RANKED_PAPERS most recently added matches are ranked,
        # found by walking the newest papers until that many match. The best are then chosen by
        # their ids and rank alone (with how many were ranked), and only their rows are read.
        recent = matches(_public_paper_texts(filters)).order_by("-pk").values("pk")[:RANKED_PAPERS]
        best = list(
            matching(PaperText.objects.filter(pk__in=recent))
            .annotate(ranked_of=Window(Count("pk")))
            .values_list("pk", "ranked_of")[: PER_SOURCE + 1]
        )
        if best and best[0][1] == RANKED_PAPERS:
            found.papers_ranked = RANKED_PAPERS
        texts = PaperText.objects.filter(pk__in=[pk for pk, _ranked_of in best]).select_related(
            "version__paper__agenda_item__meeting__partnership__ics"
        )
        columns = _read_for_result("version__paper__agenda_item__meeting", "version__token", "version__paper__title")
        for text in ranked(texts, "text", columns):
            found.results.append(_paper_result(text, _headline(text.snippet), text.rank))
    if filters.wants(Kind.STRATEGY):
        # Of each document, what its result shows and `current_only` checks: not its text, of
        # which PostgreSQL sends the headline only.
        columns = [
            "kind",
            "title",
            "token",
            "source_version",
            "meeting",
            "created_at",
            "finished_at",
            *(f"partnership__{column}" for column in ("name", "slug", "ics__name", "ics__slug")),
        ]
        for document in visibility.current_only(ranked(_public_strategies(filters), "text", columns)):
            found.results.append(_document_result(document, _headline(document.snippet), document.rank))


def _headline(fragment: str) -> str:
    """PostgreSQL's headline with everything escaped except the <mark> it adds."""
    escaped = escape(fragment or "").replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    return mark_safe(escaped)  # noqa: S308


def _where(partnership) -> dict:
    return {
        "partnership": partnership.name,
        "partnership_slug": partnership.slug,
        "system": partnership.ics.name,
        "system_slug": partnership.ics.slug,
    }


def _at_meeting(meeting, *, kind: str, title: str, snippet, rank: float, url: str = "") -> Result:
    """A result found at `meeting` (the meeting, one of its items or minutes, a paper), linking to
    the meeting's page unless `url` says otherwise."""
    return Result(
        kind=kind,
        title=title,
        url=url or meeting.get_absolute_url(),
        meeting=meeting.title,
        when=meeting.starts_at,
        snippet=snippet,
        rank=rank,
        **_where(meeting.partnership),
    )


def _meeting_result(meeting, snippet, rank=0.0) -> Result:
    return _at_meeting(meeting, kind="Meeting", title=meeting.title, snippet=snippet, rank=rank)


def _item_result(item, snippet, rank=0.0) -> Result:
    title = f"{item.position}. {item.title}"
    return _at_meeting(item.meeting, kind="Agenda item", title=title, snippet=snippet, rank=rank)


def _minute_result(entry, snippet, rank=0.0) -> Result:
    kind = "Minutes" if entry.minutes.status == Minutes.Status.APPROVED else "Draft minutes"
    title = f"{entry.agenda_item.position}. {entry.agenda_item.title}"
    return _at_meeting(entry.minutes.meeting, kind=kind, title=title, snippet=snippet, rank=rank)


def _paper_result(text, snippet, rank=0.0) -> Result:
    paper = text.version.paper
    url = text.version.get_absolute_url()
    return _at_meeting(paper.agenda_item.meeting, kind="Paper", title=paper.title, snippet=snippet, rank=rank, url=url)


def _document_result(document, snippet, rank=0.0) -> Result:
    meeting = document.meeting
    return Result(
        kind=document.get_kind_display(),
        title=document.title,
        url=document.get_absolute_url(),
        meeting="" if meeting is None else meeting.title,
        when=meeting.starts_at if meeting is not None else (document.finished_at or document.created_at),
        snippet=snippet,
        rank=rank,
        **_where(document.partnership),
    )


def _attach_partnerships(systems: list[SystemMatch]) -> None:
    """Give each system its public partnerships that are not sub-partnerships (its statutory
    ICP, in practice), in one query, so the reader can go straight to the committee."""
    if not systems:
        return
    by_system = {}
    top_level = Partnership.objects.public().filter(ics__in=[m.ics for m in systems], parent__isnull=True)
    for partnership in top_level.order_by("name"):
        by_system.setdefault(partnership.ics_id, []).append(partnership)
    for match in systems:
        match.partnerships = by_system.get(match.ics.pk, [])


def search_published(query: str, filters: Filters | None = None, *, with_systems: bool = True) -> Found:
    """Everything public that matches `query` within `filters`, best matches first, then
    newest; and, when `with_systems` and the query names a place or body the gazetteer
    knows, the systems it points to."""
    query = query.strip()
    filters = filters or Filters()
    found = Found()
    if not query:
        return found
    # The system finder costs a query; ask it only when the gazetteer recognises the words
    # (a council, a town, a former county, a system's or board's name), so a search for a
    # topic ("falls prevention") costs nothing more.
    if with_systems and gazetteer.match(query, limit=1):
        found.systems = find_systems(query, limit=5)
        _attach_partnerships(found.systems)
    collector = _Collector()
    if connection.vendor == "postgresql":
        _postgres_results(query, filters, collector)
    else:
        _fallback_results(query, filters, collector)
    found.results = sorted(collector.results, key=lambda r: (-r.rank, -r.when.timestamp()))
    found.capped = collector.capped
    found.papers_ranked = collector.papers_ranked
    return found
