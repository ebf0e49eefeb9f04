"""Reads of the strategy, shaped for pages and the PDF, in a fixed number of queries
whatever the size of the strategy."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from meetings.models import Action, AgendaItem, Decision
from membership.permissions import CHAIRS, users_holding
from partnerships.models import LocalAuthority, Partnership, Place

from .models import Approval, EngagementActivity, Evidence, Priority, PriorityLink, Section, StrategyVersion

User = get_user_model()
ADOPTING_DECISION_STATUSES = (Decision.Status.AGREED, Decision.Status.AGREED_WITH_AMENDMENTS)

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


@dataclass
class ApprovalState:
    """Where a version stands with its chairs: who must approve, who has, who may not."""

    required: list  # users whose approval is needed
    approved: list  # of `required`, those who have approved in this round
    waiting: list  # of `required`, those who have not decided yet
    excluded: list  # current chairs who changed the version after submission
    requests: list  # this round's requests for changes (Approval rows)
    decisions: list  # this round's decisions (Approval rows)

    @property
    def complete(self) -> bool:
        return bool(self.required) and not self.waiting and not self.requests


def approval_state(version: StrategyVersion) -> ApprovalState:
    partnership = version.strategy.partnership
    chairs = list(
        User.objects.filter(pk__in=users_holding(partnership, CHAIRS), is_active=True)
        .select_related("person")
        .order_by("person__family_name", "username")
    )
    editors = set(version.edited_after_submission_by.values_list("pk", flat=True))
    decisions = list(
        version.approvals.filter(voided_at__isnull=True).select_related("user__person").order_by("decided_at", "pk")
    )
    approved_ids = {d.user_id for d in decisions if d.decision == Approval.Verdict.APPROVED}
    required = [user for user in chairs if user.pk not in editors]
    return ApprovalState(
        required=required,
        approved=[user for user in required if user.pk in approved_ids],
        waiting=[user for user in required if user.pk not in approved_ids],
        excluded=[user for user in chairs if user.pk in editors],
        requests=[d for d in decisions if d.decision == Approval.Verdict.CHANGES_REQUESTED],
        decisions=decisions,
    )


def submission_problems(version: StrategyVersion) -> list[str]:
    """What stops a version being put to the chairs, in words the secretariat can act on."""
    problems = []
    if not version.sections.exists():
        problems.append("Add at least one section.")
    priorities = list(version.priorities.all())
    if not priorities:
        problems.append("Add at least one priority.")
    for priority in priorities:
        if not priority.aims:
            problems.append(f"Say which of the four aims “{priority.title}” serves.")
    return problems


def adopting_decisions(partnership: Partnership):
    """Decisions that can record the partnership's adoption of its strategy: agreed, and on
    the public record (a public meeting that has taken place, not an exempt item)."""
    return (
        Decision.objects.public()
        .filter(meeting__partnership=partnership, status__in=ADOPTING_DECISION_STATUSES)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "pk")
    )
