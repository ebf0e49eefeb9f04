"""Demonstration strategies: North East and North Cumbria's Strategic ICP with two published
versions (the first superseded), evidence from its councils' JSNAs, engagement ("you said, we
did"), delivery linked to meetings, and a third version submitted and awaiting its co-chairs; and
one published priority each for Devon (SEND) and Greater Manchester (its falls collaborative).

The text is written for the demonstration, says so, and is not the partnerships' real strategy.
`build()` runs after `load_reference_data` and the membership demo; a partnership it needs that
is not there yet is created (looked up by its system first). A partnership that already has a
strategy is left alone, so a second run creates nothing. Versions are written directly, with
their historical dates, rather than through the services (which stamp today's date and send
email); the PDFs of published versions go through the publishing pipeline.
"""

import datetime as dt
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

from core import events
from meetings.models import Action, AgendaItem, Decision, Meeting
from partnerships.models import (
    IntegratedCareBoard,
    IntegratedCareSystem,
    Organisation,
    Partnership,
    Region,
    SystemLocalAuthority,
)

from .models import (
    Aim,
    Approval,
    EngagementActivity,
    Evidence,
    OutcomeMeasure,
    Priority,
    PriorityLink,
    Section,
    Strategy,
    StrategyVersion,
)
from .selectors import current_approvers

LONDON = ZoneInfo("Europe/London")
KEYS = uuid.UUID("6c1f7a3e-5a0b-4f4e-9d61-6a3c2e0b9f10")  # namespace: the same key on every run
DEMO_NOTE = (
    "Demonstration content: written to show how the portal presents an integrated care strategy. "
    "It is not the partnership's real strategy, and its figures are illustrative."
)
Status = StrategyVersion.Status
A = Aim

NENC = {
    "ics": "north-east-and-north-cumbria",
    "slug": "north-east-and-north-cumbria-strategic-icp",
    "name": "North East and North Cumbria Strategic Integrated Care Partnership",
    "region": ("E40000012", "North East and Yorkshire"),
    "icb": ("E54000050", "QHM", "NHS North East and North Cumbria Integrated Care Board"),
    "system": "North East and North Cumbria",
}


def _at(day: dt.date, hour: int = 12):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def _key(partnership: Partnership, name: str) -> uuid.UUID:
    return uuid.uuid5(KEYS, f"{partnership.slug}:{name}")


class _Builder:
    def __init__(self):
        self.created = Counter()

    def ensure(self, model, lookup: dict, defaults: dict | None = None):
        row, created = model.objects.get_or_create(**lookup, defaults=defaults or {})
        if created:
            self.created[model._meta.verbose_name_plural] += 1
        return row

    def statutory_icp(self, ics_slug: str, *, slug: str, name: str) -> Partnership | None:
        ics = IntegratedCareSystem.objects.filter(slug=ics_slug).first()
        if ics is None:
            return None
        return self.ensure(
            Partnership,
            {"ics": ics, "kind": Partnership.Kind.STATUTORY_ICP},
            {"slug": slug, "name": name, "established_on": dt.date(2022, 7, 1)},
        )

    def nenc(self) -> Partnership:
        """NENC's Strategic ICP, with the little geography it needs if the reference data is absent."""
        partnership = self.statutory_icp(NENC["ics"], slug=NENC["slug"], name=NENC["name"])
        if partnership is not None:
            return partnership
        region = self.ensure(
            Region, {"ons_code": NENC["region"][0]}, {"name": NENC["region"][1], "slug": slugify(NENC["region"][1])}
        )
        ics = self.ensure(IntegratedCareSystem, {"slug": NENC["ics"]}, {"name": NENC["system"], "region": region})
        ons, ods, name = NENC["icb"]
        self.ensure(
            IntegratedCareBoard, {"ons_code": ons}, {"ods_code": ods, "name": name, "sector": "icb", "ics": ics}
        )
        return self.statutory_icp(NENC["ics"], slug=NENC["slug"], name=NENC["name"])

    def meeting(self, partnership, day: dt.date, title: str) -> Meeting:
        return self.ensure(
            Meeting,
            {"partnership": partnership, "title": title, "starts_at": _at(day, 14)},
            {
                "ends_at": _at(day, 16),
                "venue": "Civic Centre, Council Chamber",
                "status": Meeting.Status.HELD,
                "agenda_published_at": _at(day - dt.timedelta(days=9), 9),
            },
        )

    def item(self, meeting, position: int, title: str, **fields) -> AgendaItem:
        return self.ensure(AgendaItem, {"meeting": meeting, "position": position}, {"title": title, **fields})

    def decision(self, meeting, item, reference: str, wording: str) -> Decision:
        return self.ensure(
            Decision,
            {"meeting": meeting, "reference": reference},
            {"partnership": meeting.partnership, "agenda_item": item, "wording": wording},
        )

    def action(self, meeting, item, description: str, owner: Organisation, due: dt.date, status) -> Action:
        return self.ensure(
            Action,
            {"meeting": meeting, "description": description},
            {
                "partnership": meeting.partnership,
                "agenda_item": item,
                "owner_organisation": owner,
                "due_date": due,
                "status": status,
            },
        )

    def version(self, strategy, number: int, *, status, title: str, summary: str, change_summary: str = "", **dates):
        version = StrategyVersion(
            strategy=strategy,
            number=number,
            status=status,
            title=title,
            summary=f"{summary}\n\n{DEMO_NOTE}",
            change_summary=change_summary,
            based_on=strategy.versions.filter(number=number - 1).first(),
            **dates,
        )
        version.full_clean()
        version.save()
        self.created["strategy versions"] += 1
        return version

    def sections(self, version, sections: list[tuple[str, str, list[Evidence]]]) -> None:
        partnership = version.strategy.partnership
        for position, (title, body, evidence) in enumerate(sections, start=1):
            section = Section.objects.create(
                version=version, key=_key(partnership, f"section:{title}"), position=position, title=title, body=body
            )
            section.evidence.set(evidence)
            self.created["sections"] += 1

    def priorities(self, version, priorities: list[dict]) -> dict[str, Priority]:
        partnership = version.strategy.partnership
        made = {}
        for position, spec in enumerate(priorities, start=1):
            priority = Priority(
                version=version,
                key=_key(partnership, f"priority:{spec['id']}"),
                position=position,
                title=spec["title"],
                summary=spec["summary"],
                aims=spec["aims"],
                theme=spec["theme"],
                topic=spec.get("topic", ""),
            )
            priority.full_clean()
            priority.save()
            priority.evidence.set(spec.get("evidence", []))
            priority.local_authorities.set(spec.get("councils", []))
            for number, (name, baseline, period, target, by) in enumerate(spec.get("measures", []), start=1):
                OutcomeMeasure.objects.create(
                    priority=priority,
                    position=number,
                    name=name,
                    baseline=baseline,
                    baseline_period=period,
                    target=target,
                    target_date=by,
                )
            made[spec["id"]] = priority
            self.created["priorities"] += 1
        return made

    def engagement(self, version, activities: list[dict]) -> None:
        for spec in activities:
            activity = EngagementActivity(version=version, **spec)
            activity.full_clean()
            activity.save()
            self.created["engagement activities"] += 1

    def approvals(self, version, when) -> None:
        """The approvals of every chair and co-chair in post on the day, as approval needs them
        all. These versions were approved before the portal, so each is recorded with the person
        and no sign-in account."""
        for approver in current_approvers(version.strategy.partnership, on=when.astimezone(LONDON).date()):
            Approval.objects.create(version=version, person=approver.person, decision="approved", decided_at=when)
            self.created["approvals"] += 1


def _councils(partnership: Partnership) -> list:
    rows = SystemLocalAuthority.objects.filter(ics=partnership.ics).select_related("local_authority")
    return [row.local_authority for row in rows.order_by("local_authority__name")]


def _area(council) -> str:
    for suffix in (" Borough Council", " City Council", " County Council", " Council"):
        if council.name.endswith(suffix):
            return council.name[: -len(suffix)]
    return council.name


def _evidence(b: _Builder, strategy: Strategy, councils) -> tuple[list[Evidence], list[Evidence], Evidence | None]:
    """A JSNA (2022) and a joint local health and wellbeing strategy for each council in the area."""
    jsnas, strategies = [], []
    for council in councils:
        area = _area(council)
        jsnas.append(
            b.ensure(
                Evidence,
                {
                    "strategy": strategy,
                    "kind": Evidence.Kind.JSNA,
                    "local_authority": council,
                    "published_on": dt.date(2022, 6, 30),
                },
                {
                    "title": f"{area} joint strategic needs assessment 2022",
                    "url": f"https://jsna.example.org/{slugify(area)}/2022",
                    "summary": f"The health and wellbeing needs of {area}'s population, "
                    "from its health and wellbeing board.",
                },
            )
        )
        strategies.append(
            b.ensure(
                Evidence,
                {"strategy": strategy, "kind": Evidence.Kind.HWB_STRATEGY, "local_authority": council},
                {
                    "title": f"{area} joint local health and wellbeing strategy 2022 to 2027",
                    "published_on": dt.date(2022, 3, 31),
                    "url": f"https://jsna.example.org/{slugify(area)}/health-and-wellbeing-strategy",
                },
            )
        )
    newer = None
    if councils:
        # A newer JSNA for one council arrived after version 2 was published: the strategy is due for review.
        council = councils[-1]
        newer = b.ensure(
            Evidence,
            {
                "strategy": strategy,
                "kind": Evidence.Kind.JSNA,
                "local_authority": council,
                "published_on": dt.date(2026, 3, 31),
            },
            {
                "title": f"{_area(council)} joint strategic needs assessment 2026",
                "url": f"https://jsna.example.org/{slugify(_area(council))}/2026",
                "summary": "Refreshed after the 2021 census and the reorganisation of local government in Cumbria.",
            },
        )
    return jsnas, strategies, newer


NENC_SECTIONS_V1 = [
    (
        "Our ambition",
        "Our ambition is **better health and wellbeing for all** the three million people of North East "
        "and North Cumbria: longer and healthier lives, fairer outcomes, the best start in life and "
        "excellent health and care services.\n\nThe partners (the integrated care board and the 14 "
        "councils of the area, with Healthwatch, the voluntary, community and social enterprise sector, "
        "NHS trusts and universities) will act together on the things none of us can change alone.",
        "ambition",
    ),
    (
        "Our population",
        "## What the JSNAs tell us\n\nThe joint strategic needs assessments of our health and wellbeing "
        "boards show that:\n\n- people here live shorter lives, and more of their lives in poor health, "
        "than the average for England;\n- the gap in healthy life expectancy between our most and least "
        "deprived neighbourhoods is around 18 years;\n- smoking, alcohol and obesity drive much of the "
        "difference.\n\n| Measure | North East and North Cumbria | England |\n| --- | --- | --- |\n"
        "| Healthy life expectancy, women | 59.7 years | 63.9 years |\n| Healthy life expectancy, men | "
        "59.1 years | 63.1 years |\n| Adults who smoke | 13.1% | 12.1% |",
        "population",
    ),
    (
        "How we will work together",
        "We will work at the level where each thing is best done: in neighbourhoods, in each of our "
        "places, in the four areas and across the whole system. Our four Area ICPs turn this strategy "
        "into action with their places.\n\nWe will [involve people](#engagement) as we go, and report "
        "progress on every priority in public.",
        "working",
    ),
]

NENC_PRIORITIES_V1 = [
    {
        "id": "longer-healthier-lives",
        "title": "Longer and healthier lives",
        "summary": "Prevent ill health together: cut smoking and harmful drinking, and help people to a "
        "healthy weight, so that people live longer in good health.",
        "aims": [A.OUTCOMES, A.INEQUALITIES],
        "theme": Priority.Theme.LIVE_WELL,
        "measures": [
            ("Healthy life expectancy at birth", "59.4 years", "2018 to 2020", "62 years", "2030"),
            ("Adults who smoke", "13.1%", "2021", "5%", "2030"),
        ],
    },
    {
        "id": "fairer-outcomes",
        "title": "Fairer outcomes for all",
        "summary": "Narrow the gap between our most and least deprived communities, in outcomes, in "
        "experience of care and in access to it.",
        "aims": [A.INEQUALITIES, A.SOCIAL_ECONOMIC],
        "theme": Priority.Theme.TOPIC,
        "topic": "Health inequalities",
        "measures": [
            (
                "Gap in healthy life expectancy between most and least deprived areas",
                "18 years",
                "2018 to 2020",
                "15 years",
                "2030",
            ),
        ],
    },
    {
        "id": "best-start",
        "title": "Giving children and young people the best start in life",
        "summary": "Every child ready for school, and children and young people's mental health "
        "supported early, in schools and communities.",
        "aims": [A.OUTCOMES, A.INEQUALITIES],
        "theme": Priority.Theme.START_WELL,
        "measures": [
            ("Children with a good level of development at the end of reception", "63%", "2021 to 2022", "70%", "2030"),
        ],
    },
    {
        "id": "better-services",
        "title": "Improving health and care services",
        "summary": "Join up health and care around people, with good access to general practice, "
        "dentistry and mental health care, and a resilient workforce.",
        "aims": [A.OUTCOMES, A.VALUE],
        "theme": Priority.Theme.LIVE_WELL,
        "measures": [("People who say it was easy to get through to their GP practice", "53%", "2022", "65%", "2027")],
    },
]


def _nenc(b: _Builder) -> None:
    partnership = b.nenc()
    if Strategy.objects.filter(partnership=partnership).exists():
        return
    strategy = b.ensure(Strategy, {"partnership": partnership})
    councils = _councils(partnership)
    jsnas, hwb_strategies, newer = _evidence(b, strategy, councils)
    icb = getattr(partnership.ics, "icb", None)

    # The meetings that adopted each version, and the business that carries the priorities forward.
    first = b.meeting(partnership, dt.date(2022, 12, 6), "Strategic Integrated Care Partnership")
    first_item = b.item(first, 1, "Integrated care strategy", purpose=AgendaItem.Purpose.DECISION)
    adopt_1 = b.decision(
        first,
        first_item,
        "SICP/2022/05",
        "The partnership adopted its integrated care strategy, “Better health and wellbeing for all”.",
    )
    second = b.meeting(partnership, dt.date(2024, 12, 10), "Strategic Integrated Care Partnership")
    second_item = b.item(second, 1, "Refreshed integrated care strategy", purpose=AgendaItem.Purpose.DECISION)
    adopt_2 = b.decision(
        second,
        second_item,
        "SICP/2024/09",
        "The partnership adopted the refreshed integrated care strategy (version 2).",
    )
    smoking_item = b.item(second, 2, "Smokefree North East and North Cumbria", purpose=AgendaItem.Purpose.DECISION)
    smoking = b.decision(
        second,
        smoking_item,
        "SICP/2024/10",
        "The partnership agreed to fund a system-wide stop smoking offer in every place for three years.",
    )
    falls_item = b.item(second, 3, "Healthy ageing and falls prevention", purpose=AgendaItem.Purpose.DISCUSSION)
    owner = icb or b.ensure(Organisation, {"name": "Voluntary Organisations' Network North East"}, {"sector": "vcse"})
    falls_action = b.action(
        second,
        falls_item,
        "Bring a falls prevention plan for every place, with the councils' public health teams, to the next meeting.",
        owner,
        dt.date(2025, 6, 30),
        Action.Status.DONE,
    )

    v1_sections = [(title, body, jsnas if key == "population" else []) for title, body, key in NENC_SECTIONS_V1]
    v1 = b.version(
        strategy,
        1,
        status=Status.SUPERSEDED,
        title="Better health and wellbeing for all",
        summary="Our integrated care strategy sets out how the partners of North East and North Cumbria will "
        "work together to improve the health and wellbeing of everyone who lives here.",
        first_submitted_at=_at(dt.date(2022, 11, 1)),
        submitted_at=_at(dt.date(2022, 11, 1)),
        approved_at=_at(dt.date(2022, 11, 18)),
        published_at=_at(dt.date(2022, 12, 15)),
        superseded_at=_at(dt.date(2024, 12, 20)),
        adopted_by_decision=adopt_1,
    )
    b.sections(v1, v1_sections)
    v1_specs = [dict(spec, evidence=hwb_strategies[:3]) for spec in NENC_PRIORITIES_V1]
    b.priorities(v1, v1_specs)
    b.engagement(
        v1,
        [
            {
                "title": "Healthwatch community conversations",
                "audiences": ["healthwatch", "residents", "patients_carers"],
                "audience_detail": "carers' groups and people in the most deprived neighbourhoods",
                "started_on": dt.date(2022, 9, 5),
                "ended_on": dt.date(2022, 10, 14),
                "method": "14 listening events run by local Healthwatch, and an online survey",
                "participants": 1840,
                "heard": "People told us it is hard to get help early, especially for mental health, and "
                "that services do not talk to each other.",
                "response": "We made children and young people's mental health part of the best start "
                "priority, and joined-up services part of improving health and care services.",
            },
            {
                "title": "Voluntary sector summit",
                "audiences": ["vcse"],
                "started_on": dt.date(2022, 10, 20),
                "method": "A one-day summit with the ICS Voluntary Sector Partnership",
                "participants": 120,
                "heard": "Community organisations reach the people services miss, but short-term funding "
                "stops them planning.",
                "response": "We committed to longer grants for prevention work, and named the voluntary "
                "sector as an equal partner in how we will work together.",
            },
        ],
    )
    b.approvals(v1, _at(dt.date(2022, 11, 18)))

    v2_sections = [(title, body, jsnas if key == "population" else []) for title, body, key in NENC_SECTIONS_V1]
    v2_sections[1] = (
        v2_sections[1][0],
        v2_sections[1][1].replace("around 18 years", "around 19 years") + "\n\nThe 2021 census shows an ageing "
        "population: one person in five is now over 65.",
        jsnas,
    )
    v2_sections.append(
        (
            "Housing and health",
            "Cold, damp homes make people ill. With the councils' housing teams and housing associations we "
            "will target warm homes help at people whose health suffers most from the cold.",
            hwb_strategies[:2],
        )
    )
    v2 = b.version(
        strategy,
        2,
        status=Status.PUBLISHED,
        title="Better health and wellbeing for all",
        summary="Our refreshed integrated care strategy: the same ambition, updated with the 2021 census and "
        "what people told us, and a new priority for ageing well.",
        change_summary="Updated with the 2021 census; a new section on housing and health; a new priority "
        "for ageing well, starting with falls prevention; stronger targets on smoking.",
        first_submitted_at=_at(dt.date(2024, 11, 4)),
        submitted_at=_at(dt.date(2024, 11, 4)),
        approved_at=_at(dt.date(2024, 11, 22)),
        published_at=_at(dt.date(2024, 12, 20)),
        adopted_by_decision=adopt_2,
    )
    b.sections(v2, v2_sections)
    v2_specs = [dict(spec, evidence=hwb_strategies[:3]) for spec in NENC_PRIORITIES_V1]
    v2_specs[0] = dict(
        v2_specs[0],
        measures=[
            ("Healthy life expectancy at birth", "59.4 years", "2018 to 2020", "62 years", "2030"),
            ("Adults who smoke", "11.8%", "2023", "5%", "2029"),
        ],
    )
    v2_specs.append(
        {
            "id": "ageing-well",
            "title": "Ageing well",
            "summary": "Help older people stay well and independent at home, starting with preventing falls "
            "and the harm they cause.",
            "aims": [A.OUTCOMES, A.VALUE],
            "theme": Priority.Theme.AGE_WELL,
            "councils": councils[:3],
            "evidence": jsnas[:3],
            "measures": [
                (
                    "Emergency admissions after a fall, people aged 65 and over, per 100,000",
                    "2,380",
                    "2022 to 2023",
                    "2,100",
                    "2028",
                ),
            ],
        }
    )
    made = b.priorities(v2, v2_specs)
    b.engagement(
        v2,
        [
            {
                "title": "Older people's listening events",
                "audiences": ["residents", "healthwatch", "vcse"],
                "audience_detail": "Age UK groups and older people's forums",
                "started_on": dt.date(2024, 6, 3),
                "ended_on": dt.date(2024, 7, 26),
                "method": "Conversations in community centres and an easy-read survey",
                "participants": 640,
                "heard": "Older people said a fall was often the start of losing their independence, and "
                "that help came too late.",
                "response": "We added a priority for ageing well that starts with falls prevention in every place.",
            }
        ],
    )
    b.approvals(v2, _at(dt.date(2024, 11, 22)))
    for priority, lookup in (
        (made["longer-healthier-lives"], {"decision": smoking}),
        (made["ageing-well"], {"agenda_item": falls_item}),
        (made["ageing-well"], {"action": falls_action}),
    ):
        PriorityLink.objects.create(priority=priority, **lookup)
        b.created["delivery links"] += 1

    # Version 3: a refresh prompted by the newer JSNA, submitted and waiting for both co-chairs: the
    # demo login `chair` (Prof Ada Fellside) can approve; Cllr Edwin Saltmarsh has no sign-in
    # account, so the workspace shows that approval waits for an administrator to link one.
    v3 = b.version(
        strategy,
        3,
        status=Status.SUBMITTED,
        title="Better health and wellbeing for all",
        summary="Our integrated care strategy, reviewed in 2026 in the light of the newest joint strategic "
        "needs assessments.",
        change_summary="Reviewed after the 2026 JSNA for Westmorland and Furness: a new focus on rural access "
        "to care, and updated baselines.",
        first_submitted_at=_at(dt.date(2026, 10, 1)),
        submitted_at=_at(dt.date(2026, 10, 1)),
    )
    v3_sections = list(v2_sections)
    v3_sections.append(
        (
            "Rural and coastal communities",
            "The newest JSNAs show that people in our rural and coastal communities travel furthest for care "
            "and wait longest. We will bring services closer, with community diagnostic centres and outreach.",
            [newer] if newer else [],
        )
    )
    b.sections(v3, v3_sections)
    b.priorities(v3, v2_specs)
    if newer is not None:
        strategy.review_due = True
        strategy.review_due_since = _at(dt.date(2026, 4, 2))
        strategy.review_reason = (
            f"A newer joint strategic needs assessment was recorded for {newer.local_authority}: "
            f"“{newer.title}” ({newer.published_on:%-d %B %Y})."
        )
        strategy.save(update_fields=["review_due", "review_due_since", "review_reason"])
    _request_documents([v1, v2])


FOCUSED = [
    {
        "ics": "devon",
        "slug": "devon-icp",
        "name": "Devon Integrated Care Partnership",
        "adopted": dt.date(2023, 11, 23),
        "title": "Healthier together in Devon",
        "summary": "How the partners of Devon will act together on what matters most, starting with children "
        "and young people with special educational needs and disabilities.",
        "section": (
            "Why we are realigning our focus",
            "Across Devon, services for children and young people with special educational needs and "
            "disabilities (SEND) need action from every partner. The NHS is prioritising SEND as much as local "
            "government, and the integrated care board's senior leadership has committed to it.",
        ),
        "priority": {
            "id": "send",
            "title": "Children and young people with special educational needs and disabilities",
            "summary": "Improve support for children with SEND and their families, and children and young "
            "people's mental health, with one plan across education, health and care.",
            "aims": [A.OUTCOMES, A.INEQUALITIES],
            "theme": Priority.Theme.TOPIC,
            "topic": "Special educational needs and disabilities (SEND)",
            "measures": [
                ("Education, health and care plans issued within 20 weeks", "39%", "2022", "80%", "2026"),
            ],
        },
    },
    {
        "ics": "greater-manchester",
        "slug": "greater-manchester-icp",
        "name": "Greater Manchester Integrated Care Partnership",
        "adopted": dt.date(2023, 10, 19),
        "title": "Greater Manchester integrated care partnership strategy",
        "summary": "How Greater Manchester's councils, NHS and partners will improve health and reduce "
        "inequalities, with the combined authority.",
        "section": (
            "A partnership approach to falls prevention",
            "Ahead of a challenging winter, Greater Manchester Combined Authority and the integrated care "
            "partnership set up the Greater Manchester Falls Collaborative, with a grant to reduce hospital "
            "admissions among older people who injure themselves in falls.",
        ),
        "priority": {
            "id": "falls",
            "title": "Preventing falls: the Greater Manchester Falls Collaborative",
            "summary": "Reduce serious falls and the hospital admissions they cause, through the Falls "
            "Collaborative of councils, the NHS, fire and rescue and the voluntary sector.",
            "aims": [A.OUTCOMES, A.VALUE, A.SOCIAL_ECONOMIC],
            "theme": Priority.Theme.AGE_WELL,
            "measures": [
                (
                    "Emergency admissions after a fall, people aged 65 and over, per 100,000",
                    "2,150",
                    "2022 to 2023",
                    "1,900",
                    "2027",
                ),
            ],
        },
    },
]


def _focused(b: _Builder, spec: dict) -> None:
    partnership = b.statutory_icp(spec["ics"], slug=spec["slug"], name=spec["name"])
    if partnership is None or Strategy.objects.filter(partnership=partnership).exists():
        return
    strategy = b.ensure(Strategy, {"partnership": partnership})
    meeting = b.meeting(partnership, spec["adopted"], f"{partnership.name} meeting")
    item = b.item(meeting, 1, "Integrated care strategy", purpose=AgendaItem.Purpose.DECISION)
    decision = b.decision(
        meeting, item, f"ICP/{spec['adopted'].year}/01", "The partnership adopted its integrated care strategy."
    )
    version = b.version(
        strategy,
        1,
        status=Status.PUBLISHED,
        title=spec["title"],
        summary=spec["summary"],
        first_submitted_at=_at(spec["adopted"] - dt.timedelta(days=30)),
        submitted_at=_at(spec["adopted"] - dt.timedelta(days=30)),
        approved_at=_at(spec["adopted"] - dt.timedelta(days=14)),
        published_at=_at(spec["adopted"] + dt.timedelta(days=7)),
        adopted_by_decision=decision,
    )
    b.approvals(version, _at(spec["adopted"] - dt.timedelta(days=14)))
    b.sections(version, [(*spec["section"], [])])
    priorities = b.priorities(version, [spec["priority"]])
    PriorityLink.objects.create(priority=priorities[spec["priority"]["id"]], decision=decision)
    b.created["delivery links"] += 1
    _request_documents([version])


def _request_documents(versions) -> None:
    """The demo writes its versions as published directly, so it announces what publishing them
    would: their PDFs (and feed entries) follow, built on commit."""
    for version in versions:
        events.announce(events.strategy_published, version_id=version.pk, actor_id=None)


@transaction.atomic
def build() -> Counter:
    """Create the demonstration strategies that are missing. Returns what was created, by kind
    (empty when everything was already there)."""
    builder = _Builder()
    _nenc(builder)
    for spec in FOCUSED:
        _focused(builder, spec)
    return builder.created
