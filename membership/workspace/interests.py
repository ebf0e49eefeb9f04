"""The register of interests: recording an interest or a nil return."""

from django.contrib.auth.decorators import login_required

from core.views import handle_form, posted

from .. import services
from ..permissions import MANAGE, partnership_for_user
from ..workspace_forms import InterestForm, NilReturnForm
from ._common import _not_ended, _person, _person_crumbs, _person_url


@login_required
def interest_add(request, slug, person_slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    form = InterestForm(posted(request))
    return handle_form(
        request,
        form,
        on_valid=lambda: services.interest_record(
            actor=request.user, partnership=partnership, person=person, **form.cleaned_data
        ),
        success=f"The interest has been added to {person}'s register.",
        redirect_to=_person_url(partnership, person),
        template="membership/workspace/interest_form.html",
        context={"partnership": partnership, "person": person, "crumbs": _person_crumbs(partnership, person)},
    )


@login_required
def nil_return_add(request, slug, person_slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    person = _person(partnership, person_slug)
    form = NilReturnForm(posted(request))
    current_interests = _not_ended(person.interests)
    return handle_form(
        request,
        form,
        on_valid=lambda: services.nil_return_record(
            actor=request.user, partnership=partnership, person=person, **form.cleaned_data
        ),
        success=f"{person}'s nil return has been recorded.",
        redirect_to=_person_url(partnership, person),
        template="membership/workspace/nil_return_form.html",
        context={
            "partnership": partnership,
            "person": person,
            "current_interests": current_interests,
            "crumbs": _person_crumbs(partnership, person),
        },
    )
