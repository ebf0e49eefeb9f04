"""Publishing through a real Celery worker on Redis (full mode: CI sets REDIS_URL and
DATABASE_URL). The worker is a separate process on the test database."""

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
from publishing import services
from publishing.models import PublishedDocument

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
    """Start real worker processes on the test database; all are stopped afterwards."""
    settings.PUBLISHING_STALE_AFTER_SECONDS = STALE_SECONDS
    app.conf.task_always_eager = False
    app.control.purge()
    workers = []
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PUBLISHING_STALE_AFTER_SECONDS": str(STALE_SECONDS),
        "DJANGO_SETTINGS_MODULE": "icp_portal.settings",
    }

    def start(name: str) -> subprocess.Popen:
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


def _meeting(pages_per_paper: int = 1):
    meeting = MeetingFactory(title="Strategic ICP")
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
