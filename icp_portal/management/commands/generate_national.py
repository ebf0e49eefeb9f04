"""Synthetic national-scale data for benchmarks (see icp_portal/national/)."""

import time

from django.core.management.base import BaseCommand, CommandError

from icp_portal.national import (
    PREFIX,
    SHARED_PAPER_NAME,
    Plan,
    ReferenceDataMissing,
    generated_batches,
    national_generate,
)


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic data at national scale on top of the reference geography: at "
        "--scale 1, all 42 systems, ~60 partnerships, ~10,000 fictional people with membership history, "
        "15 years of meetings (~5,000 meetings, ~60,000 agenda items, ~150,000 papers), minutes, decisions "
        "and actions. Papers are metadata only: every paper version points at one small PDF written once "
        f"through the default storage at '{SHARED_PAPER_NAME}' (MEDIA_ROOT/{SHARED_PAPER_NAME} with the "
        f"filesystem storage). Generated partnerships' slugs start with '{PREFIX}'. For benchmarks and "
        "development machines only; needs manage.py load_reference_data first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is the design size; 0.05 for a quick run.")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random generator (default 2026).")
        parser.add_argument(
            "--force", action="store_true", help="Add another batch even if generated data is already there."
        )
        parser.add_argument(
            "--no-secretariat",
            action="store_true",
            help="Create no secretariat accounts (and so sync no permissions).",
        )

    def handle(self, *args, scale, seed, force, no_secretariat, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        batches = generated_batches()
        if batches and not force:
            raise CommandError(
                f"This database already holds generated national data ({batches} batch(es): partnerships whose "
                f"slug starts with '{PREFIX}'). Use a fresh database, or pass --force to add another batch."
            )
        plan = Plan.for_scale(scale, secretariat=not no_secretariat)
        self.stdout.write(
            f"Generating scale {scale:g} (seed {seed}): {plan.systems} systems, {plan.partnerships} partnerships, "
            f"~{plan.people:,} people, ~{plan.meetings:,} meetings over {plan.years} years…"
        )
        started = time.perf_counter()
        try:
            report = national_generate(plan, seed=seed)
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        width = max(len(kind) for kind in report.created)
        for kind, number in sorted(report.created.items()):
            self.stdout.write(f"  {kind:<{width}}  {number:>9,}")
        for note in report.notes:
            self.stdout.write(f"  {note}")
        if no_secretariat:
            self.stdout.write("  No secretariat accounts: permissions were not synced.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated batch {report.batch} in {elapsed:.1f} s ({sum(report.created.values()):,} rows)."
            )
        )
