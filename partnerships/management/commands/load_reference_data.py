from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.reference import REFERENCE_DIR, ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = (
        "Load or update NHS regions, integrated care systems and boards, and upper-tier councils, then apply "
        "the dated change sets (mergers, boundary changes, reorganisations) not yet applied."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=REFERENCE_DIR,
            help="Folder holding the reference CSV files (default: the copy shipped with the portal).",
        )
        parser.add_argument(
            "--changes",
            type=Path,
            default=None,
            help="Folder holding the change sets (*.toml) to apply after the CSV files "
            "(default: the changes/ folder beside them). See docs/reference-data.md.",
        )

    def handle(self, *args, directory, changes, **options):
        try:
            report = load_reference_data(directory, changes=changes)
        except ReferenceDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        kinds = sorted(set(report.created) | set(report.updated) | set(report.unchanged))
        for kind in kinds:
            self.stdout.write(
                f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated, "
                f"{report.unchanged[kind]} unchanged"
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data is already up to date: nothing changed."))
