"""Demonstration of conflicts of interest on NENC's Strategic ICP's winter meeting: its items
name the organisations they concern, so the secretariat sees prompts (the co-chair Cllr Edwin
Saltmarsh's interest in a hospice charity named on the Better Care Fund item), and the demo
member Dr Imogen Larchfield, who holds shares in a home care provider named on the exempt
winter contracts item, is withheld that item's paper under the partnership's policy.

The organisations and the interest are fictional, like every demo person. Idempotent: each row
is looked up before it is made, and organisations are added to items, never taken off."""

import datetime as dt

from membership.models import Interest, Person
from partnerships.models import Organisation, Partnership

WINTER_MEETING = "Strategic Integrated Care Partnership (winter)"
HOME_CARE = "Wear Valley Home Care Ltd"
HOSPICE = "Friends of Wear Valley Hospice"

# Item title on the winter agenda -> (organisation, its sector) named on it.
NAMED = {
    "Better Care Fund plans across the thirteen places": (HOSPICE, Organisation.Sector.VCSE),
    "Winter resilience: commercial arrangements": (HOME_CARE, Organisation.Sector.SOCIAL_CARE_PROVIDER),
}


def conflicts_demo_load(partnership: Partnership) -> None:
    """Name organisations on the winter meeting's items and register the demo member's interest."""
    meeting = partnership.meetings.filter(title=WINTER_MEETING).first()
    if meeting is None:
        return
    for title, (name, sector) in NAMED.items():
        item = meeting.agenda_items.filter(title=title).first()
        if item is None:
            continue
        organisation = Organisation.objects.filter(name=name).first() or Organisation.objects.create(
            name=name, sector=sector
        )
        item.organisations.add(organisation)
    member = Person.objects.filter(slug="imogen-larchfield").first()
    if member is not None and not member.interests.filter(organisation_name=HOME_CARE).exists():
        interest = Interest(
            person=member,
            category=Interest.Category.FINANCIAL,
            description="Shareholder in a home care provider",
            organisation_name=HOME_CARE,
            start_date=dt.date(2021, 5, 1),
            declared_on=dt.date(2024, 4, 2),
        )
        interest.full_clean()
        interest.save()
