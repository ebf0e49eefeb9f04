"""What a meeting recorded (attendance, quorum, declarations, minutes, decisions and
actions), shaped for the public meeting page and the staff pages.

Exempt material is decided here once for the meeting record: an item the public were
excluded from (Schedule 12A) reaches a public template only as its number and paragraph
("Item 4: exempt under paragraph 3"). The `ItemRecord` of such an item carries no agenda
item, minute, decision or action text at all, so a template cannot print it by mistake.
Unpublished drafts of minutes never leave this module.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from membership.models import Membership
from partnerships.models import Organisation

from .models import Action, AgendaItem, Attendance, Declaration, Meeting, Minutes
from .record_rows import ActionRow, action_rows

ICB = Organisation.Sector.ICB
COUNCIL = Organisation.Sector.LOCAL_AUTHORITY
NOT_HELD = (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED)


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
#
# The quorum is set by the partnership's terms of reference (the ICP is a joint committee of
# the ICB and the councils: Health and Care Act 2022, s.116ZA Local Government and Public
# Involvement in Health Act 2007), and a decision taken without it is not a valid decision of
# the committee. It is judged on the day of the meeting, against the voting members whose
# term covers that day, and item by item: people arrive late, leave early, and leave the room
# for an item they have an interest in.


def _represents(membership: Membership, sector: str) -> bool:
    if membership.sector == sector:
        return True
    return bool(membership.organisation_id and membership.organisation.sector == sector)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class Quorum:
    """Whether a meeting, or one item of it, was quorate under its partnership's rule, and
    why, in plain English.

    `met` is None when it cannot be judged: no attendance is recorded, or the partnership
    has no quorum rule. `item` is the agenda item's number, or None for the whole meeting."""

    met: bool | None
    present: int
    substitutes: int
    voting: int
    needed: int | None
    requires_icb: bool
    requires_council: bool
    has_icb: bool
    has_council: bool
    detail: str
    rule: str = ""
    basis: str = ""
    item: int | None = None
    assessed_attendance: bool = True

    @property
    def label(self) -> str:
        return {True: "Quorate", False: "Not quorate", None: "Quorum not assessed"}[self.met]

    @property
    def explanation(self) -> str:
        """'Quorate: 16 of 42 voting members present, 14 needed, including an ICB member and a
        council member', 'Not quorate: …; no council member present'."""
        if self.met is None:
            return self.detail
        return f"{self.label}: {self.detail}"

    @property
    def subject(self) -> str:
        return f"Item {self.item}" if self.item is not None else "The meeting"

    @property
    def refusal(self) -> str:
        """'Item 6 was not quorate: 12 of 42 voting members present, 14 needed; no council
        member present'."""
        return f"{self.subject} was not quorate: {self.detail}"

    @property
    def key(self) -> tuple:
        """What the judgement rests on: two quorums with the same key read the same."""
        return (self.met, self.present, self.substitutes, self.has_icb, self.has_council)


NOT_RECORDED = "Attendance has not been recorded, so the quorum cannot be assessed."


def _withdrawn(declarations, item_pk: int) -> set[int]:
    """People who left the room for the item because of an interest they declared."""
    return {
        d.person_id
        for d in declarations
        if d.agenda_item_id == item_pk and d.action_taken == Declaration.ActionTaken.LEFT_THE_ROOM
    }


def in_the_room(row: Attendance, position: int | None, positions: dict[int, int]) -> bool:
    """Whether the attendance `row` puts its person in the room for the item at `position`
    (None: at any time during the meeting), going by when they arrived and left."""
    if row.status not in Attendance.IN_THE_ROOM:
        return False
    if position is None:
        return True
    arrived = positions.get(row.arrived_at_item_id) if row.arrived_at_item_id else None
    left = positions.get(row.left_after_item_id) if row.left_after_item_id else None
    return (arrived is None or arrived <= position) and (left is None or position <= left)


def assess_quorum(partnership, memberships, rows, *, item: int | None = None, recorded: bool = True) -> Quorum:
    """Apply `partnership`'s quorum rule to the attendance `rows` in the room.

    `memberships` are the seats current on the day (voting or not). Voting members present
    count, and so does a substitute, for the voting member they replace and with that
    member's seat (a substitute for the ICB member counts for the ICB), unless the rule says
    substitutes do not count. A member is counted once, however recorded. Non-voting members
    and people in attendance do not count. The number needed is the rule's fraction of the
    voting members, rounded up, or its fixed number. `recorded` is False when the meeting has
    no attendance at all (the quorum is then not assessed)."""
    voting = {m.person_id: m for m in memberships if m.is_voting}
    counted: dict[int, tuple[Membership, bool]] = {}
    for row in rows:
        if row.status == Attendance.Status.PRESENT and row.person_id in voting:
            counted[row.person_id] = (voting[row.person_id], False)
    uncounted_substitutes = 0
    for row in rows:
        if row.status == Attendance.Status.SUBSTITUTE and row.substitute_for_id in voting:
            if not partnership.quorum_substitutes_count:
                uncounted_substitutes += row.substitute_for_id not in counted
                continue
            counted.setdefault(row.substitute_for_id, (voting[row.substitute_for_id], True))

    present = len(counted)
    substitutes = sum(1 for _, by_substitute in counted.values() if by_substitute)
    needed = partnership.quorum_needed(len(voting))
    requires_icb, requires_council = partnership.quorum_requires_icb, partnership.quorum_requires_council
    has_icb = any(_represents(membership, ICB) for membership, _ in counted.values())
    has_council = any(_represents(membership, COUNCIL) for membership, _ in counted.values())

    headcount = f"{present} of {_count(len(voting), 'voting member')} present"
    if substitutes:
        headcount += f" (including {_count(substitutes, 'substitute')})"
    if uncounted_substitutes:
        headcount += f" ({_count(uncounted_substitutes, 'substitute')} not counted)"
    facts = {
        "present": present,
        "substitutes": substitutes,
        "voting": len(voting),
        "needed": needed,
        "requires_icb": requires_icb,
        "requires_council": requires_council,
        "has_icb": has_icb,
        "has_council": has_council,
        "rule": partnership.quorum_rule,
        "basis": partnership.quorum_rule_summary,
        "item": item,
        "assessed_attendance": recorded,
    }
    if not recorded:
        return Quorum(met=None, detail=NOT_RECORDED, **facts)
    if not partnership.has_quorum_rule:
        detail = f"{headcount}. The partnership has not recorded a quorum rule from its terms of reference."
        return Quorum(met=None, detail=f"{detail[0].upper()}{detail[1:]}", **facts)

    if needed is not None:
        headcount += f", {needed} needed"
    missing = [
        name
        for name, wanted, found in (("ICB", requires_icb, has_icb), ("council", requires_council, has_council))
        if wanted and not found
    ]
    if (needed is None or present >= needed) and not missing:
        required = [
            name for name, wanted in (("an ICB member", requires_icb), ("a council member", requires_council)) if wanted
        ]
        including = f", including {' and '.join(required)}" if required else ""
        return Quorum(met=True, detail=f"{headcount}{including}", **facts)
    absent = f"; no {' or '.join(missing)} member present" if missing else ""
    return Quorum(met=False, detail=f"{headcount}{absent}", **facts)


def quorum_for(
    meeting: Meeting,
    *,
    attendance=None,
    memberships=None,
    item: AgendaItem | None = None,
    items=None,
    declarations=None,
) -> Quorum:
    """The quorum of `meeting` as a whole (everyone who attended at any time), or at agenda
    `item`: without those who had not yet arrived or had left, or left the room for it
    because of a declared interest. Pass what the caller has loaded to save queries."""
    partnership = meeting.partnership
    attendance = list(meeting.attendance.all()) if attendance is None else attendance
    memberships = list(members_at(meeting)) if memberships is None else memberships
    if item is None:
        rows = [row for row in attendance if in_the_room(row, None, {})]
        return assess_quorum(partnership, memberships, rows, recorded=bool(attendance))
    items = list(meeting.agenda_items.all()) if items is None else items
    declarations = list(meeting.declarations.all()) if declarations is None else declarations
    positions = {i.pk: i.position for i in items} | {item.pk: item.position}
    withdrawn = _withdrawn(declarations, item.pk)
    rows = [row for row in attendance if in_the_room(row, item.position, positions) and row.person_id not in withdrawn]
    return assess_quorum(partnership, memberships, rows, item=item.position, recorded=bool(attendance))


@dataclass(frozen=True)
class ItemQuorum:
    pk: int
    number: int
    label: str
    quorum: Quorum


@dataclass(frozen=True)
class QuorumRecord:
    """The quorum of a meeting (`meeting`), and of each of its items (`items`); `differing`
    lists the items whose quorum was not the meeting's, because someone arrived late, left
    early or left the room."""

    meeting: Quorum
    items: tuple[ItemQuorum, ...] = ()

    @property
    def explanation(self) -> str:
        return self.meeting.explanation

    @property
    def met(self) -> bool | None:
        return self.meeting.met

    @property
    def rule(self) -> str:
        return self.meeting.rule

    @property
    def basis(self) -> str:
        return self.meeting.basis

    @property
    def differing(self) -> list[ItemQuorum]:
        if not self.meeting.assessed_attendance:
            return []
        return [entry for entry in self.items if entry.quorum.key != self.meeting.key]

    def at(self, item_pk: int | None) -> Quorum:
        """The quorum at the item with primary key `item_pk`; the meeting's for None."""
        return next((entry.quorum for entry in self.items if entry.pk == item_pk), self.meeting)


def quorum_record(
    meeting: Meeting, *, attendance=None, memberships=None, items=None, declarations=None, labels=None
) -> QuorumRecord:
    """The meeting's quorum and each item's (see `QuorumRecord`), from one load of the
    attendance, seats, agenda and declarations (pass them in if already loaded). `labels`
    maps an item's primary key to how it is named (the public record names an exempt item
    by its number and paragraph only)."""
    attendance = list(meeting.attendance.all()) if attendance is None else attendance
    memberships = list(members_at(meeting)) if memberships is None else memberships
    items = list(meeting.agenda_items.order_by("position")) if items is None else items
    declarations = list(meeting.declarations.all()) if declarations is None else declarations
    labels = labels or {}
    entries = []
    for item in sorted(items, key=lambda i: i.position):
        quorum = quorum_for(
            meeting, attendance=attendance, memberships=memberships, item=item, items=items, declarations=declarations
        )
        label = labels.get(item.pk, f"Item {item.position}: {item.title}")
        entries.append(ItemQuorum(item.pk, item.position, label, quorum))
    whole = quorum_for(meeting, attendance=attendance, memberships=memberships)
    return QuorumRecord(meeting=whole, items=tuple(entries))


# Actions carried forward -----------------------------------------------------------------


def actions_carried_forward(meeting: Meeting, *, public: bool = False):
    """Actions raised at earlier meetings of the partnership that were still open when
    `meeting` met: they roll forward to its action log.

    An action counts as open at the meeting if it is open now, or if it was closed (by an
    update marking it completed or no longer required) on or after the meeting's date. So a
    past meeting's action log shows what was outstanding then, and the next meeting's shows
    what is outstanding now. `public=True` keeps to what the public may read."""
    queryset = Action.objects.public() if public else Action.objects.all()
    return (
        queryset.filter(partnership_id=meeting.partnership_id, meeting__starts_at__lt=meeting.starts_at)
        .open_on(meeting.date)
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
    timing: str = ""


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
    # Every version of the minutes published or approved, superseded ones too (when they were first
    # published is `presenters.minutes_timeliness`'s question); None when the record was not read.
    published_versions: list[Minutes] | None = None
    correction_pending: bool = False
    items: list[ItemRecord] = field(default_factory=list)
    attendance: AttendanceSummary = field(default_factory=AttendanceSummary)
    quorum: QuorumRecord | None = None
    declarations: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    action_log_item: ItemRecord | None = None
    carried_forward: list = field(default_factory=list)

    def __bool__(self):
        return self.is_available

    @property
    def carried_forward_rows(self) -> list[ActionRow]:
        """`carried_forward` as the public's actions table lists them."""
        return action_rows(self.carried_forward, self.meeting.partnership, staff=False)

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


def attendance_timing(row: Attendance, positions: dict[int, int]) -> str:
    """'arrived at item 3', 'left after item 5', both, or '' for the whole meeting."""
    parts = []
    if row.arrived_at_item_id in positions:
        parts.append(f"arrived at item {positions[row.arrived_at_item_id]}")
    if row.left_after_item_id in positions:
        parts.append(f"left after item {positions[row.left_after_item_id]}")
    return ", ".join(parts)


def attendance_summary(attendance, memberships, items=()) -> AttendanceSummary:
    """Who attended, grouped as minutes list them; `items` (the agenda) names when someone
    arrived late or left early."""
    seats = {membership.person_id: membership for membership in memberships}
    positions = {item.pk: item.position for item in items}
    summary = AttendanceSummary()
    status = Attendance.Status
    for row in attendance:
        seat = seats.get(row.person_id)
        description = seat_label(seat) if seat else row.capacity
        timing = attendance_timing(row, positions)
        if row.status == status.SUBSTITUTE:
            replaced = seats.get(row.substitute_for_id)
            summary.substitutes.append(
                Attendee(
                    row.person,
                    row.capacity or (seat_label(replaced) if replaced else ""),
                    row.substitute_for,
                    timing,
                )
            )
        elif row.status == status.IN_ATTENDANCE:
            summary.in_attendance.append(Attendee(row.person, row.capacity, timing=timing))
        else:
            {status.PRESENT: summary.present, status.APOLOGIES: summary.apologies, status.ABSENT: summary.absent}[
                row.status
            ].append(Attendee(row.person, description, timing=timing))
    return summary


def public_record(
    meeting: Meeting, *, include_exempt: bool = False, now=None, minutes: Minutes | None = None, agenda=None
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
    reads today (the PDF of each version is built from this same record). `agenda`: all the
    meeting's agenda items in order, when the caller has them loaded already."""
    started = has_started(meeting, now)
    held = meeting.status not in NOT_HELD and started
    if not held or not (meeting.is_public or include_exempt):
        upcoming = not started and meeting.status not in NOT_HELD
        return MeetingRecord(meeting=meeting, is_available=False, is_upcoming=upcoming, include_exempt=include_exempt)

    record = MeetingRecord(meeting=meeting, is_available=True, include_exempt=include_exempt)
    agenda = list(meeting.agenda_items.order_by("position")) if agenda is None else agenda
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

    record.published_versions = list(
        meeting.minutes_versions.filter(Q(status=Minutes.Status.APPROVED) | Q(published_at__isnull=False))
        # The record links to the meeting that approved them (the partnership is in its address).
        .select_related("approved_at_meeting__partnership")
        # Chosen by version number below: sorting them in SQL (by meeting, a join) would be wasted.
        .order_by()
    )
    versions = [v for v in record.published_versions if v.status != Minutes.Status.SUPERSEDED]
    record.minutes = minutes if minutes is not None else public_minutes(versions)
    if record.minutes:
        record.correction_pending = any(
            v.status == Minutes.Status.DRAFT and v.published_at and v.version > record.minutes.version for v in versions
        )
        for entry in record.minutes.entries.order_by():  # matched to their items: any order will do
            item_record = items.get(entry.agenda_item_id)
            if item_record and not item_record.withheld:
                item_record.entry = entry

    # By name, as the minutes list them (the default order also sorts by meeting, a join for nothing here).
    attendance = list(meeting.attendance.select_related("person", "substitute_for").order_by("person__family_name"))
    memberships = list(members_at(meeting))
    record.attendance = attendance_summary(attendance, memberships, agenda)
    declarations = list(
        meeting.declarations.select_related("person").order_by("agenda_item__position", "person__family_name", "pk")
    )
    record.quorum = quorum_record(
        meeting,
        attendance=attendance,
        memberships=memberships,
        items=agenda,
        declarations=declarations,
        labels={pk: item_record.label for pk, item_record in items.items()},
    )

    for declaration in declarations:
        item_record = items.get(declaration.agenda_item_id)
        if item_record:
            record.declarations.append(RecordRow(item_record, declaration, withheld=item_record.withheld))

    # A decision's item is named by its ItemRecord (`items`), so the item itself is not loaded again.
    record.decisions = _rows(meeting.decisions.order_by("agenda_item__position", "pk"), items)
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
