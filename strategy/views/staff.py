"""The strategy workspace, under /workspace/<partnership>/strategy/.

The secretariat (MANAGE) writes versions, records evidence and engagement, submits, publishes
and links delivery; chairs and co-chairs (APPROVE_STRATEGY) review and decide. Each view signs
the visitor in first, loads the partnership through `strategy.access` (404 for an unknown
partnership, 403 without the permission), reaches versions and their content through it (an id
from another partnership is a 404), calls one service, and redirects with a message.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.views import handle_form
from meetings.http import cache_privately
from meetings.validators import removed_notice

from ..access import (
    partnership_for_chairs,
    partnership_for_secretariat,
    partnership_for_strategy_staff,
    strategy_or_404,
    version_or_404,
)
from ..forms import (
    DeliveryLinkForm,
    EngagementForm,
    EvidenceForm,
    MeasureForm,
    PriorityForm,
    PublishForm,
    ReviewForm,
    SectionForm,
    StrategyStartForm,
    VersionDetailsForm,
)
from ..models import PriorityLink, Strategy, StrategyVersion
from ..selectors import approval_state, priority_delivery, submission_problems, version_content
from ..services import approval, engagement, priorities, publication, sections, versions
from ..services import delivery as delivery_services
from ..services import evidence as evidence_services
from .common import compare_page, evidence_response

VERSIONS_PAGE_SIZE = 25
EVIDENCE_PAGE_SIZE = 50
MEETINGS_TO_CHOOSE_FROM = 200


def _crumbs(partnership, *more):
    crumbs = [("Your partnerships", reverse("workspace:home"))]
    if partnership.can_manage:
        crumbs.append((partnership.name, reverse("workspace:dashboard", args=[partnership.slug])))
    crumbs.append(("Integrated care strategy", reverse("strategy:workspace", args=[partnership.slug])))
    return crumbs + list(more)


def _version_crumbs(version):
    partnership = version.strategy.partnership
    return _crumbs(partnership, (version.label, reverse("strategy:version", args=[partnership.slug, version.number])))


def _to_version(version):
    return redirect("strategy:version", slug=version.strategy.partnership.slug, number=version.number)


def _refuse_locked(request, version):
    """Send the secretariat back to the version, with the reason, if it can no longer change."""
    if version.is_editable:
        return None
    messages.error(
        request,
        f"{version.label} is {version.get_status_display().lower()} and can no longer be changed. "
        "Start a new draft to make changes.",
    )
    return _to_version(version)


def _version_form(request, version, form, template, *, on_valid, success, **context):
    """A form page of one version: the service on a valid POST, then back to the version."""
    return handle_form(
        request,
        form,
        on_valid=on_valid,
        success=success,
        redirect_to=_to_version(version),
        template=template,
        context={
            "partnership": version.strategy.partnership,
            "version": version,
            "crumbs": _version_crumbs(version),
            **context,
        },
    )


def _form_page(request, template, version, form, **context):
    context = {
        "partnership": version.strategy.partnership,
        "version": version,
        "form": form,
        "crumbs": _version_crumbs(version),
        **context,
    }
    return render(request, template, context)


def _service_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


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


def _move_part(request, version, part, move):
    """Move a section or priority one place up or down its version's list."""
    try:
        move(actor=request.user, direction=request.POST.get("direction", "down"))
    except ValidationError as error:
        _service_message(request, error)
    else:
        messages.success(request, f"“{part.title}” has been moved.")
    return _to_version(version)


def _remove_part(request, version, part, remove, noun: str):
    """Confirm, then remove a section or priority from a version that can still change."""
    if refused := _refuse_locked(request, version):
        return refused
    if request.method == "POST":
        try:
            remove(actor=request.user)
        except ValidationError as error:
            _service_message(request, error)
        else:
            messages.success(request, f"The {noun} “{part.title}” has been removed from {version.label}.")
        return _to_version(version)
    return _form_page(request, "strategy/staff/confirm_remove.html", version, None, thing=f"the {noun} “{part.title}”")


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


@login_required
def compare(request, slug):
    """Any two versions side by side, drafts included."""
    partnership = partnership_for_strategy_staff(request, slug)
    strategy = strategy_or_404(partnership)
    versions = list(strategy.versions.order_by("-number"))
    return compare_page(request, partnership, versions, _crumbs(partnership), public=False)


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
