from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.changes import CHANGES_DIR, load_change_sets
from partnerships.reference import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Apply the reference-data change sets (mergers, boundary changes, reorganisations) not yet applied, "
        "all or nothing. load_reference_data runs this too, after the CSV files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--changes",
            type=Path,
            default=CHANGES_DIR,
            help="Folder holding the change sets, one *.toml file per change (default: the portal's own).",
        )

    def handle(self, *args, changes, **options):
        try:
            report = load_change_sets(changes)
        except ReferenceDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        for kind in sorted(set(report.created) | set(report.updated) | set(report.unchanged)):
            self.stdout.write(
                f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated, "
                f"{report.unchanged[kind]} unchanged"
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Change sets applied."))
        else:
            self.stdout.write(self.style.SUCCESS("Every change set is already applied: nothing changed."))
