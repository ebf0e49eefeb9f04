"""The public strategy pages, under /partnerships/<partnership>/strategy/.

They read only published versions (and published versions since superseded), through
`StrategyVersion.objects.public()`; a draft, submitted or approved-but-unpublished version
is a 404, signed in or not. Each page runs a fixed number of queries however long the
strategy is, and is cacheable (ETag, public caching for anonymous visitors).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response

from core.views import public_crumbs
from meetings.http import cache_for_reader, public_page

from ..access import public_priority_or_404, public_strategy_or_404, public_version_or_404, public_versions
from ..models import Priority, Section, StrategyVersion
from ..selectors import priority_delivery, priority_summaries, version_content
from .common import compare_page, evidence_etag, evidence_response

PREVIOUS_ON_MAIN_PAGE = 5
VERSIONS_PAGE_SIZE = 25
DELIVERY_PAGE_SIZE = 50


def _strategy_crumbs(partnership, *more):
    return public_crumbs(
        partnership, ("Integrated care strategy", reverse("strategy:public", args=[partnership.slug])), *more
    )


def _version_page(request, partnership, strategy, version, versions, *, crumbs):
    """`version`'s page; `versions` are all the public versions, newest first (`public_versions`)."""
    context = {
        "partnership": partnership,
        "strategy": strategy,
        "version": version,
        "content": version_content(version, public_versions=versions),
        "previous": [other for other in versions if other.pk != version.pk][:PREVIOUS_ON_MAIN_PAGE],
        "current": _current(versions),
        "crumbs": crumbs,
    }
    return render(request, "strategy/public/version.html", context)


def _current(versions):
    """The published version, of the public versions newest first: the strategy as it stands."""
    return next((version for version in versions if version.status == StrategyVersion.Status.PUBLISHED), None)


@public_page
def strategy(request, slug):
    """The partnership's integrated care strategy as it stands: the latest published version."""
    partnership, strategy = public_strategy_or_404(slug)
    versions = public_versions(strategy)
    version = _current(versions)
    if version is None:
        context = {"partnership": partnership, "crumbs": public_crumbs(partnership)}
        return render(request, "strategy/public/none.html", context)
    return _version_page(request, partnership, strategy, version, versions, crumbs=public_crumbs(partnership))


@public_page
def version(request, slug, number):
    partnership, strategy = public_strategy_or_404(slug)
    versions = public_versions(strategy)
    version = public_version_or_404(versions, number)
    return _version_page(request, partnership, strategy, version, versions, crumbs=_strategy_crumbs(partnership))


@public_page
def versions(request, slug):
    """Every published version, newest first."""
    partnership, strategy = public_strategy_or_404(slug)
    if strategy is None:
        raise Http404("No strategy has been published.")
    # A strategy has a handful of versions: paging a list of them all spares a count query.
    context = {
        "partnership": partnership,
        "page": Paginator(public_versions(strategy), VERSIONS_PAGE_SIZE).get_page(request.GET.get("page")),
        "crumbs": _strategy_crumbs(partnership),
    }
    return render(request, "strategy/public/versions.html", context)


@public_page
def priority(request, slug, number, pk):
    """A priority of a published version, and the business of the partnership's public
    meetings that carries it forward."""
    partnership, strategy = public_strategy_or_404(slug)
    priority = public_priority_or_404(strategy, number, pk)
    priority_summaries([priority])
    version = priority.version
    page = Paginator(priority_delivery(priority, public=True), DELIVERY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "partnership": partnership,
        "version": version,
        "priority": priority,
        "decisions": [link for link in page.object_list if link.decision_id],
        "actions": [link for link in page.object_list if link.action_id],
        "items": [link for link in page.object_list if link.agenda_item_id],
        "page": page,
        "crumbs": _strategy_crumbs(
            partnership, (version.label, reverse("strategy:public_version", args=[partnership.slug, version.number]))
        ),
    }
    return render(request, "strategy/public/priority.html", context)


@public_page
def compare(request, slug):
    """Two published versions side by side."""
    partnership, strategy = public_strategy_or_404(slug)
    if strategy is None:
        raise Http404("No strategy has been published.")
    versions = list(strategy.versions.public().order_by("-number"))
    if not versions:
        raise Http404("No strategy has been published.")
    return compare_page(request, partnership, versions, _strategy_crumbs(partnership), public=True)


def evidence_file(request, slug, token):
    """An evidence document's PDF, once a published version cites it. Anyone may cache it,
    but must check its ETag with us before each use: the file can be replaced, or stop
    being cited, at any time."""
    partnership, strategy = public_strategy_or_404(slug)
    if strategy is None:
        raise Http404("No such document.")
    evidence = get_object_or_404(strategy.evidence.exclude(file=""), token=token)
    public_versions = StrategyVersion.objects.public().filter(strategy=strategy)
    cited = Section.objects.filter(version__in=public_versions, evidence=evidence).exists() or (
        Priority.objects.filter(version__in=public_versions, evidence=evidence).exists()
    )
    if not cited:
        raise Http404("No such document.")
    etag = evidence_etag(evidence)
    response = get_conditional_response(request, etag=etag) or evidence_response(evidence)
    response["ETag"] = etag
    # Evidence can be replaced or stop being cited at any time: caches revalidate each use.
    return cache_for_reader(request, response, revalidate=True)
