"""Loading a partnership for a public page: only through `Partnership.objects.public()`, so a
partnership the public may not see is a 404 on every page of every app that shows one."""

from django.shortcuts import get_object_or_404

from .models import Partnership


def public_partnership_or_404(slug: str, *related: str) -> Partnership:
    """The partnership, with its ICS and region, and any one-to-one `related` (such as a higher
    app's "strategy") in the same query."""
    return get_object_or_404(Partnership.objects.public().select_related("ics__region", *related), slug=slug)
