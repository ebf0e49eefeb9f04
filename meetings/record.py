"""What a meeting recorded (attendance, quorum, declarations, minutes, decisions and
actions), shaped for the public meeting page and the staff pages.

Exempt material is decided here once for the meeting record: an item the public were
excluded from (Schedule 12A) reaches a public template only as its number and paragraph
("Item 4: exempt under paragraph 3"). The `ItemRecord` of such an item carries no agenda
item, minute, decision or action text at all, so a template cannot print it by mistake.
Unpublished drafts of minutes never leave this module.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from membership.models import Membership
from partnerships.models import Organisation

from .models import Action, ActionUpdate, AgendaItem, Attendance, Meeting, Minutes

ICB = Organisation.Sector.ICB
COUNCIL = Organisation.Sector.LOCAL_AUTHORITY
OPEN_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)
CLOSED_STATUSES = (Action.Status.DONE, Action.Status.DROPPED)
NOT_HELD = (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED)


def long_date(day) -> str:
    """3 March 2026."""
    return f"{day:%-d %B %Y}"


def exempt_label(item: AgendaItem) -> str:
    """All the public learns of an exempt item: its number and the Schedule 12A paragraph."""
    return f"Item {item.position}: exempt under paragraph {item.exempt_paragraph}"


def has_started(meeting: Meeting, now=None) -> bool:
    return meeting.starts_at <= (now or timezone.now())


def members_at(meeting: Meeting):
    """The partnership's seats current on the day of `meeting`, voting or not."""
    return (
        Membership.objects.current(meeting.date)
        .filter(partnership_id=meeting.partnership_id)
        .select_related("person", "organisation")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def seat_label(membership: Membership) -> str:
    """'Director of Public Health, Example Council' (what the seat is and whom it represents)."""
    parts = [membership.seat, membership.organisation.name if membership.organisation_id else ""]
    return ", ".join(part for part in parts if part)


# Quorum -----------------------------------------------------------------------------------


def _represents(membership: Membership, sector: str) -> bool:
    if membership.sector == sector:
        return True
    return bool(membership.organisation_id and membership.organisation.sector == sector)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _join_or(words: list[str]) -> str:
    return " or ".join(words)


@dataclass(frozen=True)
class Quorum:
    """Whether a meeting was quorate under its partnership's rule, and why, in plain English.

    `met` is None when it cannot be judged: no attendance is recorded, or the partnership
    has not set a quorum in its terms of reference."""

    met: bool | None
    present: int
    substitutes: int
    minimum: int | None
    requires_icb: bool
    requires_council: bool
    has_icb: bool
    has_council: bool
    explanation: str
    rule: str = ""

    @property
    def label(self) -> str:
        return {True: "Quorate", False: "Not quorate", None: "Quorum not assessed"}[self.met]


def quorum_for(meeting: Meeting, *, attendance=None, memberships=None) -> Quorum:
    """Apply the partnership's quorum rule to the attendance recorded for `meeting`.

    Voting members present count, and so does a substitute, for the voting member they
    replace (carrying that member's seat: a substitute for the ICB member counts for the
    ICB). Non-voting members and people in attendance do not count. When the rule says
    so, at least one counted member must represent the ICB and one a council."""
    partnership = meeting.partnership
    attendance = list(meeting.attendance.all()) if attendance is None else attendance
    memberships = list(members_at(meeting)) if memberships is None else memberships
    voting = {membership.person_id: membership for membership in memberships if membership.is_voting}

    counted: dict[int, tuple[Membership, bool]] = {}
    for row in attendance:
        if row.status == Attendance.Status.PRESENT and row.person_id in voting:
            counted[row.person_id] = (voting[row.person_id], False)
    for row in attendance:
        if row.status == Attendance.Status.SUBSTITUTE and row.substitute_for_id in voting:
            counted.setdefault(row.substitute_for_id, (voting[row.substitute_for_id], True))

    present = len(counted)
    substitutes = sum(1 for _, by_substitute in counted.values() if by_substitute)
    has_icb = any(_represents(membership, ICB) for membership, _ in counted.values())
    has_council = any(_represents(membership, COUNCIL) for membership, _ in counted.values())
    minimum = partnership.quorum_minimum
    requires_icb, requires_council = partnership.quorum_requires_icb, partnership.quorum_requires_council

    facts = {
        "present": present,
        "substitutes": substitutes,
        "minimum": minimum,
        "requires_icb": requires_icb,
        "requires_council": requires_council,
        "has_icb": has_icb,
        "has_council": has_council,
        "rule": partnership.quorum_rule,
    }
    headcount = _count(present, "voting member") + " present"
    if substitutes:
        headcount += f" (including {_count(substitutes, 'substitute')})"

    if not attendance:
        return Quorum(
            met=None, explanation="Attendance has not been recorded, so the quorum cannot be assessed.", **facts
        )
    if minimum is None and not (requires_icb or requires_council):
        return Quorum(
            met=None,
            explanation=f"{headcount}. The partnership has not recorded a quorum in its terms of reference.",
            **facts,
        )

    needed = f" of {minimum} needed" if minimum is not None else ""
    required = [name for name, wanted in (("the ICB", requires_icb), ("a council", requires_council)) if wanted]
    missing = [
        name
        for name, wanted, found in (("the ICB", requires_icb, has_icb), ("a council", requires_council, has_council))
        if wanted and not found
    ]
    enough = minimum is None or present >= minimum
    if enough and not missing:
        including = f", including {' and '.join(required)}" if required else ""
        return Quorum(met=True, explanation=f"Quorate: {headcount}{needed}{including}", **facts)
    explanation = f"Not quorate: {headcount}{needed}"
    if missing:
        explanation += f"{', but' if enough else ', and'} none for {_join_or(missing)}"
    return Quorum(met=False, explanation=explanation, **facts)


# Actions carried forward -----------------------------------------------------------------


def actions_carried_forward(meeting: Meeting, *, public: bool = False):
    """Actions raised at earlier meetings of the partnership that were still open when
    `meeting` met: they roll forward to its action log.

    An action counts as open at the meeting if it is open now, or if it was closed (by an
    update marking it completed or no longer required) on or after the meeting's date. So a
    past meeting's action log shows what was outstanding then, and the next meeting's shows
    what is outstanding now. `public=True` keeps to what the public may read."""
    closed_on = (
        ActionUpdate.objects.filter(action=OuterRef("pk"), status__in=CLOSED_STATUSES)
        .order_by("-written_on", "-pk")
        .values("written_on")[:1]
    )
    queryset = Action.objects.public() if public else Action.objects.all()
    return (
        queryset.filter(partnership_id=meeting.partnership_id, meeting__starts_at__lt=meeting.starts_at)
        .annotate(closed_on=Subquery(closed_on))
        .filter(Q(status__in=OPEN_STATUSES) | Q(status__in=CLOSED_STATUSES, closed_on__gte=meeting.date))
        .select_related("meeting__partnership", "agenda_item", "owner_person", "owner_organisation")
        .order_by("due_date", "meeting__starts_at", "pk")
    )


# Minutes ------------------------------------------------------------------------------------


def public_minutes(versions) -> Minutes | None:
    """The version the public reads: the latest approved one, else the latest published draft.
    Superseded versions and unpublished drafts are never chosen."""
    approved = [v for v in versions if v.status == Minutes.Status.APPROVED]
    if approved:
        return max(approved, key=lambda v: v.version)
    drafts = [v for v in versions if v.status == Minutes.Status.DRAFT and v.published_at]
    return max(drafts, key=lambda v: v.version) if drafts else None


# The record ---------------------------------------------------------------------------------


@dataclass
class ItemRecord:
    """One agenda item in the record. When `withheld`, only `number` and `label` are set."""

    number: int
    label: str
    withheld: bool
    is_exempt: bool = False
    item: AgendaItem | None = None
    entry: object = None
    is_action_log: bool = False


@dataclass(frozen=True)
class Attendee:
    person: object
    description: str = ""
    substitute_for: object = None


@dataclass
class AttendanceSummary:
    present: list = field(default_factory=list)
    substitutes: list = field(default_factory=list)
    in_attendance: list = field(default_factory=list)
    apologies: list = field(default_factory=list)
    absent: list = field(default_factory=list)

    def __bool__(self):
        return any((self.present, self.substitutes, self.in_attendance, self.apologies, self.absent))


@dataclass
class MeetingRecord:
    """Context for templates/meetings/public/_record.html (see `public_record`)."""

    meeting: Meeting
    is_available: bool
    is_upcoming: bool = False
    include_exempt: bool = False
    minutes: Minutes | None = None
    correction_pending: bool = False
    items: list[ItemRecord] = field(default_factory=list)
    attendance: AttendanceSummary = field(default_factory=AttendanceSummary)
    quorum: Quorum | None = None
    declarations: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    action_log_item: ItemRecord | None = None
    carried_forward: list = field(default_factory=list)

    def __bool__(self):
        return self.is_available

    @property
    def minutes_are_approved(self) -> bool:
        return bool(self.minutes and self.minutes.status == Minutes.Status.APPROVED)

    @property
    def minutes_are_draft(self) -> bool:
        return bool(self.minutes and self.minutes.status == Minutes.Status.DRAFT)


@dataclass(frozen=True)
class RecordRow:
    """A declaration, decision or action as listed in the record. When `withheld`, `obj`
    is None (decisions, actions) or carries no description to show (declarations)."""

    item: ItemRecord | None
    obj: object = None
    withheld: bool = False


def attendance_summary(attendance, memberships) -> AttendanceSummary:
    seats = {membership.person_id: membership for membership in memberships}
    summary = AttendanceSummary()
    status = Attendance.Status
    for row in attendance:
        seat = seats.get(row.person_id)
        description = seat_label(seat) if seat else row.capacity
        if row.status == status.SUBSTITUTE:
            replaced = seats.get(row.substitute_for_id)
            summary.substitutes.append(
                Attendee(row.person, row.capacity or (seat_label(replaced) if replaced else ""), row.substitute_for)
            )
        elif row.status == status.IN_ATTENDANCE:
            summary.in_attendance.append(Attendee(row.person, row.capacity))
        else:
            {status.PRESENT: summary.present, status.APOLOGIES: summary.apologies, status.ABSENT: summary.absent}[
                row.status
            ].append(Attendee(row.person, description))
    return summary


def public_record(
    meeting: Meeting, *, include_exempt: bool = False, now=None, minutes: Minutes | None = None
) -> MeetingRecord:
    """The record of `meeting` as the public reads it, or, with `include_exempt` (for a
    signed-in reader who may read exempt material, see `can_read_exempt`), with exempt
    items included and marked.

    The public see the record of a public meeting once it has started: attendance and the
    quorum, declarations, the latest approved minutes (else the latest published draft),
    decisions and actions, and under the meeting's "Action log" item the actions carried
    forward from earlier meetings. Unpublished drafts are never included. A constant
    number of queries, whatever the size of the meeting.

    `minutes` names a published or approved version to show instead of the one the public
    reads today (the PDF of each version is built from this same record)."""
    started = has_started(meeting, now)
    held = meeting.status not in NOT_HELD and started
    if not held or not (meeting.is_public or include_exempt):
        upcoming = not started and meeting.status not in NOT_HELD
        return MeetingRecord(meeting=meeting, is_available=False, is_upcoming=upcoming, include_exempt=include_exempt)

    record = MeetingRecord(meeting=meeting, is_available=True, include_exempt=include_exempt)
    agenda = list(meeting.agenda_items.order_by("position"))
    items = {}
    for item in agenda:
        withheld = item.is_exempt and not include_exempt
        items[item.pk] = ItemRecord(
            number=item.position,
            label=exempt_label(item) if withheld else f"Item {item.position}: {item.title}",
            withheld=withheld,
            is_exempt=item.is_exempt,
            item=None if withheld else item,
            is_action_log=item.standard == AgendaItem.Standard.ACTION_LOG,
        )
    record.items = list(items.values())

    versions = list(
        meeting.minutes_versions.filter(Q(status=Minutes.Status.APPROVED) | Q(published_at__isnull=False))
        .exclude(status=Minutes.Status.SUPERSEDED)
        .select_related("approved_at_meeting")
    )
    record.minutes = minutes if minutes is not None else public_minutes(versions)
    if record.minutes:
        record.correction_pending = any(
            v.status == Minutes.Status.DRAFT and v.published_at and v.version > record.minutes.version for v in versions
        )
        for entry in record.minutes.entries.all():
            item_record = items.get(entry.agenda_item_id)
            if item_record and not item_record.withheld:
                item_record.entry = entry

    attendance = list(meeting.attendance.select_related("person", "substitute_for"))
    memberships = list(members_at(meeting))
    record.attendance = attendance_summary(attendance, memberships)
    record.quorum = quorum_for(meeting, attendance=attendance, memberships=memberships)

    for declaration in meeting.declarations.select_related("person").order_by(
        "agenda_item__position", "person__family_name", "pk"
    ):
        item_record = items.get(declaration.agenda_item_id)
        if item_record:
            record.declarations.append(RecordRow(item_record, declaration, withheld=item_record.withheld))

    record.decisions = _rows(
        meeting.decisions.select_related("agenda_item").order_by("agenda_item__position", "pk"), items
    )
    record.actions = _rows(
        meeting.actions.select_related("owner_person", "owner_organisation").order_by(
            "agenda_item__position", "due_date", "pk"
        ),
        items,
    )

    record.action_log_item = next((i for i in record.items if i.is_action_log), None)
    if record.action_log_item:
        record.carried_forward = list(actions_carried_forward(meeting, public=not include_exempt))
    return record


def _rows(queryset, items) -> list[RecordRow]:
    """Rows for decisions or actions; the rows of a withheld item collapse into one."""
    rows, withheld_seen = [], set()
    for obj in queryset:
        item_record = items.get(obj.agenda_item_id) if obj.agenda_item_id else None
        if item_record and item_record.withheld:
            if item_record.number not in withheld_seen:
                withheld_seen.add(item_record.number)
                rows.append(RecordRow(item_record, None, withheld=True))
            continue
        rows.append(RecordRow(item_record, obj))
    return rows
