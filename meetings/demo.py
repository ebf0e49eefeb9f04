"""Demonstration meetings for the demo partnerships: a past meeting with approved minutes,
a recent one with draft minutes, an upcoming one with a published agenda (an exempt item
with a paper included) changed since by a supplementary agenda (a paper replaced, an item
withdrawn), one still being prepared, and Humber and North Yorkshire's meetings day.
Idempotent: meetings are found by partnership and title before anything is made. Dates are
relative to today, so the demo always has a past and a future, and they are consistent:
papers are uploaded before their agenda is published, agendas before their meeting."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from partnerships.models import Organisation, Partnership

from . import consultations, services
from .demo_conflicts import conflicts_demo_load
from .demo_exemptions import exemptions_demo_load
from .factories import minimal_pdf
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Consideration,
    Decision,
    Declaration,
    Meeting,
    MeetingsDay,
    MinuteEntry,
    Minutes,
    Paper,
    PaperVersion,
)
from .record import members_at

LONDON = ZoneInfo("Europe/London")
NENC = "north-east-and-north-cumbria-strategic-icp"
HNY = "humber-and-north-yorkshire-icp"
CENTRAL_AREA = "nenc-central-area-icp"
AREA_REPORT = "Healthy ageing and frailty: the Central Area's proposals"
AREA_REPORT_ITEM = "Healthy ageing: the Central Area's proposals"


def _at(days: int, hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:  # meetings fall on weekdays
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def _meeting(partnership, title, starts_at, *, hours=2, published=True, **fields) -> tuple[Meeting, bool]:
    meeting = partnership.meetings.filter(title=title).first()
    if meeting:
        return meeting, False
    meeting = Meeting.objects.create(
        partnership=partnership,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        venue=fields.pop("venue", "Civic Centre, Council Chamber"),
        agenda_published_at=min(starts_at - dt.timedelta(days=9), timezone.now()) if published else None,
        **fields,
    )
    return meeting, True


def _paper(item: AgendaItem, title: str, *, restricted: bool = False) -> Paper:
    paper = Paper.objects.create(agenda_item=item, title=title, restricted=restricted)
    content = minimal_pdf(title)
    version = PaperVersion(
        paper=paper,
        number=1,
        original_filename=f"{title[:60]}.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=1,
    )
    version.file.save("paper.pdf", ContentFile(content), save=False)
    version.save()
    services.paper_version_extract_text(version=version)  # searchable by its text, as after an upload
    # Uploaded two days before the agenda was published (or, for an agenda not yet published,
    # now): never after the meeting it was written for.
    published = item.meeting.agenda_published_at or timezone.now()
    PaperVersion.objects.filter(pk=version.pk).update(uploaded_at=published - dt.timedelta(days=2))
    paper.current_version = version
    paper.save(update_fields=["current_version"])
    Consideration.first_at(paper)  # the first step of its path, as `services.paper_upload` records it
    return paper


def _agenda(meeting: Meeting, items: list[dict]) -> list[AgendaItem]:
    standard = [
        {"title": "Welcome and apologies for absence", "standard": "welcome", "purpose": "information"},
        {"title": "Declarations of interest", "standard": "declarations", "purpose": "information"},
        {"title": "Minutes of the last meeting", "standard": "previous_minutes", "purpose": "decision"},
        {"title": "Action log", "standard": "action_log", "purpose": "assurance"},
    ]
    created = []
    for position, spec in enumerate([*standard, *items], start=1):
        spec = dict(spec)
        papers = spec.pop("papers", [])
        item = AgendaItem.objects.create(meeting=meeting, position=position, **spec)
        for title in papers:
            _paper(item, title, restricted=title.startswith("Appendix (restricted)"))
        created.append(item)
    AgendaItem.objects.create(
        meeting=meeting, position=len(created) + 1, title="Any other business", standard="aob", purpose="information"
    )
    return created


def _attendance(meeting: Meeting, *, present: int, arrived: dict | None = None) -> list:
    """Record `present` voting members as present (five ICB members, one partner, the rest
    councils), the non-voting members too (they do not count towards the quorum), and
    apologies from every other voting member. `arrived` maps a present member's index to the
    agenda item they arrived at. Returns the present voting members' seats."""
    seats = list(members_at(meeting))
    voting = [seat for seat in seats if seat.is_voting]
    icb = [seat for seat in voting if seat.sector == Organisation.Sector.ICB]
    councils = [seat for seat in voting if seat.sector == Organisation.Sector.LOCAL_AUTHORITY]
    others = [seat for seat in voting if seat not in icb and seat not in councils]
    chosen = icb[:5] + others[:1] + councils[: present - 6]
    arrived = arrived or {}
    for seat in seats:
        status = Attendance.Status.PRESENT if seat in chosen or not seat.is_voting else Attendance.Status.APOLOGIES
        index = chosen.index(seat) if seat in chosen else None
        Attendance.objects.get_or_create(
            meeting=meeting,
            person=seat.person,
            defaults={
                "status": status,
                "capacity": seat.seat,
                "arrived_at_item": arrived.get(index),
                # Apologies sent two days ahead; the rest recorded after the meeting.
                "recorded_at": meeting.starts_at + dt.timedelta(days=-2 if status == "apologies" else 1),
            },
        )
    return chosen


def _strategic_icp(partnership: Partnership) -> list:
    """NENC's Strategic ICP: returns the objects whose PDFs should be published."""
    to_publish = []
    past, made_past = _meeting(partnership, "Strategic Integrated Care Partnership (spring)", _at(-180))
    recent, made_recent = _meeting(partnership, "Strategic Integrated Care Partnership (summer)", _at(-60))
    if made_past:
        past.status = Meeting.Status.HELD
        past.save(update_fields=["status"])
        items = _agenda(
            past,
            [
                {
                    "title": "Integrated care strategy: annual refresh",
                    "purpose": "decision",
                    "presenter": "Director of Strategy, NENC ICB",
                    "minutes_allotted": 30,
                    "papers": ["Integrated care strategy refresh 2026", "Engagement report: you said, we did"],
                },
                {
                    "title": "Healthy weight and tackling obesity",
                    "purpose": "decision",
                    "presenter": "Director of Public Health, Sunderland",
                    "papers": ["Healthy weight across the North East and North Cumbria"],
                },
                {
                    "title": "Community diagnostic centre: lease terms",
                    "purpose": "decision",
                    "is_exempt": True,
                    "exempt_paragraph": 3,
                    "exempt_reason": "The landlord's commercial terms are confidential while negotiations continue.",
                    "papers": ["Heads of terms for the diagnostic centre lease"],
                },
            ],
        )
        # Sixteen of the 42 voting members, including the ICB and councils: one third is 14, so
        # the meeting is quorate (a councillor arrived at item 3: items 1 and 2 had 15). For
        # item 6 three members who declared an interest left the room: 13 were left, and the
        # item was not quorate; its decision is recorded as taken without a quorum.
        present = _attendance(past, present=16, arrived={15: items[2]})
        for seat in present[6:9]:
            Declaration.objects.create(
                meeting=past,
                agenda_item=items[5],
                person=seat.person,
                description="Trustee of a charity that runs healthy weight programmes in schools",
                action_taken=Declaration.ActionTaken.LEFT_THE_ROOM,
            )
        minutes = Minutes.objects.create(meeting=past, version=1, published_at=past.ends_at + dt.timedelta(days=7))
        MinuteEntry.objects.create(
            minutes=minutes, agenda_item=items[0], discussion="The chair welcomed members. Apologies were noted."
        )
        MinuteEntry.objects.create(
            minutes=minutes,
            agenda_item=items[4],
            discussion="Members welcomed the refreshed strategy and the engagement report, and asked for "
            "clearer measures for the Age Well priority.",
            resolutions="The partnership approved the refreshed integrated care strategy.",
        )
        MinuteEntry.objects.create(
            minutes=minutes,
            agenda_item=items[5],
            discussion="Three members declared an interest and left the room for this item, which was then not "
            "quorate. Members discussed healthy weight in schools and the role of planning policy.",
            resolutions="The partnership endorsed the Healthy Weight Declaration, without a quorum: the decision is "
            "to be confirmed at the next meeting.",
        )
        MinuteEntry.objects.create(
            minutes=minutes,
            agenda_item=items[6],
            discussion="Members considered the landlord's revised rent and break clause.",
            resolutions="The lease was approved on the terms set out in the exempt report.",
        )
        Decision.objects.create(
            partnership=partnership,
            meeting=past,
            agenda_item=items[4],
            reference="SICP/2026/07",
            wording="The refreshed strategy was approved.",
        )
        Decision.objects.create(
            partnership=partnership,
            meeting=past,
            agenda_item=items[5],
            reference="SICP/2026/09",
            wording="The partnership endorsed the Healthy Weight Declaration and asked each council to adopt it.",
            inquorate=True,
        )
        Decision.objects.create(
            partnership=partnership,
            meeting=past,
            agenda_item=items[6],
            reference="SICP/2026/08",
            wording="The lease was approved.",
        )
        Action.objects.create(
            partnership=partnership,
            meeting=past,
            agenda_item=items[4],
            description="Publish outcome measures for the Age Well priority.",
            owner_organisation=partnership.ics.icb,
            due_date=past.date + dt.timedelta(days=90),
        )
        Action.objects.create(
            partnership=partnership,
            meeting=past,
            agenda_item=items[5],
            description="Bring a healthy weight delivery plan to a future meeting.",
            owner_organisation=partnership.ics.icb,
            due_date=past.date + dt.timedelta(days=240),
        )
    if made_recent:
        recent.status = Meeting.Status.HELD
        recent.save(update_fields=["status"])
        items = _agenda(
            recent,
            [
                {
                    "title": "Joint forward plan and the integrated care strategy",
                    "purpose": "assurance",
                    "presenter": "Chief Executive, NENC ICB",
                    "papers": ["Joint forward plan: progress against the strategy"],
                },
                {
                    "title": "Healthy Weight Declaration: confirmation of a decision taken without a quorum",
                    "purpose": "decision",
                    "presenter": "Director of Public Health, Sunderland",
                },
                {
                    "title": AREA_REPORT_ITEM,
                    "purpose": "decision",
                    "presenter": "Chair, Central Area Integrated Care Partnership",
                },
            ],
        )
        # The Central Area's report was tabled while the agenda was prepared, so it is on the
        # agenda as published (not on a supplementary agenda): unpublished for that moment.
        published_at, recent.agenda_published_at = recent.agenda_published_at, None
        recent.save(update_fields=["agenda_published_at"])
        _area_report_tabled_again(items[6])
        recent.agenda_published_at = published_at
        recent.save(update_fields=["agenda_published_at"])
        _attendance(recent, present=15)  # quorate throughout: 15 of 42, 14 needed
        Decision.objects.create(
            partnership=partnership,
            meeting=recent,
            agenda_item=items[5],
            reference="SICP/2026/12",
            wording="The partnership confirmed its endorsement of the Healthy Weight Declaration (SICP/2026/09), "
            "which the spring meeting took without a quorum.",
        )
        approval = Decision.objects.create(
            partnership=partnership,
            meeting=recent,
            agenda_item=items[2],
            reference="SICP/2026/11",
            wording=f"The minutes of the meeting held on {past.date:%-d %B %Y} were approved as a correct record.",
        )
        approved = past.minutes_versions.get(version=1)
        approved.status = Minutes.Status.APPROVED
        approved.approved_at_meeting = recent
        approved.approval_decision = approval
        approved.save()
        draft = Minutes.objects.create(meeting=recent, version=1, published_at=recent.ends_at + dt.timedelta(days=5))
        MinuteEntry.objects.create(
            minutes=draft,
            agenda_item=items[4],
            discussion="Members noted progress on the joint forward plan and asked for a focus on waiting lists.",
        )
        to_publish += [approved, draft]

    upcoming, made_upcoming = _meeting(partnership, "Strategic Integrated Care Partnership (winter)", _at(20))
    if made_upcoming:
        # Published five days ago, well before its deadline; changed today (see below).
        upcoming.agenda_published_at = timezone.now() - dt.timedelta(days=5)
        upcoming.save(update_fields=["agenda_published_at"])
        items = _agenda(
            upcoming,
            [
                {
                    "title": "Better Care Fund plans across the thirteen places",
                    "purpose": "decision",
                    "presenter": "Director of Adult Social Services, Northumberland",
                    "minutes_allotted": 25,
                    "papers": ["Better Care Fund plans 2026 to 2027", "Appendix (restricted): provider rates"],
                },
                {
                    "title": "Children and young people's mental health",
                    "purpose": "discussion",
                    "presenter": "Healthwatch North East",
                    "papers": ["What young people told us"],
                },
                {
                    "title": "Winter resilience: commercial arrangements",
                    "purpose": "decision",
                    "is_exempt": True,
                    "exempt_paragraph": 3,
                    "exempt_reason": "Contract prices with independent providers are commercially sensitive.",
                    "papers": ["Winter capacity contracts"],
                },
                {
                    "title": "Access to NHS dentistry",
                    "purpose": "discussion",
                    "presenter": "Director of Primary Care, NENC ICB",
                    "papers": ["Dental access across the North East and North Cumbria"],
                },
            ],
        )
        _supplement(upcoming, items)
        to_publish.append(upcoming)
    _meeting(partnership, "Strategic Integrated Care Partnership (spring, next year)", _at(110), published=False)
    return to_publish


def _area_report_tabled_again(item: AgendaItem) -> None:
    """One report through many bodies (docs/meetings.md): the Central Area ICP agreed its
    healthy ageing report, with amendments; the Strategic ICP's summer meeting endorsed it at
    `item`, through the service the staff page uses (`consultations.consideration_reuse`); then
    the ICB board agreed to fund it, a step outside the portal. Made only with the summer
    meeting, so a second run adds nothing."""
    area = Partnership.objects.filter(slug=CENTRAL_AREA).first()
    if area is None:
        return
    meeting, made = _meeting(area, "Central Area Integrated Care Partnership (spring)", _at(-95, hour=10))
    if not made:
        return
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    [area_item] = _agenda(
        meeting,
        [
            {
                "title": "Healthy ageing and frailty in Sunderland, South Tyneside and County Durham",
                "purpose": "decision",
                "presenter": "Director of Public Health, South Tyneside",
                "papers": [AREA_REPORT],
            }
        ],
    )[4:]
    paper = area_item.papers.get()
    consultations.consideration_record(
        consideration=paper.considerations.get(agenda_item=area_item),
        actor=None,
        role=Consideration.Role.DECISION,
        outcome=Consideration.Outcome.AGREED_WITH_AMENDMENTS,
        outcome_note="Agreed, with falls prevention added to the first year's actions. To go to the Strategic "
        "ICP for endorsement",
    )
    tabled = consultations.consideration_reuse(item=item, paper=paper, actor=None, role=Consideration.Role.DECISION)
    consultations.consideration_record(
        consideration=tabled,
        actor=None,
        role=Consideration.Role.DECISION,
        outcome=Consideration.Outcome.AGREED,
        outcome_note="Endorsed as the model for the other three areas; the ICB board is asked to fund the "
        "frailty service from April",
    )
    consultations.consideration_add_outside(
        paper=paper,
        actor=None,
        body_name="NHS North East and North Cumbria ICB board",
        considered_on=_at(-40).date(),
        url="https://icb-board.example/nenc/board-papers",
        role=Consideration.Role.DECISION,
        outcome=Consideration.Outcome.AGREED,
        outcome_note="Funding agreed for the frailty service in the Central Area from April",
    )


def _supplement(meeting: Meeting, items: list[AgendaItem]) -> None:
    """Changes to the winter agenda since it was published, through the services, so that they
    appear as a supplementary agenda: a corrected paper, and an item withdrawn (kept, marked)."""
    better_care = next(item for item in items if item.title.startswith("Better Care Fund"))
    paper = better_care.papers.get(restricted=False)
    services.paper_replace(
        paper=paper,
        actor=None,
        file=ContentFile(minimal_pdf("Better Care Fund plans 2026 to 2027, corrected"), name="bcf-plans-v2.pdf"),
        reason="the Northumberland figures in table 3 were corrected",
    )
    dentistry = next(item for item in items if item.title == "Access to NHS dentistry")
    services.agenda_item_withdraw(
        item=dentistry,
        actor=None,
        reason="the ICB's review of dental commissioning reports in the new year; the item will come to the "
        "spring meeting",
    )


def _humber_meetings_day(partnership: Partnership) -> None:
    """HNY's quarterly ICP meetings day: a closed session, two parallel sessions, a debrief,
    an informal lunch, then the formal meeting in public."""
    date = _at(45).date()
    day, _ = MeetingsDay.objects.get_or_create(
        partnership=partnership,
        date=date,
        defaults={"title": "ICP meetings day", "description": "Quarterly: sessions in the morning, the formal ICP."},
    )
    sessions = [
        ("Chief executives' session (Chatham House)", 9, 1, False),
        ("Place Leadership Board", 10, 1, False),
        ("Futures Group of wider partners", 10, 1, False),
        ("Joint debrief", 11, 1, False),
        ("Humber and North Yorkshire Integrated Care Partnership", 13, 2, True),
    ]
    for title, hour, hours, public in sessions:
        _meeting(
            partnership,
            title,
            dt.datetime(date.year, date.month, date.day, hour, 30, tzinfo=LONDON),
            hours=hours,
            published=False,
            is_public=public,
            meetings_day=day,
            venue="Health House, Willerby",
        )


def meetings_demo_load() -> list:
    """Create the demo meetings that are missing; return what should be published as PDFs
    (minutes versions and meetings with a published agenda)."""
    to_publish = []
    strategic = Partnership.objects.filter(slug=NENC).first()
    if strategic:
        to_publish += _strategic_icp(strategic)
        exemptions_demo_load(strategic)
        conflicts_demo_load(strategic)
    humber = Partnership.objects.filter(slug=HNY).first()
    if humber:
        _humber_meetings_day(humber)
    return to_publish
