from django.db import models


class PdfAccessibility(models.Model):
    """What an uploaded PDF offers a screen reader, keyed by the checksum of the stored bytes
    (`PaperVersion.sha256`, `EvidenceFile.sha256`): a title, a language, and tags (the
    structure that says what is a heading, a table, a list). Facts about content, recorded
    when the file is checked (`meetings.validators.inspect_pdf`); the accessibility statement
    lists the public papers whose file lacks tags from these rows, at read time."""

    sha256 = models.CharField(max_length=64, unique=True)
    has_title = models.BooleanField()
    has_language = models.BooleanField()
    is_tagged = models.BooleanField()
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "icp_portal_pdfaccessibility"  # from when it was icp_portal's: no data moved
        verbose_name = "PDF accessibility check"

    def __str__(self):
        return f"{self.sha256[:12]}: {', '.join(self.gaps) or 'accessible'}"

    @property
    def gaps(self) -> list[str]:
        """What is missing, in words: 'no title', 'no language', 'no tags'."""
        wanted = (("no title", self.has_title), ("no language", self.has_language), ("no tags", self.is_tagged))
        return [words for words, present in wanted if not present]
