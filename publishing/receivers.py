"""The record's PDFs follow the record: publishing listens to the domain events (core.events)
that the meetings and strategy services announce on commit, and asks for the documents of what
is now public. Whoever changed the record (a page, a command, the API, a task), the PDFs follow.

Asking is idempotent: a document of unchanged content is the one already asked for, so an
event that changed nothing a PDF shows builds nothing. A changed agenda gets new packs, which
supersede the old once built."""

from django.contrib.auth import get_user_model

from core import events
from meetings.models import Meeting, Minutes
from strategy.models import StrategyVersion

from . import services


def _actor(actor_id):
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


def meeting_packs(sender, *, meeting_id, actor_id=None, **kwargs):
    """The agenda packs of a meeting whose agenda is public, after anything they show changed:
    the agenda published or changed, the meeting moved or cancelled, exempt material released."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is not None and meeting.agenda_is_published:
        services.agenda_pack_request(meeting=meeting, user=_actor(actor_id))


def minutes_document(sender, *, minutes_id, actor_id=None, **kwargs):
    """The PDF of minutes published as a draft or approved (none for a private session's)."""
    minutes = Minutes.objects.select_related("meeting__partnership").filter(pk=minutes_id).first()
    if minutes is not None and (minutes.published_at is not None or minutes.status == Minutes.Status.APPROVED):
        services.minutes_document_request(minutes=minutes, user=_actor(actor_id))


def strategy_document(sender, *, version_id, actor_id=None, **kwargs):
    """The PDF of a published version of a strategy."""
    version = StrategyVersion.objects.select_related("strategy__partnership").filter(pk=version_id).first()
    if version is not None and version.is_public:
        services.strategy_document_request(version=version, user=_actor(actor_id))


RECEIVERS = (
    (events.agenda_published, meeting_packs),
    (events.agenda_changed, meeting_packs),
    (events.meeting_changed, meeting_packs),
    (events.exemption_released, meeting_packs),
    (events.minutes_published, minutes_document),
    (events.minutes_approved, minutes_document),
    (events.strategy_published, strategy_document),
)


def connect() -> None:
    events.listen("publishing", RECEIVERS)
