"""Formatting meetings the NHS.UK way: "2pm", "10:30am", "midday", in Europe/London."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import capfirst

from meetings import presenters

register = template.Library()


@register.filter
def nhs_time(value) -> str:
    """A time as the NHS.UK style guide writes it: 9am, 2:30pm, midday, midnight."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def time_range(meeting) -> str:
    """'2pm to 4pm' for a meeting, in Europe/London."""
    return f"{nhs_time(meeting.starts_at)} to {nhs_time(meeting.ends_at)}"


@register.filter
def page_of(pages: dict, version_id) -> str:
    """The page of the paper whose current version is `version_id`, from `consultations.paper_pages`."""
    return (pages or {}).get(version_id, "")


@register.simple_tag
def meeting_tags(meeting, publication: bool = True) -> str:
    """The meeting's status tag (if cancelled or postponed) and, for staff, its agenda's
    publication status. Written here rather than by a template: meetings tables show it on
    every row."""
    tags = []
    if status := presenters.meeting_status_tag(meeting):
        tags.append(status)
    # A cancelled meeting's agenda is no longer due, so its publication status is not shown.
    if publication and meeting.status != meeting.Status.CANCELLED:
        text, colour = presenters.publication_tag(meeting)
        tags.append((capfirst(text), colour))
    return format_html_join(" ", '<strong class="nhsuk-tag nhsuk-tag--{1}">{0}</strong>', tags)
