"""Thin Celery tasks: take primary keys, load, call a notification. Mail servers fail
transiently, so sending is retried with backoff."""

import smtplib

from celery import shared_task

from . import notifications
from .models import Strategy, StrategyVersion

RETRY = {"autoretry_for": (OSError, smtplib.SMTPException), "retry_backoff": 30, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def notify_chairs_of_submission(version_pk: int) -> int:
    version = StrategyVersion.objects.select_related("strategy__partnership").filter(pk=version_pk).first()
    return notifications.submission_notify(version=version) if version else 0


@shared_task(**RETRY)
def notify_secretariat_of_decision(version_pk: int) -> int:
    version = StrategyVersion.objects.select_related("strategy__partnership").filter(pk=version_pk).first()
    return notifications.decision_notify(version=version) if version else 0


@shared_task(**RETRY)
def notify_secretariat_of_review_due(strategy_pk: int) -> int:
    strategy = Strategy.objects.select_related("partnership").filter(pk=strategy_pk).first()
    return notifications.review_due_notify(strategy=strategy) if strategy else 0
