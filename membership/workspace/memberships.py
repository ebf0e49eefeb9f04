"""Seats: giving a person one, ending it, and the seats that have ended."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.dates import long_date
from core.views import posted
from partnerships.models import Organisation

from .. import services
from ..permissions import MANAGE, partnership_for_user
from ..person_chooser import chooser_json, system_chooser, wants_json
from ..workspace_forms import EndTermForm, MembershipForm
from ._common import _chooser_page, _crumbs, _end_term_page, _page, _person_chosen


@login_required
def membership_add(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(system_chooser(request, partnership))
    form = MembershipForm(
        posted(request),
        initial=_person_chosen(request, partnership, start_date=timezone.localdate()),
        partnership=partnership,
    )
    return _chooser_page(
        request,
        partnership,
        form,
        on_valid=lambda: services.membership_add(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda membership: (
            f"{membership.person} is a {membership.get_role_display().lower()} from {long_date(membership.start_date)}."
        ),
        template="membership/workspace/membership_form.html",
        sectors=dict(Organisation.Sector.choices),
    )


@login_required
def membership_end(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    membership = get_object_or_404(partnership.memberships.select_related("person", "organisation"), pk=pk)
    return _end_term_page(
        request,
        partnership,
        membership,
        EndTermForm,
        already_ended=f"{membership.person}'s membership already ended on",
        end=lambda **data: services.membership_end(actor=request.user, membership=membership, **data),
        ends=lambda end_date: f"{membership.person}'s membership ends on {long_date(end_date)}.",
        title=f"End {membership.person}'s membership",
        explanation="The membership stays in the partnership's history. A member with a sign-in account "
        "can read exempt papers up to and including the end date.",
        button="End membership",
    )


@login_required
def past_members(request, slug):
    """Memberships that have ended, latest first: the partnership's history, never deleted."""
    partnership = partnership_for_user(request, slug, MANAGE)
    memberships = (
        partnership.memberships.past()
        .select_related("person", "organisation")
        .order_by("-end_date", "person__family_name", "pk")
    )
    context = {"partnership": partnership, "memberships": _page(request, memberships), "crumbs": _crumbs(partnership)}
    return render(request, "membership/workspace/past_members.html", context)
