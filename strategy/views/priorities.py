"""Workspace pages for a version's priorities and their outcome measures."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ..forms import MeasureForm, PriorityForm
from ..services import priorities
from ._staff import _move_part, _part_form, _remove_part, _secretariat_version

# Priorities and measures.

MEASURE_FIELDS = ("name", "baseline", "baseline_period", "target", "target_date")


@login_required
def priority_add(request, slug, number):
    version = _secretariat_version(request, slug, number)
    return _part_form(
        request,
        version,
        "strategy/staff/priority_form.html",
        form=lambda: PriorityForm(request.POST or None, strategy=version.strategy),
        save=lambda form: priorities.priority_add(version=version, actor=request.user, details=form.details()),
        success=lambda priority: f"The priority “{priority.title}” has been added. Add how progress is measured.",
    )


@login_required
def priority_edit(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    return _part_form(
        request,
        version,
        "strategy/staff/priority_form.html",
        form=lambda: PriorityForm(
            request.POST or None, strategy=version.strategy, initial=PriorityForm.initial_for(priority)
        ),
        save=lambda form: priorities.priority_update(priority=priority, actor=request.user, details=form.details()),
        success=lambda _: f"The priority “{priority.title}” has been saved.",
        priority=priority,
    )


@login_required
@require_POST
def priority_move(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    return _move_part(request, version, priority, partial(priorities.priority_move, priority=priority))


@login_required
def priority_remove(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    return _remove_part(
        request,
        version,
        partial(priorities.priority_remove, priority=priority),
        thing=f"the priority “{priority.title}”",
        removed=f"The priority “{priority.title}” has been removed from {version.label}.",
    )


@login_required
def measure_add(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    return _part_form(
        request,
        version,
        "strategy/staff/measure_form.html",
        form=lambda: MeasureForm(request.POST or None),
        save=lambda form: priorities.measure_add(priority=priority, actor=request.user, **form.cleaned_data),
        success=lambda _: f"The measure has been added to “{priority.title}”.",
        priority=priority,
    )


@login_required
def measure_edit(request, slug, number, pk, measure_pk):
    version = _secretariat_version(request, slug, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    measure = get_object_or_404(priority.measures, pk=measure_pk)
    return _part_form(
        request,
        version,
        "strategy/staff/measure_form.html",
        form=lambda: MeasureForm(
            request.POST or None, initial={name: getattr(measure, name) for name in MEASURE_FIELDS}
        ),
        save=lambda form: priorities.measure_update(measure=measure, actor=request.user, **form.cleaned_data),
        success=lambda _: f"The measure “{measure.name}” has been saved.",
        priority=priority,
        measure=measure,
    )


@login_required
def measure_remove(request, slug, number, pk, measure_pk):
    version = _secretariat_version(request, slug, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    measure = get_object_or_404(priority.measures, pk=measure_pk)
    return _remove_part(
        request,
        version,
        partial(priorities.measure_remove, measure=measure),
        thing=f"the measure “{measure.name}”",
        removed=f"The measure “{measure.name}” has been removed.",
    )
