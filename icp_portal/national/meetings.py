"""Meetings, agendas, papers, the record (attendance, decisions, actions, minutes), published
documents and the strategy, for the national-scale generator."""

import datetime as dt
import random
from collections import Counter

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from meetings import deadlines
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Consideration,
    Decision,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    PaperText,
    PaperVersion,
)
from meetings.record import assess_quorum, in_the_room
from membership.models import Membership
from partnerships.models import Organisation, Partnership
from publishing.models import PublishedDocument
from publishing.renderers import agenda_fingerprints

from .base import Seat, Term, at_time, bulk, random_uuid, working_day
from .words import (
    ACTION_TEXTS,
    DECISION_STATUSES,
    DISCUSSION,
    EXEMPT_TOPICS,
    PAPER_OPENINGS,
    PAPER_SENTENCES,
    PAPER_STANDARDS,
    PRESENTERS,
    RESOLUTIONS,
    TOPICS,
)


class MeetingsMixin:
    # Meetings ----------------------------------------------------------------------------

    def meeting_dates(self, partnership: Partnership, count: int) -> list[dt.date]:
        """`count` working days: the past ones spread over the plan's years, then upcoming ones
        (the first within the publication deadline, so its agenda is out)."""
        upcoming = min(self.plan.upcoming_per_partnership, max(0, count - 1))
        past = count - upcoming
        first = partnership.established_on + dt.timedelta(days=30)
        last = self.today - dt.timedelta(days=7)
        step = (last - first) / max(1, past - 1) if past > 1 else dt.timedelta(0)
        dates = []
        for index in range(past):
            day = first + step * index + dt.timedelta(days=self.rng.randint(-3, 3))
            dates.append(working_day(min(day, last), forward=False))
        gap = max(step, dt.timedelta(days=30))
        for index in range(upcoming):
            day = self.today + dt.timedelta(days=4) + gap * index
            dates.append(working_day(day))
        return sorted(set(dates))

    def meetings(self, partnership: Partnership, count: int, secretariat_id: int | None) -> list[Meeting]:
        rng, today = self.rng, self.today
        rows = []
        dates = self.meeting_dates(partnership, count)
        for day in dates:
            hour = rng.choice([10, 14, 14, 14])
            starts = at_time(day, hour)
            is_past = day < today
            status = Meeting.Status.HELD if is_past else Meeting.Status.SCHEDULED
            notice = ""
            if rng.random() < 0.02:
                status = Meeting.Status.CANCELLED
                notice = "Cancelled: the business will be taken at the next meeting."
            published_at = None
            deadline = deadlines.publication_deadline(day)
            if is_past or deadline <= today:
                late = rng.random() < 0.03
                published_on = deadline + dt.timedelta(days=2) if late else deadline - dt.timedelta(rng.randint(0, 3))
                published_at = at_time(min(published_on, today), 9, 30)
            created = at_time(day - dt.timedelta(days=90), 9)
            rows.append(
                Meeting(
                    partnership=partnership,
                    title=f"{partnership.name} meeting",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2, minutes=30),
                    venue=rng.choice(["Civic Centre, Council Chamber", "County Hall, Room 3", "Online (Teams)"]),
                    status=status,
                    is_public=rng.random() >= 0.03,
                    notice=notice,
                    uid=random_uuid(rng, self.report.batch),
                    agenda_published_at=published_at,
                    agenda_published_by_id=secretariat_id if published_at else None,
                    created_at=created,
                    updated_at=max(created, published_at or created),
                )
            )
        return bulk(Meeting, rows, self.report, "meetings")

    def agendas(self, meetings: list[Meeting]) -> dict[int, list[AgendaItem]]:
        rng, plan = self.rng, self.plan
        items_by_meeting, rows = {}, []
        for meeting in meetings:
            count = max(6, min(plan.items_per_meeting * 2 - 6, round(rng.gauss(plan.items_per_meeting, 2))))
            substantive = count - 5
            # Each substantive item is exempt with the chance that makes the plan's share overall.
            exempt_chance = min(1.0, plan.exempt_share * count / substantive)
            standard = [
                (AgendaItem.Standard.WELCOME, "Chair", AgendaItem.Purpose.INFORMATION),
                (AgendaItem.Standard.DECLARATIONS, "Chair", AgendaItem.Purpose.INFORMATION),
                (AgendaItem.Standard.PREVIOUS_MINUTES, "Chair", AgendaItem.Purpose.DECISION),
                (AgendaItem.Standard.ACTION_LOG, "Secretariat", AgendaItem.Purpose.ASSURANCE),
            ]
            items = [
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=AgendaItem.Standard(code).label,
                    standard=code,
                    presenter=presenter,
                    purpose=purpose,
                    minutes_allotted=5,
                )
                for position, (code, presenter, purpose) in enumerate(standard, start=1)
            ]
            public, exempt = [], []
            for _ in range(substantive):
                if rng.random() < exempt_chance:
                    paragraph, title, reason = rng.choice(EXEMPT_TOPICS)
                    exempt.append((title, {"is_exempt": True, "exempt_paragraph": paragraph, "exempt_reason": reason}))
                else:
                    public.append((rng.choice(TOPICS), {}))
            # Exempt business is taken last, after the public are excluded; then any other business.
            for title, extra in public + exempt:
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=len(items) + 1,
                        title=title,
                        purpose=rng.choice(AgendaItem.Purpose.values),
                        presenter=rng.choice(PRESENTERS),
                        minutes_allotted=rng.choice([10, 15, 20, 30]),
                        **extra,
                    )
                )
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=len(items) + 1,
                    title=AgendaItem.Standard.AOB.label,
                    standard=AgendaItem.Standard.AOB,
                    presenter="Chair",
                    purpose=AgendaItem.Purpose.DISCUSSION,
                    minutes_allotted=5,
                )
            )
            items_by_meeting[meeting.pk] = items
            rows += items
        bulk(AgendaItem, rows, self.report, "agenda items")
        return items_by_meeting

    def concerns(self, partnership: Partnership, items_by_meeting) -> None:
        """The partner bodies of the system that substantive items concern, as a secretariat names
        them for the conflicts of interest checks (docs/meetings.md): every exempt item (a
        contract, an estates deal) and a third of the others, one body or two each."""
        rng, partners = self.concerns_rng, self.partners[partnership.ics_id]
        named = AgendaItem.organisations.through
        rows = []
        for items in items_by_meeting.values():
            for item in items:
                if item.standard or not (item.is_exempt or rng.random() < 1 / 3):
                    continue
                for organisation in rng.sample(partners, k=rng.choice([1, 1, 2])):
                    rows.append(named(agendaitem_id=item.pk, organisation_id=organisation.pk))
        bulk(named, rows, self.report, "organisations named on items")

    def papers(self, partnership: Partnership, meetings: list[Meeting], items_by_meeting) -> None:
        rng, plan = self.rng, self.plan
        papers = []
        for meeting in meetings:
            items = items_by_meeting[meeting.pk]
            total = round(plan.papers_per_item * len(items))
            with_paper = [i for i in items if i.standard in PAPER_STANDARDS]
            substantive = [i for i in with_paper if not i.standard]
            counts = {item.pk: 1 for item in with_paper}
            for _ in range(max(0, total - len(with_paper))):
                counts[rng.choice(substantive or with_paper).pk] += 1
            for item in with_paper:
                for position in range(1, counts[item.pk] + 1):
                    title = item.title if position == 1 else f"Appendix {chr(64 + position - 1)}: {item.title}"
                    papers.append(
                        Paper(
                            agenda_item=item,
                            title=title[:300],
                            position=position,
                            restricted=not item.is_exempt and rng.random() < 0.01,
                        )
                    )
        bulk(Paper, papers, self.report, "papers")
        # Each paper's first step of its path: the item it is tabled at (meetings.consultations).
        bulk(Consideration, [Consideration.first(paper) for paper in papers], self.report, "considerations")
        name, size, sha256 = self.paper_file
        published = {meeting.pk: meeting.agenda_published_at for meeting in meetings}
        # The texts come from a generator of their own, so adding them left every other row as it was.
        texts = random.Random(f"paper texts of {partnership.slug}")
        versions, extracted = [], []
        for paper in papers:
            meeting = paper.agenda_item.meeting
            uploaded = (published[meeting.pk] or at_time(self.today, 9)) - dt.timedelta(hours=rng.randint(1, 48))
            number_of_versions = 2 if rng.random() < 0.03 else 1
            text = self.paper_text(texts, paper.agenda_item.title)
            for number in range(1, number_of_versions + 1):
                versions.append(
                    PaperVersion(
                        paper=paper,
                        number=number,
                        file=name,
                        original_filename=f"{slugify(paper.title)[:80] or 'paper'}.pdf",
                        size=size,
                        sha256=sha256,
                        page_count=1,
                        replacement_reason="Corrected figures in table 2" if number > 1 else "",
                        uploaded_at=uploaded + dt.timedelta(hours=number - 1),
                    )
                )
                # All share one PDF whose text says only that it is synthetic: each paper gets its own.
                extracted.append(text if number == 1 else f"{text} This version corrects the figures in table 2.")
        bulk(PaperVersion, versions, self.report, "paper versions")
        paper_texts = [
            PaperText(version=version, text=text, extracted_at=version.uploaded_at)
            for version, text in zip(versions, extracted, strict=True)
        ]
        bulk(PaperText, paper_texts, self.report, "paper texts")
        latest = PaperVersion.objects.filter(paper=OuterRef("pk")).order_by("-number").values("pk")[:1]
        Paper.objects.filter(agenda_item__meeting__partnership=partnership, current_version__isnull=True).update(
            current_version=Subquery(latest)
        )

    @staticmethod
    def paper_text(texts: random.Random, topic: str) -> str:
        """A few sentences (some 300 to 600 characters) about `topic`, the paper's item."""
        opening = texts.choice(PAPER_OPENINGS).format(topic=topic)
        return " ".join([opening, *texts.sample(PAPER_SENTENCES, texts.randint(3, 4))])

    def attendance(self, partnership: Partnership, meeting: Meeting, items, terms: list[Term], seats: list[Seat]):
        """Who attended `meeting`, and the quorum at each of its items.

        Three in four members are present; if that leaves the meeting without its quorum, members
        who sent apologies are counted in until it has one (a meeting that cannot open is not
        held), so the minutes of the last meeting are always approved at a quorate item. In one
        meeting in eight some members leave after a substantive item, and the items after it
        may lose the quorum: decisions there are recorded as taken without one."""
        rng = self.rng
        seats_on_day = [
            Membership(person_id=term.person_id, is_voting=seat.is_voting, sector=seat.sector)
            for term, seat in ((term, seats[term.seat_index]) for term in terms)
        ]
        rows = []
        for term in terms:
            roll = rng.random()
            status = (
                Attendance.Status.PRESENT
                if roll < 0.75
                else Attendance.Status.APOLOGIES
                if roll < 0.95
                else Attendance.Status.ABSENT
            )
            rows.append(Attendance(meeting=meeting, person_id=term.person_id, status=status))
        # Required constituencies first (the ICB's and councils' seats come first), then the rest.
        required = (Organisation.Sector.ICB, Organisation.Sector.LOCAL_AUTHORITY)
        for row, seat in sorted(zip(rows, seats_on_day, strict=True), key=lambda pair: pair[1].sector not in required):
            if assess_quorum(partnership, seats_on_day, rows).met is not False:
                break
            if seat.is_voting and row.status != Attendance.Status.PRESENT:
                row.status = Attendance.Status.PRESENT
        substantive = [i for i in items if not i.standard]
        if len(substantive) > 1 and rng.random() < 0.125:
            after = rng.choice(substantive[:-1])
            voting = [r for r, s in zip(rows, seats_on_day, strict=True) if s.is_voting and r.status == "present"]
            for row in rng.sample(voting, min(len(voting), rng.randint(2, 6))):
                row.left_after_item_id = after.pk
        positions = {item.pk: item.position for item in items}
        quorum = {
            item.pk: assess_quorum(
                partnership,
                seats_on_day,
                [row for row in rows if in_the_room(row, item.position, positions)],
                item=item.position,
            )
            for item in items
        }
        return rows, quorum

    def records(self, partnership: Partnership, meetings, items_by_meeting, terms: list[Term], seats: list[Seat]):
        """Attendance, decisions, minutes (approved at the next meeting; the latest a published
        draft), minute entries and actions, for the meetings that have been held. A decision at an
        item without a quorum is recorded as taken without one."""
        rng, today = self.rng, self.today
        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        abbreviation = "".join(word[0] for word in partnership.name.split() if word[0].isupper())[:6] or "P"
        decisions, approvals, attendance, actions = [], {}, [], []
        per_year = Counter()
        for index, meeting in enumerate(held):
            day = meeting.date
            present = [t for t in terms if t.start <= day and (t.end is None or t.end >= day)]
            rows, quorum = self.attendance(partnership, meeting, items_by_meeting[meeting.pk], present, seats)
            attendance += rows
            for item in items_by_meeting[meeting.pk]:
                if item.standard == AgendaItem.Standard.PREVIOUS_MINUTES and index > 0:
                    previous = held[index - 1]
                    per_year[day.year] += 1
                    decision = Decision(
                        partnership=partnership,
                        meeting=meeting,
                        agenda_item=item,
                        reference=f"{abbreviation}/{day.year}/{per_year[day.year]}",
                        wording=f"The minutes of the meeting held on {previous.date:%-d %B %Y} were approved "
                        "as a correct record.",
                        status=Decision.Status.AGREED,
                    )
                    approvals[previous.pk] = decision
                    decisions.append(decision)
                elif not item.standard and item.purpose == AgendaItem.Purpose.DECISION:
                    per_year[day.year] += 1
                    decisions.append(
                        Decision(
                            partnership=partnership,
                            meeting=meeting,
                            agenda_item=item,
                            reference=f"{abbreviation}/{day.year}/{per_year[day.year]}",
                            wording=f"{rng.choice(RESOLUTIONS)} ({item.title})",
                            status=rng.choice(DECISION_STATUSES),
                            inquorate=quorum[item.pk].met is False,
                        )
                    )
            substantive = [i for i in items_by_meeting[meeting.pk] if not i.standard]
            voting = [t for t in present if t.seat_index > 0] or present
            for _ in range(rng.choice([1, 2, 2, 3])):
                if not substantive:
                    break
                item = rng.choice(substantive)
                due = day + dt.timedelta(days=rng.randint(30, 120))
                roll = rng.random()
                if due < today - dt.timedelta(days=30):
                    status = (
                        Action.Status.DONE
                        if roll < 0.85
                        else Action.Status.DROPPED
                        if roll < 0.95
                        else Action.Status.OPEN
                    )
                else:
                    status = Action.Status.OPEN if roll < 0.6 else Action.Status.IN_PROGRESS
                owner = rng.choice(voting) if voting and rng.random() < 0.6 else None
                actions.append(
                    Action(
                        partnership=partnership,
                        meeting=meeting,
                        agenda_item=item,
                        description=rng.choice(ACTION_TEXTS),
                        owner_person_id=owner.person_id if owner else None,
                        owner_organisation_id=None if owner else self.icbs[partnership.ics_id].pk,
                        due_date=due,
                        status=status,
                    )
                )
        bulk(Attendance, attendance, self.report, "attendance records")
        bulk(Decision, decisions, self.report, "decisions")
        bulk(Action, actions, self.report, "actions")
        minutes = []
        for index, meeting in enumerate(held):
            written = at_time(meeting.date + dt.timedelta(days=10), 12)
            approval = approvals.get(meeting.pk)
            minutes.append(
                Minutes(
                    meeting=meeting,
                    version=1,
                    status=Minutes.Status.APPROVED if approval else Minutes.Status.DRAFT,
                    published_at=written if written < timezone.now() else None,
                    approved_at_meeting=held[index + 1] if approval else None,
                    approval_decision=approval,
                    created_at=written - dt.timedelta(days=3),
                )
            )
        bulk(Minutes, minutes, self.report, "minutes")
        entries = []
        for record in minutes:
            for item in items_by_meeting[record.meeting.pk]:
                entries.append(
                    MinuteEntry(
                        minutes=record,
                        agenda_item=item,
                        discussion=" ".join(rng.sample(DISCUSSION, 2)) if not item.standard else "",
                        resolutions=rng.choice(RESOLUTIONS) if item.purpose == AgendaItem.Purpose.DECISION else "",
                    )
                )
        bulk(MinuteEntry, entries, self.report, "minute entries")
        return minutes, decisions, actions

    def strategy(self, partnership: Partnership, items_by_meeting, decisions, actions) -> None:
        """The integrated care strategy of a top-level partnership (if the strategy app is installed)."""
        if partnership.parent_id is not None or not apps.is_installed("strategy"):
            return
        from .strategy import strategy_generate

        strategy_generate(
            partnership=partnership,
            councils=self.councils[partnership.ics_id],
            decisions=decisions,
            actions=actions,
            items=[item for items in items_by_meeting.values() for item in items if not item.standard],
            rng=self.rng,
            today=self.today,
            years=self.plan.years,
            bulk=lambda model, rows, kind: bulk(model, rows, self.report, kind),
        )

    def documents(self, partnership: Partnership, meetings, items_by_meeting, minutes: list[Minutes]) -> None:
        """The PDFs the portal would have published: an agenda pack per published agenda and the
        approved minutes, all built (status done) and pointing at the shared file."""
        name, size, sha256 = self.paper_file
        rows = []

        def document(meeting, kind, title, text, built, source_version, minutes=None):
            return PublishedDocument(
                partnership=partnership,
                meeting=meeting,
                minutes=minutes,
                kind=kind,
                source_version=source_version,
                title=f"{title}: {meeting.title}, {meeting.date:%-d %B %Y}",
                status=PublishedDocument.Status.DONE,
                file=name,
                sha256=sha256,
                size=size,
                page_count=1,
                text=text if kind != PublishedDocument.Kind.MEMBERS_PACK else "",
                created_at=built,
                started_at=built,
                finished_at=built + dt.timedelta(seconds=5),
            )

        # Packs carry the fingerprint of the agenda as generated, so that they are current (and
        # public) as a built pack would be; a private session only ever has a members' pack.
        # Minutes documents are left out: their fingerprint needs each record rendered.
        published = [m for m in meetings if m.agenda_published_at and m.date < self.today]
        for meeting in published:
            meeting.partnership = partnership
        public_fingerprints = agenda_fingerprints([m for m in published if m.is_public], include_exempt=False)
        for meeting in published:
            text = ". ".join(i.title for i in items_by_meeting[meeting.pk] if not i.is_exempt)
            if meeting.is_public:
                kind, label, fingerprint = (
                    PublishedDocument.Kind.AGENDA_PACK,
                    "Agenda pack",
                    public_fingerprints[meeting.pk],
                )
            else:
                kind, label, fingerprint = PublishedDocument.Kind.MEMBERS_PACK, "Members’ agenda pack", "generated"
            rows.append(document(meeting, kind, label, text, meeting.agenda_published_at, fingerprint))
        bulk(PublishedDocument, rows, self.report, "published documents")
