"""The scorecard's figures for one partnership and period, computed from the public record.

Every figure counts only what the public can see now, read through the apps' own `public()`
querysets (`Partnership`, `Meeting`, `AgendaItem`, `Paper`, `StrategyVersion`) and the minutes
rule of the meeting page (`meetings.record.public_minutes`, `meetings.presenters.minutes_timeliness`):
a private session, an unpublished agenda, a restricted paper or a strategy draft is never counted,
so a figure never reveals that it exists. The rules and their legal basis are on the methodology
page (templates/transparency/methodology.html) and in docs/open-data.md.

The deadline for an agenda is the portal's one rule (`meetings.deadlines`, ADR 003): five clear
working days, bank holidays in England excluded.
"""

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from meetings import deadlines
from meetings.models import AgendaItem, Meeting, Minutes, Paper
from meetings.record import public_minutes
from partnerships.models import Partnership
from strategy.models import StrategyVersion

NOT_HELD = (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED)

# How an agenda met the five clear working days rule (`MeetingFacts.agenda`).
ON_TIME, LATE, NOT_PUBLISHED, NO_DEADLINE = "on_time", "late", "not_published", "no_deadline"


def period_ending(on: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months to `on`, both days included: 1 December 2025 to 30 November 2026."""
    try:
        year_before = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        year_before = on.replace(year=on.year - 1, day=28)
    return year_before + dt.timedelta(days=1), on


def working_days_from(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`: 0 for the same day, 1 for the next
    working day (minutes published on the Friday after a Thursday meeting took one working day)."""
    if end <= start:
        return 0
    return deadlines.clear_working_days_between(start, end) + deadlines.is_working_day(end)


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"))


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


@dataclass
class MeetingFacts:
    """What one meeting counted for; stored as JSON in `ScorecardRow.evidence` under its id."""

    held: bool
    agenda: str = NO_DEADLINE
    agenda_published_on: str | None = None
    agenda_deadline: str | None = None
    draft_on: str | None = None
    draft_days: int | None = None
    draft_due: str | None = None
    draft_late: bool = False
    approved_on: str | None = None
    approved_days: int | None = None
    papers: int = 0
    items: int = 0
    exempt_items: int = 0


def _agenda_facts(meeting: Meeting, facts: MeetingFacts) -> None:
    if meeting.agenda_published_at:
        facts.agenda_published_on = _day(meeting.agenda_published_at).isoformat()
    if not meeting.has_publication_deadline:
        facts.agenda = NO_DEADLINE  # recorded after the meeting: it never had a deadline to meet
        return
    facts.agenda_deadline = meeting.publication_deadline.isoformat()
    if not meeting.agenda_published_at:
        facts.agenda = NOT_PUBLISHED
    else:
        # The model's own rule (Meeting.agenda_published_late), the one staff pages show.
        facts.agenda = LATE if meeting.agenda_published_late else ON_TIME


def _minutes_facts(meeting: Meeting, versions: list[Minutes], facts: MeetingFacts, today: dt.date) -> None:
    """As `meetings.presenters.minutes_timeliness` reads it for the meeting page: the draft is
    published when a version was first made public, late after the partnership's due date."""
    due = meeting.minutes_due
    facts.draft_due = due.isoformat()
    public = public_minutes(versions)
    first = min((v.published_at for v in versions if v.published_at), default=None)
    if public is None or first is None:
        facts.draft_late = today > due
        return
    draft_on = _day(first)
    facts.draft_on = draft_on.isoformat()
    facts.draft_days = working_days_from(meeting.date, draft_on)
    facts.draft_late = draft_on > due
    if public.status == Minutes.Status.APPROVED:
        # The first approval as a correct record (a later correction is approved again).
        approvals = [v.approved_at_meeting.date for v in versions if v.approved_at_meeting_id]
        approved_on = min(approvals)
        facts.approved_on = approved_on.isoformat()
        facts.approved_days = working_days_from(meeting.date, approved_on)


def meetings_facts(partnership: Partnership, *, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    """`MeetingFacts` by meeting id for the partnership's public meetings dated in the period
    that have started by `now` (cancelled and postponed ones included, `held` False)."""
    meetings = list(
        Meeting.objects.public()
        .filter(
            partnership=partnership,
            starts_at__gte=_local_midnight(start),
            starts_at__lt=_local_midnight(end + dt.timedelta(days=1)),
            starts_at__lte=now,
        )
        .select_related("partnership")
        .order_by("starts_at")
    )
    held = [m for m in meetings if m.status not in NOT_HELD]
    held_ids = [m.pk for m in held]
    versions: dict[int, list[Minutes]] = {}
    for version in Minutes.objects.filter(meeting_id__in=held_ids).select_related("approved_at_meeting"):
        versions.setdefault(version.meeting_id, []).append(version)
    # Items on the published agendas of public meetings (exempt ones included: their number,
    # title and paragraph are public); an item withdrawn from the agenda was not taken.
    items = {
        row["meeting_id"]: row
        for row in AgendaItem.objects.public()
        .filter(meeting_id__in=held_ids, withdrawn_at__isnull=True)
        .values("meeting_id")
        .annotate(items=Count("pk"), exempt=Count("pk", filter=Q(is_exempt=True)))
    }
    papers = dict(
        Paper.objects.public()
        .filter(agenda_item__meeting_id__in=held_ids, agenda_item__withdrawn_at__isnull=True)
        .values("agenda_item__meeting_id")
        .annotate(papers=Count("pk"))
        .values_list("agenda_item__meeting_id", "papers")
    )
    today = timezone.localtime(now).date()
    result = {}
    for meeting in meetings:
        facts = MeetingFacts(held=meeting.status not in NOT_HELD)
        if facts.held:
            _agenda_facts(meeting, facts)
            _minutes_facts(meeting, versions.get(meeting.pk, []), facts, today)
            facts.papers = papers.get(meeting.pk, 0)
            facts.items = items.get(meeting.pk, {}).get("items", 0)
            facts.exempt_items = items.get(meeting.pk, {}).get("exempt", 0)
        result[meeting.pk] = facts
    return result


def _strategy_figures(partnership: Partnership) -> dict:
    current = (
        StrategyVersion.objects.public()
        .filter(strategy__partnership=partnership, status=StrategyVersion.Status.PUBLISHED)
        .select_related("strategy")
        .order_by("-published_at")
        .first()
    )
    if current is None:
        return {}
    strategy = current.strategy
    return {
        "strategy_version": current.number,
        "strategy_published_on": _day(current.published_at),
        "strategy_review_due": strategy.review_due,
        "strategy_review_due_since": _day(strategy.review_due_since) if strategy.review_due else None,
    }


def _latest_publication(partnership: Partnership, now: dt.datetime) -> dict:
    """The most recent of: an agenda published, minutes published, a strategy version published."""
    candidates = []
    agenda = (
        Meeting.objects.public()
        .filter(partnership=partnership, agenda_published_at__lte=now)
        .order_by("-agenda_published_at")
        .first()
    )
    if agenda is not None:
        candidates.append((agenda.agenda_published_at, "Agenda", str(agenda), agenda.get_absolute_url(), agenda))
    # The versions the meeting page may show (meetings.record.public_minutes chooses among them).
    minutes = (
        Minutes.objects.filter(meeting__is_public=True, meeting__partnership=partnership, published_at__lte=now)
        .exclude(status=Minutes.Status.SUPERSEDED)
        .select_related("meeting__partnership")
        .order_by("-published_at")
        .first()
    )
    if minutes is not None:
        meeting = minutes.meeting
        candidates.append((minutes.published_at, "Minutes", str(meeting), meeting.get_absolute_url(), meeting))
    version = (
        StrategyVersion.objects.public()
        .filter(strategy__partnership=partnership, published_at__lte=now)
        .select_related("strategy__partnership")
        .order_by("-published_at")
        .first()
    )
    if version is not None:
        candidates.append(
            (version.published_at, "Integrated care strategy", str(version), version.strategy.get_absolute_url(), None)
        )
    if not candidates:
        return {}
    when, kind, title, path, meeting = max(candidates, key=lambda c: c[0])
    return {
        "latest_publication_at": when,
        "latest_publication_kind": kind,
        "latest_publication_title": title[:300],
        "latest_publication_path": path,
        "latest_publication_meeting": meeting,
    }


def partnership_figures(partnership: Partnership, *, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    """The stored fields of a `ScorecardRow` for `partnership` over the period."""
    facts = meetings_facts(partnership, start=start, end=end, now=now)
    held = [f for f in facts.values() if f.held]
    return {
        "public_meetings": len(held),
        "cancelled_meetings": len(facts) - len(held),
        "agendas_on_time": sum(f.agenda == ON_TIME for f in held),
        "agendas_late": sum(f.agenda == LATE for f in held),
        "agendas_not_published": sum(f.agenda == NOT_PUBLISHED for f in held),
        "agendas_no_deadline": sum(f.agenda == NO_DEADLINE for f in held),
        "draft_minutes": sum(f.draft_days is not None for f in held),
        "draft_minutes_late": sum(f.draft_late for f in held),
        "median_days_to_draft": _median([f.draft_days for f in held if f.draft_days is not None]),
        "approved_minutes": sum(f.approved_days is not None for f in held),
        "median_days_to_approved": _median([f.approved_days for f in held if f.approved_days is not None]),
        "meetings_with_papers": sum(f.papers > 0 for f in held),
        "items": sum(f.items for f in held),
        "exempt_items": sum(f.exempt_items for f in held),
        **_strategy_figures(partnership),
        **_latest_publication(partnership, now),
        "evidence": {str(pk): vars(f) for pk, f in facts.items()},
    }
