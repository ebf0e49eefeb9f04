import pytest
from django.utils import timezone

from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory


@pytest.fixture
def published_meeting(cast):
    """A meeting of the cast's partnership with a published agenda: a public item with a
    paper, an exempt item with a paper, and a restricted paper on a public item."""
    meeting = MeetingFactory(partnership=cast.partnership, title="Integrated Care Partnership")
    public_item = AgendaItemFactory(meeting=meeting, position=1, title="Population health report")
    PaperFactory(agenda_item=public_item, title="Population health annual summary")
    exempt_item = AgendaItemFactory(
        meeting=meeting,
        position=2,
        title="Community contract award",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Bidders' prices are commercially confidential.",
    )
    PaperFactory(agenda_item=exempt_item, title="Confidential tender evaluation")
    PaperFactory(agenda_item=public_item, title="Restricted staffing appendix", restricted=True)
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting
