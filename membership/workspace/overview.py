"""Your partnerships, and one partnership at a glance: what is due, its composition, members,
chairs and secretariat."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..due import due_tasks
from ..models import ChairAppointment, Membership
from ..permissions import MANAGE, is_portal_administrator, partnership_for_user, partnerships_for_user
from ..selectors import (
    PERSON_NAME,
    composition_gaps,
    current_and_starting_members,
    interest_reminders,
    partnerships_with_counts,
    people_without_a_role,
)
from ..workspace_onboarding import systems_without_a_partnership
from ..workspace_presenters import member_rows, reminder_rows
from ._common import _crumbs, _not_ended, _page


@login_required
def home(request):
    """Your partnerships: those you run as secretariat, with what is due in each and counts, and
    those you sit on or chair."""
    managed = list(partnerships_with_counts(partnerships_for_user(request.user, MANAGE)))
    # What is due in each partnership run, asked once for all of them (membership.due).
    due = due_tasks(managed, timezone.localdate())
    for partnership in managed:
        partnership.due = due.get(partnership.pk, [])
    # Of each seat and chair, only what its line says and links to.
    seats = (
        Membership.objects.current()
        .filter(person__user=request.user)
        .select_related("partnership")
        .only("role", "seat", "start_date", "end_date", "partnership__name", "partnership__slug")
        .order_by("partnership__name")
    )
    chairs = (
        ChairAppointment.objects.current()
        .filter(person__user=request.user)
        .select_related("partnership")
        .only("role", "start_date", "end_date", "partnership__name", "partnership__slug")
        .order_by("partnership__name")
    )
    context = {"managed": managed, "seats": seats, "chairs": chairs}
    if is_portal_administrator(request.user):
        context["portal_administrator"] = True
        context["systems_without_a_partnership"] = list(systems_without_a_partnership())
    return render(request, "membership/workspace/home.html", context)


@login_required
def dashboard(request, slug):
    """A partnership at a glance: what is due in the meeting cycle first, then composition,
    reminders, members, chairs, secretariat."""
    partnership = partnership_for_user(request, slug, MANAGE)
    today = timezone.localdate()
    # Read once: the composition and the reminders are drawn from the rows the members table
    # pages through.
    members, starting = current_and_starting_members(partnership, today)
    reminders = interest_reminders(partnership, today, members=members)
    page = _page(request, members)
    context = {
        "partnership": partnership,
        "due": due_tasks([partnership], today).get(partnership.pk, []),
        "gaps": composition_gaps(partnership, today, members=members),
        "reminders": reminders,
        "reminder_rows": reminder_rows(reminders, partnership.slug),
        "members": page,
        "member_rows": member_rows(page, partnership.slug),
        "starting": starting,
        # Of the chairs, the secretariat and the people without a seat, only what their rows
        # show: names and terms, not contact details or an account's password and history. (Their
        # partnership's key stays: rows read through the partnership are matched to it by it.)
        "chairs": _not_ended(partnership.chair_appointments.all())
        .select_related("person")
        .only("partnership", "role", "start_date", "end_date", *(f"person__{field}" for field in PERSON_NAME))
        .order_by("role", "start_date"),
        "secretariat": _not_ended(partnership.secretariat_assignments.all())
        .select_related("user")
        .only("partnership", "start_date", "end_date", "user__username", "user__first_name", "user__last_name")
        .order_by("start_date", "pk"),
        "without_a_role": people_without_a_role(partnership).only(*PERSON_NAME),
        # Of the invitations, what their rows say: not the address or the token's digest.
        "invitations": partnership.invitations.open()
        .select_related("person")
        .only(
            "partnership",
            "role",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
            *(f"person__{field}" for field in PERSON_NAME),
        )
        .order_by("-created_at", "-pk"),
        "crumbs": _crumbs(),
    }
    return render(request, "membership/workspace/dashboard.html", context)
