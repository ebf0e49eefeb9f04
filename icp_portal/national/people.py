"""Partnerships, partner organisations, seats, people and their terms, chairs, interests and
the secretariat, for the national-scale generator."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from membership.models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment
from partnerships.models import Organisation, Partnership, Place

from .base import KIND, SECTOR, Report, Seat, Term, bulk
from .words import END_REASONS, FAMILY_NAMES, GIVEN_NAMES, HONORIFICS


class PeopleMixin:
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
                    quorum_numerator=1,
                    quorum_denominator=3,
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
        bulk(Partnership, tops, self.report, "partnerships")
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
                        quorum_rule="Three voting members",
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
                        quorum_rule="Four voting members",
                        quorum_minimum=4,
                        established_on=established,
                    )
                )
        bulk(Place, places, self.report, "places")
        bulk(Partnership, subs, self.report, "partnerships")
        return tops + subs

    # Organisations and seats -------------------------------------------------------------

    def organisations(self, systems) -> None:
        """Partner bodies for each system (invented, marked "(synthetic)"), and its real ICB and councils."""
        self.councils, self.icbs, self.partners = {}, {}, {}
        for ics in systems:
            self.icbs[ics.pk] = ics.icb
            # A council can cover the system in more than one period (boundary changes): once each.
            self.councils[ics.pk] = list(dict.fromkeys(area.local_authority for area in ics.council_areas.all()))
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
        bulk(Organisation, rows, self.report, "organisations")
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
        bulk(Person, people, self.report, "people")
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
        bulk(Membership, memberships, self.report, "memberships")
        self._chairs(partnership, terms)
        self._interests(people, terms, partnership.ics_id)
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
        bulk(ChairAppointment, rows, self.report, "chair appointments")

    def _interests(self, people: list[Person], terms: list[Term], ics_id: int) -> None:
        rng = self.rng
        # A register names one of the system's partner bodies, which agenda items name too
        # (`MeetingsMixin.concerns`): the conflicts of interest prompts have something to find.
        partners = self.partners[ics_id]
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
                        organisation_name=self.concerns_rng.choice(partners).name,
                        start_date=declared,
                        declared_on=declared,
                    )
                )
            elif roll < 0.7:
                nil_returns.append(NilReturn(person_id=person.pk, declared_on=declared))
        bulk(Interest, interests, self.report, "interests")
        bulk(NilReturn, nil_returns, self.report, "nil returns")


def secretariat_create(systems, partnerships, prefix: str, today: dt.date, report: Report) -> dict[int, int]:
    """One secretariat account per system, assigned to each of its generated partnerships.
    The accounts cannot sign in (unusable passwords) until an administrator sets a password."""
    User = get_user_model()
    users = []
    for ics in systems:
        user = User(username=f"{prefix}{ics.slug}-secretariat"[:150], email=f"secretariat-{ics.pk}@example.org")
        user.set_unusable_password()
        users.append(user)
    bulk(User, users, report, "secretariat users")
    by_system = {ics.pk: user.pk for ics, user in zip(systems, users, strict=True)}
    start = min(p.established_on for p in partnerships)
    assignments = [
        SecretariatAssignment(partnership=p, user_id=by_system[p.ics_id], start_date=start) for p in partnerships
    ]
    bulk(SecretariatAssignment, assignments, report, "secretariat assignments")
    return by_system
