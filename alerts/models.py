"""Email alerts: people who follow a partnership, a system or a saved search, the events
the record announces, and one delivery row per subscription and event.

Nothing here stores what an email says. An event names its source by id; what the public
may read of it is worked out when each email is sent (`alerts.presenters`), so something
made exempt, private or withdrawn after it was announced is never sent.
"""

import uuid

from django.db import models
from django.db.models.functions import Lower

from partnerships.models import IntegratedCareSystem, Partnership


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not ended: the subscriptions alerts are sent to."""
        return self.filter(confirmed_at__isnull=False, ended_at__isnull=True)


class Subscription(models.Model):
    """One address following one thing. No account: the address is proved by the
    confirmation link (double opt-in) and the token in every email ends it."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "An email for each publication"
        DAILY = "daily", "One email a day listing them (a daily digest)"

    class EndReason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Email bounced"

    email = models.EmailField(max_length=254)
    # Exactly one of these three is what is followed (a database check says so).
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    ics = models.ForeignKey(
        IntegratedCareSystem, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    query = models.CharField("saved search", max_length=200, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    # In every email's unsubscribe link; unguessable, so links cannot be enumerated.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(partnership__isnull=False, ics__isnull=True, query="")
                    | models.Q(partnership__isnull=True, ics__isnull=False, query="")
                    | (models.Q(partnership__isnull=True, ics__isnull=True) & ~models.Q(query=""))
                ),
                name="subscription_follows_one_thing",
            ),
        ]
        indexes = [models.Index(Lower("email"), name="subscription_email")]

    def __str__(self):
        return f"{self.email} follows {self.followed}"

    @property
    def followed(self) -> str:
        """What is followed, in words."""
        if self.partnership_id:
            return self.partnership.name
        if self.ics_id:
            return f"{self.ics.name} integrated care system"
        return f"the search “{self.query}”"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None


class SuppressedAddress(models.Model):
    """An address no email is sent to: the mail relay reported it bounced for good, or it
    complained. Keyed by the address in lower case."""

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "suppressed addresses"

    def __str__(self):
        return self.email


class AlertEvent(models.Model):
    """Something that reached the public record, announced by a service on commit."""

    class Kind(models.TextChoices):
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        AGENDA_CHANGED = "agenda_changed", "Supplementary agenda"
        PAPERS_ADDED = "papers_added", "Papers added"
        MINUTES_PUBLISHED = "minutes_published", "Draft minutes published"
        MINUTES_APPROVED = "minutes_approved", "Minutes approved"
        DECISION_RECORDED = "decision_recorded", "Decision recorded"
        STRATEGY_PUBLISHED = "strategy_published", "Strategy published"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="alert_events")
    # The meeting, agenda change, minutes, decision or strategy version, by kind.
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # When deliveries were made for it; the sweeper fans out events a lost message left behind.
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An event announced twice (a retried request) is one event.
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_alert_event_per_object"),
        ]
        indexes = [models.Index(fields=["fanned_out_at", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.partnership})"


class Delivery(models.Model):
    """One event for one subscription: sent at most once (the unique constraint), by
    itself or in a daily digest."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent (no longer public, or the address ended)"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_subscription_event"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.event} to {self.subscription.email}"
