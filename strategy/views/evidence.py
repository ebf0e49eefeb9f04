"""Workspace pages for the partnership's evidence library."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.forms import add_service_errors
from meetings.http import cache_privately
from meetings.validators import removed_notice

from ..access import partnership_for_secretariat, partnership_for_strategy_staff, strategy_or_404
from ..forms import EvidenceForm
from ..services import evidence as evidence_services
from ._staff import _crumbs
from .common import evidence_response

EVIDENCE_PAGE_SIZE = 50


# Evidence.


@login_required
def evidence_list(request, slug):
    partnership = partnership_for_strategy_staff(request, slug)
    strategy = strategy_or_404(partnership)
    evidence = strategy.evidence.select_related("local_authority__health_and_wellbeing_board").order_by(
        "local_authority__name", "-published_on", "pk"
    )
    context = {
        "partnership": partnership,
        "strategy": strategy,
        "page": Paginator(evidence, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page")),
        "crumbs": _crumbs(partnership),
    }
    return render(request, "strategy/staff/evidence.html", context)


@login_required
def evidence_add(request, slug):
    partnership = partnership_for_secretariat(request, slug)
    strategy = strategy_or_404(partnership)
    form = EvidenceForm(request.POST or None, request.FILES or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_services.evidence_record(strategy=strategy, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{evidence.title}” has been recorded.")
            if evidence.removed_content:
                messages.warning(request, removed_notice(evidence.removed_content))
            strategy.refresh_from_db()
            if strategy.review_due:
                messages.warning(request, f"The strategy is now due for review. {strategy.review_reason}")
            return redirect("strategy:evidence", slug=slug)
    context = {"partnership": partnership, "form": form, "crumbs": _crumbs(partnership, _evidence_crumb(partnership))}
    return render(request, "strategy/staff/evidence_form.html", context)


@login_required
def evidence_edit(request, slug, pk):
    partnership = partnership_for_secretariat(request, slug)
    strategy = strategy_or_404(partnership)
    evidence = get_object_or_404(strategy.evidence, pk=pk)
    fields = ("kind", "title", "local_authority", "published_on", "url", "summary")
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        strategy=strategy,
        has_file=bool(evidence.file),
        initial={name: getattr(evidence, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_services.evidence_update(evidence=evidence, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{evidence.title}” has been saved.")
            if evidence.removed_content:
                messages.warning(request, removed_notice(evidence.removed_content))
            return redirect("strategy:evidence", slug=slug)
    context = {
        "partnership": partnership,
        "form": form,
        "evidence": evidence,
        "crumbs": _crumbs(partnership, _evidence_crumb(partnership)),
    }
    return render(request, "strategy/staff/evidence_form.html", context)


def _evidence_crumb(partnership):
    return ("Evidence", reverse("strategy:evidence", args=[partnership.slug]))


@login_required
def evidence_file(request, slug, token):
    """An evidence PDF for the partnership's strategy staff, cited or not: never stored by
    any cache, since it may be a draft the public must not see."""
    partnership = partnership_for_strategy_staff(request, slug)
    strategy = strategy_or_404(partnership)
    evidence = get_object_or_404(strategy.evidence.exclude(file=""), token=token)
    return cache_privately(evidence_response(evidence), store=False)
