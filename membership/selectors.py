"""Reads for the secretariat workspace that are more than a one-line queryset.

Each runs a fixed number of queries, whatever the size of the partnership."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from partnerships.models import IntegratedCareBoard, Organisation, Partnership, SystemLocalAuthority

from .models import ChairAppointment, Interest, Membership, NilReturn, Person, SecretariatAssignment

# What a list of people reads of each: their name as written (`Person.display_name`) and the
# slug their link is made of.
PERSON_NAME = ("honorific", "given_name", "family_name", "post_nominals", "slug")

# How long a declaration of interests stays fresh: registers are refreshed at least yearly.
DECLARATION_VALID_MONTHS = 12


@dataclass(frozen=True)
class CompositionGap:
    """A body that must sit on the statutory ICP but has no current member representing it."""

    organisation: Organisation
    is_icb: bool
    # For a council only partly in the system: the share of its area that is.
    share_pct: Decimal | None = None


def composition_gaps(partnership: Partnership, on: dt.date | None = None, *, members=None) -> list[CompositionGap]:
    """The ICB and each upper-tier council of the partnership's system that no current member represents.

    The Health and Care Act 2022 makes the ICB and every upper-tier council whose area falls (wholly
    or partly) in the ICB's area the statutory ICP's required members; everyone else is agreed locally.
    Sub-partnerships set their own composition, so for them the list is empty. Bodies that have ceased
    (an organisation's `valid_to` before `on`) are not required, nor is a council whose place in the
    system had ended by `on` or not yet begun (a boundary change, or a new share of its area, ends
    its row and starts another). Two queries, given `members`
    (rows of `current_members` for the same day) or not."""
    if partnership.kind != Partnership.Kind.STATUTORY_ICP:
        return []
    on = on or timezone.localdate()
    if members is None:
        represented = Membership.objects.current(on).filter(partnership=partnership, organisation__isnull=False)
        represented_ids = Subquery(represented.values("organisation_id"))
    else:
        represented_ids = {membership.organisation_id for membership in members if membership.organisation_id}
    gaps = []
    icb = (
        IntegratedCareBoard.objects.current(on)
        .filter(ics_id=partnership.ics_id)
        .exclude(pk__in=represented_ids)
        # A gap is shown by the body's name alone.
        .only("name")
        .first()
    )
    if icb:
        gaps.append(CompositionGap(organisation=icb, is_icb=True))
    areas = (
        SystemLocalAuthority.objects.in_force(on)
        .filter(ics_id=partnership.ics_id)
        .filter(
            Q(local_authority__valid_from__isnull=True) | Q(local_authority__valid_from__lte=on),
            Q(local_authority__valid_to__isnull=True) | Q(local_authority__valid_to__gte=on),
        )
        .exclude(local_authority_id__in=represented_ids)
        .select_related("local_authority")
        .only("lsoa_share_pct", "local_authority__name")
        .order_by("local_authority__name")
    )
    for area in areas:
        gaps.append(
            CompositionGap(
                organisation=area.local_authority,
                is_icb=False,
                share_pct=area.lsoa_share_pct if area.is_partial else None,
            )
        )
    return gaps


@dataclass(frozen=True)
class InterestReminder:
    """A current member whose declaration of interests is missing or out of date."""

    membership: Membership
    last_declared_on: dt.date | None

    @property
    def person(self) -> Person:
        return self.membership.person


def a_year_before(on: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return on.replace(year=on.year - DECLARATION_VALID_MONTHS // 12)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


def current_members(partnership: Partnership, on: dt.date | None = None):
    """The partnership's current memberships by name, with each person and organisation and the
    dates of the person's latest interest and nil return (`last_interest_on`,
    `last_nil_return_on`). One query."""
    on = on or timezone.localdate()
    return _with_declarations(Membership.objects.current(on).filter(partnership=partnership), on)


def current_and_starting_members(partnership: Partnership, on: dt.date | None = None):
    """The partnership's current memberships as `current_members` lists them, and those starting
    after `on` by start date: one query, for the dashboard lists both, and reminds and checks
    the composition from the current ones."""
    on = on or timezone.localdate()
    rows = _with_declarations(
        Membership.objects.filter(partnership=partnership).filter(Q(end_date__isnull=True) | Q(end_date__gte=on)), on
    ).only(
        # What the dashboard's lists show of each member, not the person's contact details or the
        # organisation's history, for every member of a large partnership.
        "start_date",
        "end_date",
        "role",
        "seat",
        "sector",
        "is_voting",
        *(f"person__{field}" for field in PERSON_NAME),
        "organisation__name",
    )
    current, starting = [], []
    for membership in rows:
        (current if membership.is_current(on) else starting).append(membership)
    starting.sort(key=lambda membership: (membership.start_date, membership.person.family_name))
    return current, starting


def _with_declarations(memberships, on: dt.date):
    """`memberships` by name, with each person and organisation and the dates of the person's
    latest interest and nil return on `on` (`last_interest_on`, `last_nil_return_on`)."""
    latest_interest = Interest.objects.filter(person=OuterRef("person_id"), declared_on__lte=on).order_by(
        "-declared_on"
    )
    latest_nil_return = NilReturn.objects.filter(person=OuterRef("person_id"), declared_on__lte=on).order_by(
        "-declared_on"
    )
    return (
        memberships.select_related("person", "organisation")
        .annotate(
            last_interest_on=Subquery(latest_interest.values("declared_on")[:1]),
            last_nil_return_on=Subquery(latest_nil_return.values("declared_on")[:1]),
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )


def interest_reminders(partnership: Partnership, on: dt.date | None = None, *, members=None) -> list[InterestReminder]:
    """Current members whose latest declaration (an interest or a nil return) is more than
    12 months old, or who have never declared: the secretariat asks them to update the register.

    People who have never declared come first, then the longest overdue. One query, or none
    given `members` (rows of `current_members` for the same day)."""
    on = on or timezone.localdate()
    if members is None:
        members = current_members(partnership, on)
    cutoff = a_year_before(on)
    reminders = []
    for membership in members:
        dates = [d for d in (membership.last_interest_on, membership.last_nil_return_on) if d]
        last = max(dates) if dates else None
        if last is None or last < cutoff:
            reminders.append(InterestReminder(membership=membership, last_declared_on=last))
    reminders.sort(key=lambda r: (r.last_declared_on is not None, r.last_declared_on or dt.date.min))
    return reminders


def partnership_people(partnership: Partnership):
    """People the partnership's secretariat may see and edit: everyone who holds or held a seat
    or a chair on it, and people its secretariat added who hold neither yet."""
    return Person.objects.filter(
        Q(pk__in=Membership.objects.filter(partnership=partnership).values("person_id"))
        | Q(pk__in=ChairAppointment.objects.filter(partnership=partnership).values("person_id"))
        | Q(added_for=partnership)
    )


def system_people(partnership: Partnership):
    """People who may be chosen for a seat or chair on the partnership: this partnership's people
    and anyone who sits or sat on another partnership of the same system (members of an area ICP
    often sit on the system's ICP too). Choosing someone shows only their name."""
    in_system = Q(partnership__ics_id=partnership.ics_id)
    return Person.objects.filter(
        Q(pk__in=Membership.objects.filter(in_system).values("person_id"))
        | Q(pk__in=ChairAppointment.objects.filter(in_system).values("person_id"))
        | Q(added_for=partnership)
    )


def people_with_contact_details_shown_to(partnerships):
    """People whose email and phone the secretariat of `partnerships` (a queryset) may see:
    those it added, and those who sit or sat on one of them and have agreed to share their
    contact details with every partnership they sit on.

    Being given a seat or chair by a secretariat is not enough on its own: a secretariat could
    add anyone in the system as an observer and then read their details."""
    ids = partnerships.values("pk")
    sits = Q(pk__in=Membership.objects.filter(partnership__in=ids).values("person_id")) | Q(
        pk__in=ChairAppointment.objects.filter(partnership__in=ids).values("person_id")
    )
    return Person.objects.filter(Q(added_for__in=ids) | (Q(contact_details_shared_on__isnull=False) & sits))


def people_without_a_role(partnership: Partnership):
    """People the secretariat added who hold no seat or chair anywhere yet: a reminder to finish."""
    return (
        Person.objects.filter(added_for=partnership)
        .exclude(pk__in=Membership.objects.values("person_id"))
        .exclude(pk__in=ChairAppointment.objects.values("person_id"))
        .order_by("family_name", "given_name")
    )


def _count(queryset, field: str = "partnership"):
    """A correlated COUNT for annotating partnerships, without multiplying joins. COUNT over the
    subquery's rows, with no GROUP BY, is 0 for none: cheaper for Django to build, on every
    visit to the workspace, than grouping and then replacing a missing count with 0."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().annotate(n=Func(F("pk"), function="COUNT"))
    return Subquery(counted.values("n"), output_field=IntegerField())


def partnerships_with_counts(partnerships, on: dt.date | None = None):
    """`partnerships` annotated with their current member, chair and secretariat counts, with
    their names, system and parent for the list, and what the tasks due link to and count by
    (slug, minutes rule). One query."""
    on = on or timezone.localdate()
    return (
        partnerships.select_related("ics", "parent")
        .only("name", "slug", "minutes_due_working_days", "ics__name", "parent__name")
        .annotate(
            current_member_count=_count(Membership.objects.current(on)),
            current_chair_count=_count(ChairAppointment.objects.current(on)),
            current_secretariat_count=_count(SecretariatAssignment.objects.current(on)),
        )
        .order_by("name")
    )
