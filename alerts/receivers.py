"""Listen to the record's events (`core.events`) and record them for alerts.

Each receiver only finds the partnership and records the event; whether anyone may read
it is decided later, when it is fanned out and again when each email is sent."""

from core import events
from meetings import publications as kinds
from meetings.models import AgendaChange, Decision, Meeting, Minutes
from strategy.models import StrategyVersion

from . import services


def _record(kind: str, model, pk: int, partnership_field: str) -> None:
    partnership_id = model.objects.filter(pk=pk).values_list(partnership_field, flat=True).first()
    if partnership_id is not None:
        services.event_record(kind=kind, partnership_id=partnership_id, object_id=pk)


def agenda_published(sender, *, meeting_id, **kwargs):
    _record(kinds.AGENDA_PUBLISHED, Meeting, meeting_id, "partnership_id")


def agenda_changed(sender, *, change_id, change_kind, **kwargs):
    kind = kinds.PAPERS_ADDED if change_kind == AgendaChange.Kind.PAPER_ADDED else kinds.AGENDA_CHANGED
    _record(kind, AgendaChange, change_id, "meeting__partnership_id")


def minutes_published(sender, *, minutes_id, **kwargs):
    _record(kinds.MINUTES_PUBLISHED, Minutes, minutes_id, "meeting__partnership_id")


def minutes_approved(sender, *, minutes_id, **kwargs):
    _record(kinds.MINUTES_APPROVED, Minutes, minutes_id, "meeting__partnership_id")


def decision_recorded(sender, *, decision_id, **kwargs):
    _record(kinds.DECISION_RECORDED, Decision, decision_id, "partnership_id")


def strategy_published(sender, *, version_id, **kwargs):
    _record(kinds.STRATEGY_PUBLISHED, StrategyVersion, version_id, "strategy__partnership_id")


def connect() -> None:
    events.listen(
        "alerts",
        [
            (events.agenda_published, agenda_published),
            (events.agenda_changed, agenda_changed),
            (events.minutes_published, minutes_published),
            (events.minutes_approved, minutes_approved),
            (events.decision_recorded, decision_recorded),
            (events.strategy_published, strategy_published),
        ],
    )
