"""The strategy workspace's front page, starting a strategy, versions and comparing them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import partnership_for_secretariat, partnership_for_strategy_staff, strategy_or_404, version_or_404
from ..forms import StrategyStartForm, VersionDetailsForm
from ..models import Strategy, StrategyVersion
from ..selectors import approval_state, submission_problems, version_content
from ..services import versions
from ._staff import _crumbs, _refuse_locked, _service_message, _version_form
from .common import compare_page

VERSIONS_PAGE_SIZE = 25


# The workspace and versions.


@login_required
def workspace(request, slug):
    """The strategy at a glance: whether it is due for review, the version in progress, and
    every version with its status."""
    partnership = partnership_for_strategy_staff(request, slug)
    strategy = Strategy.objects.filter(partnership=partnership).first()
    context = {"partnership": partnership, "strategy": strategy, "crumbs": _crumbs(partnership)[:-1]}
    if strategy is None:
        context["form"] = StrategyStartForm()
        return render(request, "strategy/staff/workspace.html", context)
    versions = strategy.versions.select_related("submitted_by", "published_by").order_by("-number")
    context.update(
        {
            "versions": Paginator(versions, VERSIONS_PAGE_SIZE).get_page(request.GET.get("page")),
            "open_version": strategy.versions.open().order_by("-number").first(),
            "published": strategy.versions.filter(status=StrategyVersion.Status.PUBLISHED).first(),
            "evidence_count": strategy.evidence.count(),
        }
    )
    return render(request, "strategy/staff/workspace.html", context)


@login_required
@require_POST
def strategy_start(request, slug):
    partnership = partnership_for_secretariat(request, slug)
    form = StrategyStartForm(request.POST)
    if form.is_valid():
        try:
            version = versions.strategy_start(
                partnership=partnership, actor=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _service_message(request, error)
            return redirect("strategy:workspace", slug=slug)
        messages.success(request, "The strategy has been started. Add its sections and priorities.")
        return redirect("strategy:version", slug=slug, number=version.number)
    context = {"partnership": partnership, "strategy": None, "form": form, "crumbs": _crumbs(partnership)[:-1]}
    return render(request, "strategy/staff/workspace.html", context)


@login_required
@require_POST
def new_draft(request, slug):
    partnership = partnership_for_secretariat(request, slug)
    strategy = strategy_or_404(partnership)
    try:
        version = versions.version_new_draft(strategy=strategy, actor=request.user)
    except ValidationError as error:
        _service_message(request, error)
        return redirect("strategy:workspace", slug=slug)
    messages.success(
        request,
        f"{version.label} has been started as a draft, copied from version {version.based_on.number}. "
        "Published versions stay as they are.",
    )
    return redirect("strategy:version", slug=slug, number=version.number)


@login_required
def version_detail(request, slug, number):
    """One version: its status and approvals, what it says, and what can be done next."""
    partnership = partnership_for_strategy_staff(request, slug)
    version = version_or_404(partnership, number)
    context = {
        "partnership": partnership,
        "version": version,
        "content": version_content(version),
        "approval": approval_state(version),
        "problems": submission_problems(version) if version.is_editable else [],
        "history": version.approvals.select_related("person", "user__person").order_by("-decided_at", "-pk"),
        "crumbs": _crumbs(partnership),
        "previous_public": version.strategy.versions.public().filter(number__lt=version.number).first(),
    }
    return render(request, "strategy/staff/version.html", context)


@login_required
def version_edit(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    if refused := _refuse_locked(request, version):
        return refused
    form = VersionDetailsForm(
        request.POST or None,
        initial={"title": version.title, "summary": version.summary, "change_summary": version.change_summary},
    )
    return _version_form(
        request,
        version,
        form,
        "strategy/staff/version_form.html",
        on_valid=lambda: versions.version_update(version=version, actor=request.user, **form.cleaned_data),
        success=lambda _: f"{version.label}'s title and introduction have been saved.",
    )


@login_required
def compare(request, slug):
    """Any two versions side by side, drafts included."""
    partnership = partnership_for_strategy_staff(request, slug)
    strategy = strategy_or_404(partnership)
    versions = list(strategy.versions.order_by("-number"))
    return compare_page(request, partnership, versions, _crumbs(partnership), public=False)
