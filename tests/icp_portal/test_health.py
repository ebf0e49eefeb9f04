"""Liveness, readiness and the background report (icp_portal/health.py)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.signals import after_task_publish, beat_init
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from icp_portal import health
from icp_portal.celery import HEARTBEAT_TASK, app
from icp_portal.tasks import beat_heartbeat

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = "203.0.113.9"  # a client that is not this machine (TEST-NET-3)


def _broken(message="connection refused"):
    def check():
        raise RuntimeError(message)

    return check


@pytest.fixture
def everything_down(monkeypatch):
    for name in ("_check_database", "_check_cache", "_check_broker", "_check_workers", "_check_beat"):
        monkeypatch.setattr(health, name, _broken())


# Liveness -----------------------------------------------------------------------------------


def test_live_answers_while_every_dependency_is_down(client, settings, everything_down):
    """No `db` fixture: the test fails if liveness touches the database at all."""
    settings.FULL_MODE = True
    for name in ("healthz_live", "healthz"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.json() == {"status": "up"}
        assert response["Cache-Control"].startswith("max-age=0")


# Readiness ----------------------------------------------------------------------------------


def test_ready_in_embedded_mode_checks_the_database_and_cache(client, db, settings):
    settings.FULL_MODE = False
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "up"
    assert body["mode"] == "embedded"
    assert set(body["checks"]) == {"database", "cache"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_ready_says_503_when_the_database_is_down(client, db, monkeypatch, settings):
    settings.FULL_MODE = False
    monkeypatch.setattr(health, "_check_database", _broken())
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "down", "error": "connection refused"}


def test_ready_in_full_mode_reports_a_dead_broker(client, db, settings):
    settings.FULL_MODE = True
    before = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz_ready"))
    finally:
        app.conf.broker_url = before
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "down"
    assert checks["database"]["status"] == "up"


def test_ready_does_not_depend_on_workers_or_beat(client, db, monkeypatch, settings):
    """Web must stay in service while the worker is down: readiness never asks for it."""
    settings.FULL_MODE = True
    monkeypatch.setattr(health, "_check_broker", lambda: None)
    monkeypatch.setattr(health, "_check_workers", _broken("no Celery worker answered a ping"))
    monkeypatch.setattr(health, "_check_beat", _broken("stale"))
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache", "broker"}


@pytest.mark.skipif(not django_settings.FULL_MODE, reason="needs REDIS_URL (runs in CI's full mode)")
def test_ready_against_real_redis(client, db):
    checks = client.get(reverse("healthz_ready")).json()["checks"]
    assert checks["cache"]["status"] == "up"
    assert checks["broker"]["status"] == "up"


# The background report ----------------------------------------------------------------------


def test_deps_in_embedded_mode_has_nothing_to_report(client, settings):
    settings.FULL_MODE = False
    response = client.get(reverse("healthz_deps"))
    assert response.status_code == 200
    assert response.json() == {"status": "up", "mode": "embedded", "checks": {}}


def test_deps_reports_no_worker_and_no_beat(client, settings, fresh_cache, monkeypatch):
    settings.FULL_MODE = True
    monkeypatch.setattr(health, "_check_workers", _broken("no Celery worker answered a ping"))
    response = client.get(reverse("healthz_deps"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["workers"] == {"status": "down", "error": "no Celery worker answered a ping"}
    assert checks["beat"]["status"] == "down"
    assert "no heartbeat recorded" in checks["beat"]["error"]
    assert checks["schedule"]["status"] == "down"


def test_deps_is_up_with_a_worker_and_fresh_heartbeats(client, settings, fresh_cache, monkeypatch):
    settings.FULL_MODE = True
    monkeypatch.setattr(health, "_check_workers", lambda: "1 worker(s) answered: worker@web-1")
    health.heartbeat_record(health.BEAT_SEEN_KEY)
    beat_heartbeat()  # what a worker does when beat's heartbeat task reaches it
    response = client.get(reverse("healthz_deps"))
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["workers"]["detail"] == "1 worker(s) answered: worker@web-1"
    assert checks["beat"]["status"] == checks["schedule"]["status"] == "up"


def test_beat_is_stale_after_a_few_minutes(client, settings, fresh_cache, monkeypatch):
    settings.FULL_MODE = True
    settings.BEAT_STALE_AFTER_SECONDS = 300
    monkeypatch.setattr(health, "_check_workers", lambda: "ok")
    cache.set(health.HEARTBEAT_RAN_KEY, time.time() - 10)
    cache.set(health.BEAT_SEEN_KEY, time.time() - 290)
    assert client.get(reverse("healthz_deps")).status_code == 200
    cache.set(health.BEAT_SEEN_KEY, time.time() - 310)
    response = client.get(reverse("healthz_deps"))
    assert response.status_code == 503
    assert "stale after 300 s" in response.json()["checks"]["beat"]["error"]
    assert response.json()["checks"]["schedule"]["status"] == "up"


@pytest.mark.skipif(not django_settings.FULL_MODE, reason="needs REDIS_URL (runs in CI's full mode)")
def test_deps_pings_real_workers_through_redis(client, settings, fresh_cache):
    """No worker runs during this test: the real ping finds none."""
    checks = client.get(reverse("healthz_deps")).json()["checks"]
    assert checks["workers"] == {"status": "down", "error": "no Celery worker answered a ping"}


# Beat's heartbeat ---------------------------------------------------------------------------


def test_beat_schedules_the_heartbeat_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry["task"] == HEARTBEAT_TASK == beat_heartbeat.name
    assert entry["schedule"] == 60.0
    assert entry["options"]["expires"] < 60  # heartbeats queued while no worker runs are dropped
    assert HEARTBEAT_TASK in app.tasks


def test_beat_records_itself_when_it_starts_and_when_it_sends_the_heartbeat(fresh_cache):
    assert health.heartbeat_age(health.BEAT_SEEN_KEY) is None
    beat_init.send(sender=None)
    assert health.heartbeat_age(health.BEAT_SEEN_KEY) < 5
    cache.delete(health.BEAT_SEEN_KEY)
    after_task_publish.send(sender="publishing.tasks.sweep_stuck_documents", body=(), exchange="", routing_key="")
    assert health.heartbeat_age(health.BEAT_SEEN_KEY) is None  # only the heartbeat counts
    after_task_publish.send(sender=HEARTBEAT_TASK, body=(), exchange="", routing_key="")
    assert health.heartbeat_age(health.BEAT_SEEN_KEY) < 5
    assert health.heartbeat_age(health.HEARTBEAT_RAN_KEY) is None  # no worker ran it


@pytest.mark.skipif(not django_settings.FULL_MODE, reason="needs REDIS_URL (runs in CI's full mode)")
def test_sending_the_heartbeat_through_redis_records_beat(fresh_cache):
    """The same publishing path beat takes: the signal fires in the sending process."""
    app.conf.task_always_eager = False
    beat_heartbeat.apply_async(expires=1)
    assert health.heartbeat_age(health.BEAT_SEEN_KEY) < 5


def test_beat_alive_command(fresh_cache, settings):
    settings.BEAT_STALE_AFTER_SECONDS = 300
    with pytest.raises(CommandError, match="no heartbeat"):
        call_command("beat_alive")
    cache.set(health.BEAT_SEEN_KEY, time.time() - 400)
    with pytest.raises(CommandError, match="stale after 300 s"):
        call_command("beat_alive")
    health.heartbeat_record(health.BEAT_SEEN_KEY)
    call_command("beat_alive")  # no error: exit status 0


def test_beat_stale_limit_must_exceed_the_heartbeat_interval():
    env = {**os.environ, "BEAT_STALE_AFTER_SECONDS": "60", "DJANGO_SETTINGS_MODULE": "icp_portal.settings"}
    code = "import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "BEAT_STALE_AFTER_SECONDS must be more than 60" in result.stderr


# Answering the container's own health check -------------------------------------------------


@pytest.mark.parametrize("name", ["healthz", "healthz_live", "healthz_ready", "healthz_deps"])
def test_health_answers_this_machine_whatever_the_host(client, db, settings, name):
    """Docker calls http://127.0.0.1:8000/healthz/live: that host is not in ALLOWED_HOSTS, and
    with DEBUG off plain HTTP would be redirected to HTTPS."""
    settings.FULL_MODE = False
    settings.ALLOWED_HOSTS = ["icp.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for address in ("127.0.0.1", "::1"):
        response = client.get(reverse(name), HTTP_HOST="127.0.0.1:8000", REMOTE_ADDR=address)
        assert response.status_code == 200, (address, response.status_code)


def test_health_from_elsewhere_goes_through_host_validation(client, db, settings):
    settings.FULL_MODE = False
    settings.ALLOWED_HOSTS = ["icp.example.org"]
    response = client.get(reverse("healthz_ready"), HTTP_HOST="attacker.example", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 400
    # Through the proxy, with the site's own host, the same views answer.
    response = client.get(reverse("healthz_ready"), HTTP_HOST="icp.example.org", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache"}


def test_a_balancer_probing_web_over_plain_http_is_not_redirected(client, db, settings):
    """A load balancer in front of several hosts probes web directly, with the site's host."""
    settings.FULL_MODE = False
    settings.ALLOWED_HOSTS = ["icp.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for name in ("healthz", "healthz_live", "healthz_ready", "healthz_deps"):
        response = client.get(reverse(name), HTTP_HOST="icp.example.org", REMOTE_ADDR=OUTSIDE)
        assert response.status_code == 200, name
    assert client.get(reverse("home"), HTTP_HOST="icp.example.org", REMOTE_ADDR=OUTSIDE).status_code == 301


def test_only_health_paths_and_reads_skip_host_validation(client, db, settings):
    settings.ALLOWED_HOSTS = ["icp.example.org"]
    assert client.get(reverse("home"), HTTP_HOST="attacker.example").status_code == 400
    assert client.post(reverse("healthz_live"), HTTP_HOST="attacker.example").status_code == 400
    assert client.get(reverse("healthz_live") + "/", HTTP_HOST="attacker.example").status_code == 400


def test_health_middleware_comes_first():
    assert django_settings.MIDDLEWARE[0] == "icp_portal.health.LoopbackHealthMiddleware"
