"""Workspace pages for a version's engagement: "you said, we did"."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from ..forms import EngagementForm
from ..services import engagement
from ._staff import _part_form, _remove_part, _secretariat_version

# Engagement.


@login_required
def engagement_add(request, slug, number):
    version = _secretariat_version(request, slug, number)
    return _part_form(
        request,
        version,
        "strategy/staff/engagement_form.html",
        form=lambda: EngagementForm(request.POST or None),
        save=lambda form: engagement.engagement_add(version=version, actor=request.user, details=form.details()),
        success=lambda activity: f"“{activity.title}” has been recorded.",
    )


@login_required
def engagement_edit(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    activity = get_object_or_404(version.engagement, pk=pk)
    return _part_form(
        request,
        version,
        "strategy/staff/engagement_form.html",
        form=lambda: EngagementForm(request.POST or None, initial=EngagementForm.initial_for(activity)),
        save=lambda form: engagement.engagement_update(activity=activity, actor=request.user, details=form.details()),
        success=lambda _: f"“{activity.title}” has been saved.",
        activity=activity,
    )


@login_required
def engagement_remove(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    activity = get_object_or_404(version.engagement, pk=pk)
    return _remove_part(
        request,
        version,
        partial(engagement.engagement_remove, activity=activity),
        thing=f"the engagement “{activity.title}”",
        removed=f"“{activity.title}” has been removed from {version.label}.",
    )
