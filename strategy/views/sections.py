"""Workspace pages for a version's sections."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ..forms import SectionForm
from ..services import sections
from ._staff import _move_part, _part_form, _remove_part, _secretariat_version

# Sections.


@login_required
def section_add(request, slug, number):
    version = _secretariat_version(request, slug, number)
    return _part_form(
        request,
        version,
        "strategy/staff/section_form.html",
        form=lambda: SectionForm(request.POST or None, strategy=version.strategy),
        save=lambda form: sections.section_add(version=version, actor=request.user, **form.cleaned_data),
        success=lambda section: f"The section “{section.title}” has been added.",
    )


@login_required
def section_edit(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    return _part_form(
        request,
        version,
        "strategy/staff/section_form.html",
        form=lambda: SectionForm(
            request.POST or None,
            strategy=version.strategy,
            initial={"title": section.title, "body": section.body, "evidence": list(section.evidence.all())},
        ),
        save=lambda form: sections.section_update(section=section, actor=request.user, **form.cleaned_data),
        success=lambda _: f"The section “{section.title}” has been saved.",
        section=section,
    )


@login_required
@require_POST
def section_move(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    return _move_part(request, version, section, partial(sections.section_move, section=section))


@login_required
def section_remove(request, slug, number, pk):
    version = _secretariat_version(request, slug, number)
    section = get_object_or_404(version.sections, pk=pk)
    return _remove_part(
        request,
        version,
        partial(sections.section_remove, section=section),
        thing=f"the section “{section.title}”",
        removed=f"The section “{section.title}” has been removed from {version.label}.",
    )
