"""National-scale synthetic data, for benchmarks and query-budget tests.

`national_generate(plan, seed=...)` builds, on top of England's real reference geography,
partnerships with fifteen years of history at the size the design is for (DESIGN.md, "Scale
we design for"): at scale 1, all 42 systems, about 60 partnerships, 10,000 people with
membership history, 5,000 meetings, 60,000 agenda items (5% exempt under Schedule 12A) and
150,000 papers, with minutes, decisions, actions and attendance.

- Deterministic: one `random.Random(seed)`, consumed in a fixed order (given the same
  reference data, the same date and the same plan, the same rows come out).
- Fast: rows are written with `bulk_create` in batches, one partnership at a time (so memory
  stays flat whatever the scale); nothing calls `save()` per row.
- Metadata-only papers: every `PaperVersion` points at ONE small PDF written once through
  `default_storage` at `SHARED_PAPER_NAME`, and carries as its extracted text a few sentences
  about its item's topic (`words.PAPER_SENTENCES`), so search finds papers as it would real ones.
- Marked: every partnership's slug starts with `PREFIX`, every person is `is_demonstration`,
  every organisation the generator invents ends with "(synthetic)". A second batch (the
  command's `--force`) uses `national-b2-`, `national-b3-`…

The package: `base` (the plan, the report, helpers), `words` (names and text), `people`
(partnerships, organisations, seats, terms, chairs, interests, secretariat), `meetings` (meetings,
agendas, papers, the record, published documents) and `strategy` (integrated care strategies).
"""

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from membership.permissions import permissions_sync
from partnerships.models import IntegratedCareSystem, Partnership

from .base import (
    PREFIX,
    SHARED_PAPER_NAME,
    Plan,
    ReferenceDataMissing,
    Report,
    batch_prefix,
    explicit_timestamps,
    generated_batches,
    shared_paper,
)
from .meetings import MeetingsMixin
from .people import PeopleMixin, secretariat_create


class _Generator(PeopleMixin, MeetingsMixin):
    def __init__(self, plan: Plan, rng: random.Random, report: Report, today: dt.date, seed: int):
        self.plan, self.rng, self.report, self.today = plan, rng, report, today
        # Which organisations items and registers name is drawn from a stream of its own, so that
        # naming them changed nothing else the seed gives.
        self.concerns_rng = random.Random(f"{seed}:concerns")
        self.prefix = batch_prefix(report.batch)
        self.person_serial = 0
        self.paper_file = shared_paper()
        # Term length (years) that makes the plan's number of people hold the plan's seats.
        self.mean_term_years = 3.0


def national_generate(plan: Plan, *, seed: int = 2026, today: dt.date | None = None) -> Report:
    """Generate `plan` on top of the reference geography, in one transaction.

    Raises ReferenceDataMissing if fewer systems than the plan needs are loaded. A database
    that already holds generated data gets a new batch (distinct slugs); callers that want to
    refuse a second run check `generated_batches()` first."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    systems = list(
        IntegratedCareSystem.objects.filter(icb__isnull=False)
        .select_related("icb")
        .prefetch_related("council_areas__local_authority")
        .order_by("name")
    )
    if len(systems) < plan.systems:
        raise ReferenceDataMissing(
            f"The plan needs {plan.systems} integrated care systems with their boards, and the database has "
            f"{len(systems)}. Run manage.py load_reference_data first."
        )
    report = Report(batch=generated_batches() + 1)
    systems = sorted(rng.sample(systems, plan.systems), key=lambda s: s.name)
    with transaction.atomic(), explicit_timestamps():
        generator = _Generator(plan, rng, report, today, seed)
        generator.organisations(systems)
        partnerships = generator.partnerships(systems)
        seats = {p.pk: generator.seats(p) for p in partnerships}
        seat_years = sum(len(s) for s in seats.values()) * plan.years
        # 15% of terms are reappointments of the holder, so people are 85% of terms.
        generator.mean_term_years = min(float(plan.years), max(1.0, seat_years * 0.85 / plan.people))
        secretariat = (
            secretariat_create(systems, partnerships, generator.prefix, today, report) if plan.secretariat else {}
        )
        share, remainder = divmod(plan.meetings, len(partnerships))
        for index, partnership in enumerate(partnerships):
            terms = generator.people(partnership, seats[partnership.pk])
            count = share + (1 if index < remainder else 0)
            meetings = generator.meetings(partnership, count, secretariat.get(partnership.ics_id))
            items = generator.agendas(meetings)
            generator.concerns(partnership, items)
            generator.papers(partnership, meetings, items)
            minutes, decisions, actions = generator.records(partnership, meetings, items, terms, seats[partnership.pk])
            generator.documents(partnership, meetings, items, minutes)
            generator.strategy(partnership, items, decisions, actions)
        if plan.secretariat:
            # Only these partnerships have users holding roles (no generated person has an account).
            for partnership in partnerships:
                permissions_sync(partnership)
            report.notes.append(f"Permissions synced for {len(partnerships)} partnerships with a secretariat.")
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather them later: without them the first
        # queries on the new rows are planned as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report


def generated_partnerships(batch: int = 1):
    """The partnerships of one generated batch (for tests and the benchmark)."""
    prefix = batch_prefix(batch)
    queryset = Partnership.objects.filter(slug__startswith=prefix)
    if batch == 1:
        queryset = queryset.exclude(slug__regex=rf"^{PREFIX}b[0-9]+-")
    return queryset


__all__ = [
    "PREFIX",
    "SHARED_PAPER_NAME",
    "Plan",
    "ReferenceDataMissing",
    "Report",
    "generated_batches",
    "generated_partnerships",
    "national_generate",
]
