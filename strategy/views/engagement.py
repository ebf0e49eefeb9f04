"""Workspace pages for a version's engagement: "you said, we did"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..access import partnership_for_secretariat, version_or_404
from ..forms import EngagementForm
from ..services import engagement
from ._staff import _form_page, _refuse_locked, _service_message, _to_version, _version_form

# Engagement.


@login_required
def engagement_add(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    if refused := _refuse_locked(request, version):
        return refused
    form = EngagementForm(request.POST or None)
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/engagement_form.html",
        on_valid=lambda: engagement.engagement_add(version=version, actor=request.user, details=form.details()),
        success=lambda activity: f"“{activity.title}” has been recorded.",
    )


@login_required
def engagement_edit(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    activity = get_object_or_404(version.engagement, pk=pk)
    if refused := _refuse_locked(request, version):
        return refused
    form = EngagementForm(request.POST or None, initial=EngagementForm.initial_for(activity))
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/engagement_form.html",
        on_valid=lambda: engagement.engagement_update(activity=activity, actor=request.user, details=form.details()),
        success=lambda _: f"“{activity.title}” has been saved.",
        activity=activity,
    )


@login_required
def engagement_remove(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    activity = get_object_or_404(version.engagement, pk=pk)
    if refused := _refuse_locked(request, version):
        return refused
    if request.method == "POST":
        try:
            engagement.engagement_remove(activity=activity, actor=request.user)
        except ValidationError as error:
            _service_message(request, error)
        else:
            messages.success(request, f"“{activity.title}” has been removed from {version.label}.")
        return _to_version(version)
    return _form_page(
        request, "strategy/staff/confirm_remove.html", version, None, thing=f"the engagement “{activity.title}”"
    )
