"""docker-compose.yml starts healthy: checked without Docker.

The file is validated against the Compose Specification's JSON schema (as shipped by the
check-jsonschema package), then its structure is checked rule by rule, and the settings are
started with the environment it gives the portal's containers."""

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
PORTAL = ("migrate", "web", "worker", "beat")  # the services that run the portal's image
ONE_OFF = {"migrate"}
# What the settings need to run in production, behind the proxy, in full mode.
REQUIRED_ENVIRONMENT = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "BEHIND_TLS_PROXY",
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "DEFAULT_FROM_EMAIL",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_VISIBILITY_TIMEOUT",
}
VARIABLE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(:-|:\?)?(.*)", re.S)
# What the test process sets for itself (tests/conftest.py, make test), never in a container.
TEST_ONLY = {"DEBUG", "SECURE_SSL_REDIRECT", "MEDIA_ROOT", "VAR_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE"}
SECRETS = {"SECRET_KEY": "compose-test-" + "k" * 50, "POSTGRES_PASSWORD": "compose-test-password"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def interpolate(value, env: dict[str, str]):
    """Compose's variable interpolation: $$, ${VAR}, ${VAR:-default} (nested) and ${VAR:?error}."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value
    out, i = [], 0
    while i < len(value):
        if value.startswith("$$", i):
            out.append("$")
            i += 2
        elif value.startswith("${", i):
            depth, j = 1, i + 2
            while depth:  # find the brace that closes this one, past any nested ${...}
                if value.startswith("${", j):
                    depth, j = depth + 1, j + 2
                    continue
                depth -= value[j] == "}"
                j += 1
            name, operator, rest = re.match(
                r"([A-Za-z_][A-Za-z0-9_]*)(:-|:\?)?(.*)", value[i + 2 : j - 1], re.S
            ).groups()
            if env.get(name):
                out.append(env[name])
            elif operator == ":-":
                out.append(interpolate(rest, env))
            elif operator == ":?":
                raise KeyError(f"{name}: {rest}")
            else:
                out.append("")
            i = j
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def test_interpolation_as_compose_does_it():
    env = {"SET": "value", "EMPTY": ""}
    assert interpolate("${SET:-x}/${EMPTY:-d}/${UNSET:-${SET:-y}}/$$HOSTNAME", env) == "value/d/value/$HOSTNAME"
    with pytest.raises(KeyError, match="set it"):
        interpolate("${UNSET:?set it}", env)


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def _healthcheck(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


# The file as a whole ------------------------------------------------------------------------


def test_the_file_follows_the_compose_specification(compose):
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for document in (compose, interpolate(compose, SECRETS)):
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
        assert not errors, errors


def test_the_services_are_the_production_shape(services):
    assert set(services) == {"migrate", "web", "worker", "beat", "proxy", "postgres", "redis", "mailpit"}


# Starting healthy ---------------------------------------------------------------------------


def test_every_long_running_service_has_a_health_check(services):
    for name, service in services.items():
        if name in ONE_OFF:
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert service.get("restart") == "unless-stopped", name


def test_migrate_runs_once_and_everything_of_the_portal_waits_for_it(services):
    migrate = services["migrate"]
    assert migrate["restart"] == "no"  # a one-off: restarted after success it would never finish
    assert "healthcheck" not in migrate
    assert "python manage.py migrate --no-input" in _command(migrate)
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == depends["redis"] == {"condition": "service_healthy"}, name
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_only_migrate_runs_migrations(services):
    for name, service in services.items():
        if name != "migrate":
            assert "migrate" not in _command(service), f"{name} runs migrations: two replicas would race"


def test_web_health_is_liveness_only(services):
    """A database, Redis or worker outage must not get web marked unhealthy (and restarted)."""
    check = _healthcheck(services["web"])
    assert "http://127.0.0.1:8000/healthz/live" in check
    assert "ready" not in check and "deps" not in check


def test_the_worker_pings_its_own_node(services):
    worker = services["worker"]
    assert "--hostname=worker@%h" in _command(worker)
    assert "inspect ping --destination worker@$$HOSTNAME" in _healthcheck(worker)


def test_beat_health_is_its_heartbeat(services):
    assert _healthcheck(services["beat"]) == "CMD python manage.py beat_alive"
    assert get_commands()["beat_alive"] == "icp_portal"


def test_postgres_and_redis_health(services):
    assert "pg_isready -U portal -d portal" in _healthcheck(services["postgres"])
    assert _healthcheck(services["redis"]) == "CMD redis-cli ping"
    assert _healthcheck(services["mailpit"]) == "CMD /mailpit readyz"


# The proxy and the network ------------------------------------------------------------------


def test_a_tls_proxy_is_in_front_of_web(services):
    proxy = services["proxy"]
    assert proxy["image"] == "caddy:2"
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["environment"]["SITE_DOMAIN"] == "${SITE_DOMAIN:-localhost}"
    assert "http://127.0.0.1:2019/config/" in _healthcheck(proxy)
    caddyfile = CADDYFILE.read_text()
    assert "{$SITE_DOMAIN:localhost} {" in caddyfile
    assert re.search(r"reverse_proxy \{\s+#[^{]*dynamic a \{\s+name web\s+port 8000", caddyfile)
    assert "admin 127.0.0.1:2019" in caddyfile  # where its health check looks


@pytest.mark.skipif(shutil.which("caddy") is None, reason="caddy is not installed (apt-get install caddy)")
@pytest.mark.parametrize("domain", ["localhost", "icp.example.org"])
def test_caddy_reads_the_caddyfile(domain):
    result = subprocess.run(
        ["caddy", "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={**os.environ, "SITE_DOMAIN": domain},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["routes"][0]["match"] == [{"host": [domain]}]
    (proxy,) = server["routes"][0]["handle"][0]["routes"][0]["handle"]
    assert proxy["dynamic_upstreams"] == {"source": "a", "name": "web", "port": "8000", "refresh": 10_000_000_000}
    assert "not formatted" not in result.stderr


def test_only_the_proxy_is_open_to_the_network(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            if name == "proxy":
                assert port in {"80:80", "443:443", "443:443/udp"}
            else:
                assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond this machine"
    assert "ports" not in services["web"]  # reached through the proxy only


# The portal's environment -------------------------------------------------------------------


def _names_read_by_the_portal() -> set[str]:
    sources = [ROOT / "icp_portal" / "settings.py", ROOT / "icp_portal" / "backups.py"]
    pattern = re.compile(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"')
    return {name for source in sources for name in pattern.findall(source.read_text())}


def test_the_portal_services_share_one_environment_the_settings_read(services):
    read = _names_read_by_the_portal()
    for name in PORTAL:
        environment = services[name]["environment"]
        assert set(environment) >= REQUIRED_ENVIRONMENT, (name, REQUIRED_ENVIRONMENT - set(environment))
        assert set(environment) <= read, f"{name} sets what nothing reads: {set(environment) - read}"
        assert environment["BEHIND_TLS_PROXY"] == "1"
    assert services["web"]["environment"] == services["worker"]["environment"] == services["beat"]["environment"]


def test_mail_goes_to_the_catcher_unless_a_relay_is_named(services):
    environment = services["web"]["environment"]
    assert interpolate(environment["EMAIL_HOST"], SECRETS) == "mailpit"
    assert interpolate(environment["EMAIL_PORT"], SECRETS) == "1025"
    assert interpolate(environment["EMAIL_HOST"], {**SECRETS, "EMAIL_HOST": "smtp.example.org"}) == "smtp.example.org"


def _compose_environment(services, **env) -> dict[str, str]:
    """The test process's environment, less what it sets for itself, plus web's from the file."""
    environment = interpolate(services["web"]["environment"], {**SECRETS, **env})
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return {**clean, **environment, "DJANGO_SETTINGS_MODULE": "icp_portal.settings"}


def _settings_under_compose(services, **env) -> dict:
    clean = _compose_environment(services, **env)
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'hosts': s.ALLOWED_HOSTS, 'origins': s.CSRF_TRUSTED_ORIGINS, 'site': s.SITE_URL, 'full': s.FULL_MODE, "
        "'proxy': s.SECURE_PROXY_SSL_HEADER, 'proxies': s.TRUSTED_PROXY_COUNT, 'email': s.EMAIL_HOST, "
        "'db': s.DATABASES['default']['HOST'], 'debug': s.DEBUG, 'redirect': s.SECURE_SSL_REDIRECT, "
        "'fallbacks': s.SECRET_KEY_FALLBACKS, 'hsts': s.SECURE_HSTS_SECONDS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_settings_start_with_the_compose_environment(services):
    started = _settings_under_compose(services)
    assert started == {
        "hosts": ["localhost"],
        "origins": ["https://localhost"],
        "site": "https://localhost",
        "full": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "proxies": 1,
        "email": "mailpit",
        "db": "postgres",
        "debug": False,
        "redirect": True,
        "fallbacks": [],
        "hsts": 31536000,
    }
    on_a_domain = _settings_under_compose(services, SITE_DOMAIN="icp.example.org")
    assert on_a_domain["hosts"] == ["icp.example.org"]
    assert on_a_domain["origins"] == ["https://icp.example.org"]
    assert on_a_domain["site"] == "https://icp.example.org"
    rotating = _settings_under_compose(services, SECRET_KEY_FALLBACKS="the-previous-key")
    assert rotating["fallbacks"] == ["the-previous-key"]


def test_the_compose_environment_passes_the_deploy_check(services):
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    environment = _compose_environment(services)
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# The image ----------------------------------------------------------------------------------


def test_the_image_can_back_up_and_keeps_secrets_out():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile  # bin/backup runs pg_dump inside the web container
    assert "collectstatic" in dockerfile  # static files are in the image: migrate has none to collect
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "var", ".venv"} <= set(ignored)
