"""National-scale synthetic data, for benchmarks and query-budget tests.

`national_generate(plan, seed=...)` builds, on top of England's real reference geography,
partnerships with fifteen years of history at the size the design is for (DESIGN.md, "Scale
we design for"): at scale 1, all 42 systems, about 60 partnerships, 10,000 people with
membership history, 5,000 meetings, 60,000 agenda items (5% exempt under Schedule 12A) and
150,000 papers, with minutes, decisions, actions and attendance.

- Deterministic: one `random.Random(seed)`, consumed in a fixed order (given the same
  reference data, the same date and the same plan, the same rows come out).
- Fast: rows are written with `bulk_create` in batches, one partnership at a time (so memory
  stays flat whatever the scale); nothing calls `save()` per row.
- Metadata-only papers: every `PaperVersion` points at ONE small PDF written once through
  `default_storage` at `SHARED_PAPER_NAME`.
- Marked: every partnership's slug starts with `PREFIX`, every person is `is_demonstration`,
  every organisation the generator invents ends with "(synthetic)". A second batch (the
  command's `--force`) uses `national-b2-`, `national-b3-`…
"""

import datetime as dt
import hashlib
import math
import random
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from meetings import deadlines
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    PaperVersion,
)
from membership.models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment
from membership.permissions import permissions_sync
from partnerships.models import IntegratedCareSystem, Organisation, Partnership, Place
from publishing.models import PublishedDocument

PREFIX = "national-"
SHARED_PAPER_NAME = "national/shared-paper.pdf"
LONDON = ZoneInfo("Europe/London")
BATCH = 1000

# The design size (scale 1).
SYSTEMS = 42
PARTNERSHIPS = 60
PEOPLE = 10_000
MEETINGS = 5_000
YEARS = 15

SECTOR = Organisation.Sector
KIND = Partnership.Kind


class ReferenceDataMissing(Exception):
    """England's systems and boards have not been loaded (manage.py load_reference_data)."""


@dataclass(frozen=True)
class Plan:
    """How much to generate. `for_scale(1)` is the design size; tests build tiny plans."""

    systems: int
    partnerships: int
    people: int
    meetings: int
    years: int = YEARS
    items_per_meeting: int = 12  # on average; 8 to 16
    papers_per_item: float = 2.5
    exempt_share: float = 0.05
    upcoming_per_partnership: int = 3
    secretariat: bool = True

    @classmethod
    def for_scale(cls, scale: float, **options) -> "Plan":
        """The design size times `scale`. Below 1 fewer systems and partnerships are used,
        but each keeps the depth of history it has at full size (about 83 meetings and 166
        people), so pages show what they would show nationally."""
        if scale <= 0:
            raise ValueError("The scale must be greater than 0.")
        systems = min(SYSTEMS, max(1, math.ceil(SYSTEMS * scale)))
        partnerships = max(systems, round(PARTNERSHIPS * scale))
        upcoming = options.get("upcoming_per_partnership", cls.upcoming_per_partnership)
        return cls(
            systems=systems,
            partnerships=partnerships,
            people=max(partnerships * 10, round(PEOPLE * scale)),
            meetings=max(partnerships * (upcoming + 2), round(MEETINGS * scale)),
            **options,
        )


def _words(text: str) -> list[str]:
    return text.split()


# Words the generator builds names and text from. Every person is fictional.
GIVEN_NAMES = _words(
    "Aisha Alan Amara Amy Andrew Anil Ann Beth Bilal Bryony Carl Catherine Chidi Claire Colin Dan Deborah Deepa "
    "Eleanor Emeka Emma Farah Fiona Gareth Grace Hannah Harpreet Helen Ian Imran Isla Jack James Jane Jasmine Joanne "
    "Jon Josephine Kamal Karen Kate Kwame Laura Leon Lucy Mandeep Maria Mark Martin Megan Mohammed Naomi Neil Nia "
    "Oliver Olu Patrick Priya Rachel Rhys Ruth Sam Sarah Shabana Simon Sophie Stephen Tariq Tom Una Vikram Wendy Yusuf"
)
FAMILY_NAMES = _words(
    "Abbott Adeyemi Ahmed Ainsworth Alder Ashdown Bancroft Barnes Beckett Bhatt Blackwood Bramley Brook Calder "
    "Carrick Chaudhry Clegg Coates Cole Dale Danby Dawson Dunmore Ellery Fairbairn Fenwick Fletcher Garside Gill "
    "Greenhalgh Hartley Haworth Heath Holroyd Hussain Iqbal Jessop Kaur Kenyon Khan Lambert Lindley Lowther Mallory "
    "Marsden Mistry Moorcroft Nair Nuttall Okafor Ormerod Patel Pickering Quayle Radley Ramsden Rowntree Sandford "
    "Sharma Shaw Singh Stainton Sutcliffe Tang Thackeray Thornton Uddin Varley Wainwright Walsh Whitaker Yates"
)
HONORIFICS = ["", "", "", "", "", "Dr", "Cllr", "Professor"]
TOPICS = [
    "Integrated care strategy: annual refresh",
    "Joint forward plan",
    "Health inequalities and Core20PLUS5",
    "Children and young people's mental health",
    "Better Care Fund plan",
    "Winter resilience",
    "Workforce and the health and care academy",
    "Housing and health",
    "Healthwatch annual report",
    "Population health management",
    "Tobacco control and smoke-free generation",
    "Healthy weight and physical activity",
    "Dementia and ageing well",
    "Carers' strategy",
    "Community engagement: you said, we did",
    "Social prescribing and the VCSE sector",
    "Urgent and emergency care recovery",
    "Suicide prevention",
    "Digital inclusion",
    "Joint strategic needs assessment",
    "Learning disability and autism",
    "Start for life and family hubs",
    "Air quality and health",
    "Employment and health",
    "Alcohol and drugs partnership",
]
PRESENTERS = [
    "Director of Public Health",
    "ICB Chief Executive",
    "Director of Adult Social Services",
    "Director of Strategy",
    "Healthwatch Chief Executive",
    "VCSE Alliance Lead",
    "Director of Children's Services",
    "Chief Nurse",
]
EXEMPT_TOPICS = [
    (3, "Procurement of community services: evaluation", "Tender prices are commercially sensitive until award."),
    (3, "Estates: disposal of a site", "Disclosure would prejudice the negotiation of the sale."),
    (1, "Appointment of the independent chair", "The item discusses named candidates."),
    (5, "Legal advice on a pooled budget dispute", "The advice is legally privileged."),
    (4, "Workforce consultation", "Consultation with staff representatives is under way."),
]
DISCUSSION = [
    "Members welcomed the report and asked how it would reach the most deprived communities.",
    "The partnership discussed the risks set out in the paper and the mitigations proposed.",
    "Members asked for the voice of people with lived experience to be heard at the next meeting.",
    "The presenter took questions on the funding position and the timetable for delivery.",
    "Members noted the progress made since the last meeting and the areas still behind plan.",
    "The chair thanked the officers and asked for an update in six months.",
]
RESOLUTIONS = [
    "The partnership agreed the recommendations of the report.",
    "The partnership noted the report.",
    "The partnership endorsed the approach and asked for a progress report.",
]
END_REASONS = [
    "Term ended",
    "Stood down",
    "Left the organisation",
    "Replaced by the nominating body",
    "Not re-elected",
    "Retired",
]
ACTION_TEXTS = [
    "Circulate the evaluation to members.",
    "Bring a progress report to the next meeting.",
    "Share the engagement findings with the health and wellbeing boards.",
    "Arrange a development session on the topic.",
    "Write to the nominating bodies about vacant seats.",
    "Publish the summary on the partnership's website.",
]
# Items that carry papers: every substantive item, the previous minutes and the action log.
PAPER_STANDARDS = ("", AgendaItem.Standard.PREVIOUS_MINUTES, AgendaItem.Standard.ACTION_LOG)
DECISION_STATUSES = (
    [Decision.Status.AGREED] * 40
    + [Decision.Status.AGREED_WITH_AMENDMENTS] * 4
    + [Decision.Status.DEFERRED] * 3
    + [Decision.Status.NOTED] * 2
    + [Decision.Status.NOT_AGREED]
)


@dataclass
class Seat:
    title: str
    sector: str
    organisation_id: int | None
    is_voting: bool = True
    role: str = Membership.Role.MEMBER


@dataclass
class Term:
    """A generated membership, kept in memory for attendance and chairs."""

    seat_index: int
    person_id: int
    start: dt.date
    end: dt.date | None


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    batch: int = 1

    def add(self, kind: str, number: int) -> None:
        self.created[kind] += number


def _bulk(model, rows: list, report: Report, kind: str | None = None) -> list:
    """bulk_create in batches; the rows get their primary keys (PostgreSQL and SQLite return them)."""
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH)
        report.add(kind or model._meta.verbose_name_plural, len(rows))
    return rows


@contextmanager
def explicit_timestamps():
    """Let generated rows carry their historical creation and change times.

    `auto_now`/`auto_now_add` would stamp 15 years of meetings and papers with today's date (and
    make every historic paper look "added after the agenda was published"). They are switched off
    for the duration of the generation only; this runs in a management command or a test, on one
    thread."""
    fields = [
        Meeting._meta.get_field("created_at"),
        Meeting._meta.get_field("updated_at"),
        PaperVersion._meta.get_field("uploaded_at"),
        Minutes._meta.get_field("created_at"),
        PublishedDocument._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def shared_paper() -> tuple[str, int, str]:
    """The one PDF every generated paper version points at: (storage name, size, sha256)."""
    from meetings.factories import minimal_pdf

    content = minimal_pdf("Synthetic paper (generated national-scale data)")
    if not default_storage.exists(SHARED_PAPER_NAME):
        name = default_storage.save(SHARED_PAPER_NAME, ContentFile(content))
    else:
        name = SHARED_PAPER_NAME
    return name, len(content), hashlib.sha256(content).hexdigest()


def generated_batches() -> int:
    """How many batches of generated data the database holds."""
    if not Partnership.objects.filter(slug__startswith=PREFIX).exists():
        return 0
    batch = 1
    while Partnership.objects.filter(slug__startswith=f"{PREFIX}b{batch + 1}-").exists():
        batch += 1
    return batch


def _prefix(batch: int) -> str:
    return PREFIX if batch == 1 else f"{PREFIX}b{batch}-"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _working_day(day: dt.date, forward: bool = True) -> dt.date:
    step = dt.timedelta(days=1 if forward else -1)
    while not deadlines.is_working_day(day):
        day += step
    return day


def _uuid(rng: random.Random, batch: int) -> uuid.UUID:
    """A random (version 4) UUID from the seeded generator, different in each batch (calendar
    UIDs are unique, and a second batch may use the same seed)."""
    return uuid.UUID(int=rng.getrandbits(128) ^ ((batch - 1) * 0x9E3779B97F4A7C15), version=4)


class _Generator:
    def __init__(self, plan: Plan, rng: random.Random, report: Report, today: dt.date):
        self.plan, self.rng, self.report, self.today = plan, rng, report, today
        self.prefix = _prefix(report.batch)
        self.person_serial = 0
        self.paper_file = shared_paper()
        # Term length (years) that makes the plan's number of people hold the plan's seats.
        self.mean_term_years = 3.0

    # Partnerships ------------------------------------------------------------------------

    def partnerships(self, systems) -> list[Partnership]:
        rng, prefix = self.rng, self.prefix
        established = self.today - dt.timedelta(days=round(365.25 * self.plan.years))
        has_statutory = set(
            Partnership.objects.filter(kind=KIND.STATUTORY_ICP, ics__in=systems).values_list("ics_id", flat=True)
        )
        tops, subs = [], []
        for ics in systems:
            kind = KIND.STATUTORY_ICP if ics.pk not in has_statutory else KIND.ASSEMBLY
            name = f"{ics.name} Integrated Care Partnership" if kind == KIND.STATUTORY_ICP else f"{ics.name} Assembly"
            tops.append(
                Partnership(
                    ics=ics,
                    name=name,
                    slug=f"{prefix}{ics.slug}"[:200],
                    kind=kind,
                    purpose="To prepare and oversee the integrated care strategy for the population of the system.",
                    quorum_rule="A third of voting members, including one from the ICB and one from a council",
                    quorum_minimum=5,
                    quorum_requires_icb=True,
                    quorum_requires_council=True,
                    contact_email="icp@example.org",
                    established_on=established,
                )
            )
        skipped = len(systems) - sum(p.kind == KIND.STATUTORY_ICP for p in tops)
        if skipped:
            self.report.notes.append(
                f"{skipped} system(s) already had a statutory ICP; their generated partnership is an assembly."
            )
        _bulk(Partnership, tops, self.report, "partnerships")
        extra = self.plan.partnerships - len(tops)
        places = []
        for index in range(extra):
            parent = tops[index % len(tops)]
            councils = self.councils[parent.ics_id]
            if councils and rng.random() < 0.7:
                council = councils[(index // len(tops)) % len(councils)]
                place_name = f"{council.name} place ({index + 1})"
                place = Place(ics=parent.ics, name=place_name, slug=f"{prefix}{slugify(place_name)}"[:150])
                places.append(place)
                subs.append(
                    Partnership(
                        ics=parent.ics,
                        name=f"{council.name} Place Partnership {index + 1}",
                        slug=f"{prefix}{parent.ics.slug}-place-{index + 1}"[:200],
                        kind=KIND.PLACE,
                        parent=parent,
                        place=place,
                        purpose="To join up health and care in the place.",
                        quorum_minimum=3,
                        established_on=established,
                    )
                )
            else:
                subs.append(
                    Partnership(
                        ics=parent.ics,
                        name=f"{parent.ics.name} Area Partnership {index + 1}",
                        slug=f"{prefix}{parent.ics.slug}-area-{index + 1}"[:200],
                        kind=KIND.AREA,
                        parent=parent,
                        purpose="To lead the integrated care strategy in its part of the system.",
                        quorum_minimum=4,
                        established_on=established,
                    )
                )
        _bulk(Place, places, self.report, "places")
        _bulk(Partnership, subs, self.report, "partnerships")
        return tops + subs

    # Organisations and seats -------------------------------------------------------------

    def organisations(self, systems) -> None:
        """Partner bodies for each system (invented, marked "(synthetic)"), and its real ICB and councils."""
        self.councils, self.icbs, self.partners = {}, {}, {}
        for ics in systems:
            self.icbs[ics.pk] = ics.icb
            self.councils[ics.pk] = [area.local_authority for area in ics.council_areas.all()]
        rows = []
        for ics in systems:
            for sector, label in [
                (SECTOR.NHS_TRUST, "Hospitals NHS Foundation Trust"),
                (SECTOR.NHS_TRUST, "Community and Mental Health NHS Trust"),
                (SECTOR.PRIMARY_CARE, "Primary Care Collaborative"),
                (SECTOR.HEALTHWATCH, "Healthwatch"),
                (SECTOR.VCSE, "VCSE Alliance"),
                (SECTOR.POLICE, "Police"),
                (SECTOR.FIRE_AND_RESCUE, "Fire and Rescue Service"),
                (SECTOR.HOUSING, "Housing Partnership"),
                (SECTOR.UNIVERSITY, "University"),
            ]:
                rows.append(Organisation(name=f"{ics.name} {label} (synthetic)", sector=sector))
        _bulk(Organisation, rows, self.report, "organisations")
        per_system = len(rows) // len(systems)
        for index, ics in enumerate(systems):
            self.partners[ics.pk] = rows[index * per_system : (index + 1) * per_system]

    def seats(self, partnership: Partnership) -> list[Seat]:
        icb, councils, partners = (
            self.icbs[partnership.ics_id],
            self.councils[partnership.ics_id],
            self.partners[partnership.ics_id],
        )
        seats = [Seat("Chair of the ICB", SECTOR.ICB, icb.pk)]
        if partnership.parent_id is None:
            lead_councils = councils[:10]
            for council in lead_councils:
                seats.append(Seat("Leader of the council", SECTOR.LOCAL_AUTHORITY, council.pk))
            seats += [
                Seat("ICB Chief Executive", SECTOR.ICB, icb.pk),
                Seat("ICB Director of Strategy", SECTOR.ICB, icb.pk, is_voting=False, role=Membership.Role.ADVISER),
            ]
            for council in lead_councils:
                seats.append(Seat("Director of Public Health", SECTOR.LOCAL_AUTHORITY, council.pk))
            others = partners
        else:
            for council in councils[:2]:
                seats.append(Seat("Cabinet member for health", SECTOR.LOCAL_AUTHORITY, council.pk))
            others = partners[:6]
        for organisation in others:
            seats.append(Seat(f"Representative of {organisation.name}", organisation.sector, organisation.pk))
        seats.append(Seat("Observer", SECTOR.OTHER, None, is_voting=False, role=Membership.Role.OBSERVER))
        return seats

    # People ------------------------------------------------------------------------------

    def _person(self) -> Person:
        rng = self.rng
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        self.person_serial += 1
        return Person(
            honorific=rng.choice(HONORIFICS),
            given_name=given,
            family_name=family,
            slug=f"{self.prefix}{slugify(given)}-{slugify(family)}-{self.person_serial}",
            email=f"person{self.person_serial}@example.org",
            is_demonstration=True,
        )

    def people(self, partnership: Partnership, seats: list[Seat]) -> list[Term]:
        """Terms for each seat from the partnership's start to today: ended ones with a reason,
        renewals by the same person, a few vacancies, and the current holder."""
        rng, today = self.rng, self.today
        start = partnership.established_on
        plans = []  # (seat index, person index, start, end, reason)
        people: list[Person] = []
        for index, _seat in enumerate(seats):
            day, person = start, None
            while day <= today:
                years = rng.uniform(0.5, 1.5) * self.mean_term_years
                end = day + dt.timedelta(days=max(90, round(365.25 * years)))
                if person is None or rng.random() > 0.15:  # 15% are reappointed for another term
                    people.append(self._person())
                    person = len(people) - 1
                if end >= today:
                    # The current holder: an open term, or (5%) one that ends in the coming months.
                    ends = end if rng.random() < 0.05 else None
                    plans.append((index, person, day, ends, ""))
                    break
                plans.append((index, person, day, end, rng.choice(END_REASONS)))
                day = end + dt.timedelta(days=1)
        _bulk(Person, people, self.report, "people")
        memberships, terms = [], []
        for index, person, day, end, reason in plans:
            seat = seats[index]
            memberships.append(
                Membership(
                    partnership=partnership,
                    person_id=people[person].pk,
                    role=seat.role,
                    seat=seat.title,
                    organisation_id=seat.organisation_id,
                    sector=seat.sector,
                    is_voting=seat.is_voting,
                    start_date=day,
                    end_date=end,
                    end_reason=reason,
                )
            )
            terms.append(Term(index, people[person].pk, day, end))
        _bulk(Membership, memberships, self.report, "memberships")
        self._chairs(partnership, terms)
        self._interests(people, terms)
        return terms

    def _chairs(self, partnership: Partnership, terms: list[Term]) -> None:
        """The ICB chair's seat holds the chair (or co-chair); the second seat (a council leader
        on an ICP) holds the co-chair or vice-chair, term for term."""
        co_chaired = partnership.parent_id is None and self.rng.random() < 0.5
        roles = {
            0: ChairAppointment.Role.CO_CHAIR if co_chaired else ChairAppointment.Role.CHAIR,
            1: ChairAppointment.Role.CO_CHAIR if co_chaired else ChairAppointment.Role.VICE_CHAIR,
        }
        rows = [
            ChairAppointment(
                partnership=partnership,
                person_id=term.person_id,
                role=roles[term.seat_index],
                appointed_by=ChairAppointment.AppointedBy.JOINTLY,
                appointed_on=term.start,
                start_date=term.start,
                end_date=term.end,
                end_reason="Term ended" if term.end and term.end < self.today else "",
            )
            for term in terms
            if term.seat_index in roles
        ]
        _bulk(ChairAppointment, rows, self.report, "chair appointments")

    def _interests(self, people: list[Person], terms: list[Term]) -> None:
        rng = self.rng
        first_start = {}
        for term in terms:
            first_start.setdefault(term.person_id, term.start)
        interests, nil_returns = [], []
        for person in people:
            declared = first_start[person.pk] + dt.timedelta(days=rng.randint(0, 60))
            if declared > self.today:
                continue
            roll = rng.random()
            if roll < 0.4:
                interests.append(
                    Interest(
                        person_id=person.pk,
                        category=rng.choice(Interest.Category.values),
                        description=rng.choice(
                            [
                                "Trustee of a local carers' charity",
                                "Spouse employed by an NHS trust in the system",
                                "Shareholding in a care home provider",
                                "Governor of a foundation trust",
                            ]
                        ),
                        organisation_name="Example Trust (synthetic)",
                        start_date=declared,
                        declared_on=declared,
                    )
                )
            elif roll < 0.7:
                nil_returns.append(NilReturn(person_id=person.pk, declared_on=declared))
        _bulk(Interest, interests, self.report, "interests")
        _bulk(NilReturn, nil_returns, self.report, "nil returns")

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
            dates.append(_working_day(min(day, last), forward=False))
        gap = max(step, dt.timedelta(days=30))
        for index in range(upcoming):
            day = self.today + dt.timedelta(days=4) + gap * index
            dates.append(_working_day(day))
        return sorted(set(dates))

    def meetings(self, partnership: Partnership, count: int, secretariat_id: int | None) -> list[Meeting]:
        rng, today = self.rng, self.today
        rows = []
        dates = self.meeting_dates(partnership, count)
        for day in dates:
            hour = rng.choice([10, 14, 14, 14])
            starts = _at(day, hour)
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
                published_at = _at(min(published_on, today), 9, 30)
            created = _at(day - dt.timedelta(days=90), 9)
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
                    uid=_uuid(rng, self.report.batch),
                    agenda_published_at=published_at,
                    agenda_published_by_id=secretariat_id if published_at else None,
                    created_at=created,
                    updated_at=max(created, published_at or created),
                )
            )
        return _bulk(Meeting, rows, self.report, "meetings")

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
        _bulk(AgendaItem, rows, self.report, "agenda items")
        return items_by_meeting

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
        _bulk(Paper, papers, self.report, "papers")
        name, size, sha256 = self.paper_file
        published = {meeting.pk: meeting.agenda_published_at for meeting in meetings}
        versions = []
        for paper in papers:
            meeting = paper.agenda_item.meeting
            uploaded = (published[meeting.pk] or _at(self.today, 9)) - dt.timedelta(hours=rng.randint(1, 48))
            number_of_versions = 2 if rng.random() < 0.03 else 1
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
        _bulk(PaperVersion, versions, self.report, "paper versions")
        latest = PaperVersion.objects.filter(paper=OuterRef("pk")).order_by("-number").values("pk")[:1]
        Paper.objects.filter(agenda_item__meeting__partnership=partnership, current_version__isnull=True).update(
            current_version=Subquery(latest)
        )

    def records(self, partnership: Partnership, meetings, items_by_meeting, terms: list[Term]):
        """Attendance, decisions, minutes (approved at the next meeting; the latest a published
        draft), minute entries and actions, for the meetings that have been held."""
        rng, today = self.rng, self.today
        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        abbreviation = "".join(word[0] for word in partnership.name.split() if word[0].isupper())[:6] or "P"
        decisions, approvals, attendance, actions = [], {}, [], []
        per_year = Counter()
        for index, meeting in enumerate(held):
            day = meeting.date
            present = [t for t in terms if t.start <= day and (t.end is None or t.end >= day)]
            for term in present:
                roll = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if roll < 0.75
                    else Attendance.Status.APOLOGIES
                    if roll < 0.95
                    else Attendance.Status.ABSENT
                )
                attendance.append(Attendance(meeting=meeting, person_id=term.person_id, status=status))
            for item in items_by_meeting[meeting.pk]:
                if item.standard == AgendaItem.Standard.PREVIOUS_MINUTES and index > 0:
                    previous = held[index - 1]
                    per_year[day.year] += 1
                    decision = Decision(
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
                            meeting=meeting,
                            agenda_item=item,
                            reference=f"{abbreviation}/{day.year}/{per_year[day.year]}",
                            wording=f"{rng.choice(RESOLUTIONS)} ({item.title})",
                            status=rng.choice(DECISION_STATUSES),
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
        _bulk(Attendance, attendance, self.report, "attendance records")
        _bulk(Decision, decisions, self.report, "decisions")
        _bulk(Action, actions, self.report, "actions")
        minutes = []
        for index, meeting in enumerate(held):
            written = _at(meeting.date + dt.timedelta(days=10), 12)
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
        _bulk(Minutes, minutes, self.report, "minutes")
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
        _bulk(MinuteEntry, entries, self.report, "minute entries")
        return minutes, decisions, actions

    def strategy(self, partnership: Partnership, items_by_meeting, decisions, actions) -> None:
        """The integrated care strategy of a top-level partnership (if the strategy app is installed)."""
        if partnership.parent_id is not None or not apps.is_installed("strategy"):
            return
        from .national_strategy import strategy_generate

        strategy_generate(
            partnership=partnership,
            councils=self.councils[partnership.ics_id],
            decisions=decisions,
            actions=actions,
            items=[item for items in items_by_meeting.values() for item in items if not item.standard],
            rng=self.rng,
            today=self.today,
            years=self.plan.years,
            bulk=lambda model, rows, kind: _bulk(model, rows, self.report, kind),
        )

    def documents(self, partnership: Partnership, meetings, items_by_meeting, minutes: list[Minutes]) -> None:
        """The PDFs the portal would have published: an agenda pack per published agenda and the
        approved minutes, all built (status done) and pointing at the shared file."""
        name, size, sha256 = self.paper_file
        rows = []

        def document(meeting, kind, title, text, built, minutes=None):
            return PublishedDocument(
                partnership=partnership,
                meeting=meeting,
                minutes=minutes,
                kind=kind,
                source_version=f"generated-{kind}",
                is_public=meeting.is_public,
                title=f"{title}: {meeting.title}, {meeting.date:%-d %B %Y}",
                status=PublishedDocument.Status.DONE,
                file=name,
                sha256=sha256,
                size=size,
                page_count=1,
                text=text if meeting.is_public else "",
                created_at=built,
                started_at=built,
                finished_at=built + dt.timedelta(seconds=5),
            )

        for meeting in meetings:
            if meeting.agenda_published_at and meeting.date < self.today:
                text = ". ".join(i.title for i in items_by_meeting[meeting.pk] if not i.is_exempt)
                kind = PublishedDocument.Kind.AGENDA_PACK
                rows.append(document(meeting, kind, "Agenda pack", text, meeting.agenda_published_at))
        for record in minutes:
            if record.status == Minutes.Status.APPROVED and record.published_at:
                meeting = record.meeting
                text = "Minutes. " + ". ".join(i.title for i in items_by_meeting[meeting.pk] if not i.is_exempt)
                kind = PublishedDocument.Kind.MINUTES
                rows.append(document(meeting, kind, "Minutes", text, record.published_at, minutes=record))
        _bulk(PublishedDocument, rows, self.report, "published documents")


def _secretariat(systems, partnerships, prefix: str, today: dt.date, report: Report) -> dict[int, int]:
    """One secretariat account per system, assigned to each of its generated partnerships.
    The accounts cannot sign in (unusable passwords) until an administrator sets a password."""
    User = get_user_model()
    users = []
    for ics in systems:
        user = User(username=f"{prefix}{ics.slug}-secretariat"[:150], email=f"secretariat-{ics.pk}@example.org")
        user.set_unusable_password()
        users.append(user)
    _bulk(User, users, report, "secretariat users")
    by_system = {ics.pk: user.pk for ics, user in zip(systems, users, strict=True)}
    start = min(p.established_on for p in partnerships)
    assignments = [
        SecretariatAssignment(partnership=p, user_id=by_system[p.ics_id], start_date=start) for p in partnerships
    ]
    _bulk(SecretariatAssignment, assignments, report, "secretariat assignments")
    return by_system


def national_generate(plan: Plan, *, seed: int = 2026, today: dt.date | None = None) -> Report:
    """Generate `plan` on top of the reference geography, in one transaction.

    Raises ReferenceDataMissing if fewer systems than the plan needs are loaded. A database
    that already holds generated data gets a new batch (distinct slugs); callers that want to
    refuse a second run check `generated_batches()` first."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    systems = list(
        IntegratedCareSystem.objects.filter(icb__isnull=False)
        .select_related("icb")
        .prefetch_related("council_areas__local_authority")
        .order_by("name")
    )
    if len(systems) < plan.systems:
        raise ReferenceDataMissing(
            f"The plan needs {plan.systems} integrated care systems with their boards, and the database has "
            f"{len(systems)}. Run manage.py load_reference_data first."
        )
    report = Report(batch=generated_batches() + 1)
    systems = sorted(rng.sample(systems, plan.systems), key=lambda s: s.name)
    with transaction.atomic(), explicit_timestamps():
        generator = _Generator(plan, rng, report, today)
        generator.organisations(systems)
        partnerships = generator.partnerships(systems)
        seats = {p.pk: generator.seats(p) for p in partnerships}
        seat_years = sum(len(s) for s in seats.values()) * plan.years
        # 15% of terms are reappointments of the holder, so people are 85% of terms.
        generator.mean_term_years = min(float(plan.years), max(1.0, seat_years * 0.85 / plan.people))
        secretariat = _secretariat(systems, partnerships, generator.prefix, today, report) if plan.secretariat else {}
        share, remainder = divmod(plan.meetings, len(partnerships))
        for index, partnership in enumerate(partnerships):
            terms = generator.people(partnership, seats[partnership.pk])
            count = share + (1 if index < remainder else 0)
            meetings = generator.meetings(partnership, count, secretariat.get(partnership.ics_id))
            items = generator.agendas(meetings)
            generator.papers(partnership, meetings, items)
            minutes, decisions, actions = generator.records(partnership, meetings, items, terms)
            generator.documents(partnership, meetings, items, minutes)
            generator.strategy(partnership, items, decisions, actions)
        if plan.secretariat:
            # Only these partnerships have users holding roles (no generated person has an account).
            for partnership in partnerships:
                permissions_sync(partnership)
            report.notes.append(f"Permissions synced for {len(partnerships)} partnerships with a secretariat.")
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather them later: without them the first
        # queries on the new rows are planned as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report


def generated_partnerships(batch: int = 1):
    """The partnerships of one generated batch (for tests and the benchmark)."""
    prefix = _prefix(batch)
    queryset = Partnership.objects.filter(slug__startswith=prefix)
    if batch == 1:
        queryset = queryset.exclude(slug__regex=rf"^{PREFIX}b[0-9]+-")
    return queryset
