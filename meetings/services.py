"""Everything that changes the meeting cycle's schedule, agendas and papers.

Each service runs in one transaction, checks its rules (raising ValidationError with
messages a user can act on), and writes one audit event. Views call these; nothing
here is done in `save()`, signals or forms.

The access-to-information rules behind them (Local Government Act 1972, Part VA):
the agenda and public papers are published at least five clear working days before
the meeting (see `deadlines.py`); an item added after publication is considered only
if the chair rules it urgent, and the reason is given publicly; a moved, postponed or
cancelled meeting keeps its record and says so publicly.
"""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import events
from partnerships.models import Partnership

from . import deadlines, exemptions
from .models import (
    LAST_WEEK,
    MEETING_CLASH,
    AgendaChange,
    AgendaItem,
    Consideration,
    Meeting,
    MeetingsDay,
    MeetingSeries,
    Paper,
    PaperVersion,
)
from .validators import PdfFacts, display_filename, inspect_pdf, safe_pdf_filename

# Humber and North Yorkshire publishes its dates 15 months ahead; that is our default.
SERIES_MONTHS_AHEAD = 15
SERIES_MAX_MONTHS_AHEAD = 36


@dataclass(frozen=True)
class StandardItem:
    standard: str
    purpose: str
    presenter: str
    closing: bool = False  # closing items go at the end of the agenda, the others at the top


STANDARD_ITEMS = (
    StandardItem(AgendaItem.Standard.WELCOME, AgendaItem.Purpose.INFORMATION, "Chair"),
    StandardItem(AgendaItem.Standard.DECLARATIONS, AgendaItem.Purpose.INFORMATION, "Chair"),
    StandardItem(AgendaItem.Standard.PREVIOUS_MINUTES, AgendaItem.Purpose.DECISION, "Chair"),
    StandardItem(AgendaItem.Standard.ACTION_LOG, AgendaItem.Purpose.ASSURANCE, "Secretariat"),
    StandardItem(AgendaItem.Standard.AOB, AgendaItem.Purpose.DISCUSSION, "Chair", closing=True),
)


@dataclass(frozen=True)
class SessionSpec:
    """One session of a meetings day."""

    title: str
    start_time: dt.time
    end_time: dt.time
    is_public: bool = True
    venue: str = ""


@dataclass(frozen=True)
class PublishOutcome:
    meeting: Meeting
    deadline: dt.date
    late: bool


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """`day` at `time` in Europe/London, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date:
    """The `week`-th `weekday` (Monday 0) of the month, or the last one when `week` is LAST_WEEK."""
    if week == LAST_WEEK:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def non_working_day_warnings(days) -> list[str]:
    """A warning for each of `days` that is a weekend day or a bank holiday in England, for
    the secretariat to check before the dates are published ('Monday 4 May 2026 is a bank
    holiday (Early May bank holiday)')."""
    warnings = []
    for day in sorted(set(days)):
        reason = deadlines.non_working_day_reason(day)
        if reason:
            warnings.append(f"{day:%A %-d %B %Y} is {reason}")
    return warnings


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for the rest of the transaction: agenda changes to one
    meeting are serialised, so two people adding items cannot take the same position."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    locked.partnership = meeting.partnership
    return locked


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("The meeting has been cancelled, so its agenda and papers cannot change.")


def _refuse_if_withdrawn(item: AgendaItem) -> None:
    if item.is_withdrawn:
        raise ValidationError("This item has been withdrawn, so it and its papers stay as they were.")


CHANGE_REASON_NEEDED = (
    "The agenda has been published, so this change goes on a supplementary agenda: say why it is being made. "
    "The reason is published with the change."
)


def _change_reason(meeting: Meeting, reason: str, *, field: str = "change_reason") -> str:
    """The reason for a change to `meeting`'s agenda, required once the agenda is published:
    every change after publication is on the public record as a supplementary agenda."""
    reason = (reason or "").strip()
    if meeting.agenda_is_published and not reason:
        raise ValidationError({field: CHANGE_REASON_NEEDED})
    return reason


def _record_change(
    *, meeting: Meeting, actor, kind: str, reason: str, item: AgendaItem | None = None, paper: Paper | None = None
) -> None:
    """Add a change to the supplementary agenda of a published agenda (nothing before publication)."""
    if not meeting.agenda_is_published:
        return
    change = AgendaChange.objects.create(
        meeting=meeting,
        kind=kind,
        agenda_item=item if item is not None else (paper.agenda_item if paper is not None else None),
        paper=paper,
        reason=reason,
        made_by=_actor(actor),
    )
    events.announce(
        events.agenda_changed,
        meeting_id=meeting.pk,
        change_id=change.pk,
        change_kind=kind,
        actor_id=events.actor_id(actor),
    )


def _meeting_snapshot(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "venue": meeting.venue,
        "is_public": meeting.is_public,
        "status": meeting.status,
        "recorded_after_event": meeting.recorded_after_event,
    }


# Meetings ---------------------------------------------------------------------------


def _clash_message(meeting: Meeting) -> str:
    starts = timezone.localtime(meeting.starts_at)
    return (
        f"The partnership already has a meeting called ‘{meeting.title}’ starting at {starts:%H:%M} on "
        f"{starts:%A %-d %B %Y}. Open that meeting, or give this one another title or time."
    )


def _save_meeting(meeting: Meeting) -> None:
    """Validate and save `meeting`. The same title at the same start in the partnership is the
    same meeting entered twice; it is refused with a message naming it, whether `full_clean`
    finds it or, when two requests race, the database's unique constraint does (the savepoint
    keeps the transaction usable, and validating again then sees the other request's row)."""
    try:
        meeting.full_clean()
        try:
            with transaction.atomic():
                meeting.save()
        except IntegrityError:
            meeting.validate_constraints()
            raise
    except ValidationError as error:
        general = getattr(error, "error_dict", {}).get(NON_FIELD_ERRORS, [])
        if not any(e.code == MEETING_CLASH for e in general):
            raise
        reworded = [
            ValidationError(_clash_message(meeting), code=MEETING_CLASH) if e.code == MEETING_CLASH else e
            for e in general
        ]
        raise ValidationError({**error.error_dict, NON_FIELD_ERRORS: reworded}) from error


def _new_meeting(
    *,
    partnership: Partnership,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: str = "",
    joining_url: str = "",
    webcast_url: str = "",
    is_public: bool = True,
    meetings_day: MeetingsDay | None = None,
    series: MeetingSeries | None = None,
    series_date: dt.date | None = None,
    recorded_after_event: bool = False,
) -> Meeting:
    meeting = Meeting(
        partnership=partnership,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        joining_url=joining_url,
        webcast_url=webcast_url,
        is_public=is_public,
        meetings_day=meetings_day,
        series=series,
        series_date=series_date,
        recorded_after_event=recorded_after_event,
    )
    _save_meeting(meeting)
    return meeting


@transaction.atomic
def meeting_schedule(
    *,
    partnership: Partnership,
    actor,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: str = "",
    joining_url: str = "",
    webcast_url: str = "",
    is_public: bool = True,
    recorded_after_event: bool = False,
    now: dt.datetime | None = None,
) -> Meeting:
    """Put a meeting in the partnership's calendar. A meeting that has already started is
    accepted only as `recorded_after_event`: it never had a publication deadline to meet, so
    it cannot later be shown as published on time (and a future meeting is never so marked)."""
    now = now or timezone.now()
    if starts_at < now and not recorded_after_event:
        raise ValidationError(
            {
                "recorded_after_event": "This meeting has already started. Record it after the event, or "
                "choose a later date."
            }
        )
    if recorded_after_event and starts_at > now:
        raise ValidationError(
            {"recorded_after_event": "Only a meeting that has already been held is recorded after the event."}
        )
    meeting = _new_meeting(
        partnership=partnership,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        joining_url=joining_url,
        webcast_url=webcast_url,
        is_public=is_public,
        recorded_after_event=recorded_after_event,
    )
    audit_record(
        actor=actor,
        action="meetings.meeting.scheduled",
        obj=meeting,
        partnership=partnership,
        changes=_meeting_snapshot(meeting),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    actor,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: str = "",
    joining_url: str = "",
    webcast_url: str = "",
    is_public: bool = True,
    notice: str = "",
) -> Meeting:
    """Change a meeting's details. Moving it to another date keeps the same meeting (its
    agenda, papers and calendar entry) and needs a public notice; a postponed meeting
    that is given a new date is scheduled again."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A cancelled meeting cannot be changed. Schedule a new meeting instead.")
    old_date = meeting.date
    new_date = timezone.localtime(starts_at).date()
    moved = new_date != old_date
    notice = notice.strip()
    if moved and not notice:
        raise ValidationError(
            {"notice": f"The date has changed from {old_date:%-d %B %Y}: say publicly that the meeting has moved."}
        )
    data = {
        "title": title.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": venue.strip(),
        "joining_url": joining_url,
        "webcast_url": webcast_url,
        "is_public": is_public,
        "notice": notice,
    }
    if moved and meeting.status == Meeting.Status.POSTPONED:
        data["status"] = Meeting.Status.SCHEDULED
    changes = model_changes(meeting, data)
    for name, value in data.items():
        setattr(meeting, name, value)
    _save_meeting(meeting)
    if changes:
        audit_record(
            actor=actor,
            action="meetings.meeting.moved" if moved else "meetings.meeting.updated",
            obj=meeting,
            partnership=partnership,
            changes=changes,
        )
        events.announce(events.meeting_changed, meeting_id=meeting.pk, actor_id=events.actor_id(actor))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor, notice: str, postpone: bool = False) -> Meeting:
    """Cancel or postpone a meeting. It stays listed publicly with the notice; a
    postponed meeting can later be given a new date with `meeting_update`."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting is already cancelled.")
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("This meeting has been held, so it cannot be cancelled or postponed.")
    notice = notice.strip()
    if not notice:
        raise ValidationError({"notice": "Say publicly why the meeting is cancelled or postponed."})
    status = Meeting.Status.POSTPONED if postpone else Meeting.Status.CANCELLED
    changes = model_changes(meeting, {"status": status, "notice": notice})
    meeting.status, meeting.notice = status, notice
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=actor,
        action=f"meetings.meeting.{'postponed' if postpone else 'cancelled'}",
        obj=meeting,
        partnership=partnership,
        changes=changes,
    )
    events.announce(events.meeting_changed, meeting_id=meeting.pk, actor_id=events.actor_id(actor))
    return meeting


@transaction.atomic
def meetings_day_create(
    *,
    partnership: Partnership,
    actor,
    date: dt.date,
    title: str,
    sessions: Sequence[SessionSpec],
    description: str = "",
    venue: str = "",
) -> MeetingsDay:
    """A day of several sessions (for example a closed session, parallel sessions, then
    the formal meeting in public). Each session is a meeting with its own privacy."""
    if not sessions:
        raise ValidationError("Add at least one session to the meetings day.")
    day = MeetingsDay(partnership=partnership, date=date, title=title.strip(), description=description.strip())
    day.full_clean()
    day.save()
    created = []
    for session in sorted(sessions, key=lambda s: s.start_time):
        created.append(
            _new_meeting(
                partnership=partnership,
                title=session.title,
                starts_at=local_datetime(date, session.start_time),
                ends_at=local_datetime(date, session.end_time),
                venue=session.venue or venue,
                is_public=session.is_public,
                meetings_day=day,
            )
        )
    audit_record(
        actor=actor,
        action="meetings.meetings_day.created",
        obj=day,
        partnership=partnership,
        changes={"date": date, "sessions": [_meeting_snapshot(m) for m in created]},
    )
    return day


@transaction.atomic
def series_create(
    *,
    partnership: Partnership,
    actor,
    title: str,
    frequency: str,
    first_date: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    venue: str = "",
    is_public: bool = True,
    week_of_month: int | None = None,
    weekday: int | None = None,
    template_day: MeetingsDay | None = None,
) -> MeetingSeries:
    """Record a recurring pattern of meetings. `series_generate` turns it into meetings: every
    `frequency` months on the first date's day of the month, or, with `week_of_month` and
    `weekday`, on that weekday of the month ("the second Thursday of every third month"). With
    `template_day`, each date gets a copy of that meetings day and its sessions, and the day
    itself becomes the series' first."""
    series = MeetingSeries(
        partnership=partnership,
        title=title.strip(),
        frequency=frequency,
        first_date=first_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        venue=venue.strip(),
        is_public=is_public,
        week_of_month=week_of_month,
        weekday=weekday,
        template_day=template_day,
    )
    series.full_clean()
    series.save()
    if template_day is not None and template_day.series_id is None:
        template_day.series = series
        template_day.save(update_fields=["series"])
    audit_record(
        actor=actor,
        action="meetings.series.created",
        obj=series,
        partnership=partnership,
        changes={
            "title": series.title,
            "frequency": frequency,
            "rule": series.rule,
            "first_date": first_date,
            "start_time": start_time,
            "template_day": template_day.pk if template_day else None,
        },
    )
    return series


def series_dates(series: MeetingSeries, *, until: dt.date) -> list[dt.date]:
    """The dates of the series from its first date up to `until`. Each is computed from
    the first date (not from the previous one), so a series starting on the 31st does not
    drift to the 28th after February. A weekday rule gives that weekday in the first date's
    month and every `months_between` months after it, from the first date on."""
    dates, step = [], 0
    if series.week_of_month is None:
        while (day := add_months(series.first_date, step * series.months_between)) <= until:
            dates.append(day)
            step += 1
        return dates
    start = series.first_date.replace(day=1)
    while (month := add_months(start, step * series.months_between)) <= until:
        day = nth_weekday(month.year, month.month, series.weekday, series.week_of_month)
        if series.first_date <= day <= until:
            dates.append(day)
        step += 1
    return dates


def _repeat_day(series: MeetingSeries, day: dt.date) -> list[Meeting]:
    """A copy of the series' meetings day on `day`: the same title, description and sessions
    (titles, times, privacy and venues), each session a meeting of the series."""
    template = series.template_day
    copy = MeetingsDay(
        partnership=series.partnership,
        date=day,
        title=template.title,
        description=template.description,
        series=series,
    )
    copy.full_clean()
    copy.save()
    sessions = []
    for session in template.meetings.order_by("starts_at", "pk"):
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        sessions.append(
            _new_meeting(
                partnership=series.partnership,
                title=session.title,
                starts_at=local_datetime(day, starts.time()),
                ends_at=local_datetime(day, ends.time()),
                venue=session.venue,
                is_public=session.is_public,
                meetings_day=copy,
                series=series,
                series_date=day,
            )
        )
    return sessions


@transaction.atomic
def series_generate(
    *, series: MeetingSeries, actor, months_ahead: int = SERIES_MONTHS_AHEAD, today: dt.date | None = None
) -> list[Meeting]:
    """Create the series' meetings from today up to `months_ahead` months ahead.

    Idempotent: a date the series has already given a meeting is skipped, even if that
    meeting has since moved or been cancelled, so running it again adds only new dates."""
    if not 1 <= months_ahead <= SERIES_MAX_MONTHS_AHEAD:
        raise ValidationError(
            {"months_ahead": f"Generate between 1 and {SERIES_MAX_MONTHS_AHEAD} months of meetings ahead."}
        )
    # Lock the series so that two clicks of "generate" cannot both create the same dates.
    series = (
        MeetingSeries.objects.select_for_update(of=("self",))
        .select_related("partnership", "template_day")
        .get(pk=series.pk)
    )
    today = today or timezone.localdate()
    taken = set()
    for series_date, starts_at in series.meetings.values_list("series_date", "starts_at"):
        taken.add(series_date or timezone.localtime(starts_at).date())
    if series.template_day is not None:
        taken.add(series.template_day.date)
        taken.update(series.meetings_days.values_list("date", flat=True))
    created = []
    for day in series_dates(series, until=add_months(today, months_ahead)):
        if day < today or day in taken:
            continue
        if series.template_day is not None:
            created.extend(_repeat_day(series, day))
            continue
        starts_at = local_datetime(day, series.start_time)
        created.append(
            _new_meeting(
                partnership=series.partnership,
                title=series.title,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=series.duration_minutes),
                venue=series.venue,
                is_public=series.is_public,
                series=series,
                series_date=day,
            )
        )
    if created:
        audit_record(
            actor=actor,
            action="meetings.series.generated",
            obj=series,
            partnership=series.partnership,
            changes={"dates": [m.series_date for m in created], "months_ahead": months_ahead},
        )
    return created


# Agendas ----------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def _renumber(meeting: Meeting, ordered_pks: Sequence[int]) -> None:
    """Give the items `ordered_pks` the positions 1..n.

    (meeting, position) is unique and not deferrable on every database, so the items first
    move to temporary positions above any in use, then to their final ones."""
    current_max = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    base = max(current_max, len(ordered_pks)) + 1
    for offset, pk in enumerate(ordered_pks):
        AgendaItem.objects.filter(pk=pk).update(position=base + offset)
    for offset, pk in enumerate(ordered_pks):
        AgendaItem.objects.filter(pk=pk).update(position=offset + 1)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    actor,
    title: str,
    purpose: str = AgendaItem.Purpose.DISCUSSION,
    presenter: str = "",
    minutes_allotted: int | None = None,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    urgency_reason: str = "",
) -> AgendaItem:
    """Add an item at the end of the agenda, or just before "Any other business" while that
    is the last item (moved elsewhere on purpose, it stays where it was put). Once the agenda
    is published, a new item is a late item: it needs the chair's reason for urgency, which
    is shown publicly and is the reason given on the supplementary agenda."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    existing = list(meeting.agenda_items.order_by("position"))
    closing = existing[-1] if existing and standard_kind(existing[-1]) == AgendaItem.Standard.AOB else None
    late = meeting.agenda_is_published
    urgency_reason = urgency_reason.strip() if late else ""
    if late and not urgency_reason:
        raise ValidationError(
            {
                "urgency_reason": "The agenda has been published, so this is a late item: give the chair's "
                "reason for considering it as a matter of urgency."
            }
        )
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        title=title.strip(),
        purpose=purpose,
        presenter=presenter.strip(),
        minutes_allotted=minutes_allotted,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph if is_exempt else None,
        exempt_reason=exempt_reason.strip() if is_exempt else "",
        exemption_review_on=exemptions.default_review_on(meeting) if is_exempt else None,
        is_late=late,
        urgency_reason=urgency_reason,
    )
    item.full_clean()
    item.save()
    if closing is not None:
        _renumber(meeting, [*(other.pk for other in existing[:-1]), item.pk, closing.pk])
        item.refresh_from_db(fields=["position"])
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.ITEM_ADDED, reason=urgency_reason, item=item)
    audit_record(
        actor=actor,
        action="meetings.agenda.late_item_added" if late else "meetings.agenda.item_added",
        obj=item,
        partnership=partnership,
        changes={
            "meeting": meeting.pk,
            "position": item.position,
            "title": item.title,
            "is_exempt": item.is_exempt,
            "exempt_paragraph": item.exempt_paragraph,
            "urgency_reason": item.urgency_reason,
        },
    )
    return item


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    actor,
    title: str,
    purpose: str,
    presenter: str = "",
    minutes_allotted: int | None = None,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    urgency_reason: str = "",
    change_reason: str = "",
) -> AgendaItem:
    """Change an item. Making it exempt withdraws its papers from public view at once. Once
    the agenda is published the change needs a reason and goes on the supplementary agenda."""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    _refuse_if_withdrawn(item)
    data = {
        "title": title.strip(),
        "purpose": purpose,
        "presenter": presenter.strip(),
        "minutes_allotted": minutes_allotted,
        "is_exempt": is_exempt,
        "exempt_paragraph": exempt_paragraph if is_exempt else None,
        "exempt_reason": exempt_reason.strip() if is_exempt else "",
        "urgency_reason": urgency_reason.strip() if item.is_late else "",
    }
    changes = model_changes(item, data)
    if not changes:
        return item
    exemptions.refuse_exemption_change(item=item, data=data)
    reason = _change_reason(meeting, change_reason)
    for name, value in data.items():
        setattr(item, name, value)
    # An exemption is kept under review from the moment it is made (meetings.exemptions).
    if item.is_exempt and item.exemption_review_on is None:
        item.exemption_review_on = exemptions.default_review_on(meeting)
    elif not item.is_exempt:
        item.exemption_review_on = None
    item.full_clean()
    item.save()
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.ITEM_CHANGED, reason=reason, item=item)
    if reason:
        changes["change_reason"] = reason
    audit_record(actor=actor, action="meetings.agenda.item_updated", obj=item, partnership=partnership, changes=changes)
    return item


@transaction.atomic
def agenda_item_withdraw(*, item: AgendaItem, actor, reason: str, now: dt.datetime | None = None) -> AgendaItem:
    """Withdraw an item from a published agenda. It is not deleted: it keeps its number and
    papers, is marked "Withdrawn" with the reason, and the withdrawal goes on the
    supplementary agenda. (Before publication an item is simply removed.)"""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    if not meeting.agenda_is_published:
        raise ValidationError("The agenda has not been published yet: remove the item instead.")
    _refuse_if_withdrawn(item)
    reason = _change_reason(meeting, reason, field="reason")
    item.withdrawn_at = now or timezone.now()
    item.withdrawal_reason = reason
    item.full_clean()
    item.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.ITEM_WITHDRAWN, reason=reason, item=item)
    audit_record(
        actor=actor,
        action="meetings.agenda.item_withdrawn",
        obj=item,
        partnership=partnership,
        changes={"position": item.position, "title": item.title, "reason": reason},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor) -> None:
    """Take an item off an agenda that has not been published; the rest are renumbered.
    Once published, items stay on the record."""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    if meeting.agenda_is_published:
        raise ValidationError(
            "The agenda has been published, so its items stay on the record. Withdraw the item instead: "
            "it stays on the agenda marked as withdrawn, with your reason."
        )
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    files = [version.file for paper in item.papers.all() for version in paper.versions.all()]
    snapshot = {"position": item.position, "title": item.title, "papers": item.papers.count()}
    try:
        item.delete()
    except ProtectedError:
        raise ValidationError("This item has minutes, decisions or actions recorded against it.") from None
    _renumber(meeting, list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)))
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [file.storage.delete(file.name) for file in files])
    audit_record(
        actor=actor, action="meetings.agenda.item_removed", obj=meeting, partnership=partnership, changes=snapshot
    )


@transaction.atomic
def agenda_items_reorder(
    *, meeting: Meeting, actor, order: Sequence[int], change_reason: str = "", moved: AgendaItem | None = None
) -> None:
    """Put the meeting's items in the order of the item ids `order`, numbered 1..n. Once the
    agenda is published, reordering renumbers what the public has read: it is refused without
    a reason, and goes on the supplementary agenda (naming `moved`, the item moved, if one was)."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    before = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    order = list(order)
    if sorted(order) != sorted(before):
        raise ValidationError("The agenda changed while you were reordering it. Check the order and try again.")
    if order == before:
        return
    reason = _change_reason(meeting, change_reason)
    _renumber(meeting, order)
    kind = AgendaChange.Kind.ITEM_MOVED if moved is not None else AgendaChange.Kind.ITEMS_REORDERED
    _record_change(meeting=meeting, actor=actor, kind=kind, reason=reason, item=moved)
    audit_record(
        actor=actor,
        action="meetings.agenda.reordered",
        obj=meeting,
        partnership=partnership,
        changes={"order": [before, order], **({"change_reason": reason} if reason else {})},
    )


def agenda_item_move(*, item: AgendaItem, actor, direction: Literal["up", "down"], change_reason: str = "") -> None:
    """Swap an item with the one above or below it. At either end this does nothing."""
    order = list(item.meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    agenda_items_reorder(meeting=item.meeting, actor=actor, order=order, change_reason=change_reason, moved=item)


def standard_kind(item: AgendaItem) -> str:
    """Which standard item `item` is ('' if none): marked as one, or typed with its usual title."""
    if item.standard:
        return item.standard
    title = item.title.strip().casefold()
    return next((value for value, label in AgendaItem.Standard.choices if label.casefold() == title), "")


def standard_item_present(standard: StandardItem, items: Sequence[AgendaItem]) -> bool:
    return any(standard_kind(item) == standard.standard for item in items)


@transaction.atomic
def agenda_add_standard_items(*, meeting: Meeting, actor) -> list[AgendaItem]:
    """Add the usual items in one go: welcome and apologies, declarations of interest,
    minutes of the last meeting and the action log at the top (in that order), any other
    business at the end. Items already on the agenda are skipped, and existing items keep
    their order."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    if meeting.agenda_is_published:
        raise ValidationError(
            "The agenda has been published. Add a late item on its own, with the chair's reason for urgency."
        )
    existing = list(meeting.agenda_items.order_by("position"))
    final: list[AgendaItem] = list(existing)
    created: list[AgendaItem] = []
    opening = [s.standard for s in STANDARD_ITEMS if not s.closing]
    for spec in STANDARD_ITEMS:
        if standard_item_present(spec, existing):
            continue
        item = AgendaItem(
            meeting=meeting,
            title=AgendaItem.Standard(spec.standard).label,
            purpose=spec.purpose,
            presenter=spec.presenter,
            standard=spec.standard,
        )
        if spec.closing:
            final.append(item)
        else:
            # Just after the last opening item that comes before it in the usual order.
            earlier = opening[: opening.index(spec.standard)]
            indexes = [n for n, other in enumerate(final) if standard_kind(other) in earlier]
            final.insert(indexes[-1] + 1 if indexes else 0, item)
        created.append(item)
    if not created:
        return []
    # New items go in above every position in use, then everything is renumbered in order.
    base = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
    for offset, item in enumerate(final):
        if not item.pk:
            item.position = base + offset
            item.full_clean()
            item.save()
    _renumber(meeting, [item.pk for item in final])
    for item in created:
        item.refresh_from_db(fields=["position"])
    audit_record(
        actor=actor,
        action="meetings.agenda.standard_items_added",
        obj=meeting,
        partnership=partnership,
        changes={"added": [item.title for item in created]},
    )
    return created


@transaction.atomic
def agenda_publish(*, meeting: Meeting, actor, now: dt.datetime | None = None, late_reason: str = "") -> PublishOutcome:
    """Publish the agenda and its public papers. Refuses an empty agenda or one with
    incomplete items. After the deadline it still publishes, with the chair's reason for
    considering the business as a matter of urgency (s.100B(4)(b) LGA 1972), which is
    required and published; the outcome (and every staff page) says it was published late.
    A private session or a meeting recorded after the event has no deadline."""
    partnership = meeting.partnership
    meeting = _locked(meeting)
    _refuse_if_cancelled(meeting)
    if meeting.agenda_is_published:
        published_on = timezone.localtime(meeting.agenda_published_at)
        raise ValidationError(f"The agenda was already published on {published_on:%-d %B %Y}.")
    items = list(meeting.agenda_items.order_by("position"))
    if not items:
        raise ValidationError("Add at least one item before publishing the agenda.")
    problems = []
    for item in items:
        try:
            item.full_clean()
        except ValidationError as error:
            problems.extend(f"Item {item.number} ({item.title}): {message}" for message in error.messages)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    deadline = meeting.publication_deadline
    late = meeting.has_publication_deadline and timezone.localtime(now).date() > deadline
    late_reason = late_reason.strip() if late else ""
    if late and not late_reason:
        raise ValidationError(
            {
                "late_reason": f"The deadline was {deadline:%-d %B %Y}, so the agenda is late: give the chair's "
                "reason for considering it as a matter of urgency. It is published with the agenda."
            }
        )
    meeting.agenda_published_at = now
    meeting.agenda_published_by = _actor(actor)
    meeting.late_publication_reason = late_reason
    meeting.save(update_fields=["agenda_published_at", "agenda_published_by", "late_publication_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="meetings.agenda.published",
        obj=meeting,
        partnership=partnership,
        changes={
            "published_at": now,
            "deadline": deadline if meeting.has_publication_deadline else None,
            "late": late,
            "late_reason": late_reason,
            "items": len(items),
        },
    )
    events.announce(events.agenda_published, meeting_id=meeting.pk, actor_id=events.actor_id(actor))
    return PublishOutcome(meeting=meeting, deadline=deadline, late=late)


# Papers -----------------------------------------------------------------------------


def _facts(file) -> PdfFacts:
    try:
        return inspect_pdf(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


def _store_version(*, paper: Paper, file, facts: PdfFacts, actor, number: int, reason: str = "") -> PaperVersion:
    """Write the file (the cleaned copy when the check removed active content) and its
    version row. If anything after the file write fails, the file is removed again so that
    no orphan is left in storage. The returned version's `removed_content` says what the
    check removed, for the uploader's message; the audit log keeps it too."""
    original = display_filename(
        getattr(file, "name", "") or "paper.pdf", PaperVersion._meta.get_field("original_filename").max_length
    )
    version = PaperVersion(
        paper=paper,
        number=number,
        original_filename=original,
        size=facts.size,
        sha256=facts.sha256,
        page_count=facts.page_count,
        replacement_reason=reason,
        uploaded_by=_actor(actor),
    )
    if facts.content is not None:
        file = ContentFile(facts.content)
    file.seek(0)
    version.file.save(safe_pdf_filename(original), file, save=False)
    try:
        version.save()
        paper.current_version = version
        paper.save(update_fields=["current_version"])
    except Exception:
        version.file.storage.delete(version.file.name)
        raise
    version.removed_content = facts.removed
    return version


@transaction.atomic
def paper_upload(
    *, item: AgendaItem, actor, title: str, file, restricted: bool = False, change_reason: str = ""
) -> Paper:
    """Attach a PDF paper to an agenda item (version 1). The file is checked from its
    content: a file that is not a complete, readable PDF within the size limit is refused.
    Once the agenda is published the paper goes on the supplementary agenda, with a reason."""
    partnership = item.meeting.partnership
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    _refuse_if_withdrawn(item)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the paper."})
    reason = _change_reason(meeting, change_reason)
    facts = _facts(file)
    position = (item.papers.aggregate(last=Max("position"))["last"] or 0) + 1
    paper = Paper(
        agenda_item=item,
        title=title,
        position=position,
        restricted=restricted,
        exemption_review_on=exemptions.default_review_on(meeting) if restricted else None,
    )
    paper.full_clean(exclude=["current_version"])
    paper.save()
    Consideration.first_at(paper)  # the first step of its path (meetings.consultations)
    version = _store_version(paper=paper, file=file, facts=facts, actor=actor, number=1)
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.PAPER_ADDED, reason=reason, paper=paper)
    audit_record(
        actor=actor,
        action="meetings.paper.uploaded",
        obj=paper,
        partnership=partnership,
        changes={
            "item": item.pk,
            "title": title,
            "restricted": restricted,
            "version": 1,
            "filename": version.original_filename,
            "size": facts.size,
            "pages": facts.page_count,
            "sha256": facts.sha256,
            "removed": list(facts.removed),
        },
    )
    return paper


@transaction.atomic
def paper_replace(*, paper: Paper, actor, file, reason: str) -> PaperVersion:
    """Replace a paper's file with a new version, saying why. Earlier versions are kept. Once
    the agenda is published the new version goes on the supplementary agenda, for that reason."""
    partnership = paper.agenda_item.meeting.partnership
    meeting = _locked(paper.agenda_item.meeting)
    _refuse_if_cancelled(meeting)
    _refuse_if_withdrawn(AgendaItem.objects.get(pk=paper.agenda_item_id))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the paper is being replaced; the reason is kept with its versions."})
    if len(reason) > PaperVersion._meta.get_field("replacement_reason").max_length:
        raise ValidationError({"reason": "Keep the reason to 300 characters or fewer."})
    facts = _facts(file)
    paper = Paper.objects.select_related("current_version").get(pk=paper.pk)
    if paper.current_version and paper.current_version.sha256 == facts.sha256:
        raise ValidationError({"file": "This file is identical to the current version. Choose the new file."})
    number = (paper.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = _store_version(paper=paper, file=file, facts=facts, actor=actor, number=number, reason=reason)
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.PAPER_REPLACED, reason=reason, paper=paper)
    audit_record(
        actor=actor,
        action="meetings.paper.replaced",
        obj=paper,
        partnership=partnership,
        changes={
            "version": number,
            "reason": reason,
            "filename": version.original_filename,
            "size": facts.size,
            "pages": facts.page_count,
            "sha256": facts.sha256,
            "removed": list(facts.removed),
        },
    )
    return version


@transaction.atomic
def paper_update(*, paper: Paper, actor, title: str, restricted: bool, change_reason: str = "") -> Paper:
    """Change a paper's title or whether it is withheld from the public. Once the agenda is
    published the change needs a reason and goes on the supplementary agenda."""
    partnership = paper.agenda_item.meeting.partnership
    meeting = _locked(paper.agenda_item.meeting)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the title of the paper."})
    paper = Paper.objects.select_for_update().select_related("agenda_item").get(pk=paper.pk)
    changes = model_changes(paper, {"title": title, "restricted": restricted})
    if not changes:
        return paper
    exemptions.refuse_exemption_change(paper=paper, data={"restricted": restricted})
    reason = _change_reason(meeting, change_reason)
    withheld = restricted and not paper.restricted
    paper.title, paper.restricted = title, restricted
    if restricted and paper.exemption_review_on is None:
        paper.exemption_review_on = exemptions.default_review_on(meeting)
    elif not restricted:
        paper.exemption_review_on = None
    paper.save(update_fields=["title", "restricted", "exemption_review_on"])
    kind = AgendaChange.Kind.PAPER_WITHHELD if withheld else AgendaChange.Kind.PAPER_CHANGED
    _record_change(meeting=meeting, actor=actor, kind=kind, reason=reason, paper=paper)
    if reason:
        changes["change_reason"] = reason
    audit_record(actor=actor, action="meetings.paper.updated", obj=paper, partnership=partnership, changes=changes)
    return paper
