import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

TRANSIENT = (services.TransientSendError, OperationalError, InterfaceError)


@shared_task(acks_late=True)
def fan_out_event(event_pk: int) -> int:
    return services.event_fan_out(event_pk=event_pk)


@shared_task(bind=True, acks_late=True, max_retries=5)
def send_alert(self, delivery_pk: int) -> str | None:
    """Send one alert; retried with backoff while the mail relay is unavailable. Sent at most
    once: the delivery is claimed before the email goes."""
    try:
        return services.delivery_send(delivery_pk=delivery_pk)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            services.delivery_give_up(
                delivery_pk=delivery_pk, error=f"Gave up after {self.max_retries + 1} attempts: {exc}"
            )
            logger.error("Alert delivery %s failed for good: %s", delivery_pk, exc)
            return None
        raise self.retry(exc=exc, countdown=min(3600, 60 * 2**self.request.retries)) from exc


@shared_task
def send_daily_digests() -> int:
    return services.digests_send()


@shared_task
def sweep_alerts() -> dict[str, int]:
    return services.alerts_sweep()
