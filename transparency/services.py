"""Computing and storing the scorecard. Called by tasks (on a domain event, nightly) and by
`load_demo`; never by a page request."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerships.models import IntegratedCareSystem, Partnership

from . import measures
from .models import ScorecardRow

logger = logging.getLogger(__name__)

# Every field a computation sets: a field left out would keep a stale figure from an earlier run.
EMPTY_FIGURES = {
    field.name: field.get_default()
    for field in ScorecardRow._meta.concrete_fields
    if field.name not in {"id", "system", "partnership", "period_start", "period_end", "computed_at"}
}


def _now_for(on: dt.date) -> dt.datetime:
    """Now, or for a computation as of an earlier day, the end of that day."""
    if on >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(on, dt.time.max))


def scorecard_compute(*, on: dt.date | None = None, system_ids: list[int] | None = None) -> int:
    """Compute the scorecard for the 12 months to `on` (today by default) and store it, one row
    per system in force that day. With `system_ids`, only those systems are recomputed, unless
    the period has no complete set of rows yet (the first event of a day), when all are.
    Returns the number of rows written. Re-running converges: rows are replaced, not added."""
    on = on or timezone.localdate()
    now = _now_for(on)
    start, end = measures.period_ending(on)
    systems = IntegratedCareSystem.objects.in_force(on).order_by("pk")
    if system_ids is not None:
        stored = set(ScorecardRow.objects.filter(period_end=end).values_list("system_id", flat=True))
        if set(systems.values_list("pk", flat=True)) <= stored:
            systems = systems.filter(pk__in=system_ids)
    # A system's statutory ICP, if one is recorded and the public may see it.
    partnerships = {
        p.ics_id: p
        for p in Partnership.objects.public()
        .in_force(on)
        .filter(kind=Partnership.Kind.STATUTORY_ICP, ics__in=systems)
        .select_related("ics")
    }
    written = 0
    for system in systems:
        partnership = partnerships.get(system.pk)
        figures = dict(EMPTY_FIGURES, evidence={})
        if partnership is not None:
            figures.update(measures.partnership_figures(partnership, start=start, end=end, now=now))
        _store(system=system, partnership=partnership, start=start, end=end, figures=figures)
        written += 1
    return written


def _store(*, system, partnership, start, end, figures) -> None:
    defaults = {"partnership": partnership, "period_start": start, "computed_at": timezone.now(), **figures}
    for attempt in range(2):
        try:
            with transaction.atomic():
                ScorecardRow.objects.update_or_create(system=system, period_end=end, defaults=defaults)
            return
        except IntegrityError:
            # Two computations created the same row at once: the second updates it instead.
            if attempt:
                raise
