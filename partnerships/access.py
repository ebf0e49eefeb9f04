"""Loading a partnership by its slug, kept between requests until a write to its tables is
committed (`core.kept_rows`): almost every page loads one, and no other write changes it.

For a public page, only through `Partnership.objects.public()`, so a partnership the public may
not see is a 404 on every page of every app that shows one. Rights are never kept: a page behind
a permission asks for it on every request (`membership.permissions.partnership_for_user`)."""

from django.http import Http404

from core.kept_rows import kept, tables_read

from .models import Partnership


def public_partnership_or_404(slug: str, *related: str) -> Partnership:
    """The partnership, with its ICS and region, and any one-to-one `related` (such as a higher
    app's "strategy") in the same query."""
    return _kept(slug, ("ics__region", *related), public=True)


def partnership_or_404(slug: str, *related: str) -> Partnership:
    """Any partnership, public or not, with `related` in the same query: for a page that asks
    for a permission on it next."""
    return _kept(slug, related, public=False)


def _kept(slug: str, related: tuple[str, ...], *, public: bool) -> Partnership:
    def load():
        partnerships = Partnership.objects.public() if public else Partnership.objects.all()
        try:
            return partnerships.select_related(*related).get(slug=slug)
        except Partnership.DoesNotExist:
            raise Http404("No such partnership.") from None

    return kept(("partnership", public, slug, related), tables_read(Partnership, related), load)
