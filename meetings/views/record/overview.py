"""The overview of a meeting's record: what is recorded so far, and what is left to do."""

from django.contrib.auth.decorators import login_required

from ...access import meeting_for_staff
from ...record import NOT_HELD, actions_carried_forward, has_started, members_at, quorum_record
from ._common import _render


@login_required
def meeting_record(request, slug, pk):
    """What has been recorded for the meeting so far, and what is left to do."""
    meeting = meeting_for_staff(request, slug, pk)
    attendance = list(meeting.attendance.all())
    memberships = list(members_at(meeting))
    versions = list(meeting.minutes_versions.select_related("approved_at_meeting").order_by("-version"))
    context = {
        "quorum": quorum_record(meeting, attendance=attendance, memberships=memberships),
        "attendance_count": len(attendance),
        "member_count": len(memberships),
        "declaration_count": meeting.declarations.count(),
        "latest_minutes": versions[0] if versions else None,
        "decision_count": meeting.decisions.count(),
        "action_count": meeting.actions.count(),
        "carried_forward_count": actions_carried_forward(meeting).count(),
        "has_started": has_started(meeting),
        "not_held": meeting.status in NOT_HELD,
    }
    return _render(request, "meeting.html", meeting, "meeting", **context)
