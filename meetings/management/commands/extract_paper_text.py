"""Extract the text of paper versions stored before their text was extracted at upload (or whose
extraction was never run: a broker down at the time), so search finds them by it. Versions
already extracted are left alone, so running it again does nothing new; `--all` extracts every
version again (after a change to how text is extracted)."""

from django.core.management.base import BaseCommand

from meetings.models import PaperText, PaperVersion
from meetings.services import paper_version_extract_text, paper_versions_never_extracted


class Command(BaseCommand):
    help = "Extract the text of paper versions not extracted yet, for search (--all: every version again)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Extract every version again, not only new ones.")

    def handle(self, *args, all, **options):
        if all:
            versions, already = PaperVersion.objects.only("pk", "file").order_by("pk"), 0
        else:
            versions, already = paper_versions_never_extracted(), PaperText.objects.count()
        extracted = without_text = 0
        for version in versions.iterator():
            stored = paper_version_extract_text(version=version, again=all)
            extracted += 1
            without_text += not stored.text
        summary = (
            f"Extracted the text of {extracted} paper version(s): {extracted - without_text} with text, "
            f"{without_text} without (no text layer, or the file could not be read: see the log)."
        )
        if not all:
            summary += f" {already} already extracted, left alone (--all extracts them again)."
        self.stdout.write(summary)
