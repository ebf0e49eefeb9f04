"""The secretariat's page for one meeting: its details, the agenda (add, edit, reorder,
standard items), papers and their versions, publishing, and cancelling or moving it.

Every view loads the meeting through `meeting_for_staff` (MANAGE on the partnership),
then reaches items and papers through that meeting, so an id from another meeting is a
404. Each form posts, calls one service and redirects with a message; bad input
re-renders the form with the NHS.UK error summary and what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.dates import long_date
from core.forms import add_service_errors
from core.views import handle_form
from meetings import presenters, services
from meetings.access import meeting_for_staff
from meetings.conflict_forms import add_concern_fields, chosen_organisations
from meetings.conflict_services import concerns_set
from meetings.forms import (
    AgendaItemForm,
    CancelMeetingForm,
    EditMeetingForm,
    MoveItemForm,
    PaperEditForm,
    PaperReplaceForm,
    PaperUploadForm,
    PublishAgendaForm,
    WithdrawItemForm,
)
from meetings.models import Paper
from meetings.once import AlreadySubmitted, submitted_once
from meetings.validators import accessibility_notice_for, removed_notice
from meetings.workspace_agenda import WorkspaceAgenda

from .staff import meetings_crumb, staff_crumbs


def _meeting_url(meeting, anchor: str = "") -> str:
    url = reverse("meetings:staff_meeting", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


def _crumbs(meeting, with_meeting: bool = True):
    more = [meetings_crumb(meeting.partnership)]
    if with_meeting:
        more.append((meeting.title, _meeting_url(meeting)))
    return staff_crumbs(meeting.partnership, *more)


def _item(meeting, item_pk):
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    item.meeting = meeting
    return item


def _paper(meeting, paper_pk):
    paper = get_object_or_404(
        Paper.objects.select_related("agenda_item", "current_version"), pk=paper_pk, agenda_item__meeting=meeting
    )
    paper.agenda_item.meeting = meeting
    return paper


def _form_context(meeting, form, **extra) -> dict:
    return {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "form": form,
        "errors": presenters.error_summary(form),
        "crumbs": _crumbs(meeting),
        **extra,
    }


def _render_form(request, meeting, template, form, **extra):
    return render(request, template, _form_context(meeting, form, **extra))


@login_required
def meeting_detail(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    timeliness = presenters.minutes_timeliness(meeting)
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "agenda": WorkspaceAgenda(meeting),
        "minutes_timeliness": timeliness,
        "minutes_tag": presenters.MINUTES_TAGS[timeliness.status] if timeliness else "",
        "editable": meeting.status != meeting.Status.CANCELLED,
        "crumbs": _crumbs(meeting, with_meeting=False),
    }
    return render(request, "meetings/staff/meeting.html", context)


@login_required
def meeting_edit(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    if meeting.status == meeting.Status.CANCELLED:
        messages.error(request, "A cancelled meeting cannot be changed. Schedule a new meeting instead.")
        return redirect(_meeting_url(meeting))
    form = EditMeetingForm.for_meeting(meeting, request.POST or None)
    was_postponed = meeting.status == meeting.Status.POSTPONED
    return handle_form(
        request,
        form,
        on_valid=lambda: services.meeting_update(
            meeting=meeting, actor=request.user, notice=form.cleaned_data["notice"], **form.meeting_arguments()
        ),
        success=lambda updated: (
            f"Meeting rescheduled for {long_date(updated.date, weekday=True)}."
            if was_postponed and updated.status == updated.Status.SCHEDULED
            else "Meeting details saved."
        ),
        redirect_to=_meeting_url,
        template="meetings/staff/meeting_form.html",
        context=lambda: _form_context(meeting, form, heading="Change meeting details", submit="Save changes"),
    )


@login_required
def meeting_cancel(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    form = CancelMeetingForm(request.POST or None)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.meeting_cancel(
            meeting=meeting,
            actor=request.user,
            notice=form.cleaned_data["notice"],
            postpone=form.cleaned_data["outcome"] == "postpone",
        ),
        success=lambda _: "Meeting postponed." if form.cleaned_data["outcome"] == "postpone" else "Meeting cancelled.",
        redirect_to=_meeting_url(meeting),
        template="meetings/staff/cancel.html",
        context=lambda: _form_context(meeting, form),
    )


@login_required
def item_add(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    form = AgendaItemForm(request.POST or None, late=meeting.agenda_is_published)
    add_concern_fields(form, partnership=meeting.partnership)
    if request.method == "POST" and form.is_valid() and (organisations := chosen_organisations(form)) is not None:
        try:
            with submitted_once(form), transaction.atomic():
                item = services.agenda_item_add(meeting=meeting, actor=request.user, **form.item_arguments())
                concerns_set(subject=item, organisations=organisations, actor=request.user)
        except AlreadySubmitted as error:
            messages.info(request, str(error))
            return redirect(_meeting_url(meeting, "agenda"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            late = " as a late item" if item.is_late else ""
            messages.success(request, f"Item {item.number} added{late}: {item.title}.")
            return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    return _render_form(
        request, meeting, "meetings/staff/item_form.html", form, heading="Add an agenda item", submit="Add item"
    )


@login_required
def item_edit(request, slug, pk, item_pk):
    meeting = meeting_for_staff(request, slug, pk)
    item = _item(meeting, item_pk)
    if item.is_withdrawn:
        messages.error(request, "This item has been withdrawn, so it stays as it was.")
        return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    form = AgendaItemForm.for_item(item, request.POST or None, published=meeting.agenda_is_published)
    add_concern_fields(form, partnership=meeting.partnership, chosen=item.organisations.all())
    if request.method == "POST" and form.is_valid() and (organisations := chosen_organisations(form)) is not None:
        try:
            with transaction.atomic():
                services.agenda_item_update(item=item, actor=request.user, **form.change_arguments())
                concerns_set(subject=item, organisations=organisations, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Item {item.number} saved.")
            return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    return _render_form(
        request,
        meeting,
        "meetings/staff/item_form.html",
        form,
        item=item,
        heading=f"Change item {item.number}",
        submit="Save item",
    )


@login_required
def item_remove(request, slug, pk, item_pk):
    meeting = meeting_for_staff(request, slug, pk)
    item = _item(meeting, item_pk)
    if request.method == "POST":
        try:
            services.agenda_item_remove(item=item, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Item removed: {item.title}. The items below it have moved up.")
        return redirect(_meeting_url(meeting, "agenda"))
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "item": item,
        "paper_count": item.papers.count(),
        "crumbs": _crumbs(meeting),
    }
    return render(request, "meetings/staff/item_remove.html", context)


@login_required
def item_withdraw(request, slug, pk, item_pk):
    """Withdraw an item from a published agenda: it stays on the record, marked, with the reason."""
    meeting = meeting_for_staff(request, slug, pk)
    item = _item(meeting, item_pk)
    form = WithdrawItemForm(request.POST or None)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.agenda_item_withdraw(
            item=item, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=lambda _: f"Item {item.number} withdrawn: {item.title}. It stays on the agenda, marked.",
        redirect_to=_meeting_url(meeting, f"item-{item.pk}"),
        template="meetings/staff/item_withdraw.html",
        context=lambda: _form_context(meeting, form, item=item),
    )


@login_required
def item_move(request, slug, pk, item_pk):
    """Move an item up or down one place: a plain form post, so it works without JavaScript.
    Once the agenda is published a move needs a reason, asked for on its own page."""
    meeting = meeting_for_staff(request, slug, pk)
    item = _item(meeting, item_pk)
    published = meeting.agenda_is_published
    form = MoveItemForm(request.POST or None, published=published, initial={"direction": request.GET.get("direction")})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agenda_item_move(
                    item=item,
                    actor=request.user,
                    direction=form.cleaned_data["direction"],
                    change_reason=form.cleaned_data.get("change_reason", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_meeting_url(meeting, f"item-{item.pk}"))
        if not published:
            messages.error(request, " ".join(message for _, message in presenters.error_summary(form)))
            return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    return _render_form(request, meeting, "meetings/staff/item_move.html", form, item=item)


@login_required
@require_POST
def standard_items_add(request, slug, pk):
    meeting = meeting_for_staff(request, slug, pk)
    try:
        created = services.agenda_add_standard_items(meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, "Added: " + "; ".join(item.title for item in created) + ".")
        else:
            messages.info(request, "The agenda already has all the standard items.")
    return redirect(_meeting_url(meeting, "agenda"))


@login_required
def paper_upload(request, slug, pk, item_pk):
    meeting = meeting_for_staff(request, slug, pk)
    item = _item(meeting, item_pk)
    form = PaperUploadForm(request.POST or None, request.FILES or None, published=meeting.agenda_is_published)
    add_concern_fields(form, partnership=meeting.partnership, what="paper")
    if request.method == "POST" and form.is_valid() and (organisations := chosen_organisations(form)) is not None:
        try:
            with transaction.atomic():
                paper = services.paper_upload(
                    item=item,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    restricted=form.cleaned_data["restricted"],
                    change_reason=form.cleaned_data.get("change_reason", ""),
                )
                concerns_set(subject=paper, organisations=organisations, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            pages = paper.current_version.page_count
            messages.success(request, f"Paper uploaded: {paper.title} ({pages} page{'s' if pages != 1 else ''}).")
            if paper.current_version.removed_content:
                messages.warning(request, removed_notice(paper.current_version.removed_content))
            if notice := accessibility_notice_for(paper.current_version.sha256):
                messages.warning(request, notice)
            return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    return _render_form(request, meeting, "meetings/staff/paper_upload.html", form, item=item)


@login_required
def paper_replace(request, slug, pk, paper_pk):
    meeting = meeting_for_staff(request, slug, pk)
    paper = _paper(meeting, paper_pk)
    form = PaperReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.paper_replace(
                paper=paper, actor=request.user, file=form.cleaned_data["file"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{paper.title}: version {version.number} uploaded. Earlier versions are kept.")
            if version.removed_content:
                messages.warning(request, removed_notice(version.removed_content))
            if notice := accessibility_notice_for(version.sha256):
                messages.warning(request, notice)
            return redirect(_meeting_url(meeting, f"item-{paper.agenda_item_id}"))
    versions = paper.versions.select_related("uploaded_by").order_by("-number")
    return _render_form(request, meeting, "meetings/staff/paper_replace.html", form, paper=paper, versions=versions)


@login_required
def paper_edit(request, slug, pk, paper_pk):
    meeting = meeting_for_staff(request, slug, pk)
    paper = _paper(meeting, paper_pk)
    form = PaperEditForm(
        request.POST or None,
        initial={"title": paper.title, "restricted": paper.restricted},
        published=meeting.agenda_is_published,
    )
    add_concern_fields(form, partnership=meeting.partnership, chosen=paper.organisations.all(), what="paper")
    if request.method == "POST" and form.is_valid() and (organisations := chosen_organisations(form)) is not None:
        details = {k: v for k, v in form.cleaned_data.items() if k not in ("organisations", "other_organisations")}
        try:
            with transaction.atomic():
                services.paper_update(paper=paper, actor=request.user, **details)
                concerns_set(subject=paper, organisations=organisations, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Paper details saved.")
            return redirect(_meeting_url(meeting, f"item-{paper.agenda_item_id}"))
    return _render_form(request, meeting, "meetings/staff/paper_edit.html", form, paper=paper)


@login_required
def agenda_publish(request, slug, pk):
    """Confirm, then publish the agenda and its public papers."""
    meeting = meeting_for_staff(request, slug, pk)
    late = meeting.has_publication_deadline and timezone.localdate() > meeting.publication_deadline
    form = PublishAgendaForm(request.POST if request.method == "POST" else None, late=late)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.agenda_publish(
                meeting=meeting, actor=request.user, late_reason=form.cleaned_data.get("late_reason", "")
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                problems = error.messages
        else:
            if outcome.late:
                messages.warning(
                    request,
                    f"Agenda published late: the deadline was {long_date(outcome.deadline, weekday=True)}. "
                    "The meeting page gives the chair's reason for urgency.",
                )
            else:
                messages.success(request, "Agenda published. The public can now read it and its public papers.")
            return redirect(_meeting_url(meeting))
    items = list(meeting.agenda_items.order_by("position").prefetch_related("papers"))
    context = {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "items": items,
        "form": form,
        "late": late,
        "errors": presenters.error_summary(form),
        "problems": problems,
        "without_papers": [item for item in items if not item.papers.all() and not item.standard],
        "crumbs": _crumbs(meeting),
    }
    return render(request, "meetings/staff/publish.html", context)
