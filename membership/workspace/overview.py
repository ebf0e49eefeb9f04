"""Your partnerships, and one partnership at a glance: what is due, its composition, members,
chairs and secretariat."""

from functools import cached_property

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


class YourPartnerships:
    """What the workspace's home page lists for `user`, each part read when the page first shows
    it: the page keeps the list between requests (`{% workspace_fragment %}`), and a kept list is
    not read at all."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def managed(self):
        managed = list(partnerships_with_counts(partnerships_for_user(self.user, MANAGE)))
        # What is due in each partnership run, asked once for all of them (membership.due).
        due = due_tasks(managed, timezone.localdate())
        for partnership in managed:
            partnership.due = due.get(partnership.pk, [])
        return managed

    # Of each seat and chair, only what its line says and links to.

    @cached_property
    def seats(self):
        return list(
            Membership.objects.current()
            .filter(person__user=self.user)
            .select_related("partnership")
            .only("role", "seat", "start_date", "end_date", "partnership__name", "partnership__slug")
            .order_by("partnership__name")
        )

    @cached_property
    def chairs(self):
        return list(
            ChairAppointment.objects.current()
            .filter(person__user=self.user)
            .select_related("partnership")
            .only("role", "start_date", "end_date", "partnership__name", "partnership__slug")
            .order_by("partnership__name")
        )

    @cached_property
    def portal_administrator(self) -> bool:
        return is_portal_administrator(self.user)

    @cached_property
    def systems_without_a_partnership(self):
        return list(systems_without_a_partnership())


@login_required
def home(request):
    """Your partnerships: those you run as secretariat, with what is due in each and counts, and
    those you sit on or chair."""
    return render(request, "membership/workspace/home.html", {"yours": YourPartnerships(request.user)})


class PartnershipGlance:
    """The dashboard's account of a partnership's business (what is due, the composition, the
    reminders, the members), each part read when the page first shows it: the page keeps them
    between requests (`{% workspace_fragment %}`), and a kept part is not read at all."""

    def __init__(self, request, partnership):
        self.request = request
        self.partnership = partnership
        self.today = timezone.localdate()

    @cached_property
    def _current_and_starting(self):
        # Read once: the composition and the reminders are drawn from the rows the members table
        # pages through.
        return current_and_starting_members(self.partnership, self.today)

    @cached_property
    def due(self):
        return due_tasks([self.partnership], self.today).get(self.partnership.pk, [])

    @cached_property
    def gaps(self):
        return composition_gaps(self.partnership, self.today, members=self._current_and_starting[0])

    @cached_property
    def reminders(self):
        return interest_reminders(self.partnership, self.today, members=self._current_and_starting[0])

    @cached_property
    def reminder_rows(self):
        return reminder_rows(self.reminders, self.partnership.slug)

    @cached_property
    def members(self):
        return _page(self.request, self._current_and_starting[0])

    @cached_property
    def member_rows(self):
        return member_rows(self.members, self.partnership.slug)

    @cached_property
    def starting(self):
        return self._current_and_starting[1]

    @cached_property
    def without_a_role(self):
        return list(people_without_a_role(self.partnership).only(*PERSON_NAME))


@login_required
def dashboard(request, slug):
    """A partnership at a glance: what is due in the meeting cycle first, then composition,
    reminders, members, chairs, secretariat."""
    partnership = partnership_for_user(request, slug, MANAGE)
    context = {
        "partnership": partnership,
        "glance": PartnershipGlance(request, partnership),
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
