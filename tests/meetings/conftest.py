import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.factories import MeetingFactory, minimal_pdf


def pdf_file(name: str = "report.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf("A paper") if content is None else content, "application/pdf")


def in_days(days: int, hour: int = 14) -> dt.datetime:
    """An aware datetime `days` from today at `hour`:00, Europe/London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def body(response) -> bytes:
    """The whole body of a response, streaming or not. Reading a streamed response to the
    end closes it through the test client (closing it again would send request_finished,
    which drops PostgreSQL's connection in the middle of the test's transaction)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def meeting(cast):
    """A public meeting of the cast's partnership, 60 days ahead."""
    return MeetingFactory(partnership=cast.partnership, title="Partnership board", starts_at=in_days(60))
