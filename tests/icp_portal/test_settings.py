"""Settings come from the environment and refuse unsafe or unreadable values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# Variables the test process sets for itself, which must not leak into the "production" start-up.
TEST_ONLY = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"}


def _run_with_settings(code: str, **env):
    """Run `code` in a fresh interpreter with exactly these settings variables."""
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    clean.update(env, DJANGO_SETTINGS_MODULE="icp_portal.settings")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def _django_setup(show="settings.DATABASES['default']['ENGINE']", **env):
    """Start Django in a fresh interpreter with exactly these settings variables; it prints `show`."""
    return _run_with_settings(f"import django; django.setup(); from django.conf import settings; print({show})", **env)


def test_missing_secret_key_with_debug_off_stops_start_up():
    result = _django_setup(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_runs_without_a_secret_key_on_sqlite(tmp_path):
    result = _django_setup(DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout


# Two connections of the embedded mode, each reading and then writing at the same moment: a PDF
# built in a thread under `make run` (PUBLISHING_BUILD_IN_THREAD) while the secretariat goes on
# working. Prints the rows written and the errors met.
TWO_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

connection.cursor().execute("CREATE TABLE note (n integer)")
build_has_read, errors = threading.Event(), []

def build():
    try:
        with transaction.atomic():
            connection.cursor().execute("SELECT count(*) FROM note")
            build_has_read.set()
            time.sleep(0.3)
            connection.cursor().execute("INSERT INTO note VALUES (1)")
    except Exception as error:
        errors.append(str(error))
    finally:
        build_has_read.set()
        connection.close()

thread = threading.Thread(target=build)
thread.start()
build_has_read.wait()
try:
    with transaction.atomic():
        connection.cursor().execute("SELECT count(*) FROM note")
        connection.cursor().execute("INSERT INTO note VALUES (2)")
except Exception as error:
    errors.append(str(error))
thread.join()
cursor = connection.cursor()
cursor.execute("SELECT count(*) FROM note")
print(cursor.fetchone()[0], errors)
"""


def test_in_the_embedded_mode_two_writers_take_turns_rather_than_fail(tmp_path):
    """SQLite refuses at once ("database is locked") a transaction that read and then wants to
    write while another writes, whatever the timeout: the build failed, or the secretariat's
    request did. Each transaction takes the write lock when it begins, so the second waits."""
    result = _run_with_settings(TWO_WRITERS, DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "[]"]


def test_unreadable_boolean_is_refused():
    result = _django_setup(DEBUG="maybe", SECRET_KEY="k")
    assert "DEBUG must be true or false" in result.stderr


def test_database_url_selects_postgresql():
    result = _django_setup(SECRET_KEY="k", DATABASE_URL="postgres://u@127.0.0.1:5432/icp")
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout


def test_postgresql_connections_plan_for_fast_random_reads_unless_told_otherwise():
    options = "settings.DATABASES['default'].get('OPTIONS', {}).get('options', '')"
    url = "postgres://u@127.0.0.1:5432/icp"
    assert _django_setup(options, SECRET_KEY="k", DATABASE_URL=url).stdout.strip() == "-c random_page_cost=1.1"
    assert _django_setup(options, SECRET_KEY="k", DATABASE_URL=url, DB_RANDOM_PAGE_COST="2").stdout.strip() == (
        "-c random_page_cost=2.0"
    )
    assert _django_setup(options, SECRET_KEY="k", DATABASE_URL=url, DB_RANDOM_PAGE_COST="").stdout.strip() == ""
    refused = _django_setup(options, SECRET_KEY="k", DATABASE_URL=url, DB_RANDOM_PAGE_COST="fast")
    assert refused.returncode != 0 and "DB_RANDOM_PAGE_COST must be a number, not 'fast'" in refused.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting (CI runs it there)")
def test_the_database_connection_has_the_planner_setting(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="icp.example.org",
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="icp_portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_s3_bucket_switches_file_storage_to_an_s3_compatible_store(tmp_path):
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location, s.default_acl)"
    )
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(
        DEBUG="1",
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="icp_portal.settings",
        S3_BUCKET="icp-media",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_PREFIX="portal",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "icp-media", "http://127.0.0.1:9000", "portal", "private"]


def test_files_stay_on_the_filesystem_without_a_bucket(tmp_path):
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "print(type(storages['default']).__name__)"
    )
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY | {"S3_BUCKET"}}
    env.update(DEBUG="1", VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="icp_portal.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "FileSystemStorage", result.stderr


def _manage(*args, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(env_vars, DJANGO_SETTINGS_MODULE="icp_portal.settings")
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_manage_py_on_a_bare_checkout_runs_in_debug_mode(tmp_path):
    result = _manage("check", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_manage_py_configured_like_production_still_needs_a_secret_key(tmp_path):
    result = _manage("check", VAR_DIR=str(tmp_path), DATABASE_URL="postgres://u@127.0.0.1:5432/icp")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_web_process_leaves_what_it_loaded_out_of_garbage_collection(tmp_path):
    """gunicorn loads `icp_portal.wsgi`: what loading allocated is frozen, so a full collection
    during a request does not walk it."""
    result = _run_with_settings(
        "import gc; import icp_portal.wsgi; print(gc.get_freeze_count())", DEBUG="1", VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000
