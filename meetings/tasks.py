from celery import shared_task

from . import exemptions
from .models import PaperVersion
from .services import paper_version_extract_text, paper_versions_never_extracted


@shared_task(ignore_result=True)
def exemption_reviews_remind() -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): email each secretariat the exemptions due for
    review. Idempotent: an exemption is reminded once per review date (meetings.exemptions)."""
    return exemptions.reminders_send()


# At most this many versions per sweep, so one run stays short whatever was missed.
SWEEP_BATCH = 200


@shared_task(ignore_result=True)
def paper_texts_sweep() -> int:
    """Hourly (settings.CELERY_BEAT_SCHEDULE): extract the text of versions whose extraction
    never ran (the broker was down when they were uploaded), oldest first. A version extracted
    with no text has its row and is not tried again. Returns how many were extracted."""
    versions = paper_versions_never_extracted()[:SWEEP_BATCH]
    for version in versions:
        paper_version_extract_text(version=version)
    return len(versions)


@shared_task(ignore_result=True)
def paper_text_extract(version_pk: int) -> None:
    """Extract a paper version's text for search, after its upload commits. Idempotent: a version
    already extracted is left alone, and one deleted since (its item removed) is skipped."""
    version = PaperVersion.objects.filter(pk=version_pk).first()
    if version is not None:
        paper_version_extract_text(version=version)
