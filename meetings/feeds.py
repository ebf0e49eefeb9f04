"""Calendars (iCalendar, RFC 5545) and the Atom feed of publications.

Only public material: meetings held in public of partnerships the public may see, and
agenda publications of those meetings. Nothing here reads exempt items or papers.

- /partnerships/<slug>/meetings.ics  a partnership's meetings
- /systems/<slug>/meetings.ics       every partnership of a system
- /partnerships/<slug>/feed/         Atom: agendas as they are published

Each event's UID is the meeting's own UUID, so calendar apps update an event when it
moves or is cancelled (STATUS:CANCELLED) instead of adding a second one.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import http_date

from partnerships.models import IntegratedCareSystem, Partnership

from .access import public_partnership_or_404
from .http import public_feed
from .models import Meeting
from .templatetags.meetings_format import time_range

LONDON = "Europe/London"
CALENDAR_HISTORY = dt.timedelta(days=365)  # past meetings kept in calendars
FEED_LENGTH = 50
UID_DOMAIN = "icp-portal"
REFRESH = dt.timedelta(hours=6)


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _event(meeting: Meeting, *, with_partnership: bool) -> icalendar.Event:
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
    event = icalendar.Event.new(
        uid=event_uid(meeting),
        summary=summary,
        start=timezone.localtime(meeting.starts_at, ZoneInfo(LONDON)),
        end=timezone.localtime(meeting.ends_at, ZoneInfo(LONDON)),
        # DTSTAMP is the last revision of the event, not the time of the request, so that the
        # same data always gives the same file (and the same ETag).
        stamp=meeting.updated_at.astimezone(dt.UTC),
        last_modified=meeting.updated_at.astimezone(dt.UTC),
        location=meeting.venue or None,
        url=url,
        description="\n\n".join(lines),
        status="CANCELLED" if cancelled else "CONFIRMED",
        categories=[meeting.partnership.name],
    )
    return event


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
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            LONDON, first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 2, 1, 1)
        )
    )
    for meeting in meetings:
        calendar.add_component(_event(meeting, with_partnership=with_partnership))
    return calendar.to_ical()


def _calendar_meetings(queryset):
    since = timezone.now() - CALENDAR_HISTORY
    return queryset.filter(ends_at__gte=since).select_related("partnership").order_by("starts_at", "pk")


def _calendar_response(body: bytes, *, filename: str, last_modified) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
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
        last_modified=meetings.aggregate(latest=Max("updated_at"))["latest"],
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
        last_modified=meetings.aggregate(latest=Max("updated_at"))["latest"],
    )


class PublicationsFeed(Feed):
    """Atom: a partnership's agendas, newest publication first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return public_partnership_or_404(slug)

    def title(self, partnership):
        return f"{partnership.name}: publications"

    def subtitle(self, partnership):
        return f"Agendas and papers published by {partnership.name}."

    def link(self, partnership):
        return reverse("meetings:list", kwargs={"slug": partnership.slug})

    def feed_url(self, partnership):
        return reverse("meetings:feed", kwargs={"slug": partnership.slug})

    def feed_guid(self, partnership):
        return f"tag:{UID_DOMAIN},2026:publications/{partnership.slug}"

    def items(self, partnership):
        return (
            Meeting.objects.public()
            .filter(partnership=partnership, agenda_published_at__isnull=False)
            .select_related("partnership")
            .order_by("-agenda_published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, meeting):
        return f"Agenda published: {meeting.title}, {date_format(timezone.localtime(meeting.starts_at), 'j F Y')}"

    def item_description(self, meeting):
        when = timezone.localtime(meeting.starts_at)
        text = f"The agenda for the meeting on {date_format(when, 'l j F Y')}, {time_range(meeting)}"
        text += f", at {meeting.venue}." if meeting.venue else "."
        if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED} and meeting.notice:
            text += f" {meeting.get_status_display()}: {meeting.notice}"
        # Atom writes this as <summary type="html">: the XML layer unescapes once and the reader
        # then parses HTML. The summary is plain text, so escape it as HTML here (the feed
        # framework adds the XML escaping); otherwise a venue of "<script>" arrives as markup.
        return escape(text)

    def item_link(self, meeting):
        return meeting.get_absolute_url()

    def item_guid(self, meeting):
        return f"tag:{UID_DOMAIN},2026:agenda/{meeting.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, meeting):
        return meeting.agenda_published_at

    def item_updateddate(self, meeting):
        return meeting.agenda_published_at


publications_feed = public_feed(PublicationsFeed())
