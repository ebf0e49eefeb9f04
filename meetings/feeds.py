"""Calendars (iCalendar, RFC 5545) and the Atom feed of publications.

Only public material: meetings held in public of partnerships the public may see, and
what they published (read through `meetings.publications`, which withholds exempt items,
papers the public may not read, and private sessions by construction).

- /partnerships/<slug>/meetings.ics  a partnership's meetings
- /systems/<slug>/meetings.ics       every partnership of a system
- /meetings.ics                      every partnership in England
- /partnerships/<slug>/feed/         Atom: everything a partnership publishes (meetings.publications)
- /systems/<slug>/feed/              Atom: the same for every partnership of a system
- /feed/                             Atom: the same for every partnership in England

Each event's UID is the meeting's own UUID, so calendar apps update an event when it
moves or is cancelled (STATUS:CANCELLED) instead of adding a second one.
"""

import datetime as dt
import functools
import html
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from icalendar.parser import Contentline

from partnerships.access import public_partnership_or_404
from partnerships.models import IntegratedCareSystem, Partnership

from .http import public_feed
from .models import Meeting
from .publications import Publication, publications

LONDON = "Europe/London"
LONDON_ZONE = ZoneInfo(LONDON)
CALENDAR_HISTORY = dt.timedelta(days=365)  # past meetings kept in calendars
FEED_LENGTH = 50
UID_DOMAIN = "icp-portal"
REFRESH = dt.timedelta(hours=6)


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _event(meeting: Meeting, *, with_partnership: bool) -> bytes:
    """The meeting's VEVENT, written line by line as icalendar writes an `Event` of the same
    properties (the tests compare the two): building the `Event` cost more than the rest of
    the calendar. Text goes through icalendar's `vText`, which escapes it."""
    cancelled = meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}
    summary = meeting.title
    if with_partnership and meeting.partnership.name not in summary:
        summary = f"{meeting.partnership.name}: {summary}"
    if cancelled:
        summary = f"{meeting.get_status_display()}: {summary}"
    url = _absolute(meeting.get_absolute_url())
    lines = [meeting.notice] if meeting.notice else []
    lines.append(f"Agenda and papers: {url}")
    if meeting.joining_url:
        lines.append(f"Join online: {meeting.joining_url}")
    if meeting.webcast_url:
        lines.append(f"Webcast: {meeting.webcast_url}")
    description = "\n\n".join(lines)
    start = timezone.localtime(meeting.starts_at, LONDON_ZONE)
    end = timezone.localtime(meeting.ends_at, LONDON_ZONE)
    # DTSTAMP is the last revision of the event, not the time of the request, so that the
    # same data always gives the same file (and the same ETag).
    stamp = meeting.updated_at.astimezone(dt.UTC)
    content_lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(summary)}",
        f"DTSTART;TZID={LONDON}:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID={LONDON}:{end:%Y%m%dT%H%M%S}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"UID:{_text(event_uid(meeting))}",
        f"CATEGORIES:{_text(meeting.partnership.name)}",
        f"DESCRIPTION:{_text(description)}",
        f"LAST-MODIFIED:{stamp:%Y%m%dT%H%M%SZ}",
    ]
    if meeting.venue:
        content_lines.append(f"LOCATION:{_text(meeting.venue)}")
    content_lines += [f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", f"URL:{url}", "END:VEVENT"]
    return b"".join(_folded(line) + b"\r\n" for line in content_lines)


def _text(value: str) -> str:
    return icalendar.vText(value).to_ical().decode()


def calendar_bytes(*, name: str, description: str, uid: str, meetings, with_partnership: bool = False) -> bytes:
    """An RFC 5545 calendar of `meetings`, with the Europe/London VTIMEZONE their times use."""
    meetings = list(meetings)
    calendar = icalendar.Calendar.new(
        prodid="-//ICP Portal//Meetings//EN",
        name=name,
        description=description,
        uid=uid,
    )
    calendar.add("method", "PUBLISH")
    # How often subscribers should look again: RFC 7986, and Outlook's own property.
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    if meetings:
        first = timezone.localtime(meetings[0].starts_at).date()
        last = max(timezone.localtime(m.ends_at).date() for m in meetings)
    else:
        first = last = timezone.localdate()
    # The calendar's own lines, then its components before the closing line: what
    # `to_ical()` writes for a calendar with the components added, in the same order.
    opening, closing = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    events = b"".join(_event(meeting, with_partnership=with_partnership) for meeting in meetings)
    return b"".join((opening, _london_vtimezone(first.year, last.year + 2), events, b"END:VCALENDAR", closing))


# RFC 5545 folds content lines longer than 75 octets; icalendar ends each part at 74.
FOLD_AT = 74


def _folded(line: str) -> bytes:
    """The content line folded as icalendar folds it: parts of FOLD_AT characters, except that
    an escape character (backslash or caret) ending a part starts the next one instead.
    icalendar folds one character at a time, which was most of a calendar's time."""
    if not line.isascii():
        return Contentline(line).to_ical()
    parts = []
    start = 0
    while len(line) - start > FOLD_AT:
        end = start + FOLD_AT
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts).encode()


@functools.lru_cache(maxsize=32)
def _london_vtimezone(first_year: int, end_year: int) -> bytes:
    """The Europe/London VTIMEZONE from the start of `first_year` to the start of `end_year`:
    every calendar carries one, and most span the same years, so each is written once a process."""
    vtimezone = icalendar.Timezone.from_tzid(
        LONDON, first_date=dt.date(first_year, 1, 1), last_date=dt.date(end_year, 1, 1)
    )
    return vtimezone.to_ical()


def _calendar_meetings(queryset) -> list[Meeting]:
    since = timezone.now() - CALENDAR_HISTORY
    return list(queryset.filter(ends_at__gte=since).select_related("partnership").order_by("starts_at", "pk"))


def _calendar_response(body: bytes, *, filename: str, meetings: list[Meeting]) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The calendar changed when the last of its meetings did: read from the meetings it lists.
    last_modified = max((meeting.updated_at for meeting in meetings), default=None)
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


@public_feed
def partnership_calendar(request, slug):
    partnership = public_partnership_or_404(slug)
    meetings = _calendar_meetings(Meeting.objects.public().filter(partnership=partnership))
    body = calendar_bytes(
        name=f"{partnership.name} meetings",
        description=f"Meetings of {partnership.name} held in public.",
        uid=f"partnership-{partnership.slug}@{UID_DOMAIN}",
        meetings=meetings,
    )
    return _calendar_response(
        body,
        filename=f"{partnership.slug}-meetings.ics",
        meetings=meetings,
    )


@public_feed
def system_calendar(request, slug):
    ics = get_object_or_404(IntegratedCareSystem, slug=slug)
    partnerships = Partnership.objects.public().filter(ics=ics)
    meetings = _calendar_meetings(Meeting.objects.public().filter(partnership__in=partnerships))
    body = calendar_bytes(
        name=f"{ics.name} partnership meetings",
        description=f"Meetings held in public by the integrated care partnerships of {ics.name}.",
        uid=f"system-{ics.slug}@{UID_DOMAIN}",
        meetings=meetings,
        with_partnership=True,
    )
    return _calendar_response(
        body,
        filename=f"{ics.slug}-meetings.ics",
        meetings=meetings,
    )


@public_feed
def national_calendar(request):
    partnerships = Partnership.objects.public()
    meetings = _calendar_meetings(Meeting.objects.public().filter(partnership__in=partnerships))
    body = calendar_bytes(
        name="Integrated care partnership meetings in England",
        description="Meetings held in public by every integrated care partnership in England.",
        uid=f"england@{UID_DOMAIN}",
        meetings=meetings,
        with_partnership=True,
    )
    return _calendar_response(
        body,
        filename="icp-meetings.ics",
        meetings=meetings,
    )


class PublicationsFeed(Feed):
    """Atom: everything a partnership publishes (agendas, supplementary agendas and papers
    added, draft and approved minutes, decisions, strategies), newest first. Entries come
    from `meetings.publications`, which reads only what the public may see now."""

    feed_type = Atom1Feed
    with_partnership = False

    def get_object(self, request, slug):
        return public_partnership_or_404(slug)

    def title(self, partnership):
        return f"{partnership.name}: publications"

    def subtitle(self, partnership):
        return f"Agendas, papers, minutes, decisions and strategies published by {partnership.name}."

    def link(self, partnership):
        return reverse("meetings:list", kwargs={"slug": partnership.slug})

    def feed_url(self, partnership):
        return reverse("meetings:feed", kwargs={"slug": partnership.slug})

    def feed_guid(self, partnership):
        return f"tag:{UID_DOMAIN},2026:publications/{partnership.slug}"

    def partnerships(self, partnership):
        return Partnership.objects.filter(pk=partnership.pk)

    def items(self, obj):
        return publications(self.partnerships(obj), limit=FEED_LENGTH)

    def item_title(self, entry: Publication):
        if self.with_partnership:
            return f"{entry.partnership.name}: {entry.title}"
        return entry.title

    def item_description(self, entry: Publication):
        # Atom writes this as <summary type="html">: the XML layer unescapes once and the reader
        # then parses HTML. Each line is plain text, so escape it as HTML here (the feed
        # framework adds the XML escaping); otherwise a venue of "<script>" arrives as markup.
        # The standard library's escape, which Django's wraps: a feed escapes hundreds of lines.
        return "".join(f"<p>{html.escape(line)}</p>" for line in entry.lines)

    def item_link(self, entry: Publication):
        return entry.path

    def item_guid(self, entry: Publication):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry: Publication):
        return entry.when

    def item_updateddate(self, entry: Publication):
        return entry.when

    def item_categories(self, entry: Publication):
        return [entry.partnership.name]


class SystemPublicationsFeed(PublicationsFeed):
    """Atom: the publications of every partnership of a system."""

    with_partnership = True

    def get_object(self, request, slug):
        return get_object_or_404(IntegratedCareSystem, slug=slug)

    def title(self, ics):
        return f"{ics.name}: publications of its integrated care partnerships"

    def subtitle(self, ics):
        return f"Agendas, papers, minutes, decisions and strategies of the partnerships of {ics.name}."

    def link(self, ics):
        return reverse("partnerships:system", kwargs={"slug": ics.slug})

    def feed_url(self, ics):
        return reverse("meetings:system_feed", kwargs={"slug": ics.slug})

    def feed_guid(self, ics):
        return f"tag:{UID_DOMAIN},2026:publications/system/{ics.slug}"

    def partnerships(self, ics):
        return Partnership.objects.filter(ics=ics)


class NationalPublicationsFeed(PublicationsFeed):
    """Atom: the publications of every integrated care partnership in England."""

    with_partnership = True

    def get_object(self, request):
        return None

    def title(self, obj):
        return "Integrated care partnerships in England: publications"

    def subtitle(self, obj):
        return "Agendas, papers, minutes, decisions and strategies of every integrated care partnership."

    def link(self, obj):
        return reverse("home")

    def feed_url(self, obj):
        return reverse("meetings:national_feed")

    def feed_guid(self, obj):
        return f"tag:{UID_DOMAIN},2026:publications/england"

    def partnerships(self, obj):
        return None


publications_feed = public_feed(PublicationsFeed())
system_publications_feed = public_feed(SystemPublicationsFeed())
national_publications_feed = public_feed(NationalPublicationsFeed())
