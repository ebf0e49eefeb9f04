import pytest
from django.urls import reverse

from icp_portal import health


def test_healthy_embedded_mode(client, db, settings):
    settings.FULL_MODE = False
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "up"
    assert body["mode"] == "embedded"
    assert set(body["checks"]) == {"database", "cache"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_database_down_is_503(client, db, monkeypatch, settings):
    settings.FULL_MODE = False

    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(health, "_check_database", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "down", "error": "connection refused"}


def test_full_mode_reports_a_dead_broker_and_no_worker(client, db, settings):
    from icp_portal.celery import app

    settings.FULL_MODE = True
    before = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = before
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "down"
    assert checks["worker"]["status"] == "down"
    assert checks["database"]["status"] == "up"


@pytest.mark.skipif(not health.settings.FULL_MODE, reason="needs REDIS_URL (runs in CI's full mode)")
def test_full_mode_cache_and_broker_up_against_real_redis(client, db):
    checks = client.get(reverse("healthz")).json()["checks"]
    assert checks["cache"]["status"] == "up"
    assert checks["broker"]["status"] == "up"
