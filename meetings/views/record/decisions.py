"""Decisions: a meeting's, the partnership's register for the secretariat, and the public register."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from core.views import handle_form, public_crumbs
from partnerships.access import public_partnership_or_404

from ... import record_forms as forms
from ... import record_services as services
from ...access import can_read_exempt, meeting_for_staff, partnership_for_staff
from ...http import public_page
from ...models import Decision
from ...once import AlreadySubmitted, submitted_once
from ...record import NOT_HELD, has_started, quorum_record
from ...record_rows import DECISION_ROW_FIELDS, decision_rows
from ._common import (
    _meeting_crumbs,
    _page,
    _page_context,
    _register_context,
    _render,
    _sent_twice,
    _url,
)


@login_required
def decisions(request, slug, pk):
    """The meeting's decisions, and a form to record another."""
    meeting = meeting_for_staff(request, slug, pk)
    form = forms.DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form):
                decision = services.decision_record(meeting=meeting, actor=request.user, **form.cleaned_data)
        except AlreadySubmitted as error:
            return _sent_twice(request, error, _url("decisions", meeting))
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Decision recorded{f' ({decision.reference})' if decision.reference else ''}.")
            return redirect(_url("decisions", meeting))
    context = {
        "form": form,
        "decisions": decision_rows(
            meeting.decisions.order_by("agenda_item__position", "pk").values(*DECISION_ROW_FIELDS),
            meeting.partnership,
            staff=True,
        ),
        "quorum": quorum_record(meeting),
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "decisions.html", meeting, "decisions", **context)


def _register_page(request, decisions, partnership, *, staff: bool):
    """The requested page of `decisions` as the registers list them, newest meeting first. Read
    as the values their rows show (`record_rows.decision_rows`), which cost less than three
    objects a row; counted on their own, without the agenda items the rows join."""
    queryset = decisions.order_by("-meeting__starts_at", "agenda_item__position", "pk").values(*DECISION_ROW_FIELDS)
    page = _page(request, queryset, count=decisions.count())
    page.object_list = decision_rows(page.object_list, partnership, staff=staff)
    return page


@login_required
def decision_register(request, slug):
    """Every decision of the partnership, newest meeting first, exempt ones marked."""
    partnership = partnership_for_staff(request, slug)
    decisions = Decision.objects.of_partnership(partnership)
    # Read when the template first asks for it, and not at all when the page keeps the register
    # between requests (`{% workspace_fragment %}`).
    page = functools.cache(lambda: _register_page(request, decisions, partnership, staff=True))
    context = _register_context(partnership, register_page=page, staff=True)
    return render(request, "meetings/record/decision_register.html", context)


@login_required
def decision_edit(request, slug, decision_pk):
    partnership = partnership_for_staff(request, slug)
    decision = get_object_or_404(
        Decision.objects.filter(meeting__partnership=partnership).select_related("meeting", "agenda_item"),
        pk=decision_pk,
    )
    meeting = decision.meeting
    meeting.partnership = partnership
    form = forms.DecisionForm.for_decision(decision, data=request.POST or None)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.decision_update(decision=decision, actor=request.user, **form.cleaned_data),
        success="Decision updated.",
        redirect_to=_url("decisions", meeting),
        template="meetings/record/decision_form.html",
        context=lambda: _page_context(
            meeting,
            "decisions",
            crumbs=[*_meeting_crumbs(meeting), ("Decisions", _url("decisions", meeting))],
            decision=decision,
            is_approval=decision.approved_minutes.exists(),
        ),
    )


@public_page
def public_decisions(request, slug):
    """The partnership's decisions register: public items of public meetings. Readers who
    may see exempt material also see exempt items and private sessions, marked."""
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    base = Decision.objects.all() if reader else Decision.objects.public()
    context = {
        "partnership": partnership,
        "page": _register_page(request, base.of_partnership(partnership), partnership, staff=False),
        "reader": reader,
        "crumbs": public_crumbs(partnership),
    }
    return render(request, "meetings/record/public_decisions.html", context)
