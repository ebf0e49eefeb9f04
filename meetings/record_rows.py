"""The rows of the record's decisions table, written once in Python: the registers list 25 a
page, and the template's dotted lookups, filters and branches on every row cost more than the
rest of the page.

A row shows what the decision or action read for it shows; what the reader may see is decided by the
queryset the view reads (`Decision.objects.public()` for the public), not here."""

from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr

from core.dates import long_date
from core.urls import row_url

from .models import Decision

# get_status_display() builds a dict of the choices on every call.
DECISION_STATUSES = dict(Decision.Status.choices)


@dataclass(frozen=True)
class DecisionRow:
    meeting_url: str
    meeting_date: str
    is_private: bool
    # "3. Title", or empty for a decision recorded at no item.
    item: str
    is_exempt: bool
    reference: str
    wording: str
    inquorate: bool
    status: str
    # The staff's link to change the decision and the name its hidden text gives it; empty for the public.
    edit_url: str = ""
    name: str = ""


def decision_rows(decisions, partnership, *, staff: bool) -> list[DecisionRow]:
    """`decisions` of `partnership` as its tables list them: for the staff, linking to each
    meeting's record and to each decision's form; for the public, to each meeting's page."""
    rows = []
    for decision in decisions:
        meeting, item = decision.meeting, decision.agenda_item
        if staff:
            meeting_url = row_url("record:decisions", partnership.slug, decision.meeting_id)
        else:
            meeting_url = row_url("meetings:meeting", partnership.slug, decision.meeting_id)
        rows.append(
            DecisionRow(
                meeting_url=meeting_url,
                meeting_date=long_date(meeting.starts_at),
                is_private=not meeting.is_public,
                item=f"{item.position}. {item.title}" if item else "",
                is_exempt=bool(item and item.is_exempt),
                reference=decision.reference or "–",
                wording=linebreaksbr(decision.wording, autoescape=True),
                inquorate=decision.inquorate,
                status=DECISION_STATUSES.get(decision.status, decision.status),
                edit_url=row_url("record:decision_edit", partnership.slug, decision.pk) if staff else "",
                name=str(decision.reference or decision.pk) if staff else "",
            )
        )
    return rows
