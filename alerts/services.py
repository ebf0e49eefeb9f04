"""Alerts: subscribe (double opt-in), confirm, unsubscribe, record events, fan them out to
deliveries, send each delivery once, and send the daily digests.

An event is recorded when a service announces it on commit (`alerts.receivers`). Fanning it
out writes one `Delivery` per matching subscription (the unique constraint makes a second
fan-out, or a redelivered message, write nothing new). A delivery is claimed with a
conditional update (pending → sending) before its email goes, so two workers never send the
same one: an email is sent at most once. What an email says is read when it is sent, from
`meetings.publications`, so nothing that stopped being public is ever sent.
"""

import datetime as dt
import hashlib
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.limits import within_limit
from core.tasks import send_on_commit
from meetings.publications import Publication, publication

from . import emails
from .models import AlertEvent, Delivery, Subscription, SuppressedAddress

logger = logging.getLogger(__name__)

CONFIRM_SALT = "alerts.confirm"
Status = Delivery.Status


class TransientSendError(Exception):
    """The mail relay could not take the email now; trying again later may work."""


class InvalidLink(Exception):
    """A confirmation link that is not ours, has expired, or was used already."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(email=normalise_email(email)).exists()


def _address_key(email: str) -> str:
    # Cache keys must be short and plain; an email address is neither (and stays out of Redis).
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _send_on_commit(task, *args) -> None:
    send_on_commit(task, *args, then="the alerts sweeper will retry")


# Subscribing --------------------------------------------------------------------------------


def confirmation_token(subscription: Subscription) -> str:
    """A signed, dated link token for confirming `subscription`."""
    return signing.dumps(str(subscription.token), salt=CONFIRM_SALT)


@transaction.atomic
def subscription_request(
    *, email: str, frequency: str, partnership=None, ics=None, query: str = "", client: str | None = None
) -> Subscription | None:
    """Ask to follow one thing: writes an unconfirmed subscription and emails a link to
    confirm it. Nothing is sent (None) to a suppressed address or beyond the rate limits,
    and the caller says the same thing either way, so the answer never tells whether an
    address is known."""
    email = normalise_email(email)
    query = " ".join(query.split())
    if not within_limit(
        f"alerts:address:{_address_key(email)}", settings.ALERT_REQUESTS_PER_ADDRESS, window=settings.ALERT_WINDOW
    ):
        logger.warning("Alerts: request limit reached for an address; nothing sent.")
        return None
    if client and not within_limit(
        f"alerts:client:{client}", settings.ALERT_REQUESTS_PER_CLIENT, window=settings.ALERT_WINDOW
    ):
        logger.warning("Alerts: request limit reached for client %s; nothing sent.", client)
        return None
    if is_suppressed(email):
        return None
    target = {"partnership": partnership, "ics": ics, "query": query}
    subscription = (
        Subscription.objects.filter(email=email, confirmed_at__isnull=True, ended_at__isnull=True, **target)
        .order_by("-pk")
        .first()
    )
    if subscription is None:
        subscription = Subscription.objects.create(email=email, frequency=frequency, **target)
    elif subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
    message = emails.confirmation(subscription, confirmation_token(subscription))
    transaction.on_commit(lambda: _send_quietly(message))
    return subscription


def _send_quietly(message) -> None:
    try:
        message.send()
    except OSError:
        # The visitor can ask again; an unconfirmed subscription sends nothing.
        logger.exception("Alerts: could not send a confirmation email")


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Confirm the subscription a confirmation link names. A link works once, within
    ALERT_CONFIRM_DAYS; confirming replaces the address's earlier subscription to the same
    thing (so changing the frequency is following again)."""
    try:
        raw = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.ALERT_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired:
        raise InvalidLink("This link has expired. Follow again to get a new one.") from None
    except signing.BadSignature:
        raise InvalidLink("This link is not valid. Check that you copied all of it from the email.") from None
    subscription = Subscription.objects.select_for_update().filter(token=raw).first()
    if subscription is None or subscription.ended_at is not None:
        raise InvalidLink("This link is no longer valid. Follow again to get a new one.")
    if subscription.confirmed_at is not None:
        raise InvalidLink("This link was used already: you are following it.")
    now = timezone.now()
    Subscription.objects.active().filter(
        email=subscription.email, partnership=subscription.partnership, ics=subscription.ics, query=subscription.query
    ).update(ended_at=now, end_reason=Subscription.EndReason.UNSUBSCRIBED)
    subscription.confirmed_at = now
    subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_end(*, subscription: Subscription, reason: str = Subscription.EndReason.UNSUBSCRIBED) -> bool:
    """End `subscription` (idempotent): nothing more is sent for it, digests included.
    True if this call ended it."""
    ended = Subscription.objects.filter(pk=subscription.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
    Delivery.objects.filter(subscription=subscription, status=Status.PENDING).update(status=Status.SKIPPED)
    return bool(ended)


@transaction.atomic
def address_suppress(*, email: str, reason: str) -> int:
    """Stop sending to `email` for good (a hard bounce or a complaint reported by the mail
    relay): ends its subscriptions. Returns how many subscriptions it ended."""
    email = normalise_email(email)
    SuppressedAddress.objects.get_or_create(email=email, defaults={"reason": reason[:200]})
    subscriptions = list(Subscription.objects.filter(email=email, ended_at__isnull=True))
    for subscription in subscriptions:
        subscription_end(subscription=subscription, reason=Subscription.EndReason.BOUNCED)
    return len(subscriptions)


# Events and deliveries ---------------------------------------------------------------------


def event_record(*, kind: str, partnership_id: int, object_id: int) -> AlertEvent | None:
    """Record an announced event (once per kind and object) and fan it out in the background."""
    from .tasks import fan_out_event

    with transaction.atomic():
        event, created = AlertEvent.objects.get_or_create(
            kind=kind, object_id=object_id, defaults={"partnership_id": partnership_id}
        )
        if created:
            _send_on_commit(fan_out_event, event.pk)
    return event


def _matches(query: str, entry: Publication) -> bool:
    """A saved search matches an entry that contains every one of its words."""
    text = entry.text.casefold()
    return all(word in text for word in query.casefold().split())


@transaction.atomic
def event_fan_out(*, event_pk: int) -> int:
    """Write a delivery for each active subscription the event concerns and send the
    immediate ones. Idempotent. Returns how many deliveries it wrote."""
    from .tasks import send_alert

    event = AlertEvent.objects.select_for_update().filter(pk=event_pk).first()
    if event is None or event.fanned_out_at is not None:
        return 0
    entry = publication(event.kind, event.object_id)
    created = []
    if entry is not None:
        partnership = entry.partnership
        # A sub-partnership's publications reach those who follow its parent too.
        followed = Q(partnership_id=partnership.pk) | Q(ics_id=partnership.ics_id) | ~Q(query="")
        if partnership.parent_id:
            followed |= Q(partnership_id=partnership.parent_id)
        subscriptions = (
            Subscription.objects.active()
            .filter(followed)
            .exclude(email__in=SuppressedAddress.objects.values("email"))
            .only("pk", "query", "frequency")
        )
        rows = [Delivery(subscription=s, event=event) for s in subscriptions if not s.query or _matches(s.query, entry)]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        created = rows
    event.fanned_out_at = timezone.now()
    event.save(update_fields=["fanned_out_at"])
    immediate = Delivery.objects.filter(
        event=event, status=Status.PENDING, subscription__frequency=Subscription.Frequency.IMMEDIATE
    ).values_list("pk", flat=True)
    for delivery_pk in immediate:
        _send_on_commit(send_alert, delivery_pk)
    return len(created)


def _claim(delivery_pks) -> list[int]:
    """Claim pending deliveries for sending; those another worker claimed first are left out."""
    claimed = []
    for pk in delivery_pks:
        if Delivery.objects.filter(pk=pk, status=Status.PENDING).update(
            status=Status.SENDING, attempts=F("attempts") + 1
        ):
            claimed.append(pk)
    return claimed


def _release(delivery_pks, error: str) -> None:
    Delivery.objects.filter(pk__in=delivery_pks, status=Status.SENDING).update(status=Status.PENDING, error=error)


def _finish(delivery_pks, status: str, error: str = "") -> None:
    sent_at = timezone.now() if status == Status.SENT else None
    Delivery.objects.filter(pk__in=delivery_pks).update(status=status, sent_at=sent_at, error=error)


def _send(message, delivery_pks) -> None:
    """Send `message` for `delivery_pks` (claimed): sent, failed for good, or released for a retry."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        _finish(delivery_pks, Status.FAILED, f"Refused by the mail relay: {exc}")
        return
    except OSError as exc:  # smtplib's errors are OSErrors: connection lost, relay busy
        _release(delivery_pks, f"{type(exc).__name__}: {exc}")
        raise TransientSendError(str(exc)) from exc
    _finish(delivery_pks, Status.SENT)


def delivery_send(*, delivery_pk: int) -> str | None:
    """Send one alert, at most once. The status it ended in, or None if it was not ours to send."""
    if not _claim([delivery_pk]):
        return None
    delivery = Delivery.objects.select_related("subscription__partnership", "subscription__ics", "event").get(
        pk=delivery_pk
    )
    subscription = delivery.subscription
    entry = publication(delivery.event.kind, delivery.event.object_id)
    if entry is None or not subscription.is_active or is_suppressed(subscription.email):
        _finish([delivery_pk], Status.SKIPPED)
        return Status.SKIPPED
    _send(emails.alert(subscription, entry), [delivery_pk])
    return Status.SENT


def delivery_give_up(*, delivery_pk: int, error: str) -> None:
    """After the last retry: recorded as failed, never sent."""
    Delivery.objects.filter(pk=delivery_pk, status__in=[Status.PENDING, Status.SENDING]).update(
        status=Status.FAILED, error=error
    )


def digest_send(*, subscription_pk: int) -> int:
    """Send one daily digest of a subscription's pending deliveries (each at most once).
    Returns how many publications it listed."""
    subscription = Subscription.objects.select_related("partnership", "ics").filter(pk=subscription_pk).first()
    if subscription is None:
        return 0
    pending = list(
        Delivery.objects.filter(subscription=subscription, status=Status.PENDING).values_list("pk", flat=True)
    )
    claimed = _claim(pending)
    if not claimed:
        return 0
    if not subscription.is_active or is_suppressed(subscription.email):
        _finish(claimed, Status.SKIPPED)
        return 0
    deliveries = Delivery.objects.filter(pk__in=claimed).select_related("event").order_by("event__created_at", "pk")
    listed, skipped, entries = [], [], []
    for delivery in deliveries:
        entry = publication(delivery.event.kind, delivery.event.object_id)
        if entry is None:
            skipped.append(delivery.pk)
        else:
            listed.append(delivery.pk)
            entries.append(entry)
    _finish(skipped, Status.SKIPPED)
    if entries:
        _send(emails.digest(subscription, entries), listed)
    return len(entries)


def digests_send() -> int:
    """Send every daily digest due. Returns how many digests went."""
    subscription_pks = (
        Delivery.objects.filter(status=Status.PENDING, subscription__frequency=Subscription.Frequency.DAILY)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    sent = 0
    for subscription_pk in list(subscription_pks):
        try:
            sent += bool(digest_send(subscription_pk=subscription_pk))
        except TransientSendError:
            logger.warning("Alerts: digest for subscription %s not sent; tomorrow's will include it", subscription_pk)
    return sent


def alerts_sweep() -> dict[str, int]:
    """Pick up what a lost message left behind: events not fanned out and immediate alerts
    not sent after a grace period."""
    from .tasks import fan_out_event, send_alert

    before = timezone.now() - dt.timedelta(seconds=settings.ALERT_SWEEP_GRACE_SECONDS)
    events = list(
        AlertEvent.objects.filter(fanned_out_at__isnull=True, created_at__lt=before).values_list("pk", flat=True)
    )
    deliveries = list(
        Delivery.objects.filter(
            status=Status.PENDING,
            created_at__lt=before,
            subscription__frequency=Subscription.Frequency.IMMEDIATE,
        ).values_list("pk", flat=True)
    )
    for pk in events:
        _send_on_commit(fan_out_event, pk)
    for pk in deliveries:
        _send_on_commit(send_alert, pk)
    return {"events": len(events), "deliveries": len(deliveries)}
