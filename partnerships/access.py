"""Loading a partnership for a public page: only through `Partnership.objects.public()`, so a
partnership the public may not see is a 404 on every page of every app that shows one."""

import functools

from django.shortcuts import get_object_or_404

from core.kept_rows import kept

from .models import Partnership


def public_partnership_or_404(slug: str, *related: str) -> Partnership:
    """The partnership, with its ICS and region, and any one-to-one `related` (such as a higher
    app's "strategy") in the same query. Kept between requests until any of those tables is
    written (`core.kept_rows`): almost every public page loads it, and no write but to them
    changes it."""
    paths = ("ics__region", *related)
    return kept(
        ("public_partnership", slug, paths),
        _tables(paths),
        lambda: get_object_or_404(Partnership.objects.public().select_related(*paths), slug=slug),
    )


@functools.cache
def _tables(paths: tuple[str, ...]) -> tuple[str, ...]:
    """The tables a partnership read with `select_related(*paths)` comes from."""
    tables = {Partnership._meta.db_table}
    for path in paths:
        model = Partnership
        for name in path.split("__"):
            model = model._meta.get_field(name).related_model
            tables.add(model._meta.db_table)
    return tuple(sorted(tables))
