"""A person as the secretariat sees them, adding them and changing their details."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.views import handle_form, posted

from .. import accounts, services
from ..permissions import MANAGE, may_link_accounts, may_see_contact_details, partnership_for_user
from ..workspace_forms import PersonForm
from ..workspace_presenters import private_details
from ._common import _crumbs, _person, _person_crumbs, _person_url


@login_required
def person_detail(request, slug, person_slug):
    """One person as the secretariat sees them: their seats and chairs on this partnership, their
    register of interests and, if this secretariat may see them, their contact details."""
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    context = {
        "partnership": partnership,
        "person": person,
        "private": private_details(person, shown=may_see_contact_details(request.user, person)),
        "refusal": services.person_shared_refusal(actor=request.user, person=person),
        "invitation": partnership.invitations.filter(person=person).first(),
        "may_invite": not person.user_id
        and not accounts.invitation_refusal(actor=request.user, partnership=partnership, person=person),
        "may_change_account": bool(person.user_id)
        and not accounts.account_change_refusal(actor=request.user, person=person),
        "memberships": person.memberships.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("-start_date"),
        "chairs": person.chair_appointments.filter(partnership=partnership).order_by("-start_date"),
        "interests": person.interests.order_by("-declared_on", "-pk"),
        "nil_returns": person.nil_returns.order_by("-declared_on")[:5],
        "today": timezone.localdate(),
        "crumbs": _crumbs(partnership),
    }
    return render(request, "membership/workspace/person.html", context)


@login_required
def person_add(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = PersonForm(posted(request), can_link_account=may_link_accounts(request.user), contact_details=True)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.person_create(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda person: f"{person} has been added. Now give them a seat on {partnership}.",
        redirect_to=lambda person: (
            f"{reverse('workspace:membership_add', args=[partnership.slug])}?person={person.slug}"
        ),
        template="membership/workspace/person_form.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )


@login_required
def person_edit(request, slug, person_slug):
    """Edit a person's name and, where this user may see them, contact details. A person on the
    record of a partnership this user does not run is shown with the reason instead of a form;
    only a portal administrator sees the sign-in account field."""
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    form = PersonForm(
        posted(request),
        person=person,
        can_link_account=may_link_accounts(request.user),
        contact_details=may_see_contact_details(request.user, person),
    )
    return handle_form(
        request,
        form,
        on_valid=lambda: services.person_update(
            actor=request.user, partnership=partnership, person=person, **form.cleaned_data
        ),
        success=lambda saved: f"{saved}'s details have been saved.",
        redirect_to=lambda saved: _person_url(partnership, saved),
        template="membership/workspace/person_form.html",
        context=lambda: {
            "partnership": partnership,
            "person": person,
            "refusal": services.person_shared_refusal(actor=request.user, person=person),
            "crumbs": _person_crumbs(partnership, person),
        },
    )
