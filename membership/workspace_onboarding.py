"""Workspace pages for starting a partnership and for the records the secretariat keeps
besides people: partner organisations and the ends of interests (`membership.onboarding`).

Creating a partnership is for portal administrators only (403 for anyone else signed in).
Every other page needs `MANAGE` on the partnership in the address and reaches its objects
through it, as in `membership.workspace`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.dates import long_date
from core.views import handle_form, posted
from partnerships.models import IntegratedCareSystem, Organisation, Partnership

from . import onboarding
from .onboarding_forms import EndWithReasonForm, OrganisationForm, PartnershipCreateForm, SecretariatInviteForm
from .permissions import MANAGE, is_portal_administrator, partnership_for_user, partnerships_for_user
from .workspace._common import _crumbs, _dashboard, _page, _person, _person_crumbs, _person_url, _uploaded


def systems_without_a_partnership():
    """Systems with no partnership at all, for the administrator's home page."""
    return IntegratedCareSystem.objects.filter(partnerships__isnull=True).order_by("name")


@login_required
def partnership_create(request):
    """A portal administrator creates a partnership for any system, then invites its secretariat."""
    if not is_portal_administrator(request.user):
        raise PermissionDenied
    systems = IntegratedCareSystem.objects.annotate(
        statutory_icp_count=Count("partnerships", filter=Q(partnerships__kind=Partnership.Kind.STATUTORY_ICP))
    ).order_by("name")
    parents = Partnership.objects.select_related("ics").order_by("ics__name", "name")
    initial = {}
    chosen = request.GET.get("system")
    if chosen:
        initial["ics"] = IntegratedCareSystem.objects.filter(slug=chosen).values_list("pk", flat=True).first()
    form = PartnershipCreateForm(posted(request), _uploaded(request), initial=initial, systems=systems, parents=parents)

    def create():
        data = form.cleaned_data
        return onboarding.partnership_create(
            actor=request.user,
            ics=data["ics"],
            kind=data["kind"],
            name=data["name"],
            parent=data["parent"],
            established_on=data["established_on"],
            **form.details(),
        )

    return handle_form(
        request,
        form,
        on_valid=create,
        success=lambda partnership: f"{partnership} has been created. Now invite its secretariat.",
        redirect_to=lambda partnership: reverse("workspace:secretariat_invite", args=[partnership.slug]),
        template="membership/workspace/partnership_create.html",
        context={"crumbs": _crumbs()},
    )


@login_required
def secretariat_invite(request, slug):
    """Invite someone who has no sign-in account to join the secretariat."""
    partnership = partnership_for_user(request, slug, MANAGE)
    form = SecretariatInviteForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: onboarding.secretariat_invite(
            actor=request.user, partnership=partnership, **form.cleaned_data
        ),
        success=lambda invitation: (
            f"{invitation.person} has been invited to join the secretariat. The link in the email works "
            f"once, until {long_date(timezone.localtime(invitation.expires_at))}."
        ),
        redirect_to=_dashboard(partnership),
        template="membership/workspace/secretariat_invite.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )


# Partner organisations ----------------------------------------------------------------------


def _partner_organisations(partnership):
    """The organisations this partnership added, and those its seats represent or represented."""
    represented = partnership.memberships.values("organisation_id")
    return Organisation.objects.filter(Q(added_for=partnership) | Q(pk__in=represented)).order_by("name", "pk")


@login_required
def organisations(request, slug):
    """The partnership's organisations: those it added (which it may change or end) and those
    its seats represent, current and ended."""
    partnership = partnership_for_user(request, slug, MANAGE)
    page = _page(request, _partner_organisations(partnership).select_related("added_for"))
    administrator = is_portal_administrator(request.user)
    managed = set(partnerships_for_user(request.user, MANAGE).values_list("pk", flat=True))
    today = timezone.localdate()
    for organisation in page:
        organisation.may_change = organisation.sector not in onboarding.REFERENCE_SECTORS and (
            administrator or organisation.added_for_id in managed
        )
        organisation.ended = bool(organisation.valid_to and organisation.valid_to < today)
    context = {"partnership": partnership, "organisations": page, "crumbs": _crumbs(partnership)}
    return render(request, "membership/workspace/organisations.html", context)


def _organisation(partnership, pk):
    return get_object_or_404(_partner_organisations(partnership), pk=pk)


def _organisations_url(partnership) -> str:
    return reverse("workspace:organisations", args=[partnership.slug])


def _organisations_crumbs(partnership):
    return _crumbs(partnership, ("Organisations", _organisations_url(partnership)))


@login_required
def organisation_add(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = OrganisationForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: onboarding.organisation_add(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda organisation: f"{organisation} has been added. Seats can now represent it.",
        redirect_to=_organisations_url(partnership),
        template="membership/workspace/organisation_form.html",
        context={
            "partnership": partnership,
            "title": "Add an organisation",
            "button": "Add organisation",
            "crumbs": _organisations_crumbs(partnership),
        },
    )


def _organisation_change(request, slug, pk):
    """The organisation to change or end, and why this user may not ("" if they may)."""
    partnership = partnership_for_user(request, slug, MANAGE)
    organisation = _organisation(partnership, pk)
    refusal = onboarding.organisation_change_refusal(actor=request.user, organisation=organisation)
    return partnership, organisation, refusal


def _organisation_change_page(
    request, partnership, organisation, refusal: str, form, *, service, success, template: str, context: dict
):
    """A page changing an organisation: a refusal is explained on it (403) and a POST does nothing."""
    return handle_form(
        request,
        form,
        on_valid=lambda: service(
            actor=request.user, partnership=partnership, organisation=organisation, **form.cleaned_data
        ),
        success=success,
        redirect_to=_organisations_url(partnership),
        template=template,
        context={
            "partnership": partnership,
            "refusal": refusal,
            **context,
            "crumbs": _organisations_crumbs(partnership),
        },
        refused=bool(refusal),
        status=403 if refusal else 200,
    )


@login_required
def organisation_edit(request, slug, pk):
    partnership, organisation, refusal = _organisation_change(request, slug, pk)
    form = OrganisationForm(posted(request), organisation=organisation)
    return _organisation_change_page(
        request,
        partnership,
        organisation,
        refusal,
        form,
        service=onboarding.organisation_update,
        success=lambda _: f"{form.cleaned_data['name']} has been saved.",
        template="membership/workspace/organisation_form.html",
        context={"organisation": organisation, "title": f"Change {organisation}", "button": "Save organisation"},
    )


@login_required
def organisation_end(request, slug, pk):
    partnership, organisation, refusal = _organisation_change(request, slug, pk)
    form = EndWithReasonForm(
        posted(request),
        initial={"end_date": timezone.localdate()},
        start=organisation.valid_from,
        reason_hint="For example: merged into another trust, closed, no longer works with the partnership.",
    )
    return _organisation_change_page(
        request,
        partnership,
        organisation,
        refusal,
        form,
        service=onboarding.organisation_end,
        success=lambda _: f"{organisation} ends on {long_date(form.cleaned_data['end_date'])}.",
        template="membership/workspace/end_with_reason.html",
        context={
            "title": f"End {organisation}",
            "explanation": "It stays on the record, with the seats that represented it. No seat starting after the "
            "end date can represent it.",
            "button": "End organisation",
            "cancel_url": _organisations_url(partnership),
        },
    )


# Ending an interest -------------------------------------------------------------------------


@login_required
def interest_end(request, slug, person_slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    interest = get_object_or_404(person.interests, pk=pk)
    person_url = _person_url(partnership, person)
    if interest.has_ended():
        messages.info(request, f"This interest already ended on {long_date(interest.end_date)}.")
        return redirect(person_url)
    form = EndWithReasonForm(
        posted(request),
        initial={"end_date": timezone.localdate()},
        start=interest.start_date,
        reason_hint="For example: resigned as a director, the contract ended, sold the shares.",
    )
    return handle_form(
        request,
        form,
        on_valid=lambda: onboarding.interest_end(
            actor=request.user, partnership=partnership, person=person, interest=interest, **form.cleaned_data
        ),
        success=lambda _: (
            f"The interest ends on {long_date(form.cleaned_data['end_date'])}; it stays on {person}'s register."
        ),
        redirect_to=person_url,
        template="membership/workspace/end_with_reason.html",
        context={
            "partnership": partnership,
            "title": f"End an interest of {person}",
            "explanation": f"{interest.get_category_display()}: {interest.description}. The entry stays on the "
            "register, shown as ended.",
            "button": "End interest",
            "cancel_url": person_url,
            "crumbs": _person_crumbs(partnership, person),
        },
    )
