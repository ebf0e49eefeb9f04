"""Build the bytes of each kind of published document.

Which papers go into a pack is decided here and only here: the public pack takes
`Paper.objects.public()`, the members' pack every paper with a file.
"""

import hashlib

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from meetings.models import Meeting, Paper

from . import pdf


def _agenda_items(meeting: Meeting, *, include_exempt: bool):
    papers = Paper.objects.filter(current_version__isnull=False).select_related("current_version", "agenda_item")
    if not include_exempt:
        papers = papers.filter(pk__in=Paper.objects.public().values("pk"))
    return list(
        meeting.agenda_items.order_by("position").prefetch_related(
            Prefetch("papers", queryset=papers.order_by("position", "pk"), to_attr="pack_papers")
        )
    )


def agenda_fingerprint(meeting: Meeting, *, include_exempt: bool) -> str:
    """A short digest of what a pack would contain: changes when an item or paper version changes."""
    parts = [str(meeting.agenda_published_at), meeting.title, str(meeting.starts_at), meeting.status]
    for item in _agenda_items(meeting, include_exempt=include_exempt):
        parts.append(f"{item.pk}:{item.position}:{item.title}:{item.is_exempt}:{item.exempt_paragraph}:{item.is_late}")
        parts.extend(f"p{paper.pk}:{paper.current_version_id}:{paper.title}" for paper in item.pack_papers)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def render_agenda_pack(meeting: Meeting, *, include_exempt: bool) -> bytes:
    """Cover, contents with page numbers, the agenda, then each paper in agenda order,
    with an outline entry per item and paper and page numbers on every page."""
    items = _agenda_items(meeting, include_exempt=include_exempt)
    partnership = meeting.partnership
    title = f"{'Members’ agenda pack' if include_exempt else 'Agenda pack'}: {meeting.title}, {meeting.date:%-d %B %Y}"
    context = {
        "meeting": meeting,
        "partnership": partnership,
        "items": items,
        "include_exempt": include_exempt,
        "title": title,
        "generated_at": timezone.localtime(),
    }

    # The contents page gives each paper's first page, which depends on how long the
    # front matter is: render until the front matter's length is stable (twice, normally).
    front_pages, front = 1, b""
    for _ in range(3):
        page = front_pages + 1
        for item in items:
            for paper in item.pack_papers:
                paper.pack_page = page
                page += paper.current_version.page_count or 1
        front = pdf.html_to_pdf(render_to_string("publishing/agenda_pack.html", context))
        if pdf.page_count(front) == front_pages:
            break
        front_pages = pdf.page_count(front)

    parts = [pdf.PackPart("Cover, contents and agenda", front)]
    for item in items:
        for paper in item.pack_papers:
            with paper.current_version.file.open("rb") as handle:
                data = handle.read()
            parts.append(pdf.PackPart(f"{item.position}. {item.title}: {paper.title}", data))
    total = sum(pdf.page_count(part.data) for part in parts)
    numbers = pdf.page_number_stamps(total, f"{partnership.name}, {meeting.date:%-d %B %Y}")
    return pdf.assemble(
        parts, title=title, author=partnership.name, subject=f"Agenda and papers for {meeting}", numbers=numbers
    )


def render_minutes(minutes) -> bytes:
    """The minutes of a meeting as a tagged PDF; drafts carry a visible DRAFT mark."""
    from meetings.record import public_record

    meeting = minutes.meeting
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "minutes": minutes,
        # The same record the public meeting page shows, for this version of the minutes.
        "record": public_record(meeting, minutes=minutes),
        "generated_at": timezone.localtime(),
    }
    return pdf.html_to_pdf(render_to_string("publishing/minutes.html", context))


def render_strategy(version) -> bytes:
    """A published version of the integrated care strategy as a tagged PDF: cover, contents
    with page numbers, introduction, sections, priorities with the aims they serve and their
    measures, the evidence it draws on and how people were involved."""
    from strategy.selectors import version_content

    strategy = version.strategy
    partnership = strategy.partnership
    content = version_content(version, engagement_up_to_here=True)
    context = {
        "partnership": partnership,
        "version": version,
        "content": content,
        "title": f"Integrated care strategy: {partnership.name}, version {version.number}",
        "generated_at": timezone.localtime(),
    }
    return pdf.html_to_pdf(render_to_string("publishing/strategy.html", context))
