from celery import shared_task

from . import exemptions


@shared_task(ignore_result=True)
def exemption_reviews_remind() -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): email each secretariat the exemptions due for
    review. Idempotent: an exemption is reminded once per review date (meetings.exemptions)."""
    return exemptions.reminders_send()
