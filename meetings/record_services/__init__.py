"""Recording what a meeting did, by noun: attendance, declarations, minutes, decisions and actions
(`_common` holds their shared helpers).

Every function here writes through one transaction and one audit entry (or a few, named
`meetings.<thing>.<what happened>`), and refuses with a `RecordError` (a `ValidationError`, as
every service refuses) whose message is meant for the person at the keyboard.

Minutes follow the access-to-information practice the partnerships use: drafted by the
secretariat after the meeting, published as a draft, approved as a correct record at a
later meeting of the same partnership (that meeting's decision is linked to the approved
version), and never edited once approved: a correction is a new version with a reason,
which supersedes the approved one when it is approved in turn.

The ICP is a joint committee: its terms of reference set its quorum, and a decision of an
inquorate meeting is not a valid decision of the committee. So a decision at an item without a
quorum is refused unless the secretariat records it as taken without one (the public record
says so); minutes are approved only at a quorate item of a meeting whose attendance is
recorded; and a change to attendance or declarations that would leave a decision recorded as
quorate at an inquorate item is refused until the decision is marked.
"""

from ._common import RecordError
from .actions import action_add_update, action_change, action_record
from .attendance import MEMBER_STATUSES, AttendanceEntry, attendance_add, attendance_record
from .decisions import INQUORATE_ADVICE, decision_record, decision_update
from .declarations import declaration_record, declaration_remove
from .minutes import (
    approval_wording,
    minutes_approve,
    minutes_correct,
    minutes_publish_draft,
    minutes_start_draft,
    minutes_update_entry,
)

__all__ = [
    "INQUORATE_ADVICE",
    "MEMBER_STATUSES",
    "AttendanceEntry",
    "RecordError",
    "action_add_update",
    "action_change",
    "action_record",
    "approval_wording",
    "attendance_add",
    "attendance_record",
    "decision_record",
    "decision_update",
    "declaration_record",
    "declaration_remove",
    "minutes_approve",
    "minutes_correct",
    "minutes_publish_draft",
    "minutes_start_draft",
    "minutes_update_entry",
]
