"""Shaping meetings, agendas and papers for templates.

The published agenda is built here and only here, for the meeting page, the agenda
packs and their fingerprints alike: an exempt item reaches the public as its number,
title and Schedule 12A paragraph only, and with no papers, whatever a template asks for.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, OuterRef, Prefetch, Q, Subquery
from django.forms import BaseFormSet
from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import reverse
from django.utils import timezone

from core.forms import error_anchor

from .consultations import attach_reused, reuses_papers
from .models import Action, AgendaChange, AgendaItem, Meeting, MinuteEntry, Minutes, Paper
from .record import exempt_label, public_minutes
from .services import STANDARD_ITEMS, standard_item_present, standard_kind

DUE_SOON_DAYS = 14

# (label, NHS.UK tag colour) for each publication status and meeting status.
PUBLICATION_TAGS = {
    "due": "blue",
    "published on time": "green",
    "published late": "orange",
    "not published": "red",
    # No publication deadline: never shown as due or late.
    "recorded after the meeting": "grey",
    "private session": "purple",
    "published to members": "green",
}
MEETING_STATUS_TAGS = {
    Meeting.Status.CANCELLED: "grey",
    Meeting.Status.POSTPONED: "yellow",
}


@dataclass(frozen=True)
class PaperRow:
    title: str
    url: str
    size: int
    page_count: int | None
    version: int
    is_exempt: bool
    published_after_agenda: dt.date | None = None
    version_id: int | None = None
    released_on: dt.date | None = None  # a restricted paper whose restriction was released

    # Not fields, so not part of a pack's fingerprint: what the agenda template asks of every
    # paper, answered here rather than by a failed lookup (three exceptions each) per paper.
    withheld = False  # see conflicts.WithheldPaperRow
    tabled_by = ""  # see ReusedPaperRow

    @property
    def details(self) -> str:
        """'PDF, 1.2 MB, 12 pages', as the agenda gives it after the title."""
        pages = f", {self.page_count} page{pluralize(self.page_count)}" if self.page_count else ""
        return f"PDF, {filesizeformat(self.size)}{pages}"


@dataclass(frozen=True)
class ReusedPaperRow(PaperRow):
    """A paper tabled at an earlier item (perhaps of another partnership) and considered again
    at this one (`meetings.consultations`). A subclass, so that agenda packs without one keep
    the fingerprints they had."""

    tabled_by: str = ""  # "North Area ICP, 3 March 2026"
    role: str = ""
    page_url: str = ""


@dataclass(frozen=True)
class AgendaRow:
    number: int
    title: str
    is_exempt: bool
    exempt_summary: str = ""
    purpose: str = ""
    presenter: str = ""
    minutes_allotted: int | None = None
    exempt_reason: str = ""
    is_late: bool = False
    urgency_reason: str = ""
    papers: list[PaperRow] = field(default_factory=list)
    is_withdrawn: bool = False
    withdrawal_reason: str = ""
    standard: str = ""  # which standard item it is, if any (see services.standard_kind)
    # An exempt item whose exemption was released: "Exempt under paragraph 3 until 12 May 2027; released".
    release_summary: str = ""


def paper_row(paper: Paper, item: AgendaItem, meeting: Meeting) -> PaperRow:
    version = paper.current_version
    uploaded_on = timezone.localtime(version.uploaded_at).date()
    after = None
    if meeting.agenda_published_at and version.uploaded_at > meeting.agenda_published_at:
        after = uploaded_on
    return PaperRow(
        title=paper.title,
        url=version.get_absolute_url(),
        size=version.size,
        page_count=version.page_count,
        version=version.number,
        # Withheld now, for members as for the public: a released paper is no longer exempt.
        is_exempt=(paper.restricted and paper.exemption_released is None) or item.is_withheld,
        published_after_agenda=after,
        version_id=version.pk,
        released_on=paper.exemption_released.released_on if paper.exemption_released else None,
    )


def reused_paper_row(consideration, item: AgendaItem, meeting: Meeting) -> ReusedPaperRow:
    paper = consideration.paper
    row = paper_row(paper, item, meeting)
    tabled_at = paper.agenda_item.meeting
    fields = {name: getattr(row, name) for name in PaperRow.__dataclass_fields__}
    # Withheld by the rule of the item it was tabled at, or of this one; added when it was tabled here.
    fields["is_exempt"] = paper.is_withheld or item.is_withheld
    added = meeting.agenda_published_at and consideration.created_at > meeting.agenda_published_at
    fields["published_after_agenda"] = timezone.localtime(consideration.created_at).date() if added else None
    return ReusedPaperRow(
        **fields,
        tabled_by=f"{tabled_at.partnership.name}, {tabled_at.date:%-d %B %Y}",
        role=consideration.get_role_display(),
        page_url=reverse("meetings:paper_page", kwargs={"slug": tabled_at.partnership.slug, "pk": paper.pk}),
    )


def release_summary(item: AgendaItem) -> str:
    """What the record says of an exempt item once released; "" for any other item."""
    release = item.exemption_released
    if release is None:
        return ""
    return f"Exempt under paragraph {item.exempt_paragraph} until {release.released_on:%-d %B %Y}; released"


def _visible_papers(*, reader: bool):
    """Readers get every paper with a file; the public only what Paper.objects.public() allows."""
    papers = Paper.objects.filter(current_version__isnull=False) if reader else Paper.objects.public()
    return papers.select_related("current_version", "exemption_release").order_by("position", "pk")


def published_agenda_items(meetings, *, reader: bool) -> dict[int, list[AgendaItem]]:
    """The items of each of `meetings`' published agenda (by meeting id), in order, carrying
    the papers a reader or the public may see (`visible_papers`) and the papers tabled elsewhere
    and considered there (`reused`); an unpublished agenda has none. Two queries, however
    many meetings, and a third when an item reuses a paper; none when no agenda is published."""
    by_meeting: dict[int, list[AgendaItem]] = {meeting.pk: [] for meeting in meetings}
    published = [meeting.pk for meeting in meetings if meeting.agenda_is_published]
    if not published:
        return by_meeting
    items = list(
        AgendaItem.objects.filter(meeting_id__in=published)
        .select_related("exemption_release")
        .annotate(reuses_papers=reuses_papers())
        .order_by("meeting_id", "position")
        .prefetch_related(Prefetch("papers", queryset=_visible_papers(reader=reader), to_attr="visible_papers"))
    )
    attach_reused(items, reader=reader)
    for item in items:
        by_meeting[item.meeting_id].append(item)
    return by_meeting


def published_agendas(meetings, *, reader: bool) -> dict[int, list["AgendaRow"]]:
    """The published agenda of each of `meetings` (by id) as a reader or the public sees
    it; an unpublished agenda is an empty list. Queries as `published_agenda_items`."""
    meetings = list(meetings)
    items = published_agenda_items(meetings, reader=reader)
    return {meeting.pk: agenda_rows(meeting, items[meeting.pk], reader=reader) for meeting in meetings}


def published_agenda(meeting: Meeting, *, reader: bool) -> list["AgendaRow"]:
    return published_agendas([meeting], reader=reader)[meeting.pk]


def agenda_rows(meeting: Meeting, items, *, reader: bool) -> list[AgendaRow]:
    """The published agenda as `reader` (someone who may read exempt material) or the
    public sees it. `items` carry their visible papers in `visible_papers`."""
    rows = []
    for item in items:
        if item.is_withheld and not reader:
            rows.append(
                AgendaRow(
                    number=item.number,
                    title=item.title,
                    is_exempt=True,
                    exempt_summary=item.exempt_summary,
                    is_late=item.is_late,
                    urgency_reason=item.urgency_reason,
                    is_withdrawn=item.is_withdrawn,
                    withdrawal_reason=item.withdrawal_reason,
                    standard=standard_kind(item),
                )
            )
            continue
        papers = [
            paper_row(paper, item, meeting)
            for paper in item.visible_papers
            if paper.current_version_id and (reader or not (paper.restricted and paper.exemption_released is None))
        ]
        # Papers tabled elsewhere and considered here too, as far as `reused_for_reader` lets this reader.
        papers += [reused_paper_row(consideration, item, meeting) for consideration in getattr(item, "reused", ())]
        rows.append(
            AgendaRow(
                number=item.number,
                title=item.title,
                is_exempt=item.is_exempt,
                exempt_summary=item.exempt_summary,
                purpose=item.get_purpose_display(),
                presenter=item.presenter,
                minutes_allotted=item.minutes_allotted,
                exempt_reason=item.exempt_reason if reader else "",
                is_late=item.is_late,
                urgency_reason=item.urgency_reason,
                papers=papers,
                is_withdrawn=item.is_withdrawn,
                withdrawal_reason=item.withdrawal_reason,
                standard=standard_kind(item),
                release_summary=release_summary(item),
            )
        )
    return rows


@dataclass(frozen=True)
class SupplementNotice:
    """One change set of a published agenda: "Changed on <date> because <reason>", and what changed."""

    changed_on: dt.date
    reason: str
    changes: tuple[str, ...]


def _paper_is_public(paper: Paper) -> bool:
    return not paper.is_withheld


def change_description(change: AgendaChange, *, reader: bool) -> str:
    """What one change says, worked out from the item and paper as they are now: for the
    public, a paper they may not read is never named (only that one changed)."""
    kind, item, paper = AgendaChange.Kind, change.agenda_item, change.paper
    if paper is not None:
        item = paper.agenda_item
    if item is None:
        return "The order of the items changed" if change.kind == kind.ITEMS_REORDERED else "An item changed"
    where = f"item {item.number}"
    if paper is None:
        text = {
            kind.ITEM_ADDED: f"Item {item.number} added{' as a late item' if item.is_late else ''}",
            kind.ITEM_CHANGED: f"Item {item.number} changed",
            kind.ITEM_MOVED: f"Item {item.number} moved",
            kind.ITEM_WITHDRAWN: f"Item {item.number} withdrawn",
        }.get(change.kind, f"Item {item.number} changed")
        return f"{text}: {item.title}"
    if reader or _paper_is_public(paper):
        return {
            kind.PAPER_ADDED: f"Paper added to {where}: {paper.title}",
            kind.PAPER_REPLACED: f"New version of a paper for {where}: {paper.title}",
            kind.PAPER_WITHHELD: f"Paper for {where} withheld from the public: {paper.title}",
        }.get(change.kind, f"Paper for {where} changed: {paper.title}")
    return {
        kind.PAPER_ADDED: f"A paper not for publication added to {where}",
        kind.PAPER_REPLACED: f"A paper not for publication replaced for {where}",
        kind.PAPER_WITHHELD: f"A paper for {where} withdrawn from publication",
    }.get(change.kind, f"A paper not for publication changed for {where}")


def agenda_supplements(meetings, *, reader: bool) -> dict[int, list[SupplementNotice]]:
    """The supplementary agenda of each of `meetings` (by id): its change sets in the order
    they began, a change set being the changes of one day made for one reason. One query,
    however many meetings."""
    meetings = list(meetings)
    supplements: dict[int, list[SupplementNotice]] = {meeting.pk: [] for meeting in meetings}
    published = [meeting.pk for meeting in meetings if meeting.agenda_is_published]
    if not published:
        return supplements
    changes = sorted(
        AgendaChange.objects.filter(meeting_id__in=published)
        .select_related("agenda_item", "paper__agenda_item__exemption_release", "paper__exemption_release")
        .order_by(),
        # Sorted here: for a query this wide, Django's ORDER BY costs more than sorting the few rows.
        key=lambda change: (change.meeting_id, change.made_at, change.pk),
    )
    sets: dict[int, dict[tuple, tuple[dt.date, str, list[str]]]] = {pk: {} for pk in published}
    for change in changes:
        changed_on = timezone.localtime(change.made_at).date()
        reason = " ".join(change.reason.split())
        entry = sets[change.meeting_id].setdefault((changed_on, reason.casefold()), (changed_on, reason, []))
        description = change_description(change, reader=reader)
        if description not in entry[2]:
            entry[2].append(description)
    for pk, by_key in sets.items():
        supplements[pk] = [
            SupplementNotice(changed_on=changed_on, reason=reason, changes=tuple(descriptions))
            for changed_on, reason, descriptions in by_key.values()
        ]
    return supplements


# The previous meeting's minutes and the action log, printed in the agenda pack ------------------

NOT_HELD = (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED)


@dataclass(frozen=True)
class MinuteRow:
    """One item's minute as the public reads it. An exempt item's row carries its label only."""

    label: str
    discussion: str = ""
    resolutions: str = ""


@dataclass(frozen=True)
class PreviousMinutes:
    meeting_title: str
    meeting_date: dt.date
    version: int
    is_approved: bool
    approved_at: dt.date | None
    rows: tuple[MinuteRow, ...]


@dataclass(frozen=True)
class ActionRow:
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    set_on: dt.date


@dataclass(frozen=True)
class PackFrontMatter:
    """What an agenda pack prints besides its agenda: for an item "Minutes of the last meeting",
    the previous meeting's public minutes (approved, else the published draft); for an item
    "Action log", the actions still open from earlier meetings. Public material only, in the
    public's form, for the public pack and the members' pack alike. `minutes_wanted` and
    `actions_wanted` say whether the agenda has those items."""

    minutes_wanted: bool = False
    previous_minutes: PreviousMinutes | None = None
    actions_wanted: bool = False
    actions: tuple[ActionRow, ...] = ()

    def __bool__(self):
        return self.minutes_wanted or self.actions_wanted


def _wants(rows: list[AgendaRow], kind: str) -> bool:
    return any(row.standard == kind and not row.is_withdrawn for row in rows)


def _owner(action: Action) -> str:
    names = [str(action.owner_person) if action.owner_person_id else "", str(action.owner_organisation or "")]
    return ", ".join(name for name in names if name)


def pack_front_matter(
    meetings, agendas: dict[int, list[AgendaRow]], *, carried_forward: dict[int, list[Action]] | None = None
) -> dict[int, PackFrontMatter]:
    """The front matter of each of `meetings` (by id), given their published `agendas`: at most
    four queries however many meetings, and none when no agenda has either item.
    `carried_forward`: the action logs of some of them, by meeting id, already read with
    `record.actions_carried_forward(meeting, public=True)` (the public record of a meeting
    page shows the same), which are then not read again.

    The previous meeting is the partnership's latest earlier meeting held in public (not
    cancelled or postponed). Its minutes are the version the public reads (`record.public_minutes`),
    with an exempt item's minute reduced to its label (`record.exempt_label`), as on the public
    meeting page. The action log is what `record.actions_carried_forward(meeting, public=True)`
    gives, computed for all the meetings at once: `Action.objects.public()` raised at earlier
    meetings and open when this one meets (open now, or closed on or after its date)."""
    meetings = list(meetings)
    front = {
        meeting.pk: PackFrontMatter(
            minutes_wanted=_wants(agendas.get(meeting.pk, []), AgendaItem.Standard.PREVIOUS_MINUTES),
            actions_wanted=_wants(agendas.get(meeting.pk, []), AgendaItem.Standard.ACTION_LOG),
        )
        for meeting in meetings
    }
    wanting = [meeting for meeting in meetings if front[meeting.pk]]
    if not wanting:
        return front
    partnerships = {meeting.partnership_id for meeting in wanting}
    latest = max(meeting.starts_at for meeting in wanting)

    previous_ids: dict[int, int] = {}  # meeting id: its previous meeting's id
    minutes_for: dict[int, Minutes] = {}
    entries: dict[int, list[MinuteEntry]] = {}
    if any(front[m.pk].minutes_wanted for m in wanting):
        # Each meeting's previous one found by the database (one row each), not by reading every
        # earlier meeting of the partnerships, which grows with their history.
        held_before = (
            Meeting.objects.filter(
                partnership_id=OuterRef("partnership_id"), is_public=True, starts_at__lt=OuterRef("starts_at")
            )
            .exclude(status__in=NOT_HELD)
            .order_by("-starts_at", "-pk")
            .values("pk")[:1]
        )
        # The first meeting has none (None), left out here rather than by repeating the subquery in SQL.
        previous_ids = {
            pk: previous_id
            for pk, previous_id in Meeting.objects.filter(pk__in=[m.pk for m in wanting if front[m.pk].minutes_wanted])
            .annotate(previous_id=Subquery(held_before))
            .order_by()
            .values_list("pk", "previous_id")
            if previous_id is not None
        }
        versions: dict[int, list[Minutes]] = {}
        for version in (
            Minutes.objects.filter(meeting_id__in=set(previous_ids.values()))
            .filter(Q(status=Minutes.Status.APPROVED) | Q(published_at__isnull=False))
            .exclude(status=Minutes.Status.SUPERSEDED)
            .select_related("meeting", "approved_at_meeting")
            # Grouped by meeting and chosen by version number: any order will do.
            .order_by()
        ):
            versions.setdefault(version.meeting_id, []).append(version)
        for meeting_pk, chosen in ((pk, public_minutes(v)) for pk, v in versions.items()):
            if chosen is not None:
                minutes_for[meeting_pk] = chosen
        if minutes_for:
            for entry in (
                MinuteEntry.objects.filter(minutes__in=minutes_for.values())
                .select_related("agenda_item")
                .order_by("minutes_id", "agenda_item__position", "pk")
            ):
                entries.setdefault(entry.minutes_id, []).append(entry)

    carried_forward = carried_forward or {}
    actions: list[Action] = []
    if any(front[m.pk].actions_wanted and m.pk not in carried_forward for m in wanting):
        earliest = min(meeting.date for meeting in wanting)
        actions = list(
            Action.objects.public()
            .filter(partnership_id__in=partnerships, meeting__starts_at__lt=latest)
            .open_on(earliest)
            .select_related("meeting", "owner_person", "owner_organisation")
            .order_by("due_date", "meeting__starts_at", "pk")
        )

    for meeting in wanting:
        current = front[meeting.pk]
        minutes_block = None
        chosen = minutes_for.get(previous_ids.get(meeting.pk))
        if chosen is not None:
            earlier_meeting = chosen.meeting
            rows = []
            for entry in entries.get(chosen.pk, []):
                item = entry.agenda_item
                if item.is_exempt:
                    rows.append(MinuteRow(label=exempt_label(item)))
                else:
                    rows.append(
                        MinuteRow(
                            label=f"Item {item.position}: {item.title}",
                            discussion=entry.discussion,
                            resolutions=entry.resolutions,
                        )
                    )
            approved_at = chosen.approved_at_meeting.date if chosen.approved_at_meeting_id else None
            minutes_block = PreviousMinutes(
                meeting_title=earlier_meeting.title,
                meeting_date=earlier_meeting.date,
                version=chosen.version,
                is_approved=chosen.status == Minutes.Status.APPROVED,
                approved_at=approved_at,
                rows=tuple(rows),
            )
        log: tuple[ActionRow, ...] = ()
        if current.actions_wanted:
            if meeting.pk in carried_forward:
                open_then = carried_forward[meeting.pk]
            else:
                open_then = [
                    action
                    for action in actions
                    if action.partnership_id == meeting.partnership_id
                    and action.meeting.starts_at < meeting.starts_at
                    and (
                        action.status in Action.OPEN_STATUSES or (action.closed_on and action.closed_on >= meeting.date)
                    )
                ]
            log = tuple(
                ActionRow(
                    description=action.description,
                    owner=_owner(action),
                    due_date=action.due_date,
                    status=action.get_status_display(),
                    set_on=action.meeting.date,
                )
                for action in open_then
            )
        front[meeting.pk] = PackFrontMatter(
            minutes_wanted=current.minutes_wanted,
            previous_minutes=minutes_block if current.minutes_wanted else None,
            actions_wanted=current.actions_wanted,
            actions=log,
        )
    return front


def publication_tag(meeting: Meeting) -> tuple[str, str]:
    """(text, colour) of the staff tag saying where the agenda's publication stands."""
    status = meeting.publication_status
    return status, PUBLICATION_TAGS[status]


def meeting_status_tag(meeting: Meeting) -> tuple[str, str] | None:
    colour = MEETING_STATUS_TAGS.get(meeting.status)
    return (meeting.get_status_display(), colour) if colour else None


@dataclass(frozen=True)
class DueMeeting:
    meeting: Meeting
    deadline: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def due_soon(meetings, *, today: dt.date | None = None, within_days: int = DUE_SOON_DAYS) -> list[DueMeeting]:
    """Upcoming meetings whose agenda is unpublished and due within `within_days` days
    (or already overdue), the most pressing first."""
    today = today or timezone.localdate()
    due = []
    for meeting in meetings:
        if meeting.agenda_is_published or meeting.status != Meeting.Status.SCHEDULED or meeting.date < today:
            continue
        if not meeting.has_publication_deadline:
            continue
        deadline = meeting.publication_deadline
        days_left = (deadline - today).days
        if days_left <= within_days:
            due.append(DueMeeting(meeting=meeting, deadline=deadline, days_left=days_left))
    return sorted(due, key=lambda d: (d.deadline, d.meeting.starts_at))


@dataclass(frozen=True)
class MinutesTimeliness:
    """When a meeting's draft minutes were due and when they were first published."""

    due: dt.date
    working_days: int
    published_on: dt.date | None
    status: str  # "published on time", "published late", "due" or "not published"

    @property
    def is_late(self) -> bool:
        return self.status in {"published late", "not published"}


MINUTES_TAGS = {"published on time": "green", "published late": "orange", "due": "blue", "not published": "red"}


def minutes_timeliness(
    meeting: Meeting, *, now: dt.datetime | None = None, versions: list[Minutes] | None = None
) -> MinutesTimeliness | None:
    """For a meeting held in public that has taken place: the date its draft minutes were due
    (the partnership's working days after the meeting) and when a version was first published,
    read from the minutes themselves. None for private sessions and meetings not held.
    `versions`: all its versions published or approved, if already read
    (`record.MeetingRecord.published_versions`)."""
    now = now or timezone.now()
    if not meeting.is_public or meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}:
        return None
    if meeting.starts_at > now:
        return None
    due = meeting.minutes_due
    if versions is None:
        first = meeting.minutes_versions.filter(published_at__isnull=False).aggregate(first=Min("published_at"))[
            "first"
        ]
    else:
        first = min((v.published_at for v in versions if v.published_at), default=None)
    published_on = timezone.localtime(first).date() if first else None
    if published_on:
        status = "published on time" if published_on <= due else "published late"
    else:
        status = "due" if timezone.localtime(now).date() <= due else "not published"
    return MinutesTimeliness(
        due=due, working_days=meeting.partnership.minutes_due_working_days, published_on=published_on, status=status
    )


def error_summary(*forms) -> list[tuple[str, str]]:
    """(link target, message) pairs for the NHS.UK error summary, from forms and formsets.
    A target is empty for an error that belongs to no field."""
    errors = []
    for form in forms:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            errors.extend(("", message) for message in form.non_form_errors())
            errors.extend(error_summary(*form.forms))
            continue
        errors.extend(("", message) for message in form.non_field_errors())
        for bound in form:
            errors.extend((f"#{error_anchor(bound)}", message) for message in bound.errors)
    return errors


def missing_standard_items(items) -> list[str]:
    """Labels of the standard items not yet on the agenda."""
    return [
        AgendaItem.Standard(spec.standard).label for spec in STANDARD_ITEMS if not standard_item_present(spec, items)
    ]


def pagination(page, query) -> dict | None:
    """Links for the NHS.UK numbered pagination of a Django `page`, keeping the other
    parameters of `query` (a QueryDict). None when everything fits on one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def url(number: int) -> str:
        params = query.copy()
        params["page"] = number
        return f"?{params.urlencode()}"

    wanted = {1, paginator.num_pages, *range(page.number - 2, page.number + 3)}
    numbers = sorted(n for n in wanted if 1 <= n <= paginator.num_pages)
    items, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": url(number), "current": number == page.number})
        previous = number
    return {
        "items": items,
        "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
    }
