"""Actions: a meeting's, the partnership's action log and one action for the secretariat, and the
public action log."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.views import handle_form, posted, public_crumbs
from membership.models import Person
from partnerships.access import public_partnership_or_404
from partnerships.models import Organisation, system_council_ids

from ... import record_forms as forms
from ... import record_services as services
from ...access import can_read_exempt, meeting_for_staff, partnership_for_staff
from ...http import public_page
from ...models import Action, ActionUpdate, Meeting
from ...once import AlreadySubmitted, submitted_once
from ...record import NOT_HELD, actions_carried_forward, has_started, members_at
from ...record_rows import ACTION_LOG_FIELDS, action_log_rows, action_rows
from ._common import _page, _register_context, _render, _sent_twice, _url, _workspace_crumbs


def _owner_people(meeting: Meeting, *also: int | None):
    members = members_at(meeting).values("person_id")
    return (
        Person.objects.filter(Q(pk__in=members) | Q(attendance__meeting=meeting) | Q(pk__in=[pk for pk in also if pk]))
        .defer("email", "phone")
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


def _owner_organisations(partnership, *also: int | None):
    """Organisations represented on the partnership, the system's ICB and its councils."""
    return (
        Organisation.objects.filter(
            Q(memberships__partnership=partnership)
            | Q(integratedcareboard__ics=partnership.ics_id)
            | Q(pk__in=system_council_ids(partnership.ics_id))
            | Q(pk__in=[pk for pk in also if pk])
        )
        .distinct()
        .order_by("name", "pk")
    )


@login_required
def actions(request, slug, pk):
    """The actions the meeting set, those carried forward to it, and a form to add one."""
    meeting = meeting_for_staff(request, slug, pk)
    form = forms.ActionForm(
        request.POST or None,
        meeting=meeting,
        people=_owner_people(meeting),
        organisations=_owner_organisations(meeting.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form):
                services.action_record(meeting=meeting, actor=request.user, **form.cleaned_data)
        except AlreadySubmitted as error:
            return _sent_twice(request, error, _url("actions", meeting))
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action recorded.")
            return redirect(_url("actions", meeting))
    context = {
        "form": form,
        "actions": action_rows(
            meeting.actions.select_related("agenda_item", "owner_person", "owner_organisation").order_by(
                "agenda_item__position", "due_date", "pk"
            ),
            meeting.partnership,
            staff=True,
        ),
        "carried_forward": action_rows(actions_carried_forward(meeting), meeting.partnership, staff=True),
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "actions.html", meeting, "actions", **context)


def _action_log_page(request, partnership, base, status: str, filters, *, staff: bool):
    """The requested page of the action log of `base` (the partnership's actions the reader may
    see); `status` is open, closed or all (ActionFilterForm keeps it to those)."""
    queryset = getattr(base, status)().values(*ACTION_LOG_FIELDS).order_by("due_date", "-meeting__starts_at", "pk")
    page = _page(request, queryset, count=_chosen_count(filters, status))
    page.object_list = action_log_rows(page.object_list, partnership, staff=staff)
    return page


def _action_filters(base) -> list[tuple[str, str, int]]:
    """(value, label, count) for the open/closed/all filter, counted in one query."""
    counts = base.aggregate(open=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)), all=Count("pk"))
    return [
        ("open", "Open", counts["open"]),
        ("closed", "Closed", counts["all"] - counts["open"]),
        ("all", "All", counts["all"]),
    ]


def _chosen_count(filters, status: str) -> int:
    return next(count for value, _label, count in filters if value == status)


@login_required
def action_log(request, slug):
    """The partnership's actions, open ones first by due date; filter open, closed or all."""
    partnership = partnership_for_staff(request, slug)
    status = forms.ActionFilterForm(request.GET).chosen()
    base = Action.objects.of_partnership(partnership)

    # Read when the template first asks for it, and not at all when the page keeps the log
    # between requests (`{% workspace_fragment %}`).
    @functools.cache
    def log():
        filters = _action_filters(base)
        return {"page": _action_log_page(request, partnership, base, status, filters, staff=True), "filters": filters}

    context = _register_context(partnership, log=log, status=status, staff=True)
    return render(request, "meetings/record/action_log.html", context)


def _action(request, slug, action_pk):
    partnership = partnership_for_staff(request, slug)
    action = get_object_or_404(
        partnership.actions.select_related(
            "meeting", "agenda_item", "owner_person", "owner_organisation"
        ).prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author"))),
        pk=action_pk,
    )
    action.meeting.partnership = partnership
    return action


def _action_form(action, data=None):
    """The form that changes what `action` is, who owns it and when it is due."""
    meeting = action.meeting
    return forms.ActionForm.for_action(
        action,
        people=_owner_people(meeting, action.owner_person_id),
        organisations=_owner_organisations(meeting.partnership, action.owner_organisation_id),
        data=data,
    )


def _action_context(action, update_form=None) -> dict:
    """The action's page but for its form (`_action_form`): it also records progress (`update_form`)."""
    meeting = action.meeting
    update_form = update_form or forms.ActionUpdateForm(
        initial={"status": action.status, "written_on": timezone.localdate()}
    )
    crumbs = [
        *_workspace_crumbs(meeting.partnership),
        ("Action log", reverse("record:action_log", kwargs={"slug": meeting.partnership.slug})),
    ]
    return {
        "partnership": meeting.partnership,
        "meeting": meeting,
        "action": action,
        "update_form": update_form,
        "crumbs": crumbs,
    }


@login_required
def action_detail(request, slug, action_pk):
    """An action: change what it is, who owns it and when it is due."""
    action = _action(request, slug, action_pk)
    form = _action_form(action, data=posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: services.action_change(action=action, actor=request.user, **form.cleaned_data),
        success="Action changed.",
        redirect_to=reverse("record:action", kwargs={"slug": slug, "action_pk": action.pk}),
        template="meetings/record/action_detail.html",
        context=lambda: _action_context(action),
    )


@login_required
def action_update(request, slug, action_pk):
    """Record progress on an action, and its status after it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = _action(request, slug, action_pk)
    update_form = forms.ActionUpdateForm(request.POST)
    if update_form.is_valid():
        try:
            services.action_add_update(action=action, actor=request.user, **update_form.cleaned_data)
        except services.RecordError as error:
            update_form.add_error(None, str(error))
        else:
            messages.success(request, "Update recorded.")
            return redirect("record:action", slug=slug, action_pk=action.pk)
    context = {**_action_context(action, update_form), "form": _action_form(action)}
    return render(request, "meetings/record/action_detail.html", context)


@public_page
def public_actions(request, slug):
    """The partnership's action log: public items of public meetings, open ones by default."""
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    status = forms.ActionFilterForm(request.GET).chosen()
    base = (Action.objects.all() if reader else Action.objects.public()).of_partnership(partnership)
    filters = _action_filters(base)
    context = {
        "partnership": partnership,
        "page": _action_log_page(request, partnership, base, status, filters, staff=False),
        "status": status,
        "filters": filters,
        "reader": reader,
        "crumbs": public_crumbs(partnership),
    }
    return render(request, "meetings/record/public_actions.html", context)
