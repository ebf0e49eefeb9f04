"""What the record's pages share: the sub-navigation, breadcrumbs, addresses, pages of a list and
the message after a repeated form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from ...models import Meeting
from ...once import AlreadySubmitted

PAGE_SIZE = 25

# The record's own pages, in the order of the sub-navigation.
SECTIONS = [
    ("meeting", "Overview"),
    ("attendance", "Attendance"),
    ("declarations", "Declarations"),
    ("minutes", "Minutes"),
    ("decisions", "Decisions"),
    ("actions", "Actions"),
]


def _workspace_crumbs(partnership) -> list[tuple[str, str]]:
    return [
        ("Your partnerships", reverse("workspace:home")),
        (partnership.name, reverse("workspace:dashboard", kwargs={"slug": partnership.slug})),
    ]


def _meeting_crumbs(meeting: Meeting, *, hub: bool = True) -> list[tuple[str, str]]:
    slug = meeting.partnership.slug
    crumbs = [
        *_workspace_crumbs(meeting.partnership),
        ("Meetings", reverse("meetings:staff_list", kwargs={"slug": slug})),
        (str(meeting), reverse("meetings:staff_meeting", kwargs={"slug": slug, "pk": meeting.pk})),
    ]
    if hub:
        crumbs.append(("Record of the meeting", _url("meeting", meeting)))
    return crumbs


def _url(name: str, meeting: Meeting, **kwargs) -> str:
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk, **kwargs})


def _page_context(meeting: Meeting, section: str, **context) -> dict:
    """The context of a page of the meeting's record: its sub-navigation and breadcrumbs."""
    nav = [(label, _url(name, meeting), name == section) for name, label in SECTIONS]
    context.setdefault("crumbs", _meeting_crumbs(meeting, hub=section != "meeting"))
    return {"meeting": meeting, "partnership": meeting.partnership, "section": section, "record_nav": nav, **context}


def _render(request, template: str, meeting: Meeting, section: str, **context):
    return render(request, f"meetings/record/{template}", _page_context(meeting, section, **context))


def _sent_twice(request, error: AlreadySubmitted, to: str):
    messages.info(request, str(error))
    return redirect(to)


def _page(request, queryset, *, count: int | None = None):
    """The requested page of `queryset`; `count`, when the page has already counted the rows
    (the action log's filters do), spares the paginator counting them again."""
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def _register_context(partnership, **context):
    return {"partnership": partnership, "crumbs": _workspace_crumbs(partnership), **context}
