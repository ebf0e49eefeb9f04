"""A hand-counted record for the scorecard: the 12 months to Tuesday 30 June 2026.

System "Alpha" has a statutory ICP whose meetings are counted below, item by item; "Beta" has a
partnership with no meetings; "Gamma" has no partnership recorded; "Ended" was wound up before
the period ended and has no row. The expected figures are worked out in `test_measures.py`.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory, MinutesFactory, PaperFactory
from meetings.models import Meeting, Minutes
from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory
from strategy.factories import StrategyFactory, StrategyVersionFactory
from strategy.models import StrategyVersion

ON = dt.date(2026, 6, 30)


def at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def held(partnership, day, **kwargs):
    kwargs.setdefault("status", Meeting.Status.HELD)
    return MeetingFactory(
        partnership=partnership, starts_at=at(day), ends_at=at(day, 16), title=f"Meeting of {day}", **kwargs
    )


@pytest.fixture
def record(db):
    alpha = PartnershipFactory(ics=IntegratedCareSystemFactory(name="Alpha"), name="Alpha ICP", slug="alpha-icp")
    beta = PartnershipFactory(ics=IntegratedCareSystemFactory(name="Beta"), name="Beta ICP", slug="beta-icp")
    gamma = IntegratedCareSystemFactory(name="Gamma")
    ended = IntegratedCareSystemFactory(name="Ended", valid_to=dt.date(2026, 3, 31))

    # M1, Friday 29 May 2026. Five clear working days before it are 28, 27, 26, 22 and 21 May (the
    # Spring bank holiday, Monday 25 May, does not count), so the deadline was Wednesday 20 May:
    # published Thursday 21 May, it was late (with 25 May counted it would have been on time).
    m1 = held(alpha, dt.date(2026, 5, 29), agenda_published_at=at(dt.date(2026, 5, 21), 9))
    item = AgendaItemFactory(meeting=m1, position=1)
    PaperFactory(agenda_item=item)
    AgendaItemFactory(meeting=m1, position=2)
    exempt = AgendaItemFactory(meeting=m1, position=3, exempt=True)
    PaperFactory(agenda_item=exempt)  # exempt: never counted as a paper
    # M2, Thursday 25 June: deadline Wednesday 17 June (24, 23, 22, 19, 18 June clear); on time.
    m2 = held(alpha, dt.date(2026, 6, 25), agenda_published_at=at(dt.date(2026, 6, 17), 9))
    AgendaItemFactory(meeting=m2, position=1)
    restricted = AgendaItemFactory(meeting=m2, position=2)
    PaperFactory(agenda_item=restricted, restricted=True)  # restricted: not a published paper
    AgendaItemFactory(
        meeting=m2, position=3, withdrawn_at=at(dt.date(2026, 6, 20)), withdrawal_reason="Not ready."
    )  # withdrawn: not taken, not counted
    # M1's draft minutes, Friday 5 June: 5 working days (1-5 June); due 12 June (10 working days), on
    # time. Approved at M2 on 25 June: 19 working days (1-5, 8-12, 15-19, 22-25 June).
    MinutesFactory(
        meeting=m1,
        status=Minutes.Status.APPROVED,
        published_at=at(dt.date(2026, 6, 5), 10),
        approved_at_meeting=m2,
    )
    # M3, Thursday 12 March: agenda on time; draft minutes Thursday 2 April, 15 working days
    # (13, 16-20, 23-27 March, 30 March-2 April), after the due date of 26 March: late.
    m3 = held(alpha, dt.date(2026, 3, 12), agenda_published_at=at(dt.date(2026, 3, 1)))
    MinutesFactory(meeting=m3, published_at=at(dt.date(2026, 4, 2), 10))
    MinutesFactory(meeting=m3, version=2)  # an unpublished correction: not counted
    # M4, Thursday 15 January: held, no agenda published, no minutes (late: due 29 January).
    m4 = held(alpha, dt.date(2026, 1, 15))
    AgendaItemFactory(meeting=m4, position=1)  # on an unpublished agenda: not counted
    # M5, Wednesday 1 July 2025, the first day of the period: entered after it was held (no deadline).
    m5 = held(alpha, dt.date(2025, 7, 1), agenda_published_at=at(dt.date(2025, 8, 1)), recorded_after_event=True)
    # Not counted: a private session (late agenda, exempt items, minutes), a cancelled meeting
    # (counted as cancelled), the meeting of 30 June 2025 (the day before the period), one 13
    # months ago, and one after the period whose agenda was published after it.
    private = held(alpha, dt.date(2026, 2, 10), is_public=False, agenda_published_at=at(dt.date(2026, 2, 9)))
    AgendaItemFactory(meeting=private, position=1, exempt=True)
    PaperFactory(agenda_item=AgendaItemFactory(meeting=private, position=2))
    MinutesFactory(meeting=private, published_at=at(dt.date(2026, 2, 11)))
    cancelled = held(
        alpha,
        dt.date(2026, 4, 20),
        status=Meeting.Status.CANCELLED,
        notice="Cancelled: not quorate.",
        agenda_published_at=at(dt.date(2026, 4, 1)),
    )
    AgendaItemFactory(meeting=cancelled, position=1)
    day_before = held(alpha, dt.date(2025, 6, 30), agenda_published_at=at(dt.date(2025, 6, 1)))
    old = held(alpha, dt.date(2025, 5, 28), agenda_published_at=at(dt.date(2025, 5, 1)))
    later = held(
        alpha, dt.date(2026, 7, 10), status=Meeting.Status.SCHEDULED, agenda_published_at=at(dt.date(2026, 7, 1), 9)
    )

    # Alpha's strategy: version 1 published 15 March 2024; review due since 1 February 2026;
    # a draft version 2 (never counted).
    strategy = StrategyFactory(partnership=alpha)
    strategy.review_due = True
    strategy.review_due_since = at(dt.date(2026, 2, 1))
    strategy.save()
    StrategyVersionFactory(
        strategy=strategy, number=1, status=StrategyVersion.Status.PUBLISHED, published_at=at(dt.date(2024, 3, 15))
    )
    StrategyVersionFactory(strategy=strategy, number=2, status=StrategyVersion.Status.DRAFT)
    return SimpleNamespace(
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        ended=ended,
        m1=m1,
        m2=m2,
        m3=m3,
        m4=m4,
        m5=m5,
        private=private,
        cancelled=cancelled,
        day_before=day_before,
        old=old,
        later=later,
    )
