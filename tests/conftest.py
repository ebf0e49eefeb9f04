import os
from importlib import import_module

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by the same tests are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_audit_guard():
    """Tests that commit (`transaction=True`: browsers, the real worker, migrations) are cleaned
    up by `flush`, which empties every table; the audit log refuses that (TRUNCATE on PostgreSQL,
    DELETE on SQLite), as it should everywhere else. For the flush alone, remove the guard's
    triggers and create them again after it, in the flush's own transaction."""
    from django.db import connections

    guard = import_module("icp_portal.migrations.0002_audit_append_only")
    with pytest.MonkeyPatch.context() as patch:
        for ops in {type(connections[alias].ops) for alias in connections}:
            original = ops.sql_flush

            def sql_flush(self, style, tables, *, _original=original, **options):
                sql = _original(self, style, tables, **options)
                sql_of = guard.GUARD.get(self.connection.vendor)
                if not sql or sql_of is None or guard.TABLE not in tables:
                    return sql
                return [*sql_of["remove"], *sql, *sql_of["install"]]

            patch.setattr(ops, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_its_own():
    """Under pytest-xdist each worker process has its own test database, and here its own keys in
    the shared Redis cache (tests/xdist_cache.py). Local memory (no REDIS_URL) is per process already."""
    from django.conf import settings
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not settings.FULL_MODE:
        yield
        return
    caches = {
        alias: {**config, "BACKEND": "tests.xdist_cache.WorkerRedisCache", "KEY_PREFIX": worker}
        for alias, config in settings.CACHES.items()
    }
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True, scope="session")
def _nothing_kept_between_requests():
    """The public page cache, the secretariat's kept parts and the kept rows are on only in the
    tests about them (`kept_pages`): a test's writes are rolled back, never committed, so they
    would never replace a version. Off for the whole session, so that a world built once for a
    module (tests/security) is built with them off too."""
    from django.test import override_settings

    with override_settings(PAGE_CACHE=False):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    # The open-data API's rate limit is counted in the cache, shared by every test's requests
    # from 127.0.0.1: tests about the limit set their own (tests/api).
    settings.API_RATE_LIMIT = "100000/minute"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test is about the real worker."""
    from icp_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def kept_pages(settings):
    """The public page cache, the secretariat's kept parts and the kept rows on, each in this
    process's memory and empty (the tests about them commit for real, so writes replace the
    versions)."""
    from django.core.cache import caches

    from core import kept_rows

    kept_rows._kept.clear()
    settings.PAGE_CACHE = True
    local = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": local, "LOCATION": "kept-pages"},
        "fragments": {"BACKEND": local, "LOCATION": "kept-fragments"},
    }
    for alias in ("pages", "fragments"):
        caches[alias].clear()
    yield
    for alias in ("pages", "fragments"):
        caches[alias].clear()
    kept_rows._kept.clear()


@pytest.fixture
def reference_data(db):
    """England's real geography, as shipped with the portal."""
    from partnerships.reference import load_reference_data

    return load_reference_data()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A browser tab on the live server. CSP is bypassed only so that axe can be injected;
    `strict_page` keeps it, to prove the pages satisfy their own policy."""
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def strict_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    yield tab
    context.close()


@pytest.fixture
def cast(db):
    """The shared cast for permission tests: one partnership, its secretariat, chair,
    co-chair and member (each with a sign-in account and current terms), a member of
    another partnership, and a signed-in stranger. Permissions are synced."""
    from types import SimpleNamespace

    from membership.factories import (
        ChairAppointmentFactory,
        MembershipFactory,
        PersonFactory,
        SecretariatAssignmentFactory,
        UserFactory,
    )
    from membership.permissions import permissions_sync
    from partnerships.factories import PartnershipFactory

    partnership = PartnershipFactory()
    other = PartnershipFactory()
    secretariat = UserFactory(username="secretariat")
    SecretariatAssignmentFactory(partnership=partnership, user=secretariat)
    chair = UserFactory(username="chair")
    ChairAppointmentFactory(partnership=partnership, person=PersonFactory(user=chair), role="chair")
    co_chair = UserFactory(username="co_chair")
    ChairAppointmentFactory(partnership=partnership, person=PersonFactory(user=co_chair), role="co_chair")
    member = UserFactory(username="member")
    MembershipFactory(partnership=partnership, person=PersonFactory(user=member))
    other_member = UserFactory(username="other_member")
    MembershipFactory(partnership=other, person=PersonFactory(user=other_member))
    stranger = UserFactory(username="stranger")
    permissions_sync(partnership)
    permissions_sync(other)
    return SimpleNamespace(
        partnership=partnership,
        other_partnership=other,
        secretariat=secretariat,
        chair=chair,
        co_chair=co_chair,
        member=member,
        other_member=other_member,
        stranger=stranger,
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "password_only: client.force_login signs in with the password alone (no second factor)"
    )


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(request, monkeypatch):
    """`client.force_login(user)` stands for a complete sign-in: the password and, for an account
    that needs one (portal administrators, secretariats, chairs, anyone who set one up), the code
    from their authenticator app (tests/two_factor.py). Tests of two-factor sign-in itself sign in
    through the pages, or mark themselves `password_only` to get a session still to be verified."""
    if request.node.get_closest_marker("password_only"):
        return
    from django.test import Client

    from membership.permissions import second_factor_needed
    from tests.two_factor import pass_second_factor

    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        if second_factor_needed(user):
            pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)
