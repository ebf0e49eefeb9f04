"""A member's own members' pack: the shared pack, less the papers withheld from them because
of an interest (`meetings.access.papers_withheld_from`, read through
`publishing.visibility.withheld_from_pack`)."""

import io

from django.http import FileResponse

from meetings.http import cache_privately
from meetings.validators import download_filename
from membership.permissions import VIEW_EXEMPT, user_can

from . import renderers, visibility


def own_members_pack(request, document):
    """The response for a member withheld papers of `document` (a members' pack), or None when
    they are withheld nothing and may be sent the shared pack as usual.

    Built when asked for and never stored or cached: it is theirs alone, and the policy, the
    agenda or their interests may change before they ask again."""
    if not user_can(request.user, VIEW_EXEMPT, document.partnership):
        return None
    withheld = visibility.withheld_from_pack(document, request.user)
    if not withheld:
        return None
    data, _ = renderers.render_agenda_pack(document.meeting, include_exempt=True, withheld_versions=withheld)
    response = FileResponse(
        io.BytesIO(data), content_type="application/pdf", filename=download_filename(document.filename)
    )
    return cache_privately(response, store=False)
