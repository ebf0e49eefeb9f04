"""The secretariat: assigning someone to run the partnership and ending their assignment."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from core.dates import long_date
from core.views import handle_form, posted

from .. import services
from ..permissions import MANAGE, partnership_for_user
from ..workspace_forms import SecretariatAssignForm, SecretariatEndForm
from ._common import _crumbs, _dashboard, _end_term_page


@login_required
def secretariat_assign(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = SecretariatAssignForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: services.secretariat_assign(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda assignment: (
            f"{assignment.user.get_username()} is on the secretariat from {long_date(assignment.start_date)}."
        ),
        redirect_to=_dashboard(partnership),
        template="membership/workspace/secretariat_form.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )


@login_required
def secretariat_end(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    assignment = get_object_or_404(partnership.secretariat_assignments.select_related("user"), pk=pk)
    username = assignment.user.get_username()
    return _end_term_page(
        request,
        partnership,
        assignment,
        SecretariatEndForm,
        already_ended="This assignment already ended on",
        end=lambda **data: services.secretariat_assignment_end(actor=request.user, assignment=assignment, **data),
        ends=lambda end_date: f"{username} leaves the secretariat after {long_date(end_date)}.",
        title=f"End {username}'s secretariat assignment",
        explanation="They can manage the partnership up to and including the end date.",
        button="End assignment",
    )
