"""An Area ICP and the Strategic ICP of one system, their secretariats and members, and a
report tabled at the Area ICP: the world a paper's path runs through."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory
from membership.factories import MembershipFactory, PersonFactory, SecretariatAssignmentFactory, UserFactory
from membership.permissions import permissions_sync
from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory


def _at(days: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(14)))


def _published(partnership, title, days, **extra):
    return MeetingFactory(
        partnership=partnership,
        title=title,
        starts_at=_at(days),
        agenda_published_at=timezone.now() - dt.timedelta(days=1),
        **extra,
    )


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def system(db):
    ics = IntegratedCareSystemFactory()
    strategic = PartnershipFactory(ics=ics, name="Strategic ICP", slug="strategic-icp")
    area = PartnershipFactory(ics=ics, name="North Area ICP", slug="north-area-icp", kind="area", parent=strategic)
    elsewhere = PartnershipFactory(name="Elsewhere ICP", slug="elsewhere-icp")
    users = SimpleNamespace(
        area_staff=UserFactory(username="area_staff"),
        strategic_staff=UserFactory(username="strategic_staff"),
        strategic_member=UserFactory(username="strategic_member"),
        area_member=UserFactory(username="area_member"),
    )
    SecretariatAssignmentFactory(partnership=area, user=users.area_staff)
    SecretariatAssignmentFactory(partnership=strategic, user=users.strategic_staff)
    MembershipFactory(partnership=strategic, person=PersonFactory(user=users.strategic_member))
    MembershipFactory(partnership=area, person=PersonFactory(user=users.area_member))
    for partnership in (area, strategic, elsewhere):
        permissions_sync(partnership)

    area_meeting = _published(area, "North Area ICP", -40)
    area_item = AgendaItemFactory(meeting=area_meeting, title="Winter plan", purpose="decision")
    report = PaperFactory(agenda_item=area_item, title="Winter plan 2026")
    exempt_area_item = AgendaItemFactory(meeting=area_meeting, title="Care home contract", exempt=True)
    secret_report = PaperFactory(agenda_item=exempt_area_item, title="Care home contract terms")

    board = _published(strategic, "Strategic ICP board", 10)
    public_item = AgendaItemFactory(meeting=board, title="System winter plan", purpose="information")
    exempt_item = AgendaItemFactory(meeting=board, title="Estates disposal", exempt=True)
    private = _published(strategic, "Strategic ICP chief executives", 5, is_public=False)
    private_item = AgendaItemFactory(meeting=private, title="Winter pressures")
    return SimpleNamespace(
        ics=ics,
        area=area,
        strategic=strategic,
        elsewhere=elsewhere,
        users=users,
        area_meeting=area_meeting,
        report=report,
        secret_report=secret_report,
        board=board,
        public_item=public_item,
        exempt_item=exempt_item,
        private=private,
        private_item=private_item,
    )
