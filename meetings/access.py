"""Loading meetings through permission. Views use these and never ask guardian directly.

- Staff pages: `meeting_for_staff` (the partnership's MANAGE permission; 404 outside it).
- Public pages: `public_partnership_or_404` and `public_meeting_or_404` read only through
  the `public()` querysets; `meeting_for_reader` adds private sessions for members.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from membership.permissions import MANAGE, VIEW_EXEMPT, partnership_for_user, user_can
from partnerships.models import Partnership

from .models import Meeting


def can_read_exempt(user, partnership: Partnership) -> bool:
    """Members, chairs and the secretariat read exempt items and papers and see private sessions."""
    return user_can(user, VIEW_EXEMPT, partnership)


def partnership_for_staff(request, slug: str) -> Partnership:
    """The partnership `slug` if the user runs it: 404 if there is none, 403 otherwise."""
    return partnership_for_user(request, slug, MANAGE)


def meeting_for_staff(request, slug: str, pk: int) -> Meeting:
    """A meeting of a partnership the user runs: 403 without MANAGE on the partnership,
    404 if the meeting belongs to another partnership."""
    partnership = partnership_for_staff(request, slug)
    meeting = get_object_or_404(
        partnership.meetings.select_related("meetings_day", "series", "agenda_published_by"), pk=pk
    )
    meeting.partnership = partnership  # already loaded; spares a query
    return meeting


def public_partnership_or_404(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.public().select_related("ics__region"), slug=slug)


def public_meeting_or_404(slug: str, pk: int) -> Meeting:
    """A meeting held in public, of a partnership the public may see."""
    partnership = public_partnership_or_404(slug)
    meeting = get_object_or_404(Meeting.objects.public().filter(partnership=partnership), pk=pk)
    meeting.partnership = partnership
    return meeting


def meeting_for_reader(request, slug: str, pk: int) -> tuple[Meeting, bool]:
    """The meeting as the current reader may see it, and whether they read exempt material.

    The public get only meetings held in public (404 for a private session, so its
    existence is not revealed); members, chairs and the secretariat also get private sessions."""
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    meetings = partnership.meetings.all() if reader else Meeting.objects.public().filter(partnership=partnership)
    try:
        meeting = meetings.get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    meeting.partnership = partnership
    return meeting, reader
