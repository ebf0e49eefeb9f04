"""A meeting whose agenda names organisations, and the registers of interests of the cast.

- Item 1 (public) names Riverside Hospice; its paper names nobody.
- Item 2 (exempt, paragraph 3) names Northshire Community Health CIC; its paper, the tender
  evaluation, holds the bid prices (the words SECRET BID PRICES).
- The member (cast.member) has a financial interest in Northshire Community Health CIC.
- The chair has a non-financial professional interest in it.
- The co-chair has a financial interest in Riverside Hospice (a public item: nothing to withhold).
"""

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from meetings.models import PaperVersion
from membership.factories import InterestFactory, SecretariatAssignmentFactory, UserFactory
from membership.models import Interest
from membership.permissions import permissions_sync
from partnerships.factories import OrganisationFactory

SECRET = "SECRET BID PRICES"


def paper_with_text(item, title, text):
    paper = PaperFactory(agenda_item=item, title=title, with_file=False)
    content = minimal_pdf(text)
    version = PaperVersion(
        paper=paper,
        number=1,
        original_filename="paper.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=1,
    )
    version.file.save("paper.pdf", ContentFile(content), save=False)
    version.save()
    paper.current_version = version
    paper.save(update_fields=["current_version"])
    return paper


@pytest.fixture
def world(cast):
    cic = OrganisationFactory(name="Northshire Community Health CIC", sector="social_care_provider")
    hospice = OrganisationFactory(name="Riverside Hospice", sector="vcse")
    meeting = MeetingFactory(
        partnership=cast.partnership,
        title="Partnership board",
        starts_at=timezone.now() + dt.timedelta(days=20),
    )
    public_item = AgendaItemFactory(meeting=meeting, position=1, title="End of life care")
    public_item.organisations.set([hospice])
    public_paper = paper_with_text(public_item, "End of life care review", "Public review text")
    exempt_item = AgendaItemFactory(meeting=meeting, position=2, title="Community services contract", exempt=True)
    exempt_item.organisations.set([cic])
    tender = paper_with_text(exempt_item, "Tender evaluation", SECRET)
    meeting.agenda_published_at = timezone.now()
    meeting.save()

    member, chair, co_chair = (user.person for user in (cast.member, cast.chair, cast.co_chair))
    InterestFactory(
        person=member,
        category=Interest.Category.FINANCIAL,
        description="Shareholder",
        organisation_name="Northshire Community Health CIC",
    )
    InterestFactory(
        person=chair,
        category=Interest.Category.NON_FINANCIAL_PROFESSIONAL,
        description="Adviser",
        organisation_name="northshire  community health cic",
    )
    InterestFactory(
        person=co_chair,
        category=Interest.Category.FINANCIAL,
        description="Paid trustee",
        organisation_name="Riverside Hospice",
    )
    other_secretariat = UserFactory(username="other_secretariat")
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=other_secretariat)
    permissions_sync(cast.other_partnership)
    return SimpleNamespace(
        cast=cast,
        meeting=meeting,
        cic=cic,
        hospice=hospice,
        public_item=public_item,
        public_paper=public_paper,
        exempt_item=exempt_item,
        tender=tender,
        member=member,
        chair=chair,
        co_chair=co_chair,
        other_secretariat=other_secretariat,
    )
