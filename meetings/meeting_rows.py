"""The rows of the secretariat's meetings tables, written once in Python: the list shows every
upcoming meeting and a page of past ones, and each row's filters, deadline and tags cost more
in the template than the rest of the page.

A row shows what the meeting read for it shows; the tables are the staff's, behind MANAGE."""

from dataclasses import dataclass

from django.template.defaultfilters import pluralize

from core.dates import short_date
from core.urls import row_url

from .templatetags.meetings_format import meeting_tags, time_range

# What the tables, the agendas due soon beside them and the workspace's due tasks read of a
# meeting: its title, times and status, and what its publication deadline turns on. The tables
# read its meetings day's title beside it as `day_title`.
MEETING_ROW_FIELDS = (
    # Read through the partnership's meetings, each is given the partnership by its id.
    "partnership",
    "title",
    "starts_at",
    "ends_at",
    "status",
    "is_public",
    "recorded_after_event",
    "agenda_published_at",
)


@dataclass(frozen=True)
class MeetingRow:
    date: str  # "Tue 1 Dec 2026"
    times: str  # "2pm to 4pm"
    url: str
    title: str
    is_private: bool
    # The title of the meetings day it is a session of, or None.
    day: str | None
    items: str  # "3 items"
    # The date its agenda must be published by, or empty for a meeting without a deadline.
    deadline: str
    tags: str


def meeting_rows(meetings, slug: str) -> list[MeetingRow]:
    """`meetings` of the partnership `slug`, read with `MEETING_ROW_FIELDS` and annotated with
    their `item_count` and `day_title`, as the staff tables list them."""
    rows = []
    for meeting in meetings:
        rows.append(
            MeetingRow(
                date=short_date(meeting.starts_at, weekday=True),
                times=time_range(meeting),
                url=row_url("meetings:staff_meeting", slug, meeting.pk),
                title=meeting.title,
                is_private=not meeting.is_public,
                day=meeting.day_title,
                items=f"{meeting.item_count} item{pluralize(meeting.item_count)}",
                deadline=short_date(meeting.publication_deadline, weekday=True)
                if meeting.has_publication_deadline
                else "",
                tags=meeting_tags(meeting),
            )
        )
    return rows
