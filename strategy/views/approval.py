"""Workspace pages for submission, the chairs' review and publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from ..access import partnership_for_chairs, partnership_for_secretariat, version_or_404
from ..forms import PublishForm, ReviewForm
from ..models import StrategyVersion
from ..selectors import approval_state, submission_problems, version_content
from ..services import approval, publication
from ._staff import _form_page, _service_message, _to_version

# Submission, review and publication.


@login_required
def version_submit(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    if request.method == "POST":
        try:
            state = approval.version_submit(version=version, actor=request.user)
        except ValidationError as error:
            _service_message(request, error)
            return _to_version(version)
        able = [approver for approver in state.required if approver.user is not None]
        if able:
            names = approval.and_list([approver.name for approver in able])
            messages.success(request, f"{version.label} has been submitted. We have emailed {names} to approve it.")
        else:
            messages.warning(request, f"{version.label} has been submitted, but nobody can approve it yet.")
        if state.unable:
            messages.warning(request, f"{version.label} cannot be approved yet. " + " ".join(state.blockers))
        elif not state.required:
            messages.warning(request, approval.approval_waiting_message(state))
        return _to_version(version)
    if version.status not in {StrategyVersion.Status.DRAFT, StrategyVersion.Status.CHANGES_REQUESTED}:
        messages.error(request, f"{version.label} is {version.get_status_display().lower()}: it cannot be submitted.")
        return _to_version(version)
    context = {
        "approval": approval_state(version),
        "problems": submission_problems(version),
    }
    return _form_page(request, "strategy/staff/submit.html", version, None, **context)


@login_required
def version_review(request, slug, number):
    """A chair's or co-chair's review: the version as it would be published, what changed
    since the published version, and their decision."""
    partnership = partnership_for_chairs(request, slug)
    version = version_or_404(partnership, number)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approval.approval_record(
                version=version,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            version.refresh_from_db()
            if version.status == StrategyVersion.Status.APPROVED:
                messages.success(
                    request, f"You have approved {version.label}. Every approval needed is in: it is approved."
                )
            elif version.status == StrategyVersion.Status.CHANGES_REQUESTED:
                messages.success(
                    request, f"You have asked for changes to {version.label}. The secretariat has been told."
                )
            else:
                messages.success(
                    request,
                    f"You have approved {version.label}. It is not approved yet: "
                    + approval.approval_waiting_message(approval_state(version)),
                )
            return redirect("strategy:review", slug=slug, number=version.number)
    state = approval_state(version)
    me = getattr(state.approver_for(request.user), "person", None)
    context = {
        "approval": state,
        "content": version_content(version),
        "mine": next(
            (d for d in state.decisions if d.user_id == request.user.pk or (me and d.person_id == me.pk)), None
        ),
        "excluded": any(approver.user and approver.user.pk == request.user.pk for approver in state.excluded),
        "previous_public": version.strategy.versions.public().filter(number__lt=version.number).first(),
    }
    return _form_page(request, "strategy/staff/review.html", version, form, **context)


@login_required
@require_POST
def approval_settle(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    try:
        approval.version_approval_settle(version=version, actor=request.user)
    except ValidationError as error:
        _service_message(request, error)
    else:
        messages.success(request, f"{version.label} is approved: everyone whose approval is needed has given it.")
    return _to_version(version)


@login_required
def version_publish(request, slug, number):
    partnership = partnership_for_secretariat(request, slug)
    version = version_or_404(partnership, number)
    if version.status != StrategyVersion.Status.APPROVED:
        messages.error(
            request,
            f"Only an approved version can be published; {version.label} is {version.get_status_display().lower()}.",
        )
        return _to_version(version)
    form = PublishForm(request.POST or None, partnership=partnership, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            # The version's PDF follows its publication (core.events.strategy_published).
            publication.version_publish(version=version, actor=request.user, decision=form.cleaned_data["decision"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{version.label} is published. Its PDF is being built; the public page shows it now."
            )
            return _to_version(version)
    return _form_page(request, "strategy/staff/publish.html", version, form)
