"""Recompute a system's scorecard row when its partnership publishes or changes a meeting
(`core.events`): a meeting made private leaves the public counts, a cancelled one is counted as
cancelled, a moved one may change the period, at once rather than at the nightly run
(settings.CELERY_BEAT_SCHEDULE), which remains for what turns on dates alone.

Events arrive after the publishing transaction committed; the work goes to a task."""

from core import events
from meetings.models import AgendaChange, Decision, Meeting, Minutes
from partnerships.models import Partnership
from strategy.models import StrategyVersion

from . import tasks


def _refresh(model, pk: int, partnership_field: str) -> None:
    system_id = (
        model.objects.filter(pk=pk, **{f"{partnership_field}__kind": Partnership.Kind.STATUTORY_ICP})
        .values_list(f"{partnership_field}__ics_id", flat=True)
        .first()
    )
    if system_id is not None:
        tasks.scorecard_refresh.delay(system_ids=[system_id])


def agenda_published(sender, *, meeting_id, **kwargs):
    _refresh(Meeting, meeting_id, "partnership")


def meeting_changed(sender, *, meeting_id, **kwargs):
    _refresh(Meeting, meeting_id, "partnership")


def agenda_changed(sender, *, change_id, **kwargs):
    _refresh(AgendaChange, change_id, "meeting__partnership")


def minutes_published(sender, *, minutes_id, **kwargs):
    _refresh(Minutes, minutes_id, "meeting__partnership")


def minutes_approved(sender, *, minutes_id, **kwargs):
    _refresh(Minutes, minutes_id, "meeting__partnership")


def decision_recorded(sender, *, decision_id, **kwargs):
    _refresh(Decision, decision_id, "partnership")


def strategy_published(sender, *, version_id, **kwargs):
    _refresh(StrategyVersion, version_id, "strategy__partnership")


def connect() -> None:
    events.listen(
        "transparency",
        [
            (events.agenda_published, agenda_published),
            (events.meeting_changed, meeting_changed),
            (events.agenda_changed, agenda_changed),
            (events.minutes_published, minutes_published),
            (events.minutes_approved, minutes_approved),
            (events.decision_recorded, decision_recorded),
            (events.strategy_published, strategy_published),
        ],
    )
