"""Everything that changes the meeting cycle's schedule, agendas and papers, by noun: the schedule
(meetings, meetings days, series and their dates), agendas (items, standard items, publication) and
papers (`_common` holds their shared helpers). Every name is importable from here.

Each service runs in one transaction, checks its rules (raising ValidationError with
messages a user can act on), and writes one audit event. Views call these; nothing
here is done in `save()`, signals or forms.

The access-to-information rules behind them (Local Government Act 1972, Part VA):
the agenda and public papers are published at least five clear working days before
the meeting (see `deadlines.py`); an item added after publication is considered only
if the chair rules it urgent, and the reason is given publicly; a moved, postponed or
cancelled meeting keeps its record and says so publicly.
"""

from ._common import CHANGE_REASON_NEEDED
from .agenda import (
    STANDARD_ITEMS,
    PublishOutcome,
    StandardItem,
    agenda_add_standard_items,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    agenda_item_withdraw,
    agenda_items_reorder,
    agenda_publish,
    standard_item_present,
    standard_kind,
)
from .papers import (
    paper_replace,
    paper_update,
    paper_upload,
    paper_version_extract_text,
    paper_versions_never_extracted,
)
from .schedule import (
    SERIES_MAX_MONTHS_AHEAD,
    SERIES_MONTHS_AHEAD,
    SessionSpec,
    add_months,
    local_datetime,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
    meetings_day_create,
    non_working_day_warnings,
    nth_weekday,
    series_create,
    series_dates,
    series_generate,
)

__all__ = [
    "CHANGE_REASON_NEEDED",
    "SERIES_MAX_MONTHS_AHEAD",
    "SERIES_MONTHS_AHEAD",
    "STANDARD_ITEMS",
    "PublishOutcome",
    "SessionSpec",
    "StandardItem",
    "add_months",
    "agenda_add_standard_items",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "agenda_item_withdraw",
    "agenda_items_reorder",
    "agenda_publish",
    "local_datetime",
    "meeting_cancel",
    "meeting_schedule",
    "meeting_update",
    "meetings_day_create",
    "non_working_day_warnings",
    "nth_weekday",
    "paper_replace",
    "paper_update",
    "paper_upload",
    "paper_version_extract_text",
    "paper_versions_never_extracted",
    "series_create",
    "series_dates",
    "series_generate",
    "standard_item_present",
    "standard_kind",
]
