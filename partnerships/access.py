"""Loading a partnership for a public page: only through `Partnership.objects.public()`, so a
partnership the public may not see is a 404 on every page of every app that shows one."""

from django.shortcuts import get_object_or_404

from .models import Partnership


def public_partnership_or_404(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.public().select_related("ics__region"), slug=slug)
