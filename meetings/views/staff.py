"""The secretariat's meetings calendar: the list with publication deadlines, scheduling
a meeting, a meetings day of several sessions, and series generated ahead.

Every view signs the visitor in first, then loads the partnership through
`partnership_for_staff` (MANAGE): 404 for an unknown partnership, 403 without the
permission. Writes go through `meetings.services`.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.dates import long_date
from core.forms import add_service_errors
from core.views import handle_form
from meetings import deadlines, presenters, services
from meetings.access import partnership_for_staff
from meetings.forms import (
    MeetingsDayForm,
    ScheduleMeetingForm,
    SeriesForm,
    SeriesGenerateForm,
    SessionFormSet,
)
from meetings.meeting_rows import MEETING_ROW_FIELDS, meeting_rows
from meetings.models import upcoming_and_past

PAGE_SIZE = 20


def staff_crumbs(partnership, *more) -> list[tuple[str, str]]:
    """Your partnerships › <partnership> (the workspace dashboard) › anything more."""
    return [
        ("Your partnerships", reverse("workspace:home")),
        (partnership.name, reverse("workspace:dashboard", args=[partnership.slug])),
        *more,
    ]


def meetings_crumb(partnership) -> tuple[str, str]:
    return ("Meetings", reverse("meetings:staff_list", args=[partnership.slug]))


def warn_non_working_days(request, days) -> None:
    """Tell the secretariat about dates that fall on a weekend or a bank holiday in England."""
    warnings = services.non_working_day_warnings(days)
    if warnings:
        messages.warning(request, "Check these dates: " + "; ".join(warnings) + ".")


@login_required
def meeting_list(request, slug):
    """Every meeting of the partnership with its publication deadline and status, and a
    panel of agendas due soon."""
    partnership = partnership_for_staff(request, slug)

    # Read when the template first asks for it, and not at all when the page keeps the list
    # between requests (`{% workspace_fragment %}`).
    @functools.cache
    def listing():
        meetings = list(
            partnership.meetings.only(*MEETING_ROW_FIELDS)
            .annotate(item_count=Count("agenda_items"), day_title=F("meetings_day__title"))
            .order_by("-starts_at", "-pk")
        )
        upcoming, past = upcoming_and_past(meetings, timezone.now())
        past = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
        return {
            "upcoming": meeting_rows(upcoming, partnership.slug),
            "past": meeting_rows(past, partnership.slug),
            "due": presenters.due_soon(upcoming),
            "series_list": partnership.meeting_series.annotate(meeting_count=Count("meetings")).order_by("title"),
            "pagination": presenters.pagination(past, request.GET),
        }

    context = {"partnership": partnership, "listing": listing, "crumbs": staff_crumbs(partnership)}
    return render(request, "meetings/staff/list.html", context)


@login_required
def meeting_schedule(request, slug):
    partnership = partnership_for_staff(request, slug)
    form = ScheduleMeetingForm(request.POST or None)

    def scheduled(meeting) -> str:
        if meeting.recorded_after_event:
            deadline = "It is recorded after the event, so its agenda has no publication deadline."
        elif not meeting.is_public:
            deadline = "It is a private session, so its agenda has no publication deadline."
        else:
            deadline = f"Publish its agenda by {long_date(meeting.publication_deadline, weekday=True)}."
        return f"Meeting scheduled for {long_date(meeting.date, weekday=True)}. {deadline}"

    def onwards(meeting) -> str:
        # Called after the success message, so the warning follows it.
        warn_non_working_days(request, [meeting.date])
        return reverse("meetings:staff_meeting", kwargs={"slug": slug, "pk": meeting.pk})

    return handle_form(
        request,
        form,
        on_valid=lambda: services.meeting_schedule(
            partnership=partnership, actor=request.user, **form.meeting_arguments()
        ),
        success=scheduled,
        redirect_to=onwards,
        template="meetings/staff/meeting_form.html",
        context=lambda: {
            "partnership": partnership,
            "errors": presenters.error_summary(form),
            "heading": "Schedule a meeting",
            "submit": "Schedule meeting",
            "crumbs": staff_crumbs(partnership, meetings_crumb(partnership)),
        },
    )


@login_required
def meetings_day_create(request, slug):
    """A date with several sessions, each a meeting held in public or in private."""
    partnership = partnership_for_staff(request, slug)
    form = MeetingsDayForm(request.POST or None, prefix="day")
    sessions = SessionFormSet(request.POST or None, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        specs = [
            services.SessionSpec(
                title=session.cleaned_data["title"],
                start_time=session.cleaned_data["start_time"],
                end_time=session.cleaned_data["end_time"],
                is_public=session.cleaned_data["access"] == "public",
            )
            for session in sessions.forms
            if session.has_changed() and session.cleaned_data
        ]
        try:
            day = services.meetings_day_create(
                partnership=partnership,
                actor=request.user,
                date=form.cleaned_data["date"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                venue=form.cleaned_data["venue"],
                sessions=specs,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{day.title} created with {len(specs)} session{'s' if len(specs) != 1 else ''}.")
            warn_non_working_days(request, [day.date])
            return redirect("meetings:staff_list", slug=slug)
    context = {
        "partnership": partnership,
        "form": form,
        "sessions": sessions,
        "errors": presenters.error_summary(form, sessions),
        "crumbs": staff_crumbs(partnership, meetings_crumb(partnership)),
    }
    return render(request, "meetings/staff/day_form.html", context)


@login_required
def series_create(request, slug):
    """A recurring pattern of meetings, with its meetings created at once."""
    partnership = partnership_for_staff(request, slug)
    form = SeriesForm(request.POST or None, partnership=partnership)

    def create():
        data = dict(form.cleaned_data)
        months_ahead = data.pop("months_ahead")
        # Together or not at all: a series whose meetings could not be made is not kept.
        with transaction.atomic():
            series = services.series_create(partnership=partnership, actor=request.user, **data)
            created = services.series_generate(series=series, actor=request.user, months_ahead=months_ahead)
        return series, created

    def onwards(result) -> str:
        # Called after the success message, so the warning follows it.
        series, created = result
        warn_non_working_days(request, [meeting.date for meeting in created])
        return reverse("meetings:staff_series", kwargs={"slug": slug, "pk": series.pk})

    return handle_form(
        request,
        form,
        on_valid=create,
        success=lambda result: f"Series set up: {len(result[1])} meeting{'s' if len(result[1]) != 1 else ''} created.",
        redirect_to=onwards,
        template="meetings/staff/series_form.html",
        context=lambda: {
            "partnership": partnership,
            "errors": presenters.error_summary(form),
            "crumbs": staff_crumbs(partnership, meetings_crumb(partnership)),
        },
    )


@login_required
def series_detail(request, slug, pk):
    """A series and its meetings; generating it again adds only the dates it lacks."""
    partnership = partnership_for_staff(request, slug)
    series = get_object_or_404(partnership.meeting_series, pk=pk)
    form = SeriesGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.series_generate(
                series=series, actor=request.user, months_ahead=form.cleaned_data["months_ahead"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request, f"{len(created)} meeting{'s' if len(created) != 1 else ''} added to the series."
                )
                warn_non_working_days(request, [meeting.date for meeting in created])
            else:
                messages.info(request, "No meetings added: the series already has every date in that period.")
            return redirect("meetings:staff_series", slug=slug, pk=series.pk)
    meetings = list(series.meetings.upcoming().select_related("meetings_day"))
    for meeting in meetings:
        meeting.non_working_day = deadlines.non_working_day_reason(meeting.date)
    context = {
        "partnership": partnership,
        "series": series,
        "meetings": meetings,
        "past_count": series.meetings.past().count(),
        "form": form,
        "errors": presenters.error_summary(form),
        "crumbs": staff_crumbs(partnership, meetings_crumb(partnership)),
    }
    return render(request, "meetings/staff/series.html", context)
