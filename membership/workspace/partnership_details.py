"""The partnership's published details: purpose, quorum, access rule, contact and terms of reference."""

from django.contrib.auth.decorators import login_required

from core.views import handle_form, posted

from .. import services
from ..permissions import MANAGE, partnership_for_user
from ..workspace_forms import PartnershipDetailsForm
from ._common import _crumbs, _dashboard, _uploaded


@login_required
def partnership_edit(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    form = PartnershipDetailsForm(
        posted(request), _uploaded(request), initial=PartnershipDetailsForm.initial_for(partnership)
    )
    return handle_form(
        request,
        form,
        on_valid=lambda: services.partnership_update(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=f"The details of {partnership} have been saved.",
        redirect_to=_dashboard(partnership),
        template="membership/workspace/partnership_form.html",
        context={"partnership": partnership, "crumbs": _crumbs(partnership)},
    )
