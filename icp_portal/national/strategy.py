"""Synthetic integrated care strategies for the national-scale data.

Each top-level generated partnership gets a strategy with a version published about every
four years (the earlier ones superseded, each adopted by its own agreed decision of a public
meeting held after the chairs approved it) and a draft being written, each version with
sections, priorities (with outcome measures and councils), engagement ("you said, we did") and
the evidence it cites (a JSNA and a joint local health and wellbeing strategy per council), and
the current priorities linked to decisions, actions and agenda items that carry them forward.
Rows are written with bulk_create, like the rest.
"""

import datetime as dt
import random
import uuid

from meetings.models import Meeting
from strategy.models import (
    ADOPTING_DECISION_STATUSES,
    Aim,
    EngagementActivity,
    Evidence,
    OutcomeMeasure,
    Priority,
    PriorityLink,
    Section,
    Strategy,
    StrategyVersion,
)

SECTIONS = [
    "Foreword from the co-chairs",
    "Our population",
    "What people told us",
    "Our shared ambitions",
    "How we will work together",
    "How we will know we are making a difference",
]
PRIORITIES = [
    ("Give every child the best start in life", Priority.Theme.START_WELL),
    ("Good mental health for everyone", Priority.Theme.LIVE_WELL),
    ("Healthy homes and neighbourhoods", Priority.Theme.LIVE_WELL),
    ("Ageing well at home", Priority.Theme.AGE_WELL),
    ("Dignity and choice at the end of life", Priority.Theme.DIE_WELL),
    ("Closing the gap in healthy life expectancy", Priority.Theme.TOPIC),
]
MEASURES = [("Healthy life expectancy at birth", "58.9 years", "61 years"), ("Emergency admissions", "1,240", "1,000")]
BODY = (
    "## {title}\n\nPartners across the system have agreed to act together on what matters most to "
    "local people.\n\n- Prevention first, closer to home\n- Fewer people falling through the gaps\n- "
    "Decisions taken with communities, not for them\n\nThis section is synthetic text for benchmarks."
)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _can_adopt(decision, today) -> bool:
    """An agreed decision on a substantive, non-exempt item of a public meeting held before `today`."""
    meeting, item = decision.meeting, decision.agenda_item
    return (
        decision.status in ADOPTING_DECISION_STATUSES
        and meeting.is_public
        and meeting.status == Meeting.Status.HELD
        and meeting.date < today
        and item is not None
        and not item.is_exempt
        and not item.standard
    )


def strategy_generate(*, partnership, councils, decisions, actions, items, rng, today, years, bulk) -> None:
    """One strategy for `partnership`. `decisions`, `actions` and `items` are its generated rows
    (in memory, with their meetings); `bulk(model, rows, kind)` writes rows."""
    strategy = Strategy(partnership=partnership)
    bulk(Strategy, [strategy], "strategies")
    established = partnership.established_on
    evidence = []
    for council in councils[:10]:
        for kind, title in [
            (Evidence.Kind.JSNA, f"{council.name} joint strategic needs assessment"),
            (Evidence.Kind.HWB_STRATEGY, f"{council.name} joint local health and wellbeing strategy"),
        ]:
            evidence.append(
                Evidence(
                    strategy=strategy,
                    kind=kind,
                    title=title,
                    local_authority=council,
                    published_on=established + dt.timedelta(days=rng.randint(0, 365 * max(1, years - 1))),
                    url="https://www.example.gov.uk/evidence",
                    summary="Synthetic evidence for benchmarks.",
                )
            )
    bulk(Evidence, evidence, "strategy evidence")

    # The rule the portal enforces (StrategyVersion.adoption_problem): each published version is
    # adopted by its own agreed decision, on the public record, of a meeting held on or after its
    # approval. Here the chairs approve a fortnight before the meeting that adopts the version.
    adoptable = sorted((d for d in decisions if _can_adopt(d, today)), key=lambda d: d.meeting.starts_at)
    published_count = max(1, years // 4)
    versions, used, after = [], set(), None
    for number in range(1, published_count + 2):
        is_draft = number == published_count + 1
        published_on = None if is_draft else established + dt.timedelta(days=round(365.25 * (4 * (number - 1) + 0.5)))
        if published_on is not None and published_on >= today:
            published_on = today - dt.timedelta(days=30)
        published_at = None if published_on is None else dt.datetime.combine(published_on, dt.time(10), tzinfo=dt.UTC)
        approved_at, adopted = published_at, None
        if published_on is not None:
            candidates = [
                d
                for d in adoptable
                if id(d) not in used and d.meeting.date <= published_on and (after is None or d.meeting.date > after)
            ]
            if candidates:
                adopted = candidates[-1]
                used.add(id(adopted))
                after = adopted.meeting.date
                approved_at = adopted.meeting.starts_at - dt.timedelta(days=14)
        versions.append(
            StrategyVersion(
                strategy=strategy,
                number=number,
                title="Better health and wellbeing for everyone",
                summary=f"How the partners of {partnership.ics.name} will improve health and wellbeing together.",
                change_summary="" if number == 1 else "Refreshed after the new joint strategic needs assessments.",
                status=StrategyVersion.Status.DRAFT if is_draft else StrategyVersion.Status.SUPERSEDED,
                published_at=published_at,
                approved_at=approved_at,
                adopted_by_decision=adopted,
            )
        )
    published = [v for v in versions if v.published_at]
    published[-1].status = StrategyVersion.Status.PUBLISHED
    for earlier, later in zip(published, published[1:], strict=False):
        earlier.superseded_at = later.published_at
    bulk(StrategyVersion, versions, "strategy versions")

    section_keys = [_uuid(rng) for _ in SECTIONS]
    priority_keys = [_uuid(rng) for _ in PRIORITIES]
    sections, priorities, engagement = [], [], []
    for version in versions:
        for position, (title, key) in enumerate(zip(SECTIONS, section_keys, strict=True), start=1):
            sections.append(
                Section(version=version, key=key, position=position, title=title, body=BODY.format(title=title))
            )
        for position, ((title, theme), key) in enumerate(zip(PRIORITIES, priority_keys, strict=True), start=1):
            priorities.append(
                Priority(
                    version=version,
                    key=key,
                    position=position,
                    title=title,
                    summary="Partners will act together on this, starting where the need is greatest.",
                    aims=rng.sample(Aim.values, rng.randint(1, 3)),
                    theme=theme,
                    topic="Healthy life expectancy" if theme == Priority.Theme.TOPIC else "",
                )
            )
        started = (version.published_at.date() if version.published_at else today) - dt.timedelta(days=200)
        for index in range(2):
            engagement.append(
                EngagementActivity(
                    version=version,
                    title=f"Community conversations {index + 1}",
                    audiences=rng.sample(EngagementActivity.Audience.values, 2),
                    started_on=started + dt.timedelta(days=30 * index),
                    ended_on=started + dt.timedelta(days=30 * index + 21),
                    method="An online survey and listening events in community venues",
                    participants=rng.randint(80, 2000),
                    heard="People want help earlier, closer to home, and to tell their story once.",
                    response="We made prevention in neighbourhoods a priority.",
                )
            )
    bulk(Section, sections, "strategy sections")
    bulk(Priority, priorities, "strategy priorities")
    bulk(EngagementActivity, engagement, "engagement activities")
    measures = [
        OutcomeMeasure(
            priority=priority,
            position=position,
            name=name,
            baseline=baseline,
            baseline_period="2019 to 2021",
            target=target,
            target_date="March 2030",
        )
        for priority in priorities
        for position, (name, baseline, target) in enumerate(MEASURES, start=1)
    ]
    bulk(OutcomeMeasure, measures, "outcome measures")

    through = Section.evidence.through
    cites = [
        through(section_id=section.pk, evidence_id=item.pk)
        for section in sections
        if section.position == 2
        for item in evidence
    ]
    bulk(through, cites, "section citations")
    local = Priority.local_authorities.through
    bulk(
        local,
        [
            local(priority_id=priority.pk, localauthority_id=council.pk)
            for priority in priorities
            for council in councils[:2]
        ],
        "priority councils",
    )

    # Delivery: the current version's priorities, linked to business that carries them forward.
    links = []
    for priority in priorities:
        if priority.version is not published[-1]:
            continue
        for decision in rng.sample(decisions, min(5, len(decisions))):
            links.append(PriorityLink(priority=priority, decision=decision))
        for action in rng.sample(actions, min(3, len(actions))):
            links.append(PriorityLink(priority=priority, action=action))
        for item in rng.sample(items, min(3, len(items))):
            links.append(PriorityLink(priority=priority, agenda_item=item))
    bulk(PriorityLink, links, "priority links")
