"""Published versions of the integrated care strategy, as entries of the public record
(`meetings.publications`): feeds and alerts carry them with the meetings' publications."""

from django.urls import reverse

from meetings.publications import STRATEGY_PUBLISHED, Found, Publication, register_source

from .models import StrategyVersion


def find_strategy_versions(partnerships, *, limit: int, source_id: int | None = None) -> list[Found]:
    versions = StrategyVersion.objects.public().filter(strategy__partnership__in=partnerships)
    if source_id is not None:
        versions = versions.filter(pk=source_id)
    versions = versions.select_related("strategy__partnership").order_by("-published_at", "-pk")[:limit]
    return [Found(STRATEGY_PUBLISHED, version.pk, version.published_at, version) for version in versions]


def write_strategy_versions(found: list[Found]) -> list[Publication]:
    entries = []
    for each in found:
        version = each.row
        partnership = version.strategy.partnership
        lines = [f"Version {version.number} of the integrated care strategy of {partnership.name}: {version.title}."]
        lines.extend(text for text in (version.summary, version.change_summary) if text)
        entries.append(
            Publication(
                kind=each.kind,
                source_id=each.source_id,
                partnership=partnership,
                title=f"Strategy published: {version.title} (version {version.number})",
                when=each.when,
                path=reverse("strategy:public_version", kwargs={"slug": partnership.slug, "number": version.number}),
                lines=tuple(lines),
            )
        )
    return entries


register_source(STRATEGY_PUBLISHED, find=find_strategy_versions, write=write_strategy_versions)
