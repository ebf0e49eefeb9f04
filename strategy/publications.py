"""Published versions of the integrated care strategy, as entries of the public record
(`meetings.publications`): feeds and alerts carry them with the meetings' publications."""

from django.urls import reverse

from meetings.publications import STRATEGY_PUBLISHED, Found, Publication, ranked, register_source

from .models import StrategyVersion


def rank_strategy_versions(partnerships):
    versions = StrategyVersion.objects.public().filter(strategy__partnership__in=partnerships)
    return [ranked(versions, STRATEGY_PUBLISHED, "published_at")]


def write_strategy_versions(found: list[Found]) -> list[Publication]:
    versions = StrategyVersion.objects.select_related("strategy__partnership").in_bulk(
        [each.source_id for each in found]
    )
    entries = []
    for each in found:
        if (version := versions.get(each.source_id)) is None:
            continue
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


register_source(STRATEGY_PUBLISHED, rank=rank_strategy_versions, write=write_strategy_versions)
