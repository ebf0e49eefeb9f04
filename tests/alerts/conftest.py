import re

import pytest
from django.core import mail

from meetings import services as meetings
from meetings.factories import MeetingFactory
from tests.meetings.conftest import in_days, pdf_file

# The board of tests/meetings_record (a meeting held a month ago with an exempt item, and the
# next one held yesterday) and the strategy helpers, for minutes, decisions and strategies.
from tests.meetings_record import conftest as record_conftest
from tests.strategy.conftest import draft  # noqa: F401

board = record_conftest.board

# Planted in exempt and private material: no email, feed or calendar may ever contain one.
CANARIES = (
    "CANARY-EXEMPT-ITEM",
    "CANARY-EXEMPT-REASON",
    "CANARY-EXEMPT-PAPER",
    "CANARY-RESTRICTED-PAPER",
    "CANARY-PRIVATE-MEETING",
    "CANARY-PRIVATE-ITEM",
    "CANARY-EXEMPT-MINUTE",
    "CANARY-EXEMPT-DECISION",
)


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def confirm_link(message) -> str:
    return next(link for link in links(message) if "/alerts/confirm/" in link)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def follow(client, django_capture_on_commit_callbacks):
    """Follow through the pages, confirm from the email, and return the confirmation email."""

    def follow(url, email="reader@example.org", frequency="immediate", **extra):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": email, "frequency": frequency, **extra})
        assert response.status_code == 302
        assert len(mail.outbox) == before + 1
        message = mail.outbox[-1]
        response = client.post(path_of(confirm_link(message)))
        assert response.status_code == 200
        mail.outbox.clear()
        return message

    return follow


@pytest.fixture
def publish_agenda(cast, django_capture_on_commit_callbacks):
    """Publish an agenda of a new meeting (announcing it on commit, as in a request)."""

    def publish_agenda(partnership=None, *, title="Partnership board", items=("Strategy refresh",), **fields):
        meeting = MeetingFactory(
            partnership=partnership or cast.partnership, title=title, starts_at=in_days(40), **fields
        )
        with django_capture_on_commit_callbacks(execute=True):
            for item in items:
                meetings.agenda_item_add(meeting=meeting, actor=None, title=item)
            meetings.agenda_publish(meeting=meeting, actor=None)
        return meeting

    return publish_agenda


@pytest.fixture
def canary_record(cast, board, django_capture_on_commit_callbacks):
    """Public and exempt material side by side, every kind published, canaries planted in
    everything the public may not read. Returns the public strings that must appear."""
    from meetings import record_services
    from tests.meetings_record.conftest import quorate

    with django_capture_on_commit_callbacks(execute=True):
        # An agenda with an exempt item (title and reason planted) and a restricted paper.
        meeting = MeetingFactory(partnership=cast.partnership, title="Public board", starts_at=in_days(40))
        public_item = meetings.agenda_item_add(meeting=meeting, actor=None, title="Public health report")
        exempt = meetings.agenda_item_add(
            meeting=meeting,
            actor=None,
            title="CANARY-EXEMPT-ITEM contract",
            is_exempt=True,
            exempt_paragraph=3,
            exempt_reason="CANARY-EXEMPT-REASON prices",
        )
        meetings.paper_upload(item=exempt, actor=None, title="CANARY-EXEMPT-PAPER", file=pdf_file())
        meetings.agenda_publish(meeting=meeting, actor=None)
        # After publication: papers on the supplementary agenda, one public, one exempt, one restricted.
        meetings.paper_upload(
            item=public_item, actor=None, title="Public health annex", file=pdf_file(), change_reason="Late annex"
        )
        meetings.paper_upload(
            item=exempt, actor=None, title="CANARY-EXEMPT-PAPER two", file=pdf_file(), change_reason="Prices"
        )
        meetings.paper_upload(
            item=public_item,
            actor=None,
            title="CANARY-RESTRICTED-PAPER",
            file=pdf_file(),
            restricted=True,
            change_reason="Legal advice",
        )
        # A private session, published to members.
        private = MeetingFactory(
            partnership=cast.partnership, title="CANARY-PRIVATE-MEETING", starts_at=in_days(41), is_public=False
        )
        meetings.agenda_item_add(meeting=private, actor=None, title="CANARY-PRIVATE-ITEM")
        meetings.agenda_publish(meeting=private, actor=None)
        # Minutes of the board's earlier meeting: a public minute and an exempt one; published,
        # approved; a decision on the exempt item and one on a public item.
        minutes = record_services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)
        record_services.minutes_update_entry(
            minutes=minutes,
            agenda_item=board.items.strategy,
            discussion="The refresh was discussed.",
            resolutions="Agreed to consult.",
            actor=board.secretariat,
        )
        record_services.minutes_update_entry(
            minutes=minutes,
            agenda_item=board.items.exempt,
            discussion="CANARY-EXEMPT-MINUTE",
            resolutions="CANARY-EXEMPT-MINUTE",
            actor=board.secretariat,
        )
        record_services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
        quorate(board, board.meeting)
        quorate(board, board.later)
        record_services.decision_record(
            meeting=board.meeting,
            agenda_item=board.items.exempt,
            wording="CANARY-EXEMPT-DECISION",
            status="agreed",
            actor=board.secretariat,
        )
        record_services.decision_record(
            meeting=board.meeting,
            agenda_item=board.items.strategy,
            wording="Consult on the refreshed strategy.",
            status="agreed",
            actor=board.secretariat,
        )
        record_services.minutes_approve(minutes=minutes, approving_meeting=board.later, actor=board.secretariat)
    return {
        "meeting": meeting,
        "public": ["Public health report", "Public health annex", "Agreed to consult.", "Consult on the refreshed"],
    }
