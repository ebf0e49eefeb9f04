"""Shaping people and their roles for the public pages."""

import datetime as dt
from dataclasses import dataclass, field

from partnerships.models import Organisation, Partnership

from .models import ChairAppointment, Membership


@dataclass
class SectorGroup:
    """The members of a partnership who sit for one sector."""

    sector: str
    label: str
    memberships: list[Membership] = field(default_factory=list)


def members_by_sector(memberships) -> list[SectorGroup]:
    """Group memberships by the sector their seat represents, in the order the sectors are
    listed in `Organisation.Sector` (ICB and councils first), keeping the order given within
    each group. Sectors with no members are left out."""
    groups = {value: SectorGroup(sector=value, label=label) for value, label in Organisation.Sector.choices}
    for membership in memberships:
        # A sector no longer among the choices is still shown, under its stored value.
        group = groups.setdefault(membership.sector, SectorGroup(sector=membership.sector, label=membership.sector))
        group.memberships.append(membership)
    return [group for group in groups.values() if group.memberships]


@dataclass
class Role:
    """One row of a person's record: a seat on a partnership or a chair appointment."""

    partnership: Partnership
    title: str
    start_date: dt.date
    end_date: dt.date | None = None
    end_reason: str = ""
    seat: str = ""
    organisation: Organisation | None = None
    is_chair: bool = False
    partnership_is_public: bool = True


@dataclass
class PersonRoles:
    current: list[Role]
    upcoming: list[Role]
    past: list[Role]


def membership_title(membership: Membership) -> str:
    """'Member', or 'Participant (non-voting)': the role, and whether the seat carries a vote
    when that is not what the role implies."""
    title = membership.get_role_display()
    if membership.role in (Membership.Role.MEMBER, Membership.Role.PARTICIPANT) and not membership.is_voting:
        title += " (non-voting)"
    return title


def person_roles(
    *,
    memberships: list[Membership],
    chair_appointments: list[ChairAppointment],
    public_partnership_ids: set[int],
    on: dt.date,
) -> PersonRoles:
    """A person's memberships and chair appointments as one record, split into current,
    upcoming and past terms on the date `on`.

    Current roles are listed by start date, the most recent first; upcoming roles the soonest
    first; past roles by end date, the most recent first. A chair appointment comes before a
    seat with the same date. `public_partnership_ids` says which partnerships the public may
    see, so that the page links only to those."""
    roles = [
        Role(
            partnership=appointment.partnership,
            title=appointment.get_role_display(),
            start_date=appointment.start_date,
            end_date=appointment.end_date,
            end_reason=appointment.end_reason,
            is_chair=True,
        )
        for appointment in chair_appointments
    ] + [
        Role(
            partnership=membership.partnership,
            title=membership_title(membership),
            start_date=membership.start_date,
            end_date=membership.end_date,
            end_reason=membership.end_reason,
            seat=membership.seat,
            organisation=membership.organisation,
        )
        for membership in memberships
    ]
    current, upcoming, past = [], [], []
    for role in roles:
        role.partnership_is_public = role.partnership.pk in public_partnership_ids
        if role.end_date and role.end_date < on:
            past.append(role)
        elif role.start_date > on:
            upcoming.append(role)
        else:
            current.append(role)
    # Stable sorts: chair appointments come first in `roles`, so they stay ahead of seats.
    current.sort(key=lambda role: role.start_date, reverse=True)
    upcoming.sort(key=lambda role: role.start_date)
    past.sort(key=lambda role: role.end_date, reverse=True)
    return PersonRoles(current=current, upcoming=upcoming, past=past)
