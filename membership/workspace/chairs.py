"""Chairs: appointing one for a term and ending the term."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from core.dates import long_date
from core.views import posted

from .. import services
from ..permissions import MANAGE, partnership_for_user
from ..person_chooser import chooser_json, system_chooser, wants_json
from ..workspace_forms import ChairAppointForm, EndTermForm
from ._common import _chooser_page, _end_term_page, _person_chosen


@login_required
def chair_appoint(request, slug):
    partnership = partnership_for_user(request, slug, MANAGE)
    if wants_json(request):  # the chooser's matches as you type (static/js/person-chooser.mjs)
        return chooser_json(system_chooser(request, partnership))
    form = ChairAppointForm(posted(request), initial=_person_chosen(request, partnership), partnership=partnership)
    return _chooser_page(
        request,
        partnership,
        form,
        on_valid=lambda: services.chair_appoint(actor=request.user, partnership=partnership, **form.cleaned_data),
        success=lambda appointment: (
            f"{appointment.person} is {appointment.get_role_display().lower()} "
            f"from {long_date(appointment.start_date)}."
        ),
        template="membership/workspace/chair_form.html",
    )


@login_required
def chair_end(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    appointment = get_object_or_404(partnership.chair_appointments.select_related("person"), pk=pk)
    role = appointment.get_role_display().lower()
    return _end_term_page(
        request,
        partnership,
        appointment,
        EndTermForm,
        already_ended="This term already ended on",
        end=lambda **data: services.chair_appointment_end(actor=request.user, appointment=appointment, **data),
        ends=lambda end_date: f"{appointment.person}'s term as {role} ends on {long_date(end_date)}.",
        title=f"End {appointment.person}'s term as {role}",
        explanation="The appointment stays in the partnership's record.",
        button="End term",
    )
