"""Public pages about partnerships and the people who sit on them.

Anyone may read them, signed in or not. They show each person's public record (roles,
terms, the register of interests) and never their contact details: `email` and `phone`
are deferred in every query here, so a template that reached for them would cost an
extra query per person and fail the query-count tests.
"""

import mimetypes
from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from partnerships.models import Partnership

from .models import Person
from .presenters import members_by_sector, person_roles

PRIVATE_PERSON_FIELDS = ("email", "phone")


def _without_contact_details(queryset, prefix="person__"):
    return queryset.defer(*(prefix + name for name in PRIVATE_PERSON_FIELDS))


def partnership_detail(request, slug):
    """A partnership's public page: what it is, who chairs it, who sits on it and how it works."""
    today = timezone.localdate()
    partnership = get_object_or_404(
        Partnership.objects.public().select_related("ics__region", "successor", "place__ics"), slug=slug
    )
    # One partnership's relations, each read by a plain query (a prefetch costs more to set up
    # for a single row than the query does to run).
    # A sub-partnership merged into another keeps its own page, but is no longer listed.
    sub_partnerships = list(partnership.sub_partnerships.public().in_force().order_by("name"))
    chairs = list(
        _without_contact_details(
            partnership.chair_appointments.current(today)
            .select_related("person")
            .order_by("role", "start_date", "person__family_name", "person__given_name")
        )
    )
    memberships = list(
        _without_contact_details(
            partnership.memberships.current(today)
            .select_related("person", "organisation")
            .order_by("person__family_name", "person__given_name", "pk")
        )
    )
    # For partnerships/_partnership_covers.html and _partnership_history.html.
    partnership.covered_councils = list(partnership.councils.order_by("name"))
    partnership.covered_places = list(partnership.places.select_related("ics").order_by("name"))
    partnership.merged_from = list(partnership.predecessors.order_by("name"))
    # The parent is shown (and linked) only while the public may see it.
    parent = Partnership.objects.public().filter(pk=partnership.parent_id).first() if partnership.parent_id else None
    ics = partnership.ics
    crumbs = [
        ("Home", reverse("home")),
        (ics.region.name, ics.region.get_absolute_url()),
        (ics.name, ics.get_absolute_url()),
    ]
    context = {
        "partnership": partnership,
        "ics": ics,
        "parent": parent,
        "sub_partnerships": sub_partnerships,
        "chairs": chairs,
        "member_count": len(memberships),
        "sector_groups": members_by_sector(memberships),
        "partnership_as_list": [partnership],
        "crumbs": crumbs,
    }
    return render(request, "membership/partnership.html", context)


# What a person's page shows of each of their roles, its partnership, system and region.
_ROLE_FIELDS = (
    "person",
    "role",
    "start_date",
    "end_date",
    "end_reason",
    "partnership__name",
    "partnership__slug",
    "partnership__ics__name",
    "partnership__ics__slug",
    "partnership__ics__region__name",
    "partnership__ics__region__slug",
)


def person_detail(request, slug):
    """A person's public record: their seats and chair appointments, current and past, and
    their published register of interests."""
    today = timezone.localdate()
    person = get_object_or_404(_without_contact_details(Person.objects.all(), prefix=""), slug=slug)
    # Of each seat and chair, only what the roles tables and the crumbs show. The seats are in
    # their usual order, the partnership's name then the start date: all are this person's, so
    # ordering by their family name, as the model does, would only join the people table.
    memberships = list(
        person.memberships.select_related("partnership__ics__region", "organisation")
        .only(*_ROLE_FIELDS, "seat", "is_voting", "organisation__name")
        .order_by("partnership", "start_date")
    )
    chair_appointments = list(person.chair_appointments.select_related("partnership__ics__region").only(*_ROLE_FIELDS))
    partnership_ids = {row.partnership_id for row in memberships + chair_appointments}
    public_ids = set(Partnership.objects.public().filter(pk__in=partnership_ids).values_list("pk", flat=True))
    roles = person_roles(
        memberships=memberships,
        chair_appointments=chair_appointments,
        public_partnership_ids=public_ids,
        on=today,
    )
    crumbs = [("Home", reverse("home"))]
    latest = next((role for role in roles.current + roles.past if role.partnership_is_public), None)
    if latest:
        ics = latest.partnership.ics
        crumbs += [
            (ics.region.name, ics.region.get_absolute_url()),
            (ics.name, ics.get_absolute_url()),
            (latest.partnership.name, latest.partnership.get_absolute_url()),
        ]
    context = {
        "person": person,
        "roles": roles,
        "interests": list(person.interests.order_by("-declared_on", "-pk")),
        "nil_returns": list(person.nil_returns.order_by("-declared_on", "-pk")),
        "crumbs": crumbs,
    }
    return render(request, "membership/person.html", context)


def terms_of_reference(request, slug):
    """The partnership's current terms of reference, served through Django's storage API
    (media files are not served directly)."""
    partnership = get_object_or_404(Partnership.objects.public(), slug=slug)
    if not partnership.terms_of_reference:
        raise Http404("No terms of reference have been published.")
    name = partnership.terms_of_reference.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = partnership.terms_of_reference.open("rb")
    except FileNotFoundError:
        raise Http404("The terms of reference file is missing.") from None
    filename = f"{partnership.slug}-terms-of-reference{Path(name).suffix.lower()}"
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=filename)
    # Shared caches only for anonymous visitors: a signed-in reader's responses are never shared.
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ("Cookie",))
    return response
