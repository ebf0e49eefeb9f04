"""Loading the strategy through permission. Views use these and never ask guardian directly.

- The secretariat (MANAGE) writes the strategy; chairs and co-chairs (APPROVE_STRATEGY)
  review and approve it. Both read the strategy workspace; anyone else signed in gets 403.
- The public reads only `StrategyVersion.objects.public()`: anything else is a 404, so
  that an unpublished version's existence is not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from membership.permissions import APPROVE_STRATEGY, MANAGE, partnership_for_user, user_can
from partnerships.access import partnership_or_404, public_partnership_or_404
from partnerships.models import Partnership

from .models import Priority, Strategy, StrategyVersion


def partnership_for_strategy_staff(request, slug: str) -> Partnership:
    """The partnership if the user runs it or approves its strategy: 404 if there is none,
    403 otherwise. Sets `can_manage` and `can_approve` on it for the templates."""
    partnership = partnership_or_404(slug, "ics", "parent")
    partnership.can_manage = user_can(request.user, MANAGE, partnership)
    partnership.can_approve = user_can(request.user, APPROVE_STRATEGY, partnership)
    if not (partnership.can_manage or partnership.can_approve):
        raise PermissionDenied
    return partnership


def partnership_for_secretariat(request, slug: str) -> Partnership:
    partnership = partnership_for_user(request, slug, MANAGE)
    partnership.can_manage = True
    partnership.can_approve = user_can(request.user, APPROVE_STRATEGY, partnership)
    return partnership


def partnership_for_chairs(request, slug: str) -> Partnership:
    partnership = partnership_for_user(request, slug, APPROVE_STRATEGY)
    partnership.can_approve = True
    partnership.can_manage = user_can(request.user, MANAGE, partnership)
    return partnership


def strategy_or_404(partnership: Partnership) -> Strategy:
    strategy = get_object_or_404(Strategy, partnership=partnership)
    strategy.partnership = partnership  # already loaded; spares a query
    return strategy


def version_or_404(partnership: Partnership, number: int) -> StrategyVersion:
    """Any version of the partnership's strategy (for staff pages)."""
    version = get_object_or_404(
        StrategyVersion.objects.select_related("strategy", "adopted_by_decision__meeting__partnership"),
        strategy__partnership=partnership,
        number=number,
    )
    version.strategy.partnership = partnership
    return version


def public_strategy_or_404(slug: str) -> tuple[Partnership, Strategy | None]:
    """A partnership the public may see, and its strategy if it has one."""
    partnership = public_partnership_or_404(slug, "strategy")
    try:
        strategy = partnership.strategy
    except Strategy.DoesNotExist:
        return partnership, None
    strategy.partnership = partnership
    return partnership, strategy


def public_versions(strategy: Strategy | None) -> list[StrategyVersion]:
    """The versions the public may read (published, and published ones since superseded),
    newest first, each with the decision that adopted it while that is public (`public_adoption`).
    A strategy has a handful, so a version's page loads them all in one query and picks the one
    it shows from them."""
    if strategy is None:
        return []
    versions = (
        StrategyVersion.objects.public()
        .with_public_adoption()
        .filter(strategy=strategy)
        .select_related("adopted_by_decision__meeting__partnership")
        .order_by()
    )
    # Sorted here, not in SQL: to compile an ordered query Django hashes every selected column
    # (some eighty here, with the decision, its meeting and partnership), which costs more than
    # sorting a handful of versions.
    versions = sorted(versions, key=lambda version: version.number, reverse=True)
    for version in versions:
        version.strategy = strategy
    return versions


def public_version_or_404(versions: list[StrategyVersion], number: int) -> StrategyVersion:
    """Of `public_versions`, the one numbered `number`; 404 for any other number, so that an
    unpublished version's existence is not revealed."""
    for version in versions:
        if version.number == number:
            return version
    raise Http404("No such version.")


def public_priority_or_404(strategy: Strategy | None, number: int, pk: int) -> Priority:
    """A priority of a published (or superseded, once published) version, loaded with its
    version in one query; 404 for anything else."""
    if strategy is None:
        raise Http404("No such priority.")
    priority = get_object_or_404(
        Priority.objects.select_related("version"),
        version__in=StrategyVersion.objects.public().filter(strategy=strategy, number=number),
        pk=pk,
    )
    priority.version.strategy = strategy
    return priority
