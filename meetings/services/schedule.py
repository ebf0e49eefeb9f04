"""The schedule: meetings put in the calendar, changed, moved, cancelled or postponed; meetings days
of several sessions; series of recurring meetings; the dates they fall on and which of those are
not working days."""

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, model_changes
from core import events
from partnerships.models import Partnership

from .. import deadlines
from ..models import LAST_WEEK, MEETING_CLASH, Meeting, MeetingsDay, MeetingSeries
from ._common import _locked

# Humber and North Yorkshire publishes its dates 15 months ahead; that is our default.
SERIES_MONTHS_AHEAD = 15
SERIES_MAX_MONTHS_AHEAD = 36


@dataclass(frozen=True)
class SessionSpec:
    """One session of a meetings day."""

    title: str
    start_time: dt.time
    end_time: dt.time
    is_public: bool = True
    venue: str = ""


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


def _record_meeting_change(*, meeting: Meeting, actor, action: str, partnership: Partnership, changes: dict) -> None:
    """Audit a change to a meeting the public is told of, and announce it so that its published
    packs follow (they show the date, venue and status)."""
    audit_record(actor=actor, action=action, obj=meeting, partnership=partnership, changes=changes)
    events.announce(events.meeting_changed, meeting_id=meeting.pk, actor_id=events.actor_id(actor))


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
        _record_meeting_change(
            meeting=meeting,
            actor=actor,
            action="meetings.meeting.moved" if moved else "meetings.meeting.updated",
            partnership=partnership,
            changes=changes,
        )
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
    _record_meeting_change(
        meeting=meeting,
        actor=actor,
        action=f"meetings.meeting.{'postponed' if postpone else 'cancelled'}",
        partnership=partnership,
        changes=changes,
    )
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
