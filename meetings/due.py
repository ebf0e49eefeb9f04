"""The meeting cycle's tasks for the secretariat's workspace (see `membership.due`): agendas to
publish before their deadline, papers missing, attendance to record, draft minutes due or late,
actions overdue, and exemptions due for review (`exemptions.review_figures`).

Every rule here is read from the meeting and its records as they are now, with the rules the
pages already use: `Meeting.publication_deadline` (five clear working days) and
`Meeting.minutes_due` (the partnership's working days after the meeting). Two queries for any
number of partnerships and meetings: the meetings, and the figures counted per partnership.
"""

import datetime as dt

from django.db.models import Count, DateField, Exists, OuterRef, Q, Value
from django.utils import timezone

from core.dates import long_date
from core.urls import row_url
from membership.due import DUE, LATE, OVERDUE, TO_DO, DueTask

from . import deadlines, exemptions
from .meeting_rows import MEETING_ROW_FIELDS
from .models import Action, Attendance, Meeting, Minutes

# How far ahead the list looks for agendas and papers: a quarterly partnership's next meeting.
AHEAD = dt.timedelta(days=100)
# How far back it looks for meetings whose record is unfinished. Older gaps are history, found
# on the meetings list, not tasks for this month.
BEHIND = dt.timedelta(days=365)


def _countdown(today: dt.date, deadline: dt.date) -> str:
    """'today', 'tomorrow', 'in 3 working days' (5 days)."""
    if deadline == today:
        return "today"
    working = deadlines.clear_working_days_between(today, deadline) + deadlines.is_working_day(deadline)
    days = (deadline - today).days
    if days == 1:
        return "tomorrow"
    return f"in {days} days ({working} working day{'s' if working != 1 else ''})"


def _items_without_papers():
    """How many of a meeting's items still need a paper: not standard items (apologies, minutes
    of the last meeting…), not withdrawn, with no paper. Counted over the join to items and
    papers, where an item without a paper is one row with none: a correlated subquery costs
    Django more to build than the few meetings' rows cost PostgreSQL to group."""
    return Count(
        "agenda_items",
        filter=Q(agenda_items__standard="", agenda_items__withdrawn_at__isnull=True, agenda_items__papers__isnull=True),
    )


def _meetings(partnerships, today: dt.date, now) -> list[Meeting]:
    """The meetings either list below may name, read together: scheduled ones still to end in
    the next AHEAD days, and ones held in the last BEHIND days whose attendance or (if public)
    published minutes are missing. A meeting in progress can be both.

    The database narrows to the dates these can fall in, leaving out cancelled and postponed
    meetings (neither list names them); the rest of the rules are applied here, to the few
    meetings of that window, so that the query says each test once."""
    published_minutes = Minutes.objects.filter(meeting=OuterRef("pk"), published_at__isnull=False)
    candidates = (
        Meeting.objects.filter(
            Q(starts_at__date__gte=today - BEHIND) | Q(ends_at__gte=now),
            ~Q(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED]),
            partnership__in=partnerships,
            starts_at__date__lte=today + AHEAD,
        )
        # Only the columns the rules and the tasks' wording read (those a meeting's line reads):
        # compiling and loading the rest cost more than reading the window's few meetings.
        .only(*MEETING_ROW_FIELDS)
        .annotate(
            has_attendance=Exists(Attendance.objects.filter(meeting=OuterRef("pk"))),
            has_published_minutes=Exists(published_minutes),
            without_papers=_items_without_papers(),
        )
        .order_by()
    )
    # The caller has the partnerships loaded already (their slugs and minutes rule are read).
    by_pk = {partnership.pk: partnership for partnership in partnerships}
    meetings = []
    # In date order, so that tasks alike in all due_tasks sorts by keep their meetings' order:
    # sorted here, as the window holds a few meetings.
    for meeting in sorted(candidates, key=lambda meeting: (meeting.starts_at, meeting.pk)):
        meeting.partnership = by_pk[meeting.partnership_id]
        meeting.is_upcoming = meeting.status == Meeting.Status.SCHEDULED and meeting.ends_at >= now
        meeting.is_held_unfinished = (
            meeting.starts_at <= now
            and meeting.date >= today - BEHIND
            and (not meeting.has_attendance or (meeting.is_public and not meeting.has_published_minutes))
        )
        if meeting.is_upcoming or meeting.is_held_unfinished:
            meetings.append(meeting)
    return meetings


def _upcoming(meetings: list[Meeting], today: dt.date) -> list[DueTask]:
    tasks = []
    for meeting in meetings:
        if not meeting.is_upcoming:
            continue
        url = row_url("meetings:staff_meeting", meeting.partnership.slug, meeting.pk)
        when = long_date(meeting.date, weekday=True)
        if not meeting.agenda_is_published:
            if meeting.has_publication_deadline:
                deadline = meeting.publication_deadline
                if today > deadline:
                    hint = (
                        f"Meets {when}. The deadline was {long_date(deadline, weekday=True)}: publishing now needs the "
                        "chair's reason for urgency."
                    )
                    status = LATE
                else:
                    hint = (
                        f"Meets {when}. Publish by {long_date(deadline, weekday=True)}, {_countdown(today, deadline)}."
                    )
                    status = DUE
                order = deadline
            else:
                reason = "a private session" if not meeting.is_public else "recorded after the meeting"
                hint, status, order = f"Meets {when}. No publication deadline: {reason}.", TO_DO, meeting.date
            tasks.append(
                DueTask(meeting.partnership_id, f"Publish the agenda of {meeting.title}", url, hint, status, order)
            )
        if meeting.without_papers:
            count = meeting.without_papers
            late = meeting.has_publication_deadline and today > meeting.publication_deadline
            tasks.append(
                DueTask(
                    meeting.partnership_id,
                    f"Papers missing for {meeting.title}",
                    f"{url}#agenda",
                    f"{count} item{'s have' if count != 1 else ' has'} no paper yet. Meets {when}.",
                    LATE if late else DUE,
                    meeting.publication_deadline if meeting.has_publication_deadline else meeting.date,
                )
            )
    return tasks


def _held(meetings: list[Meeting], today: dt.date) -> list[DueTask]:
    tasks = []
    for meeting in meetings:
        if not meeting.is_held_unfinished:
            continue
        slug, when = meeting.partnership.slug, long_date(meeting.date, weekday=True)
        if not meeting.has_attendance:
            tasks.append(
                DueTask(
                    meeting.partnership_id,
                    f"Record attendance at {meeting.title}",
                    row_url("record:attendance", slug, meeting.pk),
                    f"Met {when}. Everyone is marked present to start with: mark the exceptions.",
                    DUE,
                    meeting.date,
                )
            )
        if meeting.is_public and not meeting.has_published_minutes:
            # The minutes-due rule of the public pages (meetings.presenters.minutes_timeliness):
            # due until the partnership's working days after the meeting, late after.
            due = meeting.minutes_due
            late = today > due
            hint = f"Met {when}. Draft minutes {'were' if late else 'are'} due by {long_date(due, weekday=True)}" + (
                "." if late else f", {_countdown(today, due)}."
            )
            tasks.append(
                DueTask(
                    meeting.partnership_id,
                    f"Publish the draft minutes of {meeting.title}",
                    row_url("record:minutes", slug, meeting.pk),
                    hint,
                    LATE if late else DUE,
                    due,
                )
            )
    return tasks


def _figures(partnerships, today: dt.date) -> list[dict]:
    """Per partnership, its open actions past their due date and its exemptions due for review
    (`exemptions.review_figures`), counted by the database in one query: aggregates of the same
    columns, joined by UNION ALL. An action's row has its count alone: the other columns are
    the exemptions' review dates."""
    actions = (
        Action.objects.open()
        .filter(partnership__in=partnerships, due_date__lt=today)
        .order_by()
        .values("partnership_id")
        .annotate(
            kind=Value("actions"),
            count=Count("pk"),
            dated=Value(0),
            earliest=Value(None, output_field=DateField()),
            overdue=Value(0),
        )
    )
    return list(actions.union(*exemptions.review_figures(partnerships, today), all=True))


def _actions(rows: list[dict], partnerships, today: dt.date) -> list[DueTask]:
    slugs = {partnership.pk: partnership.slug for partnership in partnerships}
    tasks = []
    for row in rows:
        count = row["count"]
        tasks.append(
            DueTask(
                row["partnership_id"],
                f"{count} action{'s' if count != 1 else ''} overdue",
                row_url("record:action_log", slugs[row["partnership_id"]]),
                "Open actions past their due date: ask their owners, then record progress.",
                OVERDUE,
                today,
            )
        )
    return tasks


def meeting_cycle_tasks(sender, *, partnerships, today: dt.date, **kwargs) -> list[DueTask]:
    """The receiver of `membership.due.tasks_due` for meetings (connected in MeetingsConfig.ready):
    the meeting cycle's tasks, overdue actions and exemptions to review."""
    now = timezone.now()
    meetings = _meetings(partnerships, today, now)
    figures = _figures(partnerships, today)
    return [
        *_upcoming(meetings, today),
        *_held(meetings, today),
        *_actions([row for row in figures if row["kind"] == "actions"], partnerships, today),
        *exemptions.review_tasks([row for row in figures if row["kind"] == "exemptions"], partnerships, today),
    ]
