"""Record what screen readers will miss in papers stored before uploads were checked for it, so
that the accessibility statement lists them too. Papers checked at upload are skipped: running
it again does nothing new."""

from django.core.management.base import BaseCommand

from meetings.models import PaperVersion, PdfAccessibility
from meetings.validators import accessibility_check_stored


class Command(BaseCommand):
    help = "Check the stored paper files that have no accessibility record yet (title, language, tags)."

    def handle(self, *args, **options):
        checked = set(PdfAccessibility.objects.values_list("sha256", flat=True))
        versions = PaperVersion.objects.exclude(sha256__in=checked).only("pk", "sha256", "file").order_by("pk")
        count = untagged = 0
        for version in versions.iterator():
            if version.sha256 in checked:
                continue  # the same file in another version
            with version.file.open("rb") as handle:
                gaps = accessibility_check_stored(handle.read())
            checked.add(version.sha256)
            count += 1
            untagged += "no tags" in gaps
        self.stdout.write(f"Checked {count} file(s): {untagged} without tags.")
