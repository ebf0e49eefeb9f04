"""The secretariat's pages for one report through many bodies (`meetings.consultations`):
table a paper already on the portal at an item, record what each body did with it, and add a
step outside the portal (the ICB board, a council's health and wellbeing board).

Every view loads the meeting through `meeting_for_staff` (MANAGE on its partnership) and reaches
items, papers and considerations through that meeting, so an id from elsewhere is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.views import handle_form
from meetings import consultations, presenters
from meetings.access import meeting_for_staff
from meetings.consultation_forms import ConsiderationForm, OutsideStepForm, ReusePaperForm
from meetings.models import Consideration, Paper
from meetings.once import AlreadySubmitted, submitted_once

from .agenda import _crumbs, _item, _meeting_url


def _paper_here(meeting, paper_pk) -> Paper:
    """A paper tabled at this meeting, or considered at one of its items."""
    here = Q(agenda_item__meeting=meeting) | Q(considerations__agenda_item__meeting=meeting)
    papers = Paper.objects.filter(here).select_related("agenda_item__meeting__partnership", "current_version")
    return get_object_or_404(papers.distinct(), pk=paper_pk)


def _consideration_here(meeting, consideration_pk) -> Consideration:
    """A consideration at an item of this meeting, or a step outside the portal of a paper
    tabled at this meeting (recorded by the secretariat that tabled it)."""
    here = Q(agenda_item__meeting=meeting) | Q(agenda_item__isnull=True, paper__agenda_item__meeting=meeting)
    considerations = Consideration.objects.filter(here).select_related(
        "paper__agenda_item__meeting__partnership", "agenda_item__meeting__partnership"
    )
    return get_object_or_404(considerations, pk=consideration_pk)


def _context(meeting, **context) -> dict:
    forms = [value for value in context.values() if hasattr(value, "errors") and hasattr(value, "fields")]
    return {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "errors": presenters.error_summary(*forms),
        "crumbs": _crumbs(meeting),
        **context,
    }


def _render(request, meeting, template, **context):
    return render(request, template, _context(meeting, **context))


@login_required
def paper_reuse(request, slug, pk, item_pk):
    """Table a paper already on the portal (of this system's partnerships) at this item."""
    meeting = meeting_for_staff(request, slug, pk)
    item = _item(meeting, item_pk)
    query = " ".join(request.GET.get("q", "").split())[:200]
    candidates = consultations.reusable_papers(item=item, user=request.user, query=query)
    if request.method == "POST":
        papers = candidates
    else:
        papers = candidates.filter(
            pk__in=list(candidates.values_list("pk", flat=True)[: consultations.CANDIDATES_SHOWN])
        )
    form = ReusePaperForm(request.POST or None, papers=papers, published=meeting.agenda_is_published)
    # A published agenda's packs follow the change the service announces (core.events).
    return handle_form(
        request,
        form,
        on_valid=lambda: consultations.consideration_reuse(
            item=item,
            paper=form.cleaned_data["paper"],
            actor=request.user,
            role=form.cleaned_data["role"],
            change_reason=form.cleaned_data.get("change_reason", ""),
        ),
        success=lambda _: f"{form.cleaned_data['paper'].title} is now on item {item.number} as well.",
        redirect_to=_meeting_url(meeting, f"item-{item.pk}"),
        template="meetings/staff/paper_reuse.html",
        context=lambda: _context(
            meeting,
            form=form,
            item=item,
            query=query,
            shown=len(form.fields["paper"].queryset) if request.method != "POST" else None,
            limit=consultations.CANDIDATES_SHOWN,
        ),
    )


@login_required
def paper_path(request, slug, pk, paper_pk):
    """Where a paper of this meeting has been considered, and a step outside the portal to add
    (for a paper tabled at this meeting)."""
    meeting = meeting_for_staff(request, slug, pk)
    paper = _paper_here(meeting, paper_pk)
    tabled_here = paper.agenda_item.meeting_id == meeting.pk
    form = OutsideStepForm(request.POST or None) if tabled_here else None
    if request.method == "POST":
        if form is None:
            return redirect(request.path)
        if form.is_valid():
            try:
                with submitted_once(form):
                    consultations.consideration_add_outside(paper=paper, actor=request.user, **form.cleaned_data)
            except AlreadySubmitted as error:
                messages.info(request, str(error))
                return redirect(request.path)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Step added: {form.cleaned_data['body_name']}.")
                return redirect(request.path + "#path")
    steps = consultations.path_for_reader(paper, request.user)
    for step in steps:
        step.recordable_here = (step.agenda_item_id and step.agenda_item.meeting_id == meeting.pk) or (
            step.is_external and tabled_here
        )
    return _render(
        request,
        meeting,
        "meetings/staff/paper_path.html",
        paper=paper,
        steps=steps,
        form=form,
        tabled_here=tabled_here,
        public_url=consultations.public_url(paper),
    )


@login_required
def consideration_record(request, slug, pk, consideration_pk):
    """Record the role a paper had at a step and what the body did with it."""
    meeting = meeting_for_staff(request, slug, pk)
    consideration = _consideration_here(meeting, consideration_pk)
    initial = {"role": consideration.role, "outcome": consideration.outcome, "outcome_note": consideration.outcome_note}
    form = ConsiderationForm(request.POST or None, initial=initial)
    back = _path_url(meeting, consideration.paper)
    return handle_form(
        request,
        form,
        on_valid=lambda: consultations.consideration_record(
            consideration=consideration, actor=request.user, **form.cleaned_data
        ),
        success=f"Recorded: {consideration.paper.title} at {consideration.body}.",
        redirect_to=back + "#path",
        template="meetings/staff/consideration_form.html",
        context=lambda: _context(
            meeting,
            form=form,
            consideration=consideration,
            back=back,
            removable=consultations.removable(consideration),
        ),
    )


@login_required
@require_POST
def consideration_remove(request, slug, pk, consideration_pk):
    """Take a reused paper off an item whose agenda is unpublished, or a step outside the portal."""
    meeting = meeting_for_staff(request, slug, pk)
    consideration = _consideration_here(meeting, consideration_pk)
    back = _path_url(meeting, consideration.paper)
    try:
        consultations.consideration_remove(consideration=consideration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, f"Removed: {consideration.paper.title} at {consideration.body}.")
    if consideration.agenda_item_id:
        return redirect(_meeting_url(meeting, f"item-{consideration.agenda_item_id}"))
    return redirect(back + "#path")


def _path_url(meeting, paper) -> str:
    return reverse(
        "meetings:staff_paper_path", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk, "paper_pk": paper.pk}
    )
