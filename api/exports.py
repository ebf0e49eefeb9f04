"""CSV downloads of a partnership's meetings, decisions and actions, linked from their public
pages ("Download as CSV").

A CSV is the public record whoever downloads it: it reads through `api.selectors`, like the
API, so a member signed in gets no exempt item or private session in a file they may pass on.
Cells that a spreadsheet would take for a formula are written as text.
"""

import csv
import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from meetings.http import public_page
from partnerships.access import public_partnership_or_404

from . import selectors
from .serializers import action_owner

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page
def meetings_csv(request, slug):
    """Every meeting the partnership holds in public, past and upcoming."""
    partnership = public_partnership_or_404(slug)
    meetings = selectors.public_meetings().filter(partnership=partnership).order_by("starts_at", "pk")
    header = [
        "id",
        "name",
        "start",
        "end",
        "status",
        "location",
        "notice",
        "agenda published",
        "agenda published late",
        "chair's reason for urgency",
        "web page",
    ]
    rows = (
        [
            meeting.pk,
            meeting.title,
            _local(meeting.starts_at),
            _local(meeting.ends_at),
            meeting.get_status_display(),
            meeting.venue,
            meeting.notice,
            _local(meeting.agenda_published_at),
            "yes" if meeting.agenda_published_late else "no",
            meeting.late_publication_reason,
            request.build_absolute_uri(
                reverse("meetings:meeting", kwargs={"slug": partnership.slug, "pk": meeting.pk})
            ),
        ]
        for meeting in meetings.iterator(chunk_size=500)
    )
    return _csv_response(f"{partnership.slug}-meetings.csv", header, rows)


@public_page
def decisions_csv(request, slug):
    """The partnership's decisions register, as the public read it."""
    partnership = public_partnership_or_404(slug)
    decisions = (
        selectors.public_decisions()
        .filter(partnership=partnership)
        .select_related("meeting", "agenda_item")
        .order_by("meeting__starts_at", "agenda_item__position", "pk")
    )
    header = ["id", "meeting", "meeting date", "item", "reference", "decision", "status", "recorded without a quorum"]
    rows = (
        [
            decision.pk,
            decision.meeting.title,
            decision.meeting.date.isoformat(),
            decision.agenda_item.position if decision.agenda_item_id else "",
            decision.reference,
            decision.wording,
            decision.get_status_display(),
            "yes" if decision.inquorate else "no",
        ]
        for decision in decisions.iterator(chunk_size=500)
    )
    return _csv_response(f"{partnership.slug}-decisions.csv", header, rows)


@public_page
def actions_csv(request, slug):
    """The partnership's action log, open and closed, as the public read it."""
    partnership = public_partnership_or_404(slug)
    actions = (
        selectors.public_actions()
        .filter(partnership=partnership)
        .select_related("meeting", "agenda_item", "owner_person", "owner_organisation")
        .defer("owner_person__email", "owner_person__phone")
        .order_by("meeting__starts_at", "pk")
    )
    header = ["id", "meeting", "meeting date", "item", "action", "owner", "due", "status"]
    rows = (
        [
            action.pk,
            action.meeting.title,
            action.meeting.date.isoformat(),
            action.agenda_item.position if action.agenda_item_id else "",
            action.description,
            action_owner(action),
            action.due_date.isoformat() if action.due_date else "",
            action.get_status_display(),
        ]
        for action in actions.iterator(chunk_size=500)
    )
    return _csv_response(f"{partnership.slug}-actions.csv", header, rows)
