"""/healthz: is everything the portal needs up? JSON, 503 when something required is down."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _check_broker():
    from icp_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_worker():
    from icp_portal.celery import app

    replies = app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"{len(replies)} worker(s) answered"


def checks():
    """The checks that apply in this mode, each (name, callable)."""
    found = [("database", _check_database), ("cache", _check_cache)]
    if settings.FULL_MODE:
        found += [("broker", _check_broker), ("worker", _check_worker)]
    return found


@never_cache
def healthz(request):
    results, healthy = {}, True
    for name, check in checks():
        try:
            detail = check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down", and we say why
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = {"status": "down", "error": str(exc)[:200]}
            healthy = False
        else:
            results[name] = {"status": "up", **({"detail": detail} if detail else {})}
    mode = "full" if settings.FULL_MODE else "embedded"
    body = {"status": "up" if healthy else "down", "mode": mode, "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
