"""Publishing through a real Celery worker on Redis (full mode: CI sets REDIS_URL and
DATABASE_URL). The worker is a separate process on the test database."""

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from icp_portal.celery import app
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from publishing import renderers, services
from publishing.models import PublishedDocument
from publishing.tasks import build_document

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 3

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.FULL_MODE, reason="needs a real broker: set REDIS_URL (CI does)"),
]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        pytest.fail("worker tests need PostgreSQL (DATABASE_URL): a worker process cannot share an in-memory SQLite")
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(settings):
    """Start real worker processes on the test database; all are stopped afterwards. A running
    build is taken to be lost after STALE_SECONDS, unless the test sets
    settings.PUBLISHING_STALE_AFTER_SECONDS otherwise before starting a worker."""
    settings.PUBLISHING_STALE_AFTER_SECONDS = STALE_SECONDS
    app.conf.task_always_eager = False
    app.control.purge()
    workers = []

    def start(name: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PUBLISHING_STALE_AFTER_SECONDS": str(settings.PUBLISHING_STALE_AFTER_SECONDS),
            "DJANGO_SETTINGS_MODULE": "icp_portal.settings",
        }
        command = [sys.executable, "-m", "celery", "-A", "icp_portal", "worker", "--pool=solo", "--loglevel=WARNING"]
        command += [f"--hostname={name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    app.control.purge()


def _meeting(pages_per_paper: int = 1, *, is_public: bool = True):
    meeting = MeetingFactory(title="Strategic ICP", is_public=is_public)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Joint forward plan")
    paper = PaperFactory(agenda_item=item, title="Joint forward plan 2026 to 2031")
    if pages_per_paper > 1:
        writer = PdfWriter()
        page = PdfReader(io.BytesIO(minimal_pdf("Joint forward plan page"))).pages[0]
        for _ in range(pages_per_paper):
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        version = paper.current_version
        with version.file.open("wb") as handle:
            handle.write(out.getvalue())
        version.page_count = pages_per_paper
        version.save()
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def _status(pk) -> str:
    return PublishedDocument.objects.values_list("status", flat=True).get(pk=pk)


def test_a_real_worker_builds_the_pack(start_worker):
    start_worker("publisher")
    public, members = services.agenda_pack_request(meeting=_meeting())
    _wait_for(lambda: _status(public.pk) == _status(members.pk) == "done", 120, "both packs to be built")
    public.refresh_from_db()
    with public.file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[-1].extract_text()
    assert "Joint forward plan" in text


def test_a_killed_worker_loses_nothing_and_the_document_is_built_once(start_worker):
    first = start_worker("doomed")
    public, members = services.agenda_pack_request(meeting=_meeting(pages_per_paper=300))
    _wait_for(lambda: _status(public.pk) == "running" or _status(members.pk) == "running", 120, "a build to start")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    stuck = [d for d in (public, members) if _status(d.pk) == "running"]
    assert stuck, "a document was left running by the killed worker"

    start_worker("rescuer")
    time.sleep(STALE_SECONDS + 0.5)
    assert services.documents_sweep() >= 1
    _wait_for(lambda: _status(public.pk) == _status(members.pk) == "done", 180, "the packs to be rebuilt")
    for document in (public, members):
        document.refresh_from_db()
        assert PdfReader(io.BytesIO(document.file.open("rb").read())).pages
        document.file.close()
    assert PublishedDocument.objects.filter(meeting=public.meeting).count() == 2
    assert max(public.attempts, members.attempts) == 2


# Faults while the agenda changes ----------------------------------------------------------
# Each ends the same way: nothing pending, running or failed; each version of the agenda that is
# still recorded built once, into its own file and no other file left behind; and exactly one
# current document of each kind for the meeting, built from the agenda as it is now.

KINDS = (PublishedDocument.Kind.AGENDA_PACK, PublishedDocument.Kind.MEMBERS_PACK)


def _change_agenda(meeting, title: str):
    """The secretariat changes the published agenda, which asks for packs of the new version."""
    item = meeting.agenda_items.get(position=1)
    item.title = title
    item.save()
    return services.agenda_pack_request(meeting=meeting)


def _settled(meeting) -> bool:
    return not PublishedDocument.objects.filter(meeting=meeting, status__in=["pending", "running"]).exists()


def _assert_one_current_build_of_each_kind(meeting, *, max_attempts: int):
    documents = list(PublishedDocument.objects.filter(meeting=meeting))
    assert documents and all(d.status == "done" for d in documents), [(d.pk, d.status, d.error) for d in documents]
    assert all(1 <= d.attempts <= max_attempts for d in documents), [(d.pk, d.attempts) for d in documents]
    kinds = ((KINDS[0], False), (KINDS[1], True)) if meeting.is_public else ((KINDS[1], True),)
    assert {d.kind for d in documents} == {kind for kind, _ in kinds}
    for kind, include_exempt in kinds:
        (current,) = [d for d in documents if d.kind == kind and d.superseded_by_id is None]
        assert current.source_version == renderers.agenda_fingerprint(meeting, include_exempt=include_exempt)
    # Built once: one file per document, holding what the row says, and no file of a build that
    # was lost or dropped.
    on_disk = {str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT, "published").glob("*")}
    assert on_disk == {d.file.name for d in documents}
    for document in documents:
        data = Path(settings.MEDIA_ROOT, document.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document.sha256
    return documents


def test_a_worker_killed_mid_build_while_the_agenda_changes(start_worker, settings):
    settings.PUBLISHING_PENDING_GRACE_SECONDS = 1
    meeting = _meeting(pages_per_paper=120)
    first = start_worker("doomed")
    old = services.agenda_pack_request(meeting=meeting)
    _wait_for(lambda: any(_status(d.pk) == "running" for d in old), 180, "a build of the first agenda to start")
    new = _change_agenda(meeting, "Joint forward plan (revised)")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    start_worker("rescuer")
    time.sleep(STALE_SECONDS + 0.5)
    services.documents_sweep()  # what beat does every two minutes
    _wait_for(lambda: _settled(meeting), 240, "every document to be built or dropped")
    documents = _assert_one_current_build_of_each_kind(meeting, max_attempts=2)
    # The packs of the first agenda were dropped when built from the changed agenda, or were built
    # in time and are superseded: never current next to the new ones.
    assert {d.pk for d in documents if d.superseded_by_id is None} == {d.pk for d in new}
    assert {d.pk for d in old} & {d.pk for d in documents if d.superseded_by_id is None} == set()


def test_two_workers_racing_over_an_agenda_that_changes(start_worker, settings):
    # Long enough that no running build is taken for lost: every second claim here is a race.
    settings.PUBLISHING_STALE_AFTER_SECONDS = 600
    meeting = _meeting(pages_per_paper=120, is_public=False)  # one pack: the members'
    start_worker("left")
    start_worker("right")
    # Both consuming before anything is sent, or one would build it all while the other starts.
    _wait_for(lambda: len(app.control.ping(timeout=0.5)) >= 2, 180, "both workers to answer a ping")
    for version in range(1, 4):
        if version == 1:
            packs = services.agenda_pack_request(meeting=meeting)
        else:
            packs = _change_agenda(meeting, f"Joint forward plan, version {version}")
        # A duplicate of every message, as a redelivery or a sweep racing a worker would send.
        for document in packs:
            build_document.apply_async((document.pk,), retry=False)
    # And while one worker builds the newest pack, the other is sent it too.
    (newest,) = packs
    _wait_for(lambda: _status(newest.pk) == "running", 180, "the newest pack's build to start")
    build_document.apply_async((newest.pk,), retry=False)
    _wait_for(lambda: _settled(meeting), 240, "every document to be built or dropped")
    (current,) = _assert_one_current_build_of_each_kind(meeting, max_attempts=1)
    assert current.pk == newest.pk


def test_the_database_connection_dropped_mid_build(start_worker, settings):
    # The retry must rebuild it: no sweep, and a running build is not taken for lost for 10 minutes.
    settings.PUBLISHING_STALE_AFTER_SECONDS = 600
    meeting = _meeting(pages_per_paper=120)
    start_worker("cut-off")
    packs = services.agenda_pack_request(meeting=meeting)
    _wait_for(lambda: any(_status(d.pk) == "running" for d in packs), 180, "a build to start")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        assert cursor.fetchall(), "the worker had no database connection to drop"
    _wait_for(lambda: _settled(meeting), 240, "the packs to be built after the retry")
    # The build cut off is tried again by its own retry (attempts 2); had the drop fallen between
    # two builds, the next claim's retry takes it (attempts 1). Never failed, never built twice over.
    _assert_one_current_build_of_each_kind(meeting, max_attempts=2)
