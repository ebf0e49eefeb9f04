"""The conflicts of interest prompts, as a small include any secretariat page of a meeting
can carry (the agenda, publishing, attendance) without its view knowing about them."""

from django import template

from meetings import conflicts
from meetings.access import withholdings

register = template.Library()


@register.inclusion_tag("meetings/conflicts/_prompts.html")
def conflict_prompts(meeting, *, with_withholdings: bool = False, heading_level: int = 2):
    """The register-of-interests prompts for `meeting`; with `with_withholdings`, also who is
    withheld which exempt paper under the partnership's conflicts policy."""
    # The prompts and the withholdings read the same organisations, registers and declarations.
    reads = conflicts.MeetingInterests(meeting)
    return {
        "meeting": meeting,
        "partnership": meeting.partnership,
        "named": bool(reads.concerns),
        "prompts": conflicts.conflict_prompts(meeting, reads=reads),
        "show_withholdings": with_withholdings,
        "withholdings": withholdings(meeting, reads=reads) if with_withholdings else [],
        "heading": f"h{heading_level}",
    }
