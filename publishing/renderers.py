"""Build the bytes of each kind of published document, and the fingerprint of what a
document would contain if it were built now.

An agenda pack prints only what `meetings.presenters.published_agenda` gives (the same
rows the meeting page shows, for the public or for members), the notices of its
supplementary agenda (`meetings.presenters.agenda_supplements`), its front matter (the
previous meeting's public minutes and the action log, `meetings.presenters.pack_front_matter`)
and the few meeting facts in `PackMeeting`; its fingerprint is a digest of exactly those, so any change to
anything the pack prints gives a new fingerprint. A minutes document's fingerprint is a
digest of the HTML it is built from. `publishing.visibility` compares a document's
fingerprint with its source's current one when the document is read.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields, is_dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from meetings.conflicts import withhold_papers
from meetings.models import Meeting, PaperVersion
from meetings.presenters import (
    AgendaRow,
    PackFrontMatter,
    SupplementNotice,
    agenda_supplements,
    pack_front_matter,
    published_agendas,
)

from . import pdf


@dataclass(frozen=True)
class PackMeeting:
    """What a pack's cover says about its meeting."""

    partnership_name: str
    title: str
    starts_at: object
    venue: str
    status: str
    status_display: str
    notice: str
    agenda_published_at: object
    recorded_after_event: bool = False
    published_late: bool = False
    publication_deadline: object = None
    late_publication_reason: str = ""

    @classmethod
    def of(cls, meeting: Meeting) -> "PackMeeting":
        return cls(
            partnership_name=meeting.partnership.name,
            title=meeting.title,
            starts_at=timezone.localtime(meeting.starts_at),
            venue=meeting.venue,
            status=meeting.status,
            status_display=meeting.get_status_display(),
            notice=meeting.notice,
            agenda_published_at=meeting.agenda_published_at,
            recorded_after_event=meeting.recorded_after_event,
            published_late=meeting.agenda_published_late,
            publication_deadline=meeting.publication_deadline if meeting.agenda_published_late else None,
            late_publication_reason=meeting.late_publication_reason,
        )

    @property
    def date(self):
        return self.starts_at.date()

    @property
    def is_off(self) -> bool:
        return self.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}


def _stable(value):
    """Datetimes in one form, whatever time zone object they were loaded with; the agenda's
    rows (dataclasses) as the dicts `dataclasses.asdict` would give, without its deep copy of
    every value (which was most of a fingerprint's cost), so fingerprints stay the same."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return str(value)


def _pack_fingerprint(
    meeting: PackMeeting,
    rows: list[AgendaRow],
    supplements: list[SupplementNotice],
    front: PackFrontMatter,
    *,
    include_exempt: bool,
) -> str:
    material = json.dumps(
        [
            include_exempt,
            meeting,
            rows,
            supplements,
            front,
        ],
        default=_stable,
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _pack_sources(meetings, *, include_exempt: bool, built=None):
    """The agenda rows, supplement notices and front matter of each of `meetings`, by id.

    `built` is an `(agendas, supplements, carried_forward)` triple the caller has just made with
    the same presenters and the same `reader` (a meeting page shows them all; `carried_forward`
    as for `pack_front_matter`, possibly empty), so they are not read twice."""
    carried_forward = None
    if built is None:
        agendas = published_agendas(meetings, reader=include_exempt)
        supplements = agenda_supplements(meetings, reader=include_exempt)
    else:
        agendas, supplements, carried_forward = built
    front = pack_front_matter(meetings, agendas, carried_forward=carried_forward)
    return agendas, supplements, front


def agenda_fingerprints(meetings, *, include_exempt: bool, built=None) -> dict[int, str]:
    """The fingerprint of the pack each of `meetings` would get now, by meeting id: a fixed
    number of queries however many meetings (their partnerships must be loaded). `built`: as
    for `_pack_sources`."""
    meetings = list(meetings)
    agendas, supplements, front = _pack_sources(meetings, include_exempt=include_exempt, built=built)
    return {
        meeting.pk: _pack_fingerprint(
            PackMeeting.of(meeting),
            agendas[meeting.pk],
            supplements[meeting.pk],
            front[meeting.pk],
            include_exempt=include_exempt,
        )
        for meeting in meetings
    }


def agenda_fingerprint(meeting: Meeting, *, include_exempt: bool) -> str:
    return agenda_fingerprints([meeting], include_exempt=include_exempt)[meeting.pk]


def pack_title(meeting, *, include_exempt: bool) -> str:
    label = "Members’ agenda pack" if include_exempt else "Agenda pack"
    return f"{label}: {meeting.title}, {meeting.date:%-d %B %Y}"


def render_agenda_pack(
    meeting: Meeting, *, include_exempt: bool, withheld_versions: frozenset[int] = frozenset()
) -> tuple[bytes, str]:
    """Cover, contents with page numbers, the agenda, then each paper in agenda order,
    with an outline entry per item and paper and page numbers on every page. Returns the
    PDF and the fingerprint of what it holds.

    `withheld_versions` (paper versions a member may not read because of an interest, from
    `meetings.access.papers_withheld_from`) makes a member's own pack, built when they ask for
    it and never stored: each of those papers is replaced by a page saying it is withheld."""
    facts = PackMeeting.of(meeting)
    agendas, supplements, front = _pack_sources([meeting], include_exempt=include_exempt)
    rows, supplements, front = agendas[meeting.pk], supplements[meeting.pk], front[meeting.pk]
    fingerprint = _pack_fingerprint(facts, rows, supplements, front, include_exempt=include_exempt)
    if withheld_versions:
        rows = [withhold_papers(row, withheld_versions, notice_in_title=True) for row in rows]
    versions = PaperVersion.objects.in_bulk([paper.version_id for row in rows for paper in row.papers])
    title = pack_title(facts, include_exempt=include_exempt)
    context = {
        "meeting": facts,
        "supplements": supplements,
        "front": front,
        "include_exempt": include_exempt,
        "title": title,
    }

    # The contents page gives each paper's first page, which depends on how long the
    # front matter is: render until the front matter's length is stable (twice, normally).
    front_pages, front = 1, b""
    for _ in range(3):
        page, contents = front_pages + 1, []
        for row in rows:
            papers = []
            for paper in row.papers:
                papers.append((paper, page))
                page += 1 if paper.version_id in withheld_versions else versions[paper.version_id].page_count or 1
            contents.append((row, papers))
        front = pdf.html_to_pdf(
            render_to_string(
                "publishing/agenda_pack.html",
                {**context, "contents": contents, "generated_at": timezone.localtime()},
            )
        )
        if pdf.page_count(front) == front_pages:
            break
        front_pages = pdf.page_count(front)

    parts = [pdf.PackPart("Cover, contents and agenda", front)]
    for row in rows:
        for paper in row.papers:
            if paper.version_id in withheld_versions:
                data = pdf.html_to_pdf(render_to_string("publishing/paper_withheld.html", {"row": row, "paper": paper}))
                parts.append(pdf.PackPart(f"{row.number}. {row.title}: {paper.title}", data))
                continue
            with versions[paper.version_id].file.open("rb") as handle:
                data = handle.read()
            parts.append(pdf.PackPart(f"{row.number}. {row.title}: {paper.title}", data))
    total = sum(pdf.page_count(part.data) for part in parts)
    numbers = pdf.page_number_stamps(total, f"{facts.partnership_name}, {facts.date:%-d %B %Y}")
    data = pdf.assemble(
        parts,
        title=title,
        author=facts.partnership_name,
        subject=f"Agenda and papers for {facts.title}, {facts.date:%-d %B %Y}",
        numbers=numbers,
    )
    return data, fingerprint


def _minutes_html(minutes, *, generated_at) -> str:
    from meetings.record import public_record

    meeting = minutes.meeting
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "minutes": minutes,
        # The same record the public meeting page shows, for this version of the minutes.
        "record": public_record(meeting, minutes=minutes),
        "generated_at": generated_at,
    }
    return render_to_string("publishing/minutes.html", context)


def minutes_fingerprint(minutes) -> str:
    """A digest of everything the minutes document of `minutes` would print now."""
    return hashlib.sha256(_minutes_html(minutes, generated_at=None).encode()).hexdigest()[:32]


def render_minutes(minutes) -> tuple[bytes, str]:
    """The minutes of a meeting as a tagged PDF; drafts carry a visible DRAFT mark.
    Returns the PDF and the fingerprint of what it holds."""
    data = pdf.html_to_pdf(_minutes_html(minutes, generated_at=timezone.localtime()))
    return data, minutes_fingerprint(minutes)


def render_strategy(version) -> bytes:
    """A published version of the integrated care strategy as a tagged PDF: cover, contents
    with page numbers, introduction, sections, priorities with the aims they serve and their
    measures, the evidence it draws on and how people were involved."""
    from strategy.access import public_versions
    from strategy.selectors import version_content

    strategy = version.strategy
    partnership = strategy.partnership
    content = version_content(version, public_versions=public_versions(strategy))
    context = {
        "partnership": partnership,
        "version": version,
        "content": content,
        "title": f"Integrated care strategy: {partnership.name}, version {version.number}",
        "generated_at": timezone.localtime(),
    }
    return pdf.html_to_pdf(render_to_string("publishing/strategy.html", context))
