"""The emails alerts send: plain text, with a working unsubscribe link in the body and in
the `List-Unsubscribe` header (one-click, RFC 8058) of every one of them."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from meetings.publications import Publication

from .models import Subscription


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": subscription.token}))


def _one_line(text: str) -> str:
    # A header never holds a line break (Django refuses one); titles are the secretariat's text.
    return " ".join(text.split())[:200]


def _message(subscription: Subscription, *, subject: str, template: str, context: dict) -> EmailMessage:
    unsubscribe = unsubscribe_url(subscription)
    body = render_to_string(
        template,
        {
            **context,
            "subscription": subscription,
            "unsubscribe_url": unsubscribe,
            "portal_name": settings.PORTAL_NAME,
        },
    )
    return EmailMessage(
        subject=_one_line(subject),
        body=body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def confirmation(subscription: Subscription, token: str) -> EmailMessage:
    return _message(
        subscription,
        subject=f"Confirm that you want to follow {subscription.followed}",
        template="alerts/email/confirm.txt",
        context={
            "confirm_url": absolute(reverse("alerts:confirm", kwargs={"token": token})),
            "days": settings.ALERT_CONFIRM_DAYS,
        },
    )


def alert(subscription: Subscription, entry: Publication) -> EmailMessage:
    subject = (
        entry.title
        if subscription.partnership_id == entry.partnership.pk
        else (f"{entry.partnership.name}: {entry.title}")
    )
    return _message(
        subscription,
        subject=subject,
        template="alerts/email/alert.txt",
        context={"entry": entry, "url": absolute(entry.path)},
    )


def digest(subscription: Subscription, entries: list[Publication]) -> EmailMessage:
    count = len(entries)
    return _message(
        subscription,
        subject=f"{count} new publication{'s' if count != 1 else ''}: {subscription.followed}",
        template="alerts/email/digest.txt",
        context={"entries": [(entry, absolute(entry.path)) for entry in entries]},
    )
