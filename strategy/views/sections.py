"""Workspace pages for a version's sections."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ..access import partnership_for_secretariat, version_or_404
from ..forms import SectionForm
from ..services import sections
from ._staff import _move_part, _refuse_locked, _remove_part, _version_form

# Sections.


@login_required
def section_add(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    if refused := _refuse_locked(request, version):
        return refused
    form = SectionForm(request.POST or None, strategy=version.strategy)
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/section_form.html",
        on_valid=lambda: sections.section_add(version=version, actor=request.user, **form.cleaned_data),
        success=lambda section: f"The section “{section.title}” has been added.",
    )


@login_required
def section_edit(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    section = get_object_or_404(version.sections, pk=pk)
    if refused := _refuse_locked(request, version):
        return refused
    initial = {"title": section.title, "body": section.body, "evidence": list(section.evidence.all())}
    form = SectionForm(request.POST or None, strategy=version.strategy, initial=initial)
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/section_form.html",
        on_valid=lambda: sections.section_update(section=section, actor=request.user, **form.cleaned_data),
        success=lambda _: f"The section “{section.title}” has been saved.",
        section=section,
    )


@login_required
@require_POST
def section_move(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    section = get_object_or_404(version.sections, pk=pk)
    return _move_part(request, version, section, partial(sections.section_move, section=section))


@login_required
def section_remove(request, slug, number, pk):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    section = get_object_or_404(version.sections, pk=pk)
    return _remove_part(request, version, section, partial(sections.section_remove, section=section), "section")
