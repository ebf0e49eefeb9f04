"""Workspace pages for a version's priorities and their outcome measures."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ..access import partnership_for_secretariat, version_or_404
from ..forms import MeasureForm, PriorityForm
from ..services import priorities
from ._staff import _form_page, _move_part, _refuse_locked, _remove_part, _service_message, _to_version, _version_form

# Priorities and measures.


@login_required
def priority_add(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    if refused := _refuse_locked(request, version):
        return refused
    form = PriorityForm(request.POST or None, strategy=version.strategy)
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/priority_form.html",
        on_valid=lambda: priorities.priority_add(version=version, actor=request.user, details=form.details()),
        success=lambda priority: f"The priority “{priority.title}” has been added. Add how progress is measured.",
    )


@login_required
def priority_edit(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    if refused := _refuse_locked(request, version):
        return refused
    form = PriorityForm(request.POST or None, strategy=version.strategy, initial=PriorityForm.initial_for(priority))
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/priority_form.html",
        on_valid=lambda: priorities.priority_update(priority=priority, actor=request.user, details=form.details()),
        success=lambda _: f"The priority “{priority.title}” has been saved.",
        priority=priority,
    )


@login_required
@require_POST
def priority_move(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    return _move_part(request, version, priority, partial(priorities.priority_move, priority=priority))


@login_required
def priority_remove(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    return _remove_part(request, version, priority, partial(priorities.priority_remove, priority=priority), "priority")


@login_required
def measure_add(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    if refused := _refuse_locked(request, version):
        return refused
    form = MeasureForm(request.POST or None)
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/measure_form.html",
        on_valid=lambda: priorities.measure_add(priority=priority, actor=request.user, **form.cleaned_data),
        success=lambda _: f"The measure has been added to “{priority.title}”.",
        priority=priority,
    )


@login_required
def measure_edit(request, slug, number, pk, measure_pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    measure = get_object_or_404(priority.measures, pk=measure_pk)
    if refused := _refuse_locked(request, version):
        return refused
    fields = ("name", "baseline", "baseline_period", "target", "target_date")
    form = MeasureForm(request.POST or None, initial={name: getattr(measure, name) for name in fields})
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/measure_form.html",
        on_valid=lambda: priorities.measure_update(measure=measure, actor=request.user, **form.cleaned_data),
        success=lambda _: f"The measure “{measure.name}” has been saved.",
        priority=priority,
        measure=measure,
    )


@login_required
def measure_remove(request, slug, number, pk, measure_pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    priority = get_object_or_404(version.priorities, pk=pk)
    measure = get_object_or_404(priority.measures, pk=measure_pk)
    if refused := _refuse_locked(request, version):
        return refused
    if request.method == "POST":
        try:
            priorities.measure_remove(measure=measure, actor=request.user)
        except ValidationError as error:
            _service_message(request, error)
        else:
            messages.success(request, f"The measure “{measure.name}” has been removed.")
        return _to_version(version)
    return _form_page(
        request, "strategy/staff/confirm_remove.html", version, None, thing=f"the measure “{measure.name}”"
    )
