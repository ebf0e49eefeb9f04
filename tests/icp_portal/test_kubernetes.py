"""deploy/kubernetes/ is a working deployment: checked without a cluster.

Every manifest is validated against the JSON schema of its kind and API version (the Kubernetes
OpenAPI schemas shipped by the kubernetes-validate package, strict: unknown fields are errors),
then our own rules are checked one by one, and the settings are started with the environment the
manifests give the pods, to show that no request or build depends on state kept in one pod."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from icp_portal import health

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
# The oldest Kubernetes the manifests are written for (CronJob's timeZone is GA from 1.27).
KUBERNETES_VERSION = "1.29"
IMAGE = "icp-portal"
CONFIG_MAP = "icp-portal-config"
SECRET = "icp-portal-secrets"
BACKUP_SECRET = "icp-portal-backup-secrets"
BACKUP_SECRET_KEYS = {"BACKUP_S3_ACCESS_KEY_ID", "BACKUP_S3_SECRET_ACCESS_KEY"}
# The keys of the Secret, created from the environment (docs/operations.md, "Kubernetes").
SECRET_KEYS = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
}
# What the settings need to run in production, behind the ingress, in full mode, with S3.
REQUIRED_ENVIRONMENT = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "BEHIND_TLS_PROXY",
    "DATABASE_URL",
    "REDIS_URL",
    "S3_BUCKET",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "DEFAULT_FROM_EMAIL",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_VISIBILITY_TIMEOUT",
}
SECRET_LOOKING = ("SECRET", "PASSWORD", "TOKEN", "_KEY", "DATABASE_URL", "REDIS_URL")
LONG_RUNNING = ("web", "worker", "beat")
TEST_ONLY = {"DEBUG", "SECURE_SSL_REDIRECT", "MEDIA_ROOT", "VAR_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE", "S3_BUCKET"}


def _load() -> list[dict]:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    documents = []
    for name in kustomization["resources"]:
        documents += [doc for doc in yaml.safe_load_all((KUBERNETES / name).read_text()) if doc]
    return documents


DOCUMENTS = _load()


def _one(kind: str, name: str) -> dict:
    (found,) = [d for d in DOCUMENTS if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def _pod_spec(document: dict) -> dict | None:
    if document["kind"] in ("Deployment", "Job"):
        return document["spec"]["template"]["spec"]
    if document["kind"] == "CronJob":
        return document["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def _containers(document: dict, *, init: bool = True) -> list[dict]:
    spec = _pod_spec(document) or {}
    return spec.get("containers", []) + (spec.get("initContainers", []) if init else [])


def _all_containers() -> list[tuple[str, dict]]:
    return [(d["metadata"]["name"], c) for d in DOCUMENTS for c in _containers(d)]


def _command(container: dict) -> str:
    return " ".join(container.get("command", []) + container.get("args", []))


def _probe_command(probe: dict) -> str:
    return " ".join(probe["exec"]["command"])


# The files ----------------------------------------------------------------------------------


def test_the_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    on_disk = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == on_disk
    assert kustomization["namespace"] == "icp-portal"
    assert [image["name"] for image in kustomization["images"]] == [IMAGE]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: f"{d['kind']}-{d['metadata']['name']}")
def test_each_manifest_follows_the_schema_of_its_kind(document):
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        pytest.fail(f"{document['kind']} {document['metadata']['name']}: {error.message}")


def test_the_schema_check_catches_a_mistake():
    """The validation above is real: a misspelt field or a wrong type is refused."""
    web = _one("Deployment", "web")
    misspelt = json.loads(json.dumps(web))
    misspelt["spec"]["replica"] = misspelt["spec"].pop("replicas")
    wrong_type = json.loads(json.dumps(web))
    wrong_type["spec"]["replicas"] = "two"
    for broken in (misspelt, wrong_type):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_the_production_shape():
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in DOCUMENTS)
    assert kinds == [
        ("ConfigMap", CONFIG_MAP),
        ("CronJob", "backup"),
        ("Deployment", "beat"),
        ("Deployment", "web"),
        ("Deployment", "worker"),
        ("Ingress", "web"),
        ("Job", "migrate"),
        ("Namespace", "icp-portal"),
        ("PersistentVolumeClaim", "backups"),
        ("PodDisruptionBudget", "web"),
        ("Service", "web"),
    ]


# Replicas and start-up order ----------------------------------------------------------------


def test_web_and_workers_run_several_replicas_and_beat_exactly_one():
    assert _one("Deployment", "web")["spec"]["replicas"] >= 2
    assert _one("Deployment", "worker")["spec"]["replicas"] >= 2
    beat = _one("Deployment", "beat")["spec"]
    assert beat["replicas"] == 1
    # A rolling update would run the old and the new beat together, sending every task twice.
    assert beat["strategy"] == {"type": "Recreate"}
    autoscalers = [d for d in DOCUMENTS if d["kind"] == "HorizontalPodAutoscaler"]
    assert all(a["spec"]["scaleTargetRef"]["name"] != "beat" for a in autoscalers)


def test_web_upgrades_without_dropping_below_its_replicas():
    web = _one("Deployment", "web")["spec"]
    assert web["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert _one("PodDisruptionBudget", "web")["spec"]["minAvailable"] >= 1


def test_migrations_run_only_in_the_migrate_job_and_everything_waits_for_them():
    migrate = _one("Job", "migrate")
    (container,) = _containers(migrate)
    assert "python manage.py migrate --no-input" in _command(container)
    assert "load_reference_data" in _command(container)
    assert _pod_spec(migrate)["restartPolicy"] == "Never"
    for name, container in _all_containers():
        if name != "migrate" and "migrate" in _command(container):
            assert "manage.py migrate --check" in _command(container), f"{name} runs migrations: replicas would race"
    for name in LONG_RUNNING:
        (wait,) = _pod_spec(_one("Deployment", name))["initContainers"]
        assert "until python manage.py migrate --check" in _command(wait), name


# Probes and resources -----------------------------------------------------------------------


def test_every_long_running_container_has_liveness_and_readiness_probes():
    for name in LONG_RUNNING:
        for container in _containers(_one("Deployment", name), init=False):
            assert container.get("livenessProbe"), f"{name}/{container['name']} has no liveness probe"
            assert container.get("readinessProbe"), f"{name}/{container['name']} has no readiness probe"


def test_web_probes_call_health_endpoints_that_exist():
    (web,) = _containers(_one("Deployment", "web"), init=False)
    live, ready = _probe_command(web["livenessProbe"]), _probe_command(web["readinessProbe"])
    # Liveness never checks a dependency: an outage of PostgreSQL or Redis must not restart web.
    assert "http://127.0.0.1:8000/healthz/live" in live
    assert "http://127.0.0.1:8000/healthz/ready" in ready
    assert "http://127.0.0.1:8000/healthz/live" in _probe_command(web["startupProbe"])
    assert {"/healthz/live", "/healthz/ready"} <= set(health.VIEWS)
    # From 127.0.0.1, where LoopbackHealthMiddleware answers whatever ALLOWED_HOSTS says.
    assert "healthz" not in json.dumps([web["livenessProbe"].get("httpGet"), web["readinessProbe"].get("httpGet")])


def test_the_worker_pings_itself_and_beat_reports_its_heartbeat():
    (worker,) = _containers(_one("Deployment", "worker"), init=False)
    assert "--hostname=worker@%h" in _command(worker)
    for probe in ("livenessProbe", "readinessProbe"):
        assert "inspect ping --destination worker@$HOSTNAME" in _probe_command(worker[probe])
    (beat,) = _containers(_one("Deployment", "beat"), init=False)
    assert _probe_command(beat["livenessProbe"]) == "python manage.py beat_alive"


def test_every_container_has_resource_requests_and_a_memory_limit():
    for name, container in _all_containers():
        resources = container.get("resources", {})
        assert {"cpu", "memory"} <= set(resources.get("requests", {})), f"{name}/{container['name']}"
        assert "memory" in resources.get("limits", {}), f"{name}/{container['name']}"


def test_every_pod_runs_as_a_user_not_root():
    for document in DOCUMENTS:
        spec = _pod_spec(document)
        if spec is None:
            continue
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec["automountServiceAccountToken"] is False
        for container in _containers(document):
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


# Image, configuration and secrets -----------------------------------------------------------


def test_one_image_everywhere():
    """One release: web, workers, beat, the migrate job and backups run the same code."""
    images = {container["image"] for _, container in _all_containers()}
    assert images == {IMAGE}  # kustomize sets its registry and tag in one place


def test_every_container_reads_the_config_map_and_the_secret():
    shared = [{"configMapRef": {"name": CONFIG_MAP}}, {"secretRef": {"name": SECRET}}]
    for name, container in _all_containers():
        # Only the backup job holds the off-site bucket's credentials.
        extra = [{"secretRef": {"name": BACKUP_SECRET}}] if name == "backup" else []
        assert container["envFrom"] == shared + extra, name


def test_no_secret_value_is_written_in_the_manifests():
    assert not [d for d in DOCUMENTS if d["kind"] == "Secret"], "secrets come from the environment, not a file"
    config = _one("ConfigMap", CONFIG_MAP)["data"]
    for key in config:
        assert not any(word in key for word in SECRET_LOOKING), f"{key} looks secret: put it in {SECRET}"
    for name, container in _all_containers():
        for variable in container.get("env", []):
            looks_secret = any(word in variable["name"] for word in SECRET_LOOKING)
            assert not (looks_secret and "value" in variable), f"{name} sets {variable['name']} inline"


def _names_read_by_the_portal() -> set[str]:
    sources = [ROOT / "icp_portal" / "settings.py", ROOT / "icp_portal" / "backups.py"]
    pattern = re.compile(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"')
    return {name for source in sources for name in pattern.findall(source.read_text())}


def test_the_config_map_and_the_secret_give_what_the_settings_read():
    config = set(_one("ConfigMap", CONFIG_MAP)["data"])
    read = _names_read_by_the_portal()
    assert config <= read, f"the ConfigMap sets what nothing reads: {config - read}"
    assert read >= SECRET_KEYS | BACKUP_SECRET_KEYS
    (backup,) = _containers(_one("CronJob", "backup"))
    assert {variable["name"] for variable in backup["env"]} <= read | {"BACKUP_KEEP_DAYS"}
    assert config | SECRET_KEYS >= REQUIRED_ENVIRONMENT, REQUIRED_ENVIRONMENT - config - SECRET_KEYS
    assert not config & SECRET_KEYS


def test_the_operations_guide_creates_the_secret_with_every_key():
    guide = (ROOT / "docs" / "operations.md").read_text()
    start = guide.index("kubectl -n icp-portal create secret generic icp-portal-secrets")
    command = guide[start : guide.index("```", start)]
    for key in SECRET_KEYS:
        assert f"--from-literal={key}=" in command, key
    start = guide.index(f"kubectl -n icp-portal create secret generic {BACKUP_SECRET}")
    command = guide[start : guide.index("```", start)]
    for key in BACKUP_SECRET_KEYS:
        assert f"--from-literal={key}=" in command, key


# The network --------------------------------------------------------------------------------


def test_the_service_and_the_ingress_reach_the_web_pods():
    web = _one("Deployment", "web")
    pod_labels = web["spec"]["template"]["metadata"]["labels"]
    assert web["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    service = _one("Service", "web")
    assert service["spec"]["selector"].items() <= pod_labels.items()
    (port,) = service["spec"]["ports"]
    (container,) = _containers(web, init=False)
    assert port["targetPort"] in [p["name"] for p in container["ports"]]
    assert {"containerPort": 8000, "name": "http"} in container["ports"]
    ingress = _one("Ingress", "web")
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "web", "port": {"name": port["name"]}}
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    config = _one("ConfigMap", CONFIG_MAP)["data"]
    assert config["ALLOWED_HOSTS"] == rule["host"]
    assert config["SITE_URL"] == config["CSRF_TRUSTED_ORIGINS"] == f"https://{rule['host']}"


def test_each_deployment_selects_its_own_pods():
    for document in DOCUMENTS:
        if document["kind"] == "Deployment":
            selector = document["spec"]["selector"]["matchLabels"]
            assert selector.items() <= document["spec"]["template"]["metadata"]["labels"].items()
            assert selector["app.kubernetes.io/name"] == document["metadata"]["name"]


# No state in one pod ------------------------------------------------------------------------


def test_web_and_workers_keep_nothing_on_their_own_disks():
    """No persistent volume under web or the workers: what they write goes to PostgreSQL, Redis or S3."""
    for name in LONG_RUNNING:
        for volume in _pod_spec(_one("Deployment", name)).get("volumes", []):
            assert set(volume) == {"name", "emptyDir"}, f"{name} mounts {volume}"


def _environment(**env) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY | SECRET_KEYS}
    return {**clean, **env, "DJANGO_SETTINGS_MODULE": "icp_portal.settings"}


def _kubernetes_environment() -> dict[str, str]:
    secrets = {
        "SECRET_KEY": "kubernetes-test-" + "k" * 50,
        "DATABASE_URL": "postgres://portal:password@postgres.example.org:5432/portal",
        "REDIS_URL": "redis://redis.example.org:6379/0",
        "EMAIL_HOST_USER": "portal",
        "EMAIL_HOST_PASSWORD": "smtp-password",
        "S3_ACCESS_KEY_ID": "access",
        "S3_SECRET_ACCESS_KEY": "secret",
    }
    return _environment(**_one("ConfigMap", CONFIG_MAP)["data"], **secrets)


# Settings a second web pod could not share: sessions, cache, files and sign-in lock-outs kept
# in the process or on its disk. Printed by a process started with the given environment.
PROCESS_LOCAL = """
import django, json
django.setup()
from django.conf import settings as s
from django.utils.module_loading import import_string
local = []
engine = s.SESSION_ENGINE
if engine.endswith(("sessions.backends.file", "sessions.backends.cache")):
    local.append("sessions: " + engine)
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
for alias, cache in s.CACHES.items():
    if issubclass(import_string(cache["BACKEND"]), (LocMemCache, FileBasedCache, DummyCache)):
        local.append("cache " + alias + ": " + cache["BACKEND"])
storage = s.STORAGES["default"]["BACKEND"]
if storage.endswith("FileSystemStorage"):
    local.append("media: " + storage)
from axes.handlers.database import AxesDatabaseHandler
if not issubclass(import_string(s.AXES_HANDLER), AxesDatabaseHandler):
    local.append("sign-in lock-outs: " + s.AXES_HANDLER)
if s.CELERY_BROKER_URL.startswith("memory://") or s.CELERY_TASK_ALWAYS_EAGER:
    local.append("tasks: in the process")
print(json.dumps({"local": local, "sessions": engine, "storage": storage, "full": s.FULL_MODE}))
"""


def _process_local(environment: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROCESS_LOCAL], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_nothing_a_request_needs_is_kept_in_one_pod():
    """Under the manifests' environment a second web pod sees the same sessions (PostgreSQL), cache
    and rate limits (Redis), files (S3) and lock-outs (PostgreSQL), and tasks go to the broker."""
    started = _process_local(_kubernetes_environment())
    assert started == {
        "local": [],
        "sessions": "django.contrib.sessions.backends.db",
        "storage": "storages.backends.s3.S3Storage",
        "full": True,
    }


def test_the_embedded_default_would_be_caught():
    """The check above is not vacuous: the single-process default keeps its cache, files and
    tasks in the process, and the check says so."""
    embedded = _process_local(_environment(SECRET_KEY="kubernetes-test-" + "k" * 50))
    assert embedded["full"] is False
    assert any(item.startswith("cache default: ") for item in embedded["local"])
    assert any(item.startswith("cache pages: ") for item in embedded["local"])
    assert any(item.startswith("media: ") for item in embedded["local"])
    assert "tasks: in the process" in embedded["local"]


def test_the_kubernetes_environment_passes_the_deploy_check():
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(
        command, cwd=ROOT, env=_kubernetes_environment(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_backups_run_nightly_into_their_own_volume():
    cronjob = _one("CronJob", "backup")
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"  # a slow dump never overlaps the next
    (container,) = _containers(cronjob)
    assert _command(container).startswith("sh -c bin/backup && ")
    (mount,) = container["volumeMounts"]
    assert mount["mountPath"] == _one("ConfigMap", CONFIG_MAP)["data"]["BACKUP_DIR"]
    environment = {variable["name"]: variable["value"] for variable in container["env"]}
    assert environment["BACKUP_S3_BUCKET"]  # and then off-site
    (volume,) = _pod_spec(cronjob)["volumes"]
    assert volume["persistentVolumeClaim"]["claimName"] == _one("PersistentVolumeClaim", "backups")["metadata"]["name"]
