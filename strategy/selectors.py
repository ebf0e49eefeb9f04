"""Reads of the strategy, shaped for pages and the PDF, in a fixed number of queries
whatever the size of the strategy."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from meetings.models import Action, AgendaItem, Decision
from partnerships.models import LocalAuthority, Place

from .models import EngagementActivity, Evidence, Priority, PriorityLink, Section, StrategyVersion

_EVIDENCE = Evidence.objects.select_related("local_authority__health_and_wellbeing_board").order_by(
    "local_authority__name", "-published_on", "pk"
)


@dataclass
class VersionContent:
    version: StrategyVersion
    sections: list[Section]
    priorities: list[Priority]
    engagement: list[EngagementActivity]
    evidence: list[Evidence]  # cited by the version's sections or priorities


def version_content(version: StrategyVersion, *, engagement_up_to_here: bool = False) -> VersionContent:
    """Everything a version says, with the evidence it cites.

    With `engagement_up_to_here`, the engagement shown is that of this version and of the
    published versions before it: "how we involved people" across the strategy's life."""
    sections = list(version.sections.order_by("position").prefetch_related(Prefetch("evidence", queryset=_EVIDENCE)))
    priorities = list(
        version.priorities.order_by("position").prefetch_related(
            Prefetch("evidence", queryset=_EVIDENCE),
            "measures",
            Prefetch("places", queryset=Place.objects.order_by("name")),
            Prefetch("local_authorities", queryset=LocalAuthority.objects.order_by("name")),
        )
    )
    if engagement_up_to_here:
        engagement = EngagementActivity.objects.filter(
            Q(version=version)
            | (
                Q(version__strategy_id=version.strategy_id, version__number__lt=version.number)
                & Q(version__in=StrategyVersion.objects.public())
            )
        ).select_related("version")
    else:
        engagement = version.engagement.select_related("version")
    engagement = list(engagement.order_by("-started_on", "-pk"))
    cited: dict[int, Evidence] = {}
    for row in [*sections, *priorities]:
        for item in row.evidence.all():
            cited[item.pk] = item
    evidence = sorted(cited.values(), key=lambda e: (e.local_authority.name if e.local_authority else "~", e.title))
    return VersionContent(version, sections, priorities, engagement, evidence)


def public_agenda_items():
    """Agenda items the public may see: on published agendas of public meetings, not exempt."""
    return AgendaItem.objects.filter(
        is_exempt=False, meeting__is_public=True, meeting__agenda_published_at__isnull=False
    )


def priority_delivery(priority: Priority, *, public: bool) -> list[PriorityLink]:
    """The agenda items, decisions and actions linked to this priority in any version of the
    strategy (a priority keeps its key from version to version). For the public, only what
    is on the public record: never anything on an exempt item or from a private meeting."""
    links = PriorityLink.objects.filter(
        priority__key=priority.key, priority__version__strategy_id=priority.version.strategy_id
    ).select_related(
        "agenda_item__meeting__partnership",
        "decision__meeting__partnership",
        "decision__agenda_item",
        "action__meeting__partnership",
        "action__owner_person",
        "action__owner_organisation",
    )
    if public:
        links = links.filter(
            Q(agenda_item__in=public_agenda_items())
            | Q(decision__in=Decision.objects.public())
            | Q(action__in=Action.objects.public())
        )
    return list(links.order_by("linked_at", "pk"))
