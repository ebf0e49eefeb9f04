"""Health endpoints, for container restart policies, load balancers and monitoring.

- `/healthz/live` (and `/healthz`, the address older probes use): the process answers. No
  dependency is checked, so a database or worker outage never gets a healthy web container
  restarted. Docker's health check of `web` calls it.
- `/healthz/ready`: this web process can serve pages: the database, the cache and (full mode)
  the broker each answer. 503 when one does not; a load balancer stops sending traffic.
- `/healthz/deps`: the background machinery (full mode): whether Celery workers answer a ping,
  whether beat is alive and whether the tasks it schedules run. 503 when one is not; for
  monitoring and alerts, never for restarting web.

Every answer is JSON and never cached. Requests from the machine itself (127.0.0.1, ::1) are
answered before host validation (`LoopbackHealthMiddleware`), so a container's own health check
works whatever ALLOWED_HOSTS says; requests through the proxy go through the usual stack.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app

logger = logging.getLogger(__name__)

# Beat's heartbeat, in the cache (Redis in full mode, which every process shares). Beat itself
# records when it sends the heartbeat task (`beat_seen`); the worker that runs the task records
# when it ran (`heartbeat_ran`). The first says beat is alive, even while no worker is; the
# second says scheduled work is actually being done.
BEAT_SEEN_KEY = "health:beat:seen"
HEARTBEAT_RAN_KEY = "health:beat:heartbeat-ran"


def heartbeat_record(key: str) -> None:
    """Store the time now under `key`, for a day (a heartbeat older than that is long stale)."""
    cache.set(key, time.time(), 24 * 3600)


def heartbeat_age(key: str) -> float | None:
    """Seconds since the heartbeat under `key` was recorded; None if it never was (or expired)."""
    recorded = cache.get(key)
    return None if recorded is None else max(0.0, time.time() - float(recorded))


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _check_broker():
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_workers():
    replies = app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no Celery worker answered a ping")
    names = sorted(name for reply in replies for name in reply)
    return f"{len(names)} worker(s) answered: {', '.join(names)}"


def _fresh(key: str, what: str) -> str:
    age = heartbeat_age(key)
    limit = settings.BEAT_STALE_AFTER_SECONDS
    if age is None:
        raise RuntimeError(f"{what}: no heartbeat recorded")
    if age > limit:
        raise RuntimeError(f"{what}: last heartbeat {age:.0f} s ago (stale after {limit} s)")
    return f"last heartbeat {age:.0f} s ago"


def _check_beat():
    return _fresh(BEAT_SEEN_KEY, "beat has not sent its heartbeat task")


def _check_schedule():
    return _fresh(HEARTBEAT_RAN_KEY, "no worker has run beat's heartbeat task")


def readiness_checks():
    """What this web process needs to serve pages, each (name, callable)."""
    found = [("database", _check_database), ("cache", _check_cache)]
    if settings.FULL_MODE:
        found.append(("broker", _check_broker))
    return found


def dependency_checks():
    """The background machinery of full mode. The embedded default has none: tasks run in-process."""
    if not settings.FULL_MODE:
        return []
    return [("workers", _check_workers), ("beat", _check_beat), ("schedule", _check_schedule)]


def _report(found) -> JsonResponse:
    results, healthy = {}, True
    for name, check in found:
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
    response = JsonResponse(body, status=200 if healthy else 503)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
def live(request):
    """The process answers. Deliberately checks nothing else."""
    response = JsonResponse({"status": "up"})
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
def ready(request):
    return _report(readiness_checks())


@never_cache
def deps(request):
    return _report(dependency_checks())


# Paths answered by the middleware, each with its view; urls.py routes the same views.
VIEWS = {"/healthz": live, "/healthz/live": live, "/healthz/ready": ready, "/healthz/deps": deps}


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class LoopbackHealthMiddleware:
    """Answer GET and HEAD of the health paths from 127.0.0.1 or ::1 before anything else runs.

    A container's health check calls http://127.0.0.1:8000/healthz/live, whose Host header is
    not in ALLOWED_HOSTS: Django would answer 400 (CommonMiddleware validates the host) or
    redirect to HTTPS. Host validation protects what a view builds from the host (absolute
    links, password reset emails); these views build nothing from it, and read nothing from the
    request but its path. Only loopback clients are served here: everyone else, the proxy
    included, goes through the usual stack and its host validation. Place it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD") and _is_loopback(request.META.get("REMOTE_ADDR", "")):
            return view(request)
        return self.get_response(request)
