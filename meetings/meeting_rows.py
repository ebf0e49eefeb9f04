"""The rows of the meetings lists, written once in Python: a list shows every upcoming meeting
and a page of past ones, and each row's dates, times and tags cost more in the template than
the rest of the page.

A row shows what the meeting read for it shows: the staff tables are behind MANAGE, and the
public list is given only the meetings its reader may see."""

from dataclasses import dataclass

from django.template.defaultfilters import pluralize

from core.dates import long_date, short_date
from core.urls import row_urls

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
    url = row_urls("meetings:staff_meeting")
    rows = []
    for meeting in meetings:
        rows.append(
            MeetingRow(
                date=short_date(meeting.starts_at, weekday=True),
                times=time_range(meeting),
                url=url(slug, meeting.pk),
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


# What the public list (and a member's, with private sessions) reads of a meeting: a staff
# table's line, and where the meeting is held.
PUBLIC_MEETING_ROW_FIELDS = (*MEETING_ROW_FIELDS, "venue")


@dataclass(frozen=True)
class PublicMeetingRow:
    url: str
    title: str
    tags: str  # cancelled or postponed
    is_private: bool
    when: str  # "Tuesday 1 December 2026, 2pm to 4pm, Civic Hall"
    agenda_published: bool


def public_meeting_rows(meetings, slug: str) -> list[PublicMeetingRow]:
    """`meetings` of the partnership `slug`, read with `PUBLIC_MEETING_ROW_FIELDS`, as the
    public meetings list shows them."""
    url = row_urls("meetings:meeting")
    rows = []
    for meeting in meetings:
        when = f"{long_date(meeting.starts_at, weekday=True)}, {time_range(meeting)}"
        rows.append(
            PublicMeetingRow(
                url=url(slug, meeting.pk),
                title=meeting.title,
                tags=meeting_tags(meeting, publication=False),
                is_private=not meeting.is_public,
                when=f"{when}, {meeting.venue}" if meeting.venue else when,
                agenda_published=meeting.agenda_is_published,
            )
        )
    return rows
