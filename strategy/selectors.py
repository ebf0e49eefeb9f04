"""Reads of the strategy, shaped for pages and the PDF, in a fixed number of queries
whatever the size of the strategy."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from meetings.models import Action, AgendaItem, Decision
from membership.models import ChairAppointment, Person
from membership.permissions import APPROVING_CHAIR_ROLES
from partnerships.models import Partnership

from .models import (
    ADOPTING_DECISION_STATUSES,
    ADOPTING_MEETING_EXCLUDED,
    Approval,
    EngagementActivity,
    Evidence,
    OutcomeMeasure,
    Priority,
    PriorityLink,
    Section,
    StrategyVersion,
)

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


def version_content(
    version: StrategyVersion, *, public_versions: list[StrategyVersion] | None = None
) -> VersionContent:
    """Everything a version says, with the evidence it cites.

    Given the strategy's `public_versions` (`access.public_versions`: what the public may
    read), the engagement shown is that of this version and of the public versions before it:
    "how we involved people" across the strategy's life. Without them, this version's own."""
    sections = list(version.sections.order_by("position").prefetch_related(Prefetch("evidence", queryset=_EVIDENCE)))
    priorities = list(
        version.priorities.order_by("position").prefetch_related(Prefetch("evidence", queryset=_EVIDENCE))
    )
    priority_summaries(priorities)
    if public_versions is not None:
        shown = {other.pk: other for other in public_versions if other.number < version.number}
        shown[version.pk] = version
        engagement = list(EngagementActivity.objects.filter(version_id__in=list(shown)).order_by())
        for activity in engagement:
            activity.version = shown[activity.version_id]
    else:
        engagement = version.engagement.select_related("version").order_by()
    # Newest first, sorted here rather than in SQL (see `public_versions`): a strategy's
    # engagement is a few rows, each with its version's columns.
    engagement = sorted(engagement, key=lambda activity: (activity.started_on, activity.pk), reverse=True)
    cited: dict[int, Evidence] = {}
    for row in [*sections, *priorities]:
        for item in row.evidence.all():
            cited[item.pk] = item
    evidence = sorted(cited.values(), key=lambda e: (e.local_authority.name if e.local_authority else "~", e.title))
    return VersionContent(version, sections, priorities, engagement, evidence)


def priority_summaries(priorities: list[Priority]) -> None:
    """Gives each of `priorities` what `strategy/components/priority_summary.html` shows of it
    besides its own fields, in display order: `measure_list`, `place_names` and `council_names`.
    Three queries however many priorities, read as plain rows: Django's prefetching (a queryset
    per relation, joined back to the priorities) costs more than the few rows do to read."""
    of_these = {"priority_id__in": [priority.pk for priority in priorities]}
    measures = by_priority(
        (measure.priority_id, measure) for measure in OutcomeMeasure.objects.filter(**of_these).order_by("position")
    )
    places = by_priority(
        Priority.places.through.objects.filter(**of_these)
        .order_by("place__name")
        .values_list("priority_id", "place__name")
    )
    councils = by_priority(
        Priority.local_authorities.through.objects.filter(**of_these)
        .order_by("localauthority__name")
        .values_list("priority_id", "localauthority__name")
    )
    for priority in priorities:
        priority.measure_list = measures[priority.pk]
        priority.place_names = places[priority.pk]
        priority.council_names = councils[priority.pk]


def by_priority(pairs) -> defaultdict:
    """(priority id, value) pairs as each priority's list of values, in the order given."""
    grouped = defaultdict(list)
    for priority_id, value in pairs:
        grouped[priority_id].append(value)
    return grouped


def public_agenda_items():
    """Agenda items the public may see: on published agendas of public meetings, not exempt."""
    return AgendaItem.objects.filter(
        is_exempt=False, meeting__is_public=True, meeting__agenda_published_at__isnull=False
    )


_MEETING_SHOWN = ["meeting__title", "meeting__starts_at", "meeting__partnership__slug"]
# What the public priority page shows of each link: compiling the hundred-odd columns of the
# items, decisions, actions, meetings and people it joins costs more than reading the links.
_PUBLIC_DELIVERY_SHOWN = [
    "priority_id",
    "agenda_item_id",
    "decision_id",
    "action_id",
    "linked_at",
    "agenda_item__position",
    "agenda_item__title",
    *[f"agenda_item__{field}" for field in _MEETING_SHOWN],
    "decision__reference",
    "decision__wording",
    "decision__status",
    *[f"decision__{field}" for field in _MEETING_SHOWN],
    "action__description",
    "action__due_date",
    "action__status",
    *[f"action__{field}" for field in _MEETING_SHOWN],
    "action__owner_person__honorific",
    "action__owner_person__given_name",
    "action__owner_person__family_name",
    "action__owner_person__post_nominals",
    "action__owner_organisation__name",
]


def priority_delivery(priority: Priority, *, public: bool) -> list[PriorityLink]:
    """The agenda items, decisions and actions linked to this priority in any version of the
    strategy (a priority keeps its key from version to version). For the public, only what
    is on the public record: never anything on an exempt item or from a private meeting."""
    links = PriorityLink.objects.filter(
        priority__key=priority.key, priority__version__strategy_id=priority.version.strategy_id
    ).select_related(
        "agenda_item__meeting__partnership",
        "decision__meeting__partnership",
        "action__meeting__partnership",
        "action__owner_person",
        "action__owner_organisation",
    )
    if public:
        # Correlated: each of this priority's few links is looked up by its key. As `__in`
        # subqueries, PostgreSQL built every public item, decision and action of the country
        # (a hashed subplan each) to keep a handful of links: half a second at national scale.
        links = links.filter(
            Exists(public_agenda_items().filter(pk=OuterRef("agenda_item_id")))
            | Exists(Decision.objects.public().filter(pk=OuterRef("decision_id")))
            | Exists(Action.objects.public().filter(pk=OuterRef("action_id")))
        ).only(*_PUBLIC_DELIVERY_SHOWN)
    else:
        links = links.select_related("decision__agenda_item")  # the secretariat is told which are exempt
    # Sorted here, not in SQL: to compile an ordered query Django hashes every selected column
    # (over a hundred here, with the meetings and people), which costs more than sorting a
    # priority's few links.
    return sorted(links.order_by(), key=lambda link: (link.linked_at, link.pk))


@dataclass(frozen=True)
class Approver:
    """A current chair or co-chair of the partnership, whose approval a version needs, and the
    sign-in account they approve with (None when they have no account that can sign in)."""

    person: Person
    role: str  # ChairAppointment.Role: chair or co_chair
    user: object | None
    account_disabled: bool = False  # they have an account, but it cannot sign in

    @property
    def name(self) -> str:
        return self.person.display_name

    @property
    def role_label(self) -> str:
        return ChairAppointment.Role(self.role).label.lower()

    @property
    def label(self) -> str:
        """How messages and the record name them: "Cllr Edwin Saltmarsh, co-chair"."""
        return f"{self.name}, {self.role_label}"

    @property
    def listed(self) -> str:
        """How lists name them: "Cllr Edwin Saltmarsh (co-chair)"."""
        return f"{self.name} ({self.role_label})"

    @property
    def blocker(self) -> str | None:
        """Why this approver cannot approve yet, in words the secretariat can act on."""
        if self.user is not None:
            return None
        if self.account_disabled:
            return (
                f"{self.label}, has a sign-in account that is switched off: ask a portal administrator "
                "to switch it back on or link another account."
            )
        return (
            f"{self.label}, has no sign-in account: invite them to sign in from their page in the workspace "
            "(Invite to sign in)."
        )


@dataclass
class ApprovalState:
    """Where a version stands with its chairs: who must approve, who has, who cannot yet.

    Everyone is a person (`Approver`), so pages, emails and the audit log name people, never
    accounts."""

    required: list[Approver]  # every current chair and co-chair, but those excluded
    approved: list[Approver]  # of `required`, those who have approved in this round
    waiting: list[Approver]  # of `required`, those who have not (yet) approved
    excluded: list[Approver]  # current chairs who changed the version after submission
    requests: list  # this round's requests for changes (Approval rows)
    decisions: list  # this round's decisions (Approval rows)

    @property
    def unable(self) -> list[Approver]:
        """Of `waiting`, those who cannot approve: no sign-in account, or one switched off."""
        return [approver for approver in self.waiting if approver.user is None]

    @property
    def blockers(self) -> list[str]:
        return [approver.blocker for approver in self.unable]

    @property
    def complete(self) -> bool:
        return bool(self.required) and not self.waiting and not self.requests

    def approver_for(self, user) -> Approver | None:
        """The current chair or co-chair who signs in as `user`, excluded or not."""
        for approver in [*self.required, *self.excluded]:
            if approver.user is not None and approver.user.pk == getattr(user, "pk", None):
                return approver
        return None


def current_approvers(partnership: Partnership, on=None) -> list[Approver]:
    """Every chair and co-chair of `partnership` whose term covers `on` (default today), with or
    without a sign-in account: approval needs them all, so one without an account must be seen,
    not skipped. Chair first, then co-chairs by name; a person holding both counts once."""
    appointments = (
        ChairAppointment.objects.current(on)
        .filter(partnership=partnership, role__in=APPROVING_CHAIR_ROLES)
        .select_related("person__user")
        .order_by("role", "person__family_name", "person__given_name", "person_id")
    )
    approvers, seen = [], set()
    for appointment in appointments:
        person = appointment.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        account = person.user
        usable = account if account is not None and account.is_active else None
        approvers.append(
            Approver(
                person=person, role=appointment.role, user=usable, account_disabled=account is not None and not usable
            )
        )
    return approvers


def approval_state(version: StrategyVersion) -> ApprovalState:
    """Who must approve `version` (every current chair and co-chair of its partnership, but one
    who changed it after submission), who has in this round, and who cannot yet."""
    chairs = current_approvers(version.strategy.partnership)
    editors = set(version.edited_after_submission_by.values_list("pk", flat=True))
    decisions = list(
        version.approvals.filter(voided_at__isnull=True)
        .select_related("person", "user__person")
        .order_by("decided_at", "pk")
    )
    # A decision is the person's: it counts even if their account has changed since.
    approved_people = {d.person_id for d in decisions if d.decision == Approval.Verdict.APPROVED and d.person_id}
    approved_users = {d.user_id for d in decisions if d.decision == Approval.Verdict.APPROVED and not d.person_id}

    def has_approved(approver: Approver) -> bool:
        return approver.person.pk in approved_people or (
            approver.user is not None and approver.user.pk in approved_users
        )

    def is_editor(approver: Approver) -> bool:
        return approver.user is not None and approver.user.pk in editors

    required = [approver for approver in chairs if not is_editor(approver)]
    return ApprovalState(
        required=required,
        approved=[approver for approver in required if has_approved(approver)],
        waiting=[approver for approver in required if not has_approved(approver)],
        excluded=[approver for approver in chairs if is_editor(approver)],
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


def adopting_decisions(partnership: Partnership, version: StrategyVersion | None = None):
    """Decisions that can record the partnership's adoption of `version`: agreed (or agreed with
    amendments), of the partnership's own meetings, on the public record (a public meeting that
    has taken place, not an exempt item, not cancelled or postponed, not recorded without a quorum),
    taken on or after the day
    the version was approved, and not adopting another version. The same rule, one decision at
    a time and with the reason, is `StrategyVersion.adoption_problem`."""
    decisions = (
        Decision.objects.public()
        .filter(meeting__partnership=partnership, status__in=ADOPTING_DECISION_STATUSES, inquorate=False)
        .exclude(meeting__status__in=ADOPTING_MEETING_EXCLUDED)
        .filter(Q(adopted_strategy_version__isnull=True) | Q(adopted_strategy_version=version))
        .select_related("meeting")
        .order_by("-meeting__starts_at", "pk")
    )
    if version is not None and version.approved_at is not None:
        decisions = decisions.filter(meeting__starts_at__gte=_start_of_day(version.approved_on))
    elif version is not None:
        decisions = decisions.none()
    return decisions


def _start_of_day(day):
    """The first moment of `day` where the portal is (meetings are dated in local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
