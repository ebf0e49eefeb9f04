"""Workspace pages linking meetings' business to a priority."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from ..access import partnership_for_secretariat, version_or_404
from ..forms import DeliveryLinkForm
from ..models import PriorityLink
from ..selectors import priority_delivery
from ..services import delivery as delivery_services
from ._staff import _version_crumbs

MEETINGS_TO_CHOOSE_FROM = 200


# Delivery.


@login_required
def delivery(request, slug, number, pk):
    """Link the partnership's meetings' agenda items, decisions and actions to a priority:
    choose a meeting, then what in it carries the priority forward."""
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    meetings = partnership.meetings.order_by("-starts_at")[:MEETINGS_TO_CHOOSE_FROM]
    meeting = None
    meeting_pk = request.POST.get("meeting") or request.GET.get("meeting")
    if meeting_pk:
        if not (str(meeting_pk).isascii() and str(meeting_pk).isdigit()):
            raise Http404("No such meeting.")
        meeting = get_object_or_404(partnership.meetings, pk=meeting_pk)
    form = None
    if meeting is not None:
        form = DeliveryLinkForm(
            request.POST or None,
            items=meeting.agenda_items.order_by("position"),
            decisions=meeting.decisions.select_related("agenda_item"),
            actions=meeting.actions.order_by("pk"),
        )
        if request.method == "POST" and form.is_valid():
            try:
                link = delivery_services.delivery_link(priority=priority, actor=request.user, **form.chosen())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The {link.kind} has been linked to “{priority.title}”.")
                return redirect(
                    reverse("strategy:delivery", args=[slug, number, priority.pk]) + f"?meeting={meeting.pk}"
                )
    context = {
        "partnership": partnership,
        "version": version,
        "priority": priority,
        "links": priority_delivery(priority, public=False),
        "meetings": meetings,
        "meeting": meeting,
        "form": form,
        "crumbs": _version_crumbs(version),
    }
    return render(request, "strategy/staff/delivery.html", context)


@login_required
@require_POST
def delivery_unlink(request, slug, number, pk, link_pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    link = get_object_or_404(
        PriorityLink.objects.filter(priority__key=priority.key, priority__version__strategy=version.strategy),
        pk=link_pk,
    )
    delivery_services.delivery_unlink(link=link, actor=request.user)
    messages.success(request, f"The link to “{priority.title}” has been removed.")
    return redirect("strategy:delivery", slug=slug, number=number, pk=priority.pk)
