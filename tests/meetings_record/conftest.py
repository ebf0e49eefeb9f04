import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory
from membership.factories import MembershipFactory, PersonFactory
from partnerships.factories import OrganisationFactory


def days_from_now(days: int, hour: int = 14) -> dt.datetime:
    """An aware datetime `days` from today (negative: in the past) at `hour`:00, Europe/London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def meeting_on(partnership, days: int, **kwargs):
    return MeetingFactory(partnership=partnership, starts_at=days_from_now(days), **kwargs)


def seat(partnership, sector: str, *, voting: bool = True, **kwargs):
    """A current membership of `partnership` representing an organisation of `sector`."""
    organisation = OrganisationFactory(sector=sector, name=kwargs.pop("organisation_name", f"A {sector} body"))
    return MembershipFactory(
        partnership=partnership,
        person=kwargs.pop("person", None) or PersonFactory(),
        organisation=organisation,
        sector=sector,
        is_voting=voting,
        **kwargs,
    )


def quorate(board, meeting, *names: str):
    """Record the board's ICB, council and Healthwatch members (or the seats `names`) as present
    at `meeting`: three voting members, including the ICB and a council, a quorum."""
    from meetings.factories import AttendanceFactory

    for name in names or ("icb", "council", "healthwatch"):
        AttendanceFactory(meeting=meeting, person=getattr(board.seats, name).person, status="present")
    return meeting


@pytest.fixture
def board(cast):
    """The cast's partnership with a quorum of 3 including the ICB and a council, five voting
    seats (ICB, two councils, Healthwatch, VCSE), one non-voting adviser, a meeting held a month
    ago with an agenda (item 2 exempt) and the next meeting, held yesterday, with an action log."""
    partnership = cast.partnership
    partnership.quorum_numerator = partnership.quorum_denominator = None
    partnership.quorum_minimum = 3
    partnership.quorum_requires_icb = True
    partnership.quorum_requires_council = True
    partnership.quorum_rule = "Three voting members, including one from the ICB and one from a council"
    partnership.save()
    seats = SimpleNamespace(
        icb=seat(partnership, "icb", seat="ICB chief executive"),
        council=seat(partnership, "local_authority", seat="Leader of the council"),
        council2=seat(partnership, "local_authority", seat="Cabinet member for adult social care"),
        healthwatch=seat(partnership, "healthwatch", seat="Healthwatch chair"),
        vcse=seat(partnership, "vcse", seat="VCSE alliance"),
        adviser=seat(partnership, "other", voting=False, role="adviser", seat="Director of Public Health"),
    )
    earlier = meeting_on(partnership, -30, title="Partnership board")
    items = SimpleNamespace(
        welcome=AgendaItemFactory(meeting=earlier, position=1, title="Welcome and apologies", standard="welcome"),
        exempt=AgendaItemFactory(meeting=earlier, position=2, title="Secret contract with Acme Widgets", exempt=True),
        strategy=AgendaItemFactory(meeting=earlier, position=3, title="Integrated care strategy refresh"),
    )
    later = meeting_on(partnership, -1, title="Partnership board")
    later_items = SimpleNamespace(
        minutes=AgendaItemFactory(
            meeting=later, position=1, title="Minutes of the last meeting", standard="previous_minutes"
        ),
        action_log=AgendaItemFactory(meeting=later, position=2, title="Action log", standard="action_log"),
    )
    return SimpleNamespace(
        partnership=partnership,
        seats=seats,
        meeting=earlier,
        items=items,
        later=later,
        later_items=later_items,
        secretariat=cast.secretariat,
    )
