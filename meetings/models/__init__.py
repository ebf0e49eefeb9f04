"""A partnership's meeting cycle: meetings (grouped into meetings days and series),
agendas, papers, attendance, declarations, minutes, decisions and actions.

What the public may see is decided once, in the `public()` querysets and the
`is_exempt`/`is_public` properties: exempt items and papers, private sessions and
unpublished agendas never leave them.

The models live in one module per domain noun; every name is re-exported here so that
`meetings.models.X` stays the one address for the rest of the portal and the migrations.
"""

# Django registers the models in the order these imports run: kept as they were declared in
# the single module this package replaced, so the app's model order did not change with the split.
# isort: off
from .meeting import (
    LAST_WEEK,
    MEETING_CLASH,
    WEEKDAYS,
    Meeting,
    MeetingQuerySet,
    MeetingSeries,
    MeetingsDay,
    upcoming_and_past,
)
from .agenda import SCHEDULE_12A_PARAGRAPHS, AgendaChange, AgendaItem, AgendaItemQuerySet
from .paper import Paper, PaperQuerySet, PaperText, PaperVersion, paper_upload_to
from .record import (
    Action,
    ActionQuerySet,
    ActionUpdate,
    Attendance,
    Decision,
    DecisionQuerySet,
    Declaration,
    MinuteEntry,
    Minutes,
)
from .form_submission import FormSubmission
from .exemptions import ExemptionExtension, ExemptionRelease
from .consideration import Consideration, ConsiderationQuerySet
from .pdf_accessibility import PdfAccessibility
# isort: on

__all__ = [
    "LAST_WEEK",
    "MEETING_CLASH",
    "SCHEDULE_12A_PARAGRAPHS",
    "WEEKDAYS",
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "AgendaChange",
    "AgendaItem",
    "AgendaItemQuerySet",
    "Attendance",
    "Consideration",
    "ConsiderationQuerySet",
    "Decision",
    "DecisionQuerySet",
    "Declaration",
    "ExemptionExtension",
    "ExemptionRelease",
    "FormSubmission",
    "Meeting",
    "MeetingQuerySet",
    "MeetingSeries",
    "MeetingsDay",
    "MinuteEntry",
    "Minutes",
    "Paper",
    "PaperQuerySet",
    "PaperText",
    "PaperVersion",
    "PdfAccessibility",
    "paper_upload_to",
    "upcoming_and_past",
]
